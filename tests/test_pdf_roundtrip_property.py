"""Property tests: fill → read back gives the same data, for generated episodes and any text."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pdf_helpers import PDF_TEMPLATES, TEMPLATE_NAMES, merge, normalised

from formkit.model import EpisodeRecord
from formkit.pdf import PdfTemplate, read_form_bytes, to_episode_dict
from formkit.synthetic import generate_episodes

pytestmark = pytest.mark.slow

TEMPLATES = {name: PdfTemplate(PDF_TEMPLATES / f"{name}.pdf") for name in TEMPLATE_NAMES}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_generated_episodes_round_trip_through_every_template(seed: int) -> None:
    record = generate_episodes(1, seed=seed)[0]
    for template in TEMPLATES.values():
        fields = read_form_bytes(template.render(record))
        assert fields == template.values_for(record)
        rebuilt = EpisodeRecord.model_validate(
            merge(record.model_dump(mode="json"), to_episode_dict(fields))
        )
        assert normalised(rebuilt.model_dump(mode="json")) == normalised(
            record.model_dump(mode="json")
        )


# Any text a person might type: letters of every script DejaVu draws, digits, punctuation,
# spaces and new lines (a carriage return is read back as a new line, as viewers store it).
typed_text = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Cc", "Co", "Cn"), blacklist_characters="\u2028\u2029\x85"
    )
    | st.just("\n"),
    min_size=1,
    max_size=400,
).filter(lambda text: text.strip() != "")


@settings(max_examples=60, deadline=None)
@given(summary=typed_text, name=typed_text.map(lambda t: t.replace("\n", " ")))
def test_any_text_round_trips(summary: str, name: str) -> None:
    template = TEMPLATES["rhi-form"]
    values = {"return_interview.worker_summary": summary, "child.first_name": name}
    assert read_form_bytes(template.fill(values)) == {
        **{path: False for path in template.fields if "=" in path or ".services." in path},
        "return_interview.referrals.no_referral": False,
        **values,
    }


@pytest.mark.parametrize("name", TEMPLATE_NAMES)
def test_filling_is_deterministic(name: str) -> None:
    record = generate_episodes(1, seed=7)[0]
    assert TEMPLATES[name].render(record) == TEMPLATES[name].render(record)

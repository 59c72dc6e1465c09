"""Checkbox on-state names, forms filled by another tool, and answers too long for their box."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pdf_helpers import PDF_TEMPLATES, pdf_text, qpdf_check
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, NameObject
from support.episodes import sample_records

from formkit.pdf import PdfTemplate, read_pdf_form

TICK = "return_interview.push_pull_factors=social_network"
GRID = "return_interview.referrals.services.camhs.signposted"


def _rename_on_state(source: Path, target: Path, state: str) -> None:
    """A copy of the form whose checkboxes call their on-state ``state`` instead of /Yes."""
    writer = PdfWriter(clone_from=PdfReader(source))
    for page in writer.pages:
        for ref in page.get("/Annots", []) or []:
            widget = ref.get_object()
            if widget.get("/FT") != "/Btn":
                continue
            for key in ("/N", "/D"):
                appearances = widget["/AP"].get_object().get(key)
                if appearances is None:
                    continue
                appearances = appearances.get_object()
                renamed = DictionaryObject()
                for name, stream in appearances.items():
                    renamed[NameObject(state if name == "/Yes" else name)] = stream
                widget["/AP"][NameObject(key)] = renamed
    with target.open("wb") as handle:
        writer.write(handle)


@pytest.mark.parametrize("state", ["/On", "/Ja", "/1", "/Checked box"])
def test_checkbox_states_survive_whatever_the_on_state_is_called(
    state: str, sample_episode_files: list[Path], tmp_path: Path, qpdf: str
) -> None:
    form = tmp_path / "form.pdf"
    _rename_on_state(PDF_TEMPLATES / "rhi-form.pdf", form, state)
    record = next(
        r for r in sample_records(sample_episode_files) if r.return_interview.push_pull_factors
    )
    template = PdfTemplate(form)
    expected = template.values_for(record, {TICK: True, GRID: True})
    filled = tmp_path / "filled.pdf"
    filled.write_bytes(template.render(record, extras={TICK: True, GRID: True}))
    assert qpdf_check(qpdf, filled).returncode == 0

    fields = PdfReader(filled).get_fields() or {}
    on = NameObject(state)
    assert fields[TICK]["/V"] == on
    assert fields[GRID]["/V"] == on
    assert read_pdf_form(filled) == expected
    assert expected[TICK] is True and expected[GRID] is True
    assert any(value is False for value in expected.values())


def test_a_form_filled_by_another_tool_reads_back(tmp_path: Path) -> None:
    """pypdf's own filler stands in for a person filling the form in a viewer."""
    form = tmp_path / "form.pdf"
    _rename_on_state(PDF_TEMPLATES / "rhi-form.pdf", form, "/Ja")
    writer = PdfWriter(clone_from=PdfReader(form))
    answers = {
        "episode.reference": "HAND-FILLED-1",
        "child.first_name": "Zoë",
        "return_interview.answers.why_went_missing": "Line one\rLine two",
        "return_interview.engagement": "low",
        "return_interview.answers.mental_health_score": "4",
        TICK: "/Ja",
    }
    for page in writer.pages:
        writer.update_page_form_field_values(page, answers, auto_regenerate=False)
    hand = tmp_path / "hand.pdf"
    with hand.open("wb") as handle:
        writer.write(handle)
    fields = read_pdf_form(hand)
    assert fields["episode.reference"] == "HAND-FILLED-1"
    assert fields["child.first_name"] == "Zoë"
    assert fields["return_interview.answers.why_went_missing"] == "Line one\nLine two"
    assert fields["return_interview.engagement"] == "low"
    assert fields["return_interview.answers.mental_health_score"] == "4"
    assert fields[TICK] is True
    assert fields["return_interview.push_pull_factors=other"] is False


@pytest.mark.parametrize(
    ("name", "path"),
    [("rhi-form", "return_interview.worker_summary"), ("nyas-referral", "episode.circumstances")],
)
def test_a_3000_character_answer_continues_on_an_addendum_page(
    name: str,
    path: str,
    sample_episode_files: list[Path],
    tmp_path: Path,
    pdftotext: str,
    qpdf: str,
) -> None:
    words = [f"Sentence {n} about Ștefan Łukasz and where he went." for n in range(200)]
    answer = " ".join(words)[:3000].rstrip()
    assert len(answer) >= 2990
    record = sample_records(sample_episode_files)[0]
    template = PdfTemplate(PDF_TEMPLATES / f"{name}.pdf")
    target = tmp_path / "long.pdf"
    target.write_bytes(template.render(record, extras={path: answer}))
    assert qpdf_check(qpdf, target).returncode == 0

    reader = PdfReader(target)
    blank_pages = len(PdfReader(PDF_TEMPLATES / f"{name}.pdf").pages)
    assert len(reader.pages) > blank_pages
    text = pdf_text(pdftotext, target)
    assert "continued on the addendum page" in text
    tail = text[text.index("Addendum: answers continued") :]
    assert " ".join(answer.split()) in tail
    assert read_pdf_form(target)[path] == answer

    flat = template.render(record, extras={path: answer}, flatten=True)
    flat_reader = PdfReader(io.BytesIO(flat))
    assert len(flat_reader.pages) == len(reader.pages)
    assert "/AcroForm" not in flat_reader.trailer["/Root"]


def test_a_long_single_line_value_shrinks_or_overflows(
    sample_episode_files: list[Path], tmp_path: Path, pdftotext: str
) -> None:
    record = sample_records(sample_episode_files)[0]
    template = PdfTemplate(PDF_TEMPLATES / "nyas-referral.pdf")
    long_name = "Placement provider with a very long registered charity name " * 3
    target = tmp_path / "line.pdf"
    target.write_bytes(template.render(record, extras={"child.placement.provider": long_name}))
    assert read_pdf_form(target)["child.placement.provider"] == long_name
    assert " ".join(long_name.split()) in pdf_text(pdftotext, target)

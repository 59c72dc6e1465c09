"""The director's letter is addressed to the home authority's Director: named from the record,
else the post in that council's profile, else "The Director of Children's Services"; "Your ref"
only when the record holds one; the "What we have done" rows read as sentences."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

from conftest import SAMPLES
from lxml import etree

from formkit.load import load_episodes
from formkit.model import LONDON, EpisodeRecord
from formkit.ooxml import W
from formkit.render.catalog import Catalog
from formkit.render.context import build_context
from formkit.render.docx import WordTemplate

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=LONDON)
SAMPLE = SAMPLES / "episodes" / "bexley-ola-fourth-notification.yaml"


def letter_lines(record: EpisodeRecord) -> list[str]:
    template = WordTemplate(Catalog.load().get("director-letter").path, name="director-letter")
    data = template.render_context(record, build_context(record, now=NOW))
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    lines = []
    for paragraph in root.iter(f"{{{W}}}p"):
        text = "".join(
            "\n" if node.tag == f"{{{W}}}br" else node.text or ""
            for node in paragraph.iter(f"{{{W}}}t", f"{{{W}}}br")
        )
        lines += [part for part in text.split("\n") if part.strip()]
    return lines


def sample(**people: object) -> EpisodeRecord:
    record = load_episodes(SAMPLE)[0]
    data = record.model_dump(mode="json", exclude_none=True)
    data["people"].update(people)
    return EpisodeRecord.model_validate(data)


def test_without_a_named_director_the_letter_goes_to_the_post_and_has_no_your_ref() -> None:
    lines = letter_lines(sample())
    at = lines.index("The Director of Children's Services")
    assert lines[at + 1] == "Kent County Council"
    assert "Our ref: BX-2026-0412" in lines
    assert not any("Your ref" in line for line in lines)
    assert "Dear Director," in lines
    assert "Not known" not in " ".join(lines[: at + 4])


def test_a_named_director_with_their_reference_and_address() -> None:
    director = {
        "name": "Alex Morgan",
        "role": "Corporate Director, Children, Young People and Education",
        "organisation": "Kent County Council",
        "address": "Sessions House, County Road, Maidstone ME14 1XQ",
        "reference": "KCC/CIC/448120",
    }
    lines = letter_lines(sample(home_director=director))
    at = lines.index("Alex Morgan")
    assert lines[at : at + 6] == [
        "Alex Morgan",
        "Corporate Director, Children, Young People and Education",
        "Kent County Council",
        "Sessions House",
        "County Road",
        "Maidstone ME14 1XQ",
    ]
    assert any(
        line.startswith("Our ref: BX-2026-0412") and line.endswith("Your ref: KCC/CIC/448120")
        for line in lines
    )
    assert "Dear Alex Morgan," in lines


def test_the_post_comes_from_the_home_authoritys_profile() -> None:
    record = load_episodes(SAMPLE)[0]
    data = record.model_dump(mode="json", exclude_none=True)
    data["child"]["responsible_authority"] = "Buckinghamshire Council"
    lines = letter_lines(EpisodeRecord.model_validate(data))
    at = lines.index("The Director of Children's Social Care")
    assert lines[at + 1] == "Buckinghamshire Council"


def test_the_sender_address_comes_from_the_record() -> None:
    referrer = {
        "name": "Gemma Wright",
        "address": "Civic Offices, Watling Street, Bexleyheath DA6 7AT",
    }
    lines = letter_lines(sample(referrer=referrer))
    at = lines.index("Children's Services")
    assert lines[at + 1 : at + 4] == ["Civic Offices", "Watling Street", "Bexleyheath DA6 7AT"]


def test_what_we_have_done_reads_as_sentences_not_none_recorded() -> None:
    lines = letter_lines(sample())
    assert "Sent to Kent County Council by Gemma Wright" in lines
    assert "None recorded" not in lines

"""Every shipped template × every sample episode: a real, well-formed Word document with the
record's values in it; in CI LibreOffice converts them all (one process) and pdftotext finds
the values in the PDFs."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import SAMPLES
from lxml import etree

from formkit.load import load_episodes
from formkit.model import EpisodeRecord
from formkit.render.catalog import Catalog
from formkit.render.docx import WordTemplate
from formkit.render.filters import long_date

CATALOG = Catalog.load()
WORD_ENTRIES = [e for e in CATALOG if e.format == "docx"]
SAMPLE_FILES = sorted(p for p in (SAMPLES / "episodes").iterdir() if p.suffix in {".json", ".yaml"})
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
STRICT = etree.XMLParser(recover=False, resolve_entities=False)


@pytest.fixture(scope="module")
def compiled() -> dict[str, WordTemplate]:
    return {e.id: WordTemplate(e.path, name=e.id) for e in WORD_ENTRIES}


def _records() -> list[tuple[str, EpisodeRecord]]:
    return [(f.name, r) for f in SAMPLE_FILES for r in load_episodes(f)]


def document_text(data: bytes) -> str:
    """All text of the body, headers and footers, in order, one paragraph per line."""
    lines: list[str] = []
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in package.namelist():
            if re.match(r"word/(document|header\d*|footer\d*)\.xml$", name):
                root = etree.fromstring(package.read(name), STRICT)
                for paragraph in root.iter(f"{W}p"):
                    lines.append("".join(t.text or "" for t in paragraph.iter(f"{W}t")))
    return "\n".join(lines)


def key_values(record: EpisodeRecord) -> list[str]:
    return [record.child.full_name, record.reference, long_date(record.episode.last_seen_at)]


def test_every_catalogue_template_exists_and_samples_are_present() -> None:
    assert len(WORD_ENTRIES) >= 9
    assert len(SAMPLE_FILES) >= 12
    for entry in WORD_ENTRIES:
        assert entry.path.is_file(), entry.path


@pytest.mark.parametrize("entry", WORD_ENTRIES, ids=lambda e: e.id)
def test_template_renders_every_sample(entry, compiled) -> None:  # type: ignore[no-untyped-def]
    template = compiled[entry.id]
    for sample, record in _records():
        data = template.render(record)
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            assert package.testzip() is None
            for name in package.namelist():
                if name.endswith((".xml", ".rels")):
                    part = package.read(name)
                    etree.fromstring(part, STRICT)  # raises on any XML fault: no recovery
                    assert b"{{" not in part and b"{%" not in part, (sample, name)
        opened = docx.Document(io.BytesIO(data))
        assert opened.paragraphs or opened.tables
        text = document_text(data)
        for value in key_values(record):
            assert value in text, (entry.id, sample, value)


def test_conditional_section_only_for_looked_after_children(compiled) -> None:  # type: ignore[no-untyped-def]
    heading = "Looked-after child: care order and media consent"
    seen = {True: 0, False: 0}
    for _sample, record in _records():
        text = document_text(compiled["missing-profile"].render(record))
        looked_after = record.child.legal_status == "looked_after"
        assert (heading in text) is looked_after
        seen[looked_after] += 1
    assert seen[True] and seen[False]


def test_repeating_rows_follow_the_data(compiled) -> None:  # type: ignore[no-untyped-def]
    for _sample, record in _records():
        data = compiled["missing-profile"].render(record)
        text = document_text(data)
        for risk_person in record.people.family:
            assert risk_person.name in text
        for past in record.history:
            assert (
                past.started_at.astimezone().strftime("%d/%m/%Y") in text
                or past.key_information in text
            )
        if not record.people.locations_of_concern:
            assert "None recorded." in text


def test_nyas_referral_says_return_interview_and_the_free_phone(compiled) -> None:  # type: ignore[no-untyped-def]
    record = next(r for _s, r in _records() if r.episode.ended_at is not None)
    text = document_text(compiled["nyas-referral"].render(record))
    assert "Reason for referral: RETURN INTERVIEW" in text
    assert "0808 808 1001" in text
    assert "72 hours" in text


def test_review_meeting_carries_previous_actions_forward(compiled) -> None:  # type: ignore[no-untyped-def]
    with_meetings = [r for _s, r in _records() if r.meetings and r.meetings[-1].actions]
    assert with_meetings, "a sample with a recorded meeting and actions is needed"
    record = with_meetings[0]
    text = document_text(compiled["review-meeting"].render(record))
    assert "Actions carried forward from the previous meeting" in text
    for action in record.meetings[-1].actions:
        assert action.action in text
    assert "no later than" in text


@pytest.mark.libreoffice
def test_libreoffice_converts_every_rendered_document(
    compiled,  # type: ignore[no-untyped-def]
    soffice: str,
    pdftotext: str,
    tmp_path: Path,
) -> None:
    from formkit.render.convert import convert_to_pdf

    expected: dict[str, list[str]] = {}
    words = tmp_path / "docx"
    words.mkdir()
    for entry in WORD_ENTRIES:
        for _sample, record in _records():
            name = f"{record.reference}-{entry.id}.docx"
            (words / name).write_bytes(compiled[entry.id].render(record))
            expected[name] = key_values(record)
    result = convert_to_pdf(sorted(words.iterdir()), tmp_path / "pdf")
    assert result.problems == []
    assert len(result.written) == len(expected)
    for name, values in expected.items():
        pdf = tmp_path / "pdf" / name.replace(".docx", ".pdf")
        text = subprocess.run(
            [pdftotext, str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        flat = " ".join(text.split())
        for value in values:
            assert " ".join(value.split()) in flat, (name, value)

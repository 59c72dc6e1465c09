"""Documents a professional would send without touching them: every Word template × every
sample, sparse episodes (only the required fields) and generated episodes, scanned the way a
reader would see them.

Facts documents have no empty value cell; no document has stray joins, "(s)", raw choice codes
or ISO timestamps; every document is A4 with OFFICIAL-SENSITIVE in bold at top and bottom and
"Page X of Y" in the footer. With LibreOffice, one document of each type is converted (one
soffice call for the batch) and its PDF checked for A4 and its key values.
"""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

import pytest
from conftest import SAMPLES
from lxml import etree
from support.episodes import episode

from formkit import model
from formkit.load import load_episodes
from formkit.model import LONDON, EpisodeRecord
from formkit.render.blanks import LONG_ROW
from formkit.render.catalog import Catalog
from formkit.render.context import build_context
from formkit.render.docx import WordTemplate
from formkit.synthetic import generate_episodes
from formkit.words import long_date, table_datetime

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=LONDON)
CATALOG = Catalog.load()
WORD = [e for e in CATALOG if e.format == "docx"]
SAMPLE_FILES = sorted(p for p in (SAMPLES / "episodes").iterdir() if p.suffix in {".json", ".yaml"})

CODES = {
    member.value
    for name in dir(model)
    if isinstance(getattr(model, name), type) and issubclass(getattr(model, name), StrEnum)
    for member in getattr(model, name)
    if "_" in member.value
}
STRAY = [
    (re.compile(r",\s*,"), "two commas"),
    (re.compile(r"(^|\s)[,;·:]\s*$"), "a separator with nothing after it"),
    (re.compile(r"^\s*[,;·]"), "a separator with nothing before it"),
    (re.compile(r"·\s*·"), "two separators"),
    (re.compile(r"\((s|es)\)"), '"(s)"'),
    (re.compile(r"\(\s*\)"), "empty brackets"),
    (re.compile(r"\b(at|on|by|to|from|with|and)\s*[.,;:]?$"), "a dangling word"),
    (re.compile(r"\bon to\b"), '"on to"'),
    (re.compile(r"\b1 (episodes|notifications|children|days|hours)\b"), "a wrong plural"),
    (re.compile(r"\d{4}-\d{2}-\d{2}"), "an ISO date"),
    (re.compile(r"\b(at|on|by|to|from|with|and|of|in)\s+[.,;:]"), "a dangling word"),
    (re.compile(r"(?<!\.)[.!?][\"'”’)]*\.(?!\.)"), "a doubled full stop"),
    (re.compile(r"[a-z0-9]\.[A-Z][a-z]{2,}"), "no space after a full stop"),
]


def sparse(record: EpisodeRecord, *, returned: bool) -> EpisodeRecord:
    """The same child and episode with only the fields the model requires."""
    child, seen = record.child, record.episode.last_seen_at
    return episode(
        record.local_authority,
        ref=record.reference + ("-R" if returned else "-S"),
        child_id=child.id,
        first_name=child.first_name,
        last_name=child.last_name,
        dob=child.date_of_birth.isoformat(),
        legal=child.legal_status,
        responsible=child.responsible_authority,
        last_seen=seen.isoformat(),
        status=None,
        ended=(record.episode.ended_at or seen).isoformat() if returned else None,
        episode__missing_from=record.episode.missing_from,
    )


def _full_stops(value: Any) -> Any:
    """Every free-text answer (words with a space) ending in a full stop, as people type them."""
    if isinstance(value, dict):
        return {k: v if k == "photo" else _full_stops(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_full_stops(v) for v in value]
    if isinstance(value, str) and " " in value and not re.match(r"^\d|.*@", value):
        return value.rstrip(".") + "."
    return value


def punctuated(record: EpisodeRecord) -> EpisodeRecord | None:
    """The same record with its answers typed as sentences (None if the model refuses it)."""
    data = _full_stops(record.model_dump(mode="json"))
    data["episode"]["reference"] = record.reference + "-P"
    try:
        return EpisodeRecord.model_validate(data)
    except ValueError:
        return None


def all_records() -> list[EpisodeRecord]:
    samples = [r for f in SAMPLE_FILES for r in load_episodes(f)]
    lean = [sparse(r, returned=flag) for r in samples[:4] for flag in (False, True)]
    typed = [p for p in map(punctuated, samples) if p is not None]
    assert len(typed) >= len(samples) // 2
    return samples + lean + typed + generate_episodes(6, seed=12)


RECORDS = all_records()


@pytest.fixture(scope="module")
def templates() -> dict[str, WordTemplate]:
    return {e.id: WordTemplate(e.path, name=e.id) for e in WORD}


def _root(package: zipfile.ZipFile, name: str) -> etree._Element:
    return etree.fromstring(package.read(name))


def _text(element: etree._Element) -> str:
    return "".join(t.text or "" for t in element.iter(f"{W}t"))


def scan(data: bytes, *, facts: bool) -> list[str]:
    """Every fault a reader would see in one document, in words."""
    faults: list[str] = []
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = package.namelist()
        body = _root(package, "word/document.xml")
        size = body.find(f".//{W}sectPr/{W}pgSz")
        if size is None or (size.get(f"{W}w"), size.get(f"{W}h")) != ("11906", "16838"):
            faults.append("the page is not A4")
        for kind in ("header", "footer"):
            parts = [n for n in names if re.fullmatch(rf"word/{kind}\d*\.xml", n)]
            roots = [_root(package, n) for n in parts]
            bold_marking = any(
                "OFFICIAL-SENSITIVE" in _text(run) and run.find(f"{W}rPr/{W}b") is not None
                for root in roots
                for run in root.iter(f"{W}r")
            )
            if not bold_marking:
                faults.append(f"no bold OFFICIAL-SENSITIVE in the {kind}")
            if kind == "footer":
                fields = " ".join(i.text or "" for r in roots for i in r.iter(f"{W}instrText"))
                if "PAGE" not in fields.split() or "NUMPAGES" not in fields.split():
                    faults.append("no 'Page X of Y' in the footer")
        for name in names:
            if not re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", name):
                continue
            root = _root(package, name)
            for paragraph in root.iter(f"{W}p"):
                line = _text(paragraph).strip()
                if not line:
                    continue
                runs = [r for r in paragraph.iter(f"{W}r") if _text(r).strip()]
                label = bool(runs) and all(r.find(f"{W}rPr/{W}b") is not None for r in runs)
                for pattern, what in STRAY:
                    if label and what == "a dangling word":
                        continue  # a bold label ("Found by") is followed by its value
                    if pattern.search(line):
                        faults.append(f"{what}: {line!r}")
                for word in re.findall(r"\b[a-z]+(?:_[a-z]+)+\b", line):
                    if word in CODES:
                        faults.append(f"a raw code {word!r}: {line!r}")
            split = [  # a row with a long answer may run over a page (LONG_ROW), no other
                r
                for r in root.iter(f"{W}tr")
                if r.find(f"{W}trPr/{W}cantSplit") is None and len(_text(r)) < LONG_ROW
            ]
            if split:
                faults.append(f"a table row that may split across pages: {_text(split[0])!r}")
            if facts and name == "word/document.xml":
                for cell in root.iter(f"{W}tc"):
                    holds = any(node.tag in {f"{W}drawing", f"{W}sdt"} for node in cell.iter())
                    if not _text(cell).strip() and not holds:
                        row = cell.getparent()
                        faults.append(f"an empty cell in the row {_text(row)!r}")
    return faults


@pytest.mark.parametrize("entry", WORD, ids=lambda e: e.id)
def test_every_document_reads_as_sent(entry, templates) -> None:  # type: ignore[no-untyped-def]
    template = templates[entry.id]
    found: dict[str, list[str]] = {}
    for record in RECORDS:
        data = template.render(record, now=NOW)
        faults = scan(data, facts=template.facts)
        if faults:
            found[record.reference] = sorted(set(faults))
    assert found == {}


def test_facts_documents_and_forms_are_told_apart(templates) -> None:  # type: ignore[no-untyped-def]
    facts = {name for name, t in templates.items() if t.facts}
    assert facts == {
        "missing-profile",
        "serious-incident-notification",
        "nyas-referral",
        "director-letter",
        "ola-notification",
    }


def test_the_scan_finds_what_it_looks_for() -> None:
    """A document with the faults the issue saw is caught, so a pass means something."""
    import docx

    document = docx.Document()
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Name and job title"
    for text in (
        "Home ·",
        "1 episode(s)",
        "last seen at",
        "looked_after",
        "2026-11-03T10:00",
        'it "wasn\'t a big deal". The',
        'it "wasn\'t a big deal".. The',
        "ended at 23:05.The reason",
        "is looked after by . Any media",
    ):
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    faults = " | ".join(scan(buffer.getvalue(), facts=True))
    for expected in (
        "not A4",
        "OFFICIAL-SENSITIVE in the header",
        "Page X of Y",
        "separator with nothing after it",
        '"(s)"',
        "dangling word",
        "raw code 'looked_after'",
        "ISO date",
        "empty cell",
        "a doubled full stop: 'it \"wasn\\'t a big deal\"..",
        "no space after a full stop: 'ended at 23:05.The",
        "a dangling word: 'is looked after by .",
        "a table row that may split across pages",
    ):
        assert expected in faults
    assert "a big deal\". The'" not in faults  # one full stop after a quote is right


def test_status_and_plan_are_as_at_the_document(templates) -> None:  # type: ignore[no-untyped-def]
    record = next(r for r in RECORDS if r.reference == "BK-MIS-26-0907")
    strategy = next(m for m in record.meetings if m.kind == "strategy")
    assert strategy.plan_when_found and record.episode.ended_at is not None
    context = build_context(record, now=NOW)
    assert context["plan_when_found"] == next(
        m.plan_when_found for m in reversed(record.meetings) if m.plan_when_found
    )
    text = _document_text(templates["strategy-meeting"].render(record, now=NOW))
    if strategy.held_at and strategy.held_at < record.episode.ended_at:
        assert "Still missing" in text
    profile = _document_text(templates["missing-profile"].render(record, now=NOW))
    assert context["plan_when_found"] in profile


def test_the_sin_gives_its_own_sender_and_date(templates) -> None:  # type: ignore[no-untyped-def]
    with_sin = [r for r in RECORDS if any(n.kind == "sin" and n.sent_at for n in r.notifications)]
    assert with_sin, "a sample with a sent SIN is needed"
    for record in with_sin:
        sin = next(n for n in record.notifications if n.kind == "sin")
        text = _document_text(templates["serious-incident-notification"].render(record, now=NOW))
        assert long_date(sin.sent_at) in text  # type: ignore[arg-type]
        if sin.by:
            assert sin.by in text


def _document_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        root = _root(package, "word/document.xml")
    return "\n".join(_text(p) for p in root.iter(f"{W}p"))


def _pdf_text(pdftotext: str, pdf: Path) -> str:
    run = subprocess.run([pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True)
    return " ".join(run.stdout.split())


@pytest.mark.libreoffice
def test_libreoffice_lays_out_every_document_type_on_a4(
    templates,  # type: ignore[no-untyped-def]
    soffice: str,
    pdftotext: str,
    tmp_path: Path,
) -> None:
    from formkit.render.convert import convert_to_pdf

    full = next(r for r in RECORDS if r.reference == "BX-2026-0412")
    lean = next(r for r in RECORDS if r.reference.endswith("-S"))
    words = tmp_path / "docx"
    words.mkdir()
    expected: dict[str, list[str]] = {}
    for entry in WORD:
        for record in (full, lean):
            name = f"{record.reference}-{entry.id}.docx"
            (words / name).write_bytes(templates[entry.id].render(record, now=NOW))
            expected[name] = [
                record.child.full_name,
                record.reference,
                long_date(record.episode.last_seen_at),
                "OFFICIAL-SENSITIVE",
                "Page 1 of",
            ]
    result = convert_to_pdf(sorted(words.iterdir()), tmp_path / "pdf")
    assert result.problems == []
    pdfinfo = Path(pdftotext).with_name("pdfinfo")
    for name, values in expected.items():
        pdf = tmp_path / "pdf" / name.replace(".docx", ".pdf")
        text = _pdf_text(pdftotext, pdf)
        for value in values:
            assert " ".join(value.split()) in text, (name, value)
        info = subprocess.run([str(pdfinfo), str(pdf)], capture_output=True, text=True).stdout
        pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
        assert "(A4)" in info, (name, info)
        assert text.count("OFFICIAL-SENSITIVE") >= 2 * pages, name
        assert f"Page {pages} of {pages}" in text, name


def test_a_declined_interview_prints_the_decline(templates) -> None:  # type: ignore[no-untyped-def]
    declined = [r for r in RECORDS if r.return_interview.accepted is False]
    assert declined, "a sample with a declined interview is needed"
    for record in declined:
        text = _document_text(templates["rhi-form"].render(record, now=NOW))
        assert "The young person declined the return interview" in text
        assert "Part one: the young person's account" not in text
    accepted = next(r for r in RECORDS if r.return_interview.held_at is not None)
    text = _document_text(templates["rhi-form"].render(accepted, now=NOW))
    assert "Part one: the young person's account" in text


def test_the_risk_checklist_answers_from_recorded_risks(templates) -> None:  # type: ignore[no-untyped-def]
    record = next(r for r in RECORDS if any(risk.type == "cse" for risk in r.risks))
    lines = {c.item.value: c for c in build_context(record, now=NOW)["risk_checklist"]}
    assert len(lines) == 13
    assert lines["sexual_exploitation"].answer == "yes"


def test_prompts_are_taken_out_before_a_form_becomes_a_pdf(tmp_path: Path) -> None:
    from formkit.render.prompts import PROMPTS, staged_for_pdf, without_prompts

    source = SAMPLES / "completed-rhi" / "BX-2026-0398-rhi-completed.docx"
    before = source.read_bytes()
    assert any(prompt in _document_text(before) for prompt in PROMPTS)
    staged = staged_for_pdf(source, tmp_path / "staged")
    text = _document_text(staged.read_bytes())
    assert not any(prompt in text for prompt in PROMPTS)
    assert source.read_bytes() == before  # the completed form itself is never changed
    answers = _document_text(before)
    for line in answers.splitlines():
        if line and not any(prompt in line for prompt in PROMPTS):
            assert line in text  # every answer is still there
    blank = WordTemplate(CATALOG.get("rhi-form").path).render(RECORDS[0], now=NOW)
    assert "Click or tap here to enter text." in _document_text(blank)
    cleaned = without_prompts(blank)
    assert cleaned is not None
    assert "Click or tap here to enter text." not in _document_text(cleaned)


@pytest.mark.libreoffice
def test_a_completed_rhi_as_pdf_shows_answers_not_prompts(
    soffice: str, pdftotext: str, tmp_path: Path
) -> None:
    from formkit.render.convert import convert_to_pdf

    source = SAMPLES / "completed-rhi" / "BX-2026-0398-rhi-completed.docx"
    result = convert_to_pdf([source], tmp_path)
    assert result.problems == []
    text = _pdf_text(pdftotext, tmp_path / f"{source.stem}.pdf")
    assert "Click or tap" not in text and "Choose an item" not in text
    assert "BX-2026-0398" in text


def _rows_under(text: str, heading: str, next_heading: str) -> str:
    return text.split(heading, 1)[1].split(next_heading, 1)[0]


def test_the_letter_lists_this_episode_with_the_earlier_ones(templates) -> None:  # type: ignore[no-untyped-def]
    """The letter counts four notifications, so its table shows four episodes, this one last;
    a history that lists this episode again does not make a fifth."""
    record = next(r for r in RECORDS if r.reference == "BX-2026-0412")
    assert record.history and record.episode.ended_at is not None
    data = record.model_dump(mode="json")
    data["history"].append(
        {"started_at": data["episode"]["last_seen_at"], "where_located": "listed again"}
    )
    again = EpisodeRecord.model_validate(data)
    text = _document_text(templates["director-letter"].render(again, now=NOW))
    rows = _rows_under(text, "Episodes we know of", "Our concerns")
    starts = [table_datetime(p.started_at) for p in record.history]
    starts.append(table_datetime(record.episode.last_seen_at))
    assert [rows.index(s) for s in starts] == sorted(rows.index(s) for s in starts)
    assert rows.count(table_datetime(record.episode.last_seen_at)) == 1
    assert "listed again" not in rows and (record.episode.where_found or "") in rows

    missing = sparse(record, returned=False)
    text = _document_text(templates["director-letter"].render(missing, now=NOW))
    rows = _rows_under(text, "Episodes we know of", "Our concerns")
    assert table_datetime(missing.episode.last_seen_at) in rows and "Still missing" in rows


def test_a_letter_says_which_facts_outside_its_tables_it_lacks(templates) -> None:  # type: ignore[no-untyped-def]
    record = next(r for r in RECORDS if r.reference == "BX-2026-0412")
    assert record.people.signatory and record.people.signatory.name
    template = templates["director-letter"]
    data, gaps = template.render_with_gaps(record, build_context(record, now=NOW))
    assert gaps == [] and record.people.signatory.name in _document_text(data)
    unsigned = record.model_copy(
        update={"people": record.people.model_copy(update={"signatory": None})}
    )
    _, gaps = template.render_with_gaps(unsigned, build_context(unsigned, now=NOW))
    assert gaps == ["signatory's name"]
    # A child who is not looked after has no responsible authority: whose Director is it to?
    lean = next(r for r in RECORDS if not r.child.responsible_authority)
    _, gaps = template.render_with_gaps(lean, build_context(lean, now=NOW))
    assert gaps == ["home authority", "signatory's name"]


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("Declined: it wasn't a big deal", "Declined: it wasn't a big deal."),
        ('Declined: it "wasn\'t a big deal".', 'Declined: it "wasn\'t a big deal".'),
        ("Asked why?", "Asked why?"),
        ("Went to see (her brother)", "Went to see (her brother)."),
        ("", ""),
        (None, ""),
    ],
)
def test_sentence_ends_once(given: str | None, shown: str) -> None:
    from formkit.render.filters import sentence

    assert sentence(given) == shown

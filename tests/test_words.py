"""One source of words: choices, dates and yes/no read the same in documents, PDF forms, the
tracker and messages; words and codes both read back."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook
from support.episodes import tracker_episode, write_json
from test_tracker_helpers import table_rows

from formkit.cli import cli
from formkit.model import LONDON, EndReason, LegalStatus, RiskType
from formkit.pdf.layout import FieldSpec
from formkit.render.filters import joined, known, phrase, plural
from formkit.tracker import create_tracker, update_tracker
from formkit.tracker.export import read_rows
from formkit.words import code_for, label, long_date, table_datetime, yes_no

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=LONDON)


def test_choices_read_back_from_their_words_or_codes() -> None:
    assert label(LegalStatus.child_protection) == "Child protection plan"
    assert LegalStatus("Child protection plan") is LegalStatus.child_protection
    assert LegalStatus("child_protection") is LegalStatus.child_protection
    assert EndReason("returned by police or other agency") is EndReason.returned_by_police_or_agency
    assert code_for(RiskType, "Child criminal exploitation (CCE)") == "cce"
    assert code_for(RiskType, "nonsense") is None


def test_dates_and_yes_no_have_one_form() -> None:
    moment = datetime(2026, 11, 3, 14, 30, tzinfo=LONDON)
    assert long_date(moment) == "Tuesday 3 November 2026"
    assert table_datetime(moment) == "03/11/2026 14:30"
    # A UTC time prints as London wall-clock time (BST in summer).
    assert table_datetime(datetime(2026, 7, 1, 12, 0, tzinfo=LONDON).astimezone()) == (
        "01/07/2026 12:00"
    )
    assert table_datetime(date(2026, 11, 3)) == "03/11/2026"
    assert [yes_no(True), yes_no(False), yes_no(None)] == ["Yes", "No", "Not known"]


def test_blank_safe_filters_never_leave_stray_words() -> None:
    assert joined(["Home", None, "", "3 Mill Street"], ", ") == "Home, 3 Mill Street"
    assert joined([None, ""], " · ") == ""
    assert joined([LegalStatus.looked_after, date(2026, 1, 2)]) == "Looked after, 02/01/2026"
    assert [plural(1, "episode"), plural(2, "episode"), plural([1, 2, 3], "child", "children")] == [
        "1 episode",
        "2 episodes",
        "3 children",
    ]
    assert phrase(None, "at {}") == "" and phrase("the station", "at {}") == "at the station"
    assert known(None) == "Not known" and known("") == "Not known"


def test_pdf_forms_use_the_same_words_as_word_documents() -> None:
    spec = FieldSpec(
        path="child.legal_status", label="Legal status", kind="dropdown", choices="LegalStatus"
    )
    assert ("child_protection", "Child protection plan") in spec.options()


def test_a_validation_suggestion_names_the_words(tmp_path: Path) -> None:
    source = write_json(
        tmp_path / "e.json", [tracker_episode("TST-1", child__legal_status="lookd after")]
    )
    result = CliRunner().invoke(cli, ["validate", str(source)])
    assert "did you mean 'Looked after' (looked_after)?" in result.output


def test_the_tracker_shows_words_and_reads_back_words_or_codes(tmp_path: Path) -> None:
    tracker = create_tracker(tmp_path / "tracker.xlsx")
    data = tracker_episode("TST-1", episode__end_reason="returned_by_police_or_agency")
    data["risks"] = [{"type": "cse"}, {"type": "cce"}]
    update_tracker(tracker, [write_json(tmp_path / "e.json", [data])], now=NOW)
    (row,) = table_rows(tracker)
    assert row["Legal status"] == "Looked after"
    assert row["End reason"] == "Returned by police or other agency"
    assert row["Contextual risks"] == (
        "Child sexual exploitation (CSE); Child criminal exploitation (CCE)"
    )
    # Python (exports, reports) sees the codes.
    (stored,) = read_rows(tracker)
    assert stored["legal_status"] == "looked_after"
    assert stored["end_reason"] == "returned_by_police_or_agency"
    assert stored["risks"] == "cse; cce"
    # An older tracker holding codes reads the same, and a re-run changes nothing.
    book = load_workbook(tracker)
    sheet = book["Episodes"]
    headers = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=headers.index("Legal status") + 1, value="looked_after")
    book.save(tracker)
    (stored,) = read_rows(tracker)
    assert stored["legal_status"] == "looked_after"
    again = update_tracker(tracker, [write_json(tmp_path / "e.json", [data])], now=NOW)
    assert again.updated == 0


def test_pack_says_which_facts_were_not_known(tmp_path: Path) -> None:
    source = write_json(tmp_path / "e.json", [tracker_episode("TST-7")])
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["render", "missing-profile", str(source), "-o", str(out), "--json", "--quiet"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    (gaps,) = report["missing"]
    assert gaps["template"] == "missing-profile" and gaps["reference"] == "TST-7"
    assert gaps["document"] == str(out / "TST-7-missing-profile.docx")
    assert {"photo", "school", "police reference", "ethnicity"} <= set(gaps["not_known"])
    assert "reference" not in gaps["not_known"]  # the record holds it
    plain = CliRunner().invoke(
        cli, ["render", "missing-profile", str(source), "-o", str(out), "--force", "--quiet"]
    )
    assert plain.exit_code == 0
    lines = [line for line in plain.stderr.splitlines() if line.startswith("missing:")]
    assert lines == [
        "missing: missing profile TST-7: not known: photo, police reference, police risk level, "
        "reported missing, reason for going missing, circumstances and "
        f"{len(gaps['not_known']) - 6} more"
    ]


def test_ordinals_are_words_people_read() -> None:
    from formkit.words import ordinal

    shown = [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111, 112)]
    assert shown == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "101st",
        "111th", "112th",
    ]  # fmt: skip

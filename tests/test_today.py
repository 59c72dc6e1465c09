"""formkit today / plan TRACKER: the day's list from the tracker's rows, and done columns."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from support.episodes import SAMPLE_EPISODES
from support.trackers import samples_tracker

from formkit.cli import cli
from formkit.model import LONDON
from formkit.tracker import create_tracker, update_tracker
from formkit.tracker.today import TodayItem, TodayList, record_from_row, tracker_rows

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=LONDON)
AS_OF = "--now=2026-11-30T09:00"


@pytest.fixture
def tracker(tmp_path: Path) -> Path:
    return samples_tracker(tmp_path / "tracker.xlsx", now=NOW)


def _set(tracker: Path, reference: str, header: str, value: object) -> None:
    """Type a value into the tracker as a person would in Excel (here with openpyxl)."""
    book = load_workbook(tracker)
    sheet = book["Episodes"]
    headers = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == reference:
            row[headers.index(header)].value = value
            break
    else:
        raise AssertionError(f"{reference} not in the tracker")
    book.save(tracker)


def test_today_lists_the_overdue_and_marking_the_profile_sent_removes_it(tracker: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["today", str(tracker), AS_OF])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "As of Mon 30/11/2026 09:00: 28 overdue obligations, 1 due in the next 48 hours."
    )
    assert lines[2] == "Overdue (28)"
    child = lines.index("  Child ST-000455")
    assert lines[child + 1 : child + 3] == [
        "    since Mon 16/11/2026 17:00  ST-26-0455: Missing profile for the police",
        "                                [missing-profile]",
    ]
    assert "Due in the next 48 hours (1)" in lines
    assert all(len(line) <= 80 for line in lines)

    _set(tracker, "ST-26-0455", "Missing profile sent", datetime(2026, 11, 16, 15, 30))
    after = runner.invoke(cli, ["today", str(tracker), AS_OF])
    assert after.exit_code == 0, after.output
    assert after.stdout.splitlines()[0] == (
        "As of Mon 30/11/2026 09:00: 27 overdue obligations, 1 due in the next 48 hours."
    )
    assert "ST-26-0455" not in after.stdout
    assert "Child ST-000455" not in after.stdout


def test_a_date_typed_into_the_tracker_survives_the_next_update(tracker: Path) -> None:
    _set(tracker, "ST-26-0455", "Missing profile sent", datetime(2026, 11, 16, 15, 30))
    update_tracker(tracker, sorted(SAMPLE_EPISODES.iterdir()), now=NOW)
    rows = dict(tracker_rows(tracker))
    row = next(r for label, r in rows.items() if "ST-26-0455" in label)
    assert row["missing_profile_sent"] == datetime(2026, 11, 16, 15, 30)


def test_meetings_and_other_notifications_typed_as_words_mark_them_done(tracker: Path) -> None:
    before = CliRunner().invoke(cli, ["today", str(tracker), AS_OF, "--json"])
    items = {i["key"] for i in json.loads(before.stdout)["items"]}
    assert {"BX-2026-0398 strategy-meeting", "BK-MIS-26-0907 multi-agency-meeting"} <= items
    _set(tracker, "BX-2026-0398", "Strategy meeting held", datetime(2026, 11, 23, 11, 0))
    _set(tracker, "BK-MIS-26-0907", "Multi-agency meeting held", "04/11/2026 10:00")
    after = CliRunner().invoke(cli, ["today", str(tracker), AS_OF, "--json"])
    data = json.loads(after.stdout)
    keys = {i["key"] for i in data["items"]}
    assert "BX-2026-0398 strategy-meeting" not in keys
    assert "BK-MIS-26-0907 multi-agency-meeting" not in keys
    assert data["overdue"] == 26


def test_other_meetings_and_notifications_column_takes_words_and_dates() -> None:
    row = {
        "reference": "RUT-1",
        "child_id": "C-1",
        "date_of_birth": datetime(2012, 1, 1),
        "legal_status": "Child protection plan",
        "protocol": "rutland",
        "missing_from": "Home",
        "last_seen": datetime(2026, 11, 20, 10, 0),
        "other_actions_done": "Head of service 20/11/2026 12:00; Urgent case review 21/11/2026 09:30",
        "review_meetings_held": "22/11/2026 10:00; 29/11/2026 10:00",
    }
    record = record_from_row(row)
    assert record.child.legal_status.value == "child_protection"
    assert [(m.kind.value, m.held_at.hour) for m in record.meetings] == [
        ("review", 10),
        ("review", 10),
        ("urgent_case_review", 9),
    ]
    assert [n.kind.value for n in record.notifications] == ["head_of_service"]


def test_a_row_that_cannot_be_planned_is_named_with_its_column(tracker: Path) -> None:
    _set(tracker, "ST-26-0455", "Protocol", None)
    _set(tracker, "BX-2026-0412", "Other meetings and notifications", "Tea party 03/11/2026")
    result = CliRunner().invoke(cli, ["today", str(tracker), AS_OF])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == [
        f"error: {tracker}: row 5 (BX-2026-0412): 'Tea party' in 'Other meetings and "
        "notifications' is not a kind of meeting or notification formkit knows (such as Head "
        "of service, Urgent case review, Lead member)",
        f"error: {tracker}: row 13 (ST-26-0455): cannot be planned: 'Protocol' is blank",
    ]
    assert result.stderr.splitlines()[-1] == "Error: 2 rows could not be planned."


def test_plan_given_a_tracker_plans_from_its_rows(tracker: Path) -> None:
    result = CliRunner().invoke(cli, ["plan", str(tracker), AS_OF, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["rows"], data["overdue"], data["due"]) == (13, 28, 1)
    assert data["items"][0]["status"] == "overdue"
    statuses = [item["status"] for item in data["items"]]
    assert statuses == sorted(statuses, key=lambda s: s != "overdue")


def test_long_titles_and_references_wrap_between_words_within_80_columns() -> None:
    now = NOW
    items = [
        TodayItem(
            child="C-1",
            reference="R" * 60,
            obligation="x",
            title="An obligation with a very long title " * 4,
            status="overdue",
            due_at=now - timedelta(days=1),
            document="missing-profile",
            note="made, not recorded as sent",
        ),
        TodayItem("C-2", "BX-1", "y", "Notify " * 30, "due", now + timedelta(hours=3)),
    ]
    text = TodayList(now=now, items=items).as_text()
    lines = text.splitlines()
    assert all(len(line) <= 80 for line in lines)
    words = " ".join(line.strip() for line in lines).split()
    assert "R" * 60 + ":" in words  # never cut
    assert words.count("Notify") == 30
    assert "(made, not recorded as sent)" in " ".join(line.strip() for line in lines)


def _today_table(tracker: Path) -> list[tuple[object, ...]]:
    book = load_workbook(tracker)
    sheet = book["Today"]
    table = sheet.tables["TodayList"]
    cells = sheet[table.ref]
    return [tuple(cell.value for cell in row) for row in cells]


def test_update_rewrites_the_today_table_for_power_automate(tracker: Path) -> None:
    rows = _today_table(tracker)
    assert rows[0] == (
        "Key",
        "Child ID",
        "Episode reference",
        "Status",
        "Due",
        "Obligation",
        "Document",
        "Note",
        "As of",
    )
    body = rows[1:]
    assert len(body) == 29
    keys = [row[0] for row in body]
    assert len(set(keys)) == len(keys)
    assert (
        "ST-26-0455 missing-profile",
        "ST-000455",
        "ST-26-0455",
        "overdue",
        datetime(2026, 11, 16, 17, 0),
        "Missing profile for the police",
        "missing-profile",
        None,
        datetime(2026, 11, 30, 9, 0),
    ) in body
    assert [row[3] for row in body] == ["overdue"] * 28 + ["due"]


def test_today_update_sheet_rewrites_it_after_a_person_marks_something_done(
    tracker: Path,
) -> None:
    _set(tracker, "ST-26-0455", "Missing profile sent", datetime(2026, 11, 16, 15, 30))
    result = CliRunner().invoke(cli, ["today", str(tracker), AS_OF, "--update-sheet"])
    assert result.exit_code == 0, result.output
    keys = [row[0] for row in _today_table(tracker)[1:]]
    assert len(keys) == 28
    assert "ST-26-0455 missing-profile" not in keys
    # Everything else the person did is kept.
    assert load_workbook(tracker)["Episodes"].tables["MissingEpisodes"].ref.endswith("14")


def test_a_day_with_nothing_owed_leaves_one_blank_row_in_the_table(tmp_path: Path) -> None:
    tracker = create_tracker(tmp_path / "empty.xlsx")
    later = CliRunner().invoke(cli, ["today", str(tracker), AS_OF, "--update-sheet"])
    assert later.exit_code == 0, later.output
    assert later.stdout.splitlines() == [
        "As of Mon 30/11/2026 09:00: 0 overdue obligations, 0 due in the next 48 hours.",
        "",
        "Nothing is overdue or due soon.",
    ]
    rows = _today_table(tracker)
    assert len(rows) == 2 and rows[1] == (None,) * 9

"""No one's correction is undone: the tracker remembers what formkit wrote, keeps a person's
change against any import (reporting a conflict), and the newer form wins by its own dates."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from support.episodes import tracker_episode, write_json, write_jsonl
from test_tracker_helpers import table_rows

from formkit.cli import cli
from formkit.model import LONDON
from formkit.tracker import create_tracker, update_tracker
from formkit.tracker.columns import by_key
from formkit.tracker.save import save_atomic
from formkit.tracker.written import SHEET
from formkit.tracker.xlsx import load_table, write_package

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=LONDON)


def _form(name: str, interviewer: str, held: str, **extra: Any) -> dict[str, Any]:
    interview = {"interviewer": interviewer, "held_at": held, **extra}
    data = {"episode": {"reference": "TST-1"}, "return_interview": interview}
    return {"file": name, "data": data, "report": {"warnings": []}}


def _tracker(tmp_path: Path) -> Path:
    tracker = create_tracker(tmp_path / "tracker.xlsx")
    update_tracker(
        tracker, [write_json(tmp_path / "episodes.json", [tracker_episode("TST-1")])], now=NOW
    )
    return tracker


def _row(tracker: Path) -> dict[str, Any]:
    (row,) = table_rows(tracker)
    return row


def _edit_in_excel(tracker: Path, header: str, value: Any) -> None:
    """A person's edit, saved the way a spreadsheet program does (openpyxl rewrites it all)."""
    book = load_workbook(tracker)
    sheet = book["Episodes"]
    headers = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=headers.index(header) + 1, value=value)
    book.save(tracker)


def test_init_makes_the_hidden_memory_sheet(tmp_path: Path) -> None:
    book = load_workbook(create_tracker(tmp_path / "t.xlsx"))
    assert book[SHEET].sheet_state == "veryHidden"
    assert "Needs review" in [c.value for c in book["Episodes"][1]]


def test_a_corrected_cell_survives_the_reimport_of_an_older_form(tmp_path: Path) -> None:
    tracker = _tracker(tmp_path)
    form = write_jsonl(tmp_path / "a.jsonl", [_form("rhi-a.docx", "Leo Marsh", "2026-10-07T10:00")])
    update_tracker(tracker, [form], now=NOW)
    assert _row(tracker)["RHI by"] == "Leo Marsh"
    _edit_in_excel(tracker, "RHI by", "Leonie Marsh")

    dry = CliRunner().invoke(cli, ["tracker", "update", str(tracker), str(form), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    conflict = (
        "conflict: TST-1 RHI by: kept 'Leonie Marsh' (changed in the tracker since formkit wrote "
        "it); rhi-a.docx says 'Leo Marsh'"
    )
    assert conflict in dry.output
    run = CliRunner().invoke(cli, ["tracker", "update", str(tracker), str(form), "--json"])
    assert run.exit_code == 0, run.output
    report = json.loads(run.stdout)
    assert report["conflicts"] == [
        {
            "reference": "TST-1",
            "column": "RHI by",
            "kept": "Leonie Marsh",
            "offered": "Leo Marsh",
            "source": "rhi-a.docx",
            "reason": "changed in the tracker since formkit wrote it",
        }
    ]
    row = _row(tracker)
    assert row["RHI by"] == "Leonie Marsh"
    assert (
        "rhi-a.docx: RHI by kept (changed in the tracker since formkit wrote it)"
        in (row["Needs review"])
    )
    again = update_tracker(tracker, [form], now=NOW)  # the same sources: nothing changes
    assert (again.updated, again.inserted) == (0, 0)
    assert _row(tracker)["RHI by"] == "Leonie Marsh"


def test_a_corrected_name_survives_the_reimport_of_the_episode_file(tmp_path: Path) -> None:
    tracker = _tracker(tmp_path)
    _edit_in_excel(tracker, "Name", "Robyn Testcase")
    source = write_json(tmp_path / "episodes.json", [tracker_episode("TST-1")])
    result = update_tracker(tracker, [source], now=NOW)
    assert [(c.header, c.reason) for c in result.conflicts] == [
        ("Name", "changed in the tracker since formkit wrote it")
    ]
    assert "(changed)" in str(result.conflicts[0])  # a child's name is never printed
    assert _row(tracker)["Name"] == "Robyn Testcase"


@pytest.mark.parametrize("order", ["older last", "newer last"])
def test_the_newer_form_wins_by_its_own_date_not_import_order(tmp_path: Path, order: str) -> None:
    tracker = _tracker(tmp_path)
    older = _form("older.docx", "Ann Early", "2026-10-07T10:00", location="Home")
    newer = _form("newer.docx", "Bea Later", "2026-10-08T15:00")
    forms = [newer, older] if order == "older last" else [older, newer]
    for number, form in enumerate(forms):
        update_tracker(tracker, [write_jsonl(tmp_path / f"{number}.jsonl", [form])], now=NOW)
    row = _row(tracker)
    assert row["RHI by"] == "Bea Later"
    assert row["RHI held"] == datetime(2026, 10, 8, 15, 0)


def test_an_old_tracker_without_the_memory_sheet_still_updates(tmp_path: Path) -> None:
    tracker = _tracker(tmp_path)
    book = load_workbook(tracker)
    del book[SHEET]
    book.save(tracker)
    form = write_jsonl(tmp_path / "a.jsonl", [_form("rhi-a.docx", "Leo Marsh", "2026-10-07T10:00")])
    result = update_tracker(tracker, [form], now=NOW)
    assert result.updated == 1 and result.conflicts == []
    book = load_workbook(tracker)
    assert book[SHEET].sheet_state == "veryHidden"  # added on the first save
    _edit_in_excel(tracker, "RHI by", "Leonie Marsh")
    update_tracker(tracker, [form], now=NOW)
    assert _row(tracker)["RHI by"] == "Leonie Marsh"


def test_a_forms_warnings_are_shown_in_needs_review(tmp_path: Path) -> None:
    tracker = _tracker(tmp_path)
    form = _form("rhi-a.docx", "Leo Marsh", "2026-10-07T10:00")
    form["report"]["warnings"] = ["return_interview.accepted, return_interview.held_at: declined"]
    update_tracker(tracker, [write_jsonl(tmp_path / "a.jsonl", [form])], now=NOW)
    assert _row(tracker)["Needs review"] == (
        "rhi-a.docx: return_interview.accepted, return_interview.held_at: declined"
    )


def _edit_in_place(tracker: Path, key: str, value: str) -> None:
    """A person's edit that touches only the one cell (as Excel's autosave of one cell)."""
    table = load_table(tracker)
    table.write(table.header_row + 1, key, value, by_key()[key])
    save_atomic(tracker, lambda handle: write_package(table, tracker, handle), backup=False)


EDITABLE = ("rhi_by", "referrals", "where_found", "child_name")
NAMES = ("Ann", "Bea", "Cal", "Dee")
Step = tuple[str, int, int]


@pytest.mark.slow
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=st.lists(
        st.tuples(
            st.sampled_from(["edit", "form", "episode"]),
            st.integers(0, len(EDITABLE) - 1),
            st.integers(0, len(NAMES) - 1),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_no_sequence_of_edits_and_imports_overwrites_an_edit(
    tmp_path_factory: pytest.TempPathFactory, steps: list[Step]
) -> None:
    folder = tmp_path_factory.mktemp("seq")
    tracker = _tracker(folder)
    edited: dict[str, str] = {}
    spec = by_key()
    for number, (action, which, name) in enumerate(steps):
        if action == "edit":
            key = EDITABLE[which]
            value = f"{NAMES[name]} (by hand {number})"
            _edit_in_place(tracker, key, value)
            edited[key] = value
        elif action == "form":
            form = _form(f"f{number}.docx", NAMES[name], f"2026-10-{7 + name:02d}T10:00")
            form["data"]["return_interview"]["referrals"] = {"details": "x", "no_referral": True}
            update_tracker(tracker, [write_jsonl(folder / f"{number}.jsonl", [form])], now=NOW)
        else:
            where = f"Found by {NAMES[name]}"
            source = write_json(
                folder / f"{number}.json", [tracker_episode("TST-1", episode__where_found=where)]
            )
            update_tracker(tracker, [source], now=NOW)
        row = _row(tracker)
        for key, value in edited.items():
            assert row[spec[key].header] == value, (steps, key)

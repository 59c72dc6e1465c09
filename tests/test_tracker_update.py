"""tracker init and update: the table, upserts, idempotence, RHI merges, user changes kept."""

from __future__ import annotations

import re
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import PatternFill
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from support.episodes import tracker_episode, write_json, write_jsonl
from test_tracker_helpers import sheet_xml, table_rows

from formkit.cli import cli
from formkit.errors import TrackerError
from formkit.model import LONDON
from formkit.tracker import columns, create_tracker, update_tracker
from formkit.tracker.export import read_rows

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=LONDON)


@pytest.fixture
def tracker(tmp_path: Path) -> Path:
    return create_tracker(tmp_path / "tracker.xlsx")


def test_init_makes_a_typed_table_with_validation_formatting_and_readme(tracker: Path) -> None:
    book = load_workbook(tracker)
    sheet = book["Episodes"]
    table = sheet.tables["MissingEpisodes"]
    headers = [c.value for c in sheet[1]]
    assert headers == [c.header for c in columns()]
    assert table.ref == f"A1:{sheet.cell(row=1, column=len(headers)).column_letter}2"
    assert sheet.freeze_panes == "B2"
    lists = {dv.formula1 for dv in sheet.data_validations.dataValidation}
    assert '"Y,N"' in lists
    assert any("Looked after" in formula for formula in lists)  # words, not codes
    assert not any("looked_after" in formula for formula in lists)
    rules = [rule for cf in sheet.conditional_formatting for rule in cf.rules]
    assert any("NOW()" in rule.formula[0] for rule in rules)
    readme = book["README"]
    texts = {cell.value for row in readme.iter_rows() for cell in row}
    assert "RHI within 72 h" in texts and "Episode reference" in texts


def test_init_refuses_to_overwrite(tracker: Path) -> None:
    result = CliRunner().invoke(cli, ["tracker", "init", str(tracker)])
    assert result.exit_code == 1
    assert f"Error: {tracker}: already exists; use --force to replace it" in result.output


def test_samples_land_once_and_a_second_run_changes_nothing(
    tracker: Path, sample_episode_files: list[Path]
) -> None:
    first = update_tracker(tracker, sample_episode_files, now=NOW)
    assert first.problems == []
    assert first.inserted == len(sample_episode_files) >= 12
    before = tracker.read_bytes()
    second = update_tracker(tracker, sample_episode_files, now=NOW)
    assert (second.inserted, second.updated, second.unchanged) == (0, 0, first.inserted)
    assert tracker.read_bytes() == before  # nothing changed, so nothing was saved
    rows = table_rows(tracker)
    references = [r["Episode reference"] for r in rows]
    assert len(references) == len(set(references)) == first.inserted
    table = load_workbook(tracker)["Episodes"].tables["MissingEpisodes"]
    assert table.ref.endswith(str(first.inserted + 1))


def test_values_are_typed_and_computed(tracker: Path, tmp_path: Path) -> None:
    source = write_json(tmp_path / "e.json", [tracker_episode("TST-1")])
    update_tracker(tracker, [source], now=NOW)
    (row,) = table_rows(tracker)
    assert row["Last seen"] == datetime(2026, 10, 5, 18, 0)
    assert row["Returned"] == datetime(2026, 10, 6, 9, 30)
    assert row["Duration (hours)"] == 15.5
    assert row["24 h or more"] == "N"
    assert row["RHI due"] == datetime(2026, 10, 9, 9, 30)
    assert row["Open or closed"] == "Closed"
    assert row["In area"] == "N"
    assert row["Source file"] == "e.json"


def test_duration_across_the_clock_change_is_real_hours(tracker: Path, tmp_path: Path) -> None:
    # Clocks went back at 02:00 on 25 October 2026: 00:00 to 12:00 that day is 13 real hours.
    data = tracker_episode(
        "TST-DST", episode__last_seen_at="2026-10-25T00:00", episode__ended_at="2026-10-25T12:00"
    )
    update_tracker(tracker, [write_json(tmp_path / "e.json", [data])], now=NOW)
    assert table_rows(tracker)[0]["Duration (hours)"] == 13.0


def test_an_update_changes_cells_in_place_and_dry_run_saves_nothing(
    tracker: Path, tmp_path: Path
) -> None:
    update_tracker(tracker, [write_json(tmp_path / "a.json", [tracker_episode("TST-1")])], now=NOW)
    changed = write_json(
        tmp_path / "b.json", [tracker_episode("TST-1", episode__where_found="Library")]
    )
    before = tracker.read_bytes()
    runner = CliRunner()
    result = runner.invoke(
        cli,
        ["tracker", "update", str(tracker), str(changed), "--dry-run", "--now", "2026-11-01T12:00"],
    )
    assert result.exit_code == 0, result.output
    assert "update TST-1 (from b.json)" in result.output
    assert "    Where found: Came back to the home -> Library" in result.output
    assert tracker.read_bytes() == before
    result = runner.invoke(cli, ["tracker", "update", str(tracker), str(changed), "-q"])
    assert result.exit_code == 0, result.output
    (row,) = table_rows(tracker)
    assert row["Where found"] == "Library"


def test_the_changes_are_told_in_the_words_the_cells_hold(tracker: Path, tmp_path: Path) -> None:
    """A changed choice is reported as the tracker shows it ("Returned by themselves"), not as
    its code (returned_by_self), in the CLI and the browser app alike (both print these)."""
    first = {"ended": "2026-11-01T10:00", "end_reason": "returned_by_self"}
    update_tracker(
        tracker, [write_json(tmp_path / "a.json", [tracker_episode("TST-1", **first)])], now=NOW
    )
    changed = {**first, "end_reason": "found_by_family_or_carers"}
    source = write_json(tmp_path / "b.json", [tracker_episode("TST-1", **changed)])
    runner = CliRunner()
    result = runner.invoke(cli, ["tracker", "update", str(tracker), str(source), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "End reason: Returned by themselves -> Found by family or carers" in result.output
    assert "returned_by_self" not in result.output
    assert runner.invoke(cli, ["tracker", "update", str(tracker), str(source), "-q"]).exit_code == 0
    (row,) = table_rows(tracker)
    assert row["End reason"] == "Found by family or carers"  # the words the report showed


def test_dry_run_does_not_show_personal_values(tracker: Path, tmp_path: Path) -> None:
    update_tracker(tracker, [write_json(tmp_path / "a.json", [tracker_episode("TST-1")])], now=NOW)
    renamed = write_json(
        tmp_path / "b.json", [tracker_episode("TST-1", child__first_name="Alexis")]
    )
    result = CliRunner().invoke(cli, ["tracker", "update", str(tracker), str(renamed), "--dry-run"])
    assert "    Name: (changed) -> (changed)" in result.output
    assert "Alexis" not in result.output and "Robin" not in result.output


def test_a_parsed_rhi_is_merged_into_its_row_and_kept_when_the_episode_is_reloaded(
    tracker: Path, tmp_path: Path
) -> None:
    episode_file = write_json(tmp_path / "e.json", [tracker_episode("TST-1")])
    update_tracker(tracker, [episode_file], now=NOW)
    parsed = write_jsonl(
        tmp_path / "parsed.jsonl",
        [
            {
                "file": "forms/rhi-TST-1.docx",
                "report": {},
                "data": {
                    "episode": {"reference": "TST-1"},
                    "return_interview": {
                        "held_at": "2026-10-07T16:00",
                        "interviewer": "A. Worker",
                        "push_pull_factors": ["to_see_friends_or_family", "social_network"],
                        "safeguarding_concerns": ["exploitation"],
                        "referrals": {"services": {"camhs": {"signposted": True}}},
                    },
                },
            },
            {
                "file": "rhi-X.docx",
                "report": {},
                "data": {
                    "episode": {"reference": "TST-9"},
                    "return_interview": {"interviewer": "B"},
                },
            },
        ],
    )
    result = update_tracker(tracker, [parsed], now=NOW)
    assert [p.message for p in result.problems] == [
        "episode TST-9 is not in the tracker, so its return interview was not added; add the "
        "episode file first"
    ]
    (row,) = table_rows(tracker)
    assert row["RHI held"] == datetime(2026, 10, 7, 16, 0)
    assert row["RHI by"] == "A. Worker"
    assert row["RHI within 72 h"] == "Y"
    assert row["Push/pull factors"] == "To see friends or family; Social network / online contact"
    assert row["Referrals"] == "CAMHS: signposted"  # words, not the code camhs
    assert row["Source file"] == "rhi-TST-1.docx"
    again = update_tracker(tracker, [episode_file, parsed], now=NOW)
    assert again.updated == 0 and again.inserted == 0
    assert table_rows(tracker)[0]["RHI by"] == "A. Worker"


def test_cli_reports_a_bad_record_and_exits_1_after_landing_the_good_ones(
    tracker: Path, tmp_path: Path
) -> None:
    bad = tracker_episode("TST-2")
    bad["episode"]["last_seen_at"] = "yesterday"
    source = write_json(tmp_path / "mixed.json", [tracker_episode("TST-1"), bad])
    result = CliRunner().invoke(cli, ["tracker", "update", str(tracker), str(source)])
    assert result.exit_code == 1
    assert "episode.last_seen_at" in result.output
    assert "Error: 1 record could not be used; see above" in result.output
    assert [r["Episode reference"] for r in table_rows(tracker)] == ["TST-1"]


def test_excel_owner_file_stops_the_update_and_leaves_the_bytes(
    tracker: Path, tmp_path: Path
) -> None:
    owner = tracker.with_name("~$" + tracker.name)
    owner.write_bytes(b"someone")
    before = tracker.read_bytes()
    source = write_json(tmp_path / "e.json", [tracker_episode("TST-1")])
    result = CliRunner().invoke(cli, ["tracker", "update", str(tracker), str(source), "-q"])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {tracker}: is open in Excel (the owner file ~$tracker.xlsx is beside it); "
        "close it in Excel, or remove that file if Excel is no longer running, then run "
        "formkit again. Nothing was changed\n"
    )
    assert tracker.read_bytes() == before


INJECTIONS = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+44 7700 900123", "-1", "@SUM(A1)",
              "\uff1d1", "\t=1", "=1+1"]  # fmt: skip


@pytest.mark.parametrize("value", INJECTIONS)
def test_formula_injection_stays_text(tracker: Path, tmp_path: Path, value: str) -> None:
    data = tracker_episode("TST-1", episode__where_found=value, episode__police_reference=value,
                   child__first_name=value)  # fmt: skip
    update_tracker(tracker, [write_json(tmp_path / "e.json", [data])], now=NOW)
    (row,) = table_rows(tracker)
    assert row["Where found"] == value.strip() or row["Where found"] == value
    assert row["Police reference"] == row["Where found"]
    xml = sheet_xml(tracker)
    assert "<f>" not in xml and "<f " not in xml
    book = load_workbook(tracker)
    sheet = book["Episodes"]
    column = [c.header for c in columns()].index("Where found") + 1
    cell = sheet.cell(row=2, column=column)
    assert cell.data_type == "s"
    assert cell.quotePrefix is True


def test_control_characters_are_stripped_with_a_warning(tracker: Path, tmp_path: Path) -> None:
    data = tracker_episode("TST-1", episode__where_found="Bus\x00 stop\x1b")
    result = update_tracker(tracker, [write_json(tmp_path / "e.json", [data])], now=NOW)
    assert table_rows(tracker)[0]["Where found"] == "Bus stop"
    assert [str(w) for w in result.warnings] == [
        f"{tracker}: row 2 (TST-1): Where found: control characters removed (Excel cannot store them)"
    ]


def _as_a_user_would(tracker: Path) -> None:
    book = load_workbook(tracker)
    sheet = book["Episodes"]
    notes_col = sheet.max_column + 2
    sheet.cell(row=1, column=notes_col, value="My notes")
    sheet.cell(row=2, column=notes_col, value="call the carer")
    sheet.column_dimensions["B"].width = 31
    validation = DataValidation(type="list", formula1='"Red,Amber,Green"', allow_blank=True)
    validation.add(f"{sheet.cell(row=2, column=notes_col + 1).column_letter}2:"
                   f"{sheet.cell(row=2, column=notes_col + 1).column_letter}500")  # fmt: skip
    sheet.add_data_validation(validation)
    sheet.conditional_formatting.add(
        "E2:E500",
        CellIsRule(operator="greaterThan", formula=["15"], fill=PatternFill("solid", "FFFF00")),
    )
    extra = book.create_sheet("Team notes")
    extra["A1"] = "Weekly meeting"
    book.defined_names["TeamList"] = DefinedName("TeamList", attr_text="'Team notes'!$A$1:$A$5")
    book.save(tracker)


def test_a_users_changes_survive_updates(tracker: Path, tmp_path: Path) -> None:
    update_tracker(tracker, [write_json(tmp_path / "a.json", [tracker_episode("TST-1")])], now=NOW)
    _as_a_user_would(tracker)
    more = write_json(
        tmp_path / "b.json",
        [
            tracker_episode("TST-1", episode__where_found="Park"),
            tracker_episode("TST-2"),
            tracker_episode("TST-3"),
        ],
    )
    result = update_tracker(tracker, [more], now=NOW)
    assert (result.inserted, result.updated) == (2, 1)
    book = load_workbook(tracker)
    sheet = book["Episodes"]
    assert book.sheetnames == ["Episodes", "Today", "README", "formkit_written", "Team notes"]
    assert book["Team notes"]["A1"].value == "Weekly meeting"
    assert "TeamList" in book.defined_names
    notes_col = len(columns()) + 2
    assert sheet.cell(row=1, column=notes_col).value == "My notes"
    assert sheet.cell(row=2, column=notes_col).value == "call the carer"
    assert sheet.column_dimensions["B"].width == 31
    assert any(dv.formula1 == '"Red,Amber,Green"' for dv in sheet.data_validations.dataValidation)
    assert any(str(cf.sqref) == "E2:E500" for cf in sheet.conditional_formatting)
    assert sheet.tables["MissingEpisodes"].ref.endswith("4")
    assert [r["Episode reference"] for r in table_rows(tracker)] == ["TST-1", "TST-2", "TST-3"]


def test_parts_openpyxl_cannot_model_are_copied_byte_for_byte(
    tracker: Path, tmp_path: Path
) -> None:
    # A drawing and an x14 extension, as Excel writes them: openpyxl would drop both.
    patched = tmp_path / "patched.xlsx"
    drawing = b'<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"/>'
    with zipfile.ZipFile(tracker) as source, zipfile.ZipFile(patched, "w") as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(
                    b"</worksheet>",
                    b'<extLst><ext uri="{78C0D931-6437-407d-A8EE-F0AAD7539E65}"><x14:conditionalFormattings xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"/></ext></extLst></worksheet>',
                )
            out.writestr(info, data)
        out.writestr("xl/drawings/drawing1.xml", drawing)
    update_tracker(patched, [write_json(tmp_path / "a.json", [tracker_episode("TST-1")])], now=NOW)
    with zipfile.ZipFile(patched) as package:
        assert package.read("xl/drawings/drawing1.xml") == drawing
        assert b"x14:conditionalFormattings" in package.read("xl/worksheets/sheet1.xml")
    assert [r["reference"] for r in read_rows(patched)] == ["TST-1"]


def test_a_missing_column_is_refused_unless_forced(tracker: Path, tmp_path: Path) -> None:
    book = load_workbook(tracker)
    sheet = book["Episodes"]
    sheet["E1"] = "Age (years)"  # a user renamed a column
    sheet.tables["MissingEpisodes"].tableColumns[4].name = "Age (years)"
    book.save(tracker)
    source = str(write_json(tmp_path / "a.json", [tracker_episode("TST-1")]))
    result = CliRunner().invoke(cli, ["tracker", "update", str(tracker), source])
    assert result.exit_code == 1
    assert "lacks the column Age, so its values could not be recorded; add it back" in result.output
    result = CliRunner().invoke(cli, ["tracker", "update", str(tracker), source, "--force"])
    assert result.exit_code == 0, result.output
    assert table_rows(tracker)[0]["Age (years)"] is None


def test_duplicate_keys_in_the_tracker_are_reported(tracker: Path, tmp_path: Path) -> None:
    update_tracker(
        tracker,
        [write_json(tmp_path / "a.json", [tracker_episode("TST-1"), tracker_episode("TST-2")])],
        now=NOW,
    )
    book = load_workbook(tracker)
    book["Episodes"]["A3"] = "TST-1"
    book.save(tracker)
    with pytest.raises(TrackerError, match=re.escape("'TST-1' is in rows 2 and 3")):
        update_tracker(
            tracker, [write_json(tmp_path / "b.json", [tracker_episode("TST-3")])], now=NOW
        )


def test_a_backup_of_the_old_tracker_is_kept(tracker: Path, tmp_path: Path) -> None:
    before = tracker.read_bytes()
    result = update_tracker(
        tracker, [write_json(tmp_path / "a.json", [tracker_episode("TST-1")])], now=NOW
    )
    assert result.backup is not None and result.backup.read_bytes() == before
    assert not list(tracker.parent.glob(".tracker.xlsx.*.tmp"))

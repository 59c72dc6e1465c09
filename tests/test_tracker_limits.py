"""Excel's limits and symbolic links: long text is cut visibly, characters Excel refuses are
removed, and a tracker reached through a link is updated where it really is."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from support.episodes import tracker_episode, write_json
from test_tracker_helpers import table_rows

from formkit.cli import cli
from formkit.fileio import write_atomic
from formkit.model import LONDON
from formkit.tracker import create_tracker, update_tracker
from formkit.tracker.columns import columns
from formkit.tracker.safety import EXCEL_CELL_LIMIT, cut_to_limit, fit_for_excel
from formkit.tracker.save import backup_folder, lock_path

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=LONDON)


def _column(header: str) -> int:
    return [c.header for c in columns()].index(header) + 1


def test_text_over_excels_limit_is_cut_with_a_visible_marker(tmp_path: Path) -> None:
    tracker = create_tracker(tmp_path / "tracker.xlsx")
    long_text = ("Seen near the station. " * 1740).strip()  # 40,019 characters
    source = write_json(
        tmp_path / "e.json", [tracker_episode("TST-1", episode__where_found=long_text)]
    )
    result = CliRunner().invoke(cli, ["tracker", "update", str(tracker), str(source)])
    assert result.exit_code == 0, result.output
    marker = "… (cut: 7,277 characters)"
    assert len(long_text) - (EXCEL_CELL_LIMIT - len(marker)) == 7_277
    assert (
        f"warning: {tracker}: row 2 (TST-1): Where found: the text was cut to Excel's limit of "
        f"32,767 characters (7,277 characters left out; the full text stays in the source file)"
    ) in result.output
    # Read back by openpyxl: the cell holds the start of the text and the marker, 32,767 long.
    cell = load_workbook(tracker)["Episodes"].cell(row=2, column=_column("Where found"))
    assert len(cell.value) == EXCEL_CELL_LIMIT
    assert cell.value == long_text[: EXCEL_CELL_LIMIT - len(marker)] + marker
    # The source is untouched, and the same source again changes nothing.
    assert json.loads(source.read_text())[0]["episode"]["where_found"] == long_text
    again = update_tracker(tracker, [source], now=NOW)
    assert again.changes == []


@pytest.mark.slow
def test_twenty_million_characters_are_cut_too(tmp_path: Path) -> None:
    tracker = create_tracker(tmp_path / "tracker.xlsx")
    source = write_json(
        tmp_path / "e.json", [tracker_episode("TST-1", episode__where_found="x" * 20_000_000)]
    )
    result = update_tracker(tracker, [source], now=NOW)
    (warning,) = result.warnings
    assert "19,967,263 characters left out" in warning.message
    (row,) = table_rows(tracker)
    assert row["Where found"].endswith("… (cut: 19,967,263 characters)")
    assert len(row["Where found"]) == EXCEL_CELL_LIMIT


def test_the_limit_counts_as_excel_does_and_never_splits_a_character() -> None:
    emoji = "\U0001f600" * 20_000  # 40,000 UTF-16 units
    cut, removed = cut_to_limit(emoji)
    assert len(cut.encode("utf-16-le")) // 2 <= EXCEL_CELL_LIMIT
    assert cut.endswith(f"… (cut: {removed:,} characters)")
    assert cut.startswith("\U0001f600") and "\ud83d" not in cut
    assert cut_to_limit("y" * EXCEL_CELL_LIMIT) == ("y" * EXCEL_CELL_LIMIT, 0)


def test_control_characters_are_removed_with_a_warning(
    tmp_path: Path,
) -> None:
    tracker = create_tracker(tmp_path / "tracker.xlsx")
    text = "Bus\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x1f stop\ufffe"
    source = write_json(tmp_path / "e.json", [tracker_episode("TST-1", episode__where_found=text)])
    result = update_tracker(tracker, [source], now=NOW)
    assert [str(w) for w in result.warnings] == [
        f"{tracker}: row 2 (TST-1): Where found: control characters removed (Excel cannot "
        "store them)"
    ]
    assert table_rows(tracker)[0]["Where found"] == "Bus stop"
    assert fit_for_excel("tab\tand\nline") == ("tab\tand\nline", [])
    # A lone surrogate (a file name that is not UTF-8) is not XML either.
    assert fit_for_excel("name\udcff.json")[0] == "name.json"


def test_a_source_file_name_excel_cannot_hold_does_not_stop_the_save(tmp_path: Path) -> None:
    tracker = create_tracker(tmp_path / "tracker.xlsx")
    odd = tmp_path / "episode\x1b.json"
    write_json(odd, [tracker_episode("TST-1")])
    result = update_tracker(tracker, [odd], now=NOW)
    assert result.inserted == 1
    assert table_rows(tracker)[0]["Source file"] == "episode.json"


def test_an_update_through_a_symlink_changes_the_real_workbook_and_keeps_the_link(
    tmp_path: Path,
) -> None:
    real_folder, link_folder = tmp_path / "shared", tmp_path / "mine"
    real_folder.mkdir()
    link_folder.mkdir()
    real = create_tracker(real_folder / "tracker.xlsx")
    link = link_folder / "tracker.xlsx"
    link.symlink_to(real)
    source = write_json(tmp_path / "e.json", [tracker_episode("TST-1")])
    first = CliRunner().invoke(cli, ["tracker", "update", str(link), str(source)])
    assert first.exit_code == 0, first.output
    assert link.is_symlink() and link.resolve() == real
    assert [r["Episode reference"] for r in table_rows(real)] == ["TST-1"]
    # Backups sit beside the real file; nothing is left beside the link.
    assert len(list(backup_folder(real).iterdir())) == 1
    assert sorted(p.name for p in link_folder.iterdir()) == ["tracker.xlsx"]
    assert not lock_path(real).exists()
    # A second update through the link sees the first (no private fork).
    more = write_json(tmp_path / "more.json", [tracker_episode("TST-2")])
    update_tracker(link, [more], now=NOW)
    assert [r["Episode reference"] for r in table_rows(real)] == ["TST-1", "TST-2"]
    assert link.is_symlink()


def test_a_chain_of_links_and_a_relative_link(tmp_path: Path) -> None:
    real = create_tracker(tmp_path / "real.xlsx")
    (tmp_path / "one.xlsx").symlink_to("real.xlsx")  # relative
    (tmp_path / "two.xlsx").symlink_to(tmp_path / "one.xlsx")
    update_tracker(
        tmp_path / "two.xlsx", [write_json(tmp_path / "e.json", [tracker_episode("T-1")])]
    )
    assert [r["Episode reference"] for r in table_rows(real)] == ["T-1"]
    assert (tmp_path / "one.xlsx").is_symlink() and (tmp_path / "two.xlsx").is_symlink()


def test_write_atomic_through_a_symlink_writes_the_target(tmp_path: Path) -> None:
    target = tmp_path / "target.csv"
    target.write_text("old")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    assert write_atomic(link, b"new") == target
    assert target.read_text() == "new" and link.is_symlink()


def test_init_and_restore_through_a_symlink(tmp_path: Path) -> None:
    real = create_tracker(tmp_path / "real.xlsx")
    update_tracker(real, [write_json(tmp_path / "e.json", [tracker_episode("T-1")])])
    link = tmp_path / "link.xlsx"
    link.symlink_to(real)
    result = CliRunner().invoke(cli, ["tracker", "init", str(link), "--force"])
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and table_rows(real) == []
    (backup,) = [p for p in backup_folder(real).iterdir() if table_rows(p)]
    restored = CliRunner().invoke(cli, ["tracker", "restore", str(link), backup.name])
    assert restored.exit_code == 0, restored.output
    assert link.is_symlink() and [r["Episode reference"] for r in table_rows(real)] == ["T-1"]

"""Trackers edited by other tools: every command copes, or refuses once naming the damage.

The corpus (``hostile/trackers.py``) is built at test time from a real tracker. Each case runs
through the CLI: ``tracker update``, ``tracker export``, ``report`` and ``today``. None may
show a traceback; a refused workbook is left byte for byte as it was; a usable one is updated, and
cells that could not be read are named by row and column and left as they were.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hostile.trackers import DAMAGED_ROW, SHEET, Case, cases, cell, letter
from support.corpus import sampled
from support.episodes import tracker_episode, write_json

from formkit.cli import cli
from formkit.tracker import create_tracker, update_tracker
from formkit.tracker.export import read_rows

CASES = cases()
NOW = "2026-11-01T12:00"


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("base")
    tracker = create_tracker(folder / "tracker.xlsx")
    source = write_json(folder / "base.json", [tracker_episode(f"TST-{n}") for n in (1, 2, 3)])
    result = update_tracker(tracker, [source])
    assert result.inserted == 3 and not result.problems
    return tracker


def _no_traceback(result: Result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{type(result.exception).__name__}: {result.exception}"
    )
    assert "Traceback" not in result.output


def _damaged_row(path: Path) -> str:
    with zipfile.ZipFile(path) as package:
        text = package.read(SHEET).decode("utf-8")
    found = re.search(
        rf"<(?:x:)?row r=[\"']{DAMAGED_ROW}[\"'].*?</(?:x:)?row>|<(?:x:)?row>.*?</(?:x:)?row>",
        text,
        flags=re.S,
    )
    return found.group(0) if found else ""


def _check(result: Result, outcome: str, words: tuple[str, ...], command: str) -> None:
    _no_traceback(result)
    warnings = [line for line in result.output.splitlines() if line.startswith("warning:")]
    if outcome == "refused":
        assert result.exit_code == 1, f"{command}: {result.output}"
        message = result.output.strip().splitlines()[-1]
        assert message.startswith("Error: "), result.output
        for word in words:
            assert word in message, f"{command}: {word!r} not in {message!r}"
        return
    assert result.exit_code == 0, f"{command}: {result.output}"
    if outcome == "clean":
        assert warnings == [], f"{command}: {warnings}"
    elif command != "update":
        assert any(all(word in line for word in words) for line in warnings), (
            f"{command}: {words} not in {warnings}"
        )


@pytest.mark.parametrize("case", sampled(CASES, every=4, ids=lambda c: c.name))
def test_tracker_edited_by_another_tool(tmp_path: Path, base: Path, case: Case) -> None:
    tracker = tmp_path / "tracker.xlsx"
    shutil.copy(base, tracker)
    case.build(tracker)
    before, row_before = tracker.read_bytes(), _damaged_row(tracker)
    source = write_json(
        tmp_path / "new.json",
        [
            tracker_episode("TST-1", episode__where_found="Found at a friend's"),
            tracker_episode("TST-9"),
        ],
    )
    runner = CliRunner()

    update = runner.invoke(cli, ["tracker", "update", str(tracker), str(source), "--now", NOW])
    _check(update, case.outcome, case.words, "update")
    if case.outcome == "refused":
        assert tracker.read_bytes() == before  # refused: not a byte changed
        assert not list(tmp_path.glob(".tracker.xlsx.*"))  # no lock or temporary file left
    else:
        assert "1 inserted, 1 updated" in update.output
        assert _damaged_row(tracker) == row_before  # the odd row is left exactly as it was
        rows = {row["reference"]: row for row in read_rows(tracker)}
        assert rows["TST-9"]["where_found"] == "Came back to the home"
        assert rows["TST-1"]["where_found"] == "Found at a friend's"
        again = runner.invoke(cli, ["tracker", "update", str(tracker), str(source), "--now", NOW])
        _no_traceback(again)
        assert again.exit_code == 0 and "0 inserted, 0 updated" in again.output

    export = runner.invoke(cli, ["tracker", "export", str(tracker), "--format", "csv"])
    _check(export, case.read_outcome, case.words, "export")
    if export.exit_code == 0:
        assert "TST-2" in export.output
    report = runner.invoke(
        cli, ["report", str(tracker), "--month", "2026-10", "-o", str(tmp_path / "r"), "--now", NOW]
    )
    _check(report, case.read_outcome, case.words, "report")
    if report.exit_code == 0:
        assert (tmp_path / "r" / "missing-report-2026-10.xlsx").is_file()
    # The day's list reads the same rows: it may find rows it cannot plan, never a traceback.
    today = runner.invoke(cli, ["today", str(tracker), "--now", NOW])
    _no_traceback(today)
    assert today.exit_code in {0, 1}


def test_the_corpus_covers_every_family() -> None:
    names = {c.name for c in CASES}
    assert len(CASES) >= 45
    for family in ("formula", "iso", "date", "nan", "inline", "boolean", "error", "ref",
                   "shared-index", "table-ref", "table-", "row"):  # fmt: skip
        assert any(name.startswith(family) for name in names), family
    assert {c.outcome for c in CASES} == {"clean", "warned", "refused"}


def test_a_bad_cell_in_a_row_being_updated_is_named_and_replaced_or_kept(
    tmp_path: Path, base: Path
) -> None:
    """Row 2 (TST-1) has 10,000,000 in 'Last seen' (an episode column the source fills) and in
    'RHI held' (an interview column it does not): the first is replaced, the second kept."""
    from openpyxl import load_workbook

    tracker = tmp_path / "tracker.xlsx"
    shutil.copy(base, tracker)
    book = load_workbook(tracker)
    sheet = book["Episodes"]
    sheet[cell("last_seen", 2)] = 10_000_000
    sheet[cell("rhi_held", 2)] = 10_000_000
    book.save(tracker)
    source = write_json(
        tmp_path / "e.json", [tracker_episode("TST-1", episode__where_found="Park")]
    )
    result = CliRunner().invoke(cli, ["tracker", "update", str(tracker), str(source)])
    _no_traceback(result)
    assert result.exit_code == 0, result.output
    held = letter("rhi_held")
    assert (
        f"warning: {tracker}: row 2: RHI held (cell {held}2): holds 10,000,000, which is not a "
        "date Excel can show (its dates run from 1900 to 9999); kept as text (an update leaves "
        "the cell as it is unless it has a new value for it)"
    ) in result.output
    assert f"row 2: Last seen (cell {letter('last_seen')}2)" in result.output
    sheet = load_workbook(tracker)["Episodes"]
    assert sheet[cell("last_seen", 2)].is_date  # replaced by the source's date
    assert sheet[cell("rhi_held", 2)].value == 10_000_000  # nothing new for it: kept


def test_many_bad_cells_are_listed_up_to_a_limit(tmp_path: Path, base: Path) -> None:
    from hostile.trackers import edit_part

    tracker = tmp_path / "tracker.xlsx"
    shutil.copy(base, tracker)
    # Every number in the damaged rows becomes NaN.
    edit_part(tracker, SHEET, lambda text: re.sub(r"<v>[0-9.]+</v>", "<v>NaN</v>", text))
    warnings: list[object] = []
    rows = read_rows(tracker, warnings=warnings)  # type: ignore[arg-type]
    assert len(rows) == 3
    assert len(warnings) == 21
    assert str(warnings[-1]).endswith(
        "more cells could not be read as written (not listed); they are left as they are"
    )


@pytest.mark.libreoffice
def test_a_tracker_edited_by_a_script_then_resaved_by_libreoffice(
    tmp_path: Path, base: Path, soffice: str
) -> None:
    """openpyxl leaves a formula without a result, a number no date can be and a boolean in a
    Y/N column; LibreOffice re-saves it its own way (shared strings, its own styles, the
    formula calculated). Every command still works and names the odd cell."""
    import subprocess

    from openpyxl import load_workbook

    edited = tmp_path / "edited" / "tracker.xlsx"
    edited.parent.mkdir()
    shutil.copy(base, edited)
    book = load_workbook(edited)
    sheet = book["Episodes"]
    sheet[cell("where_found")] = '=UPPER("park")'
    sheet[cell("last_seen")] = 10_000_000
    sheet[cell("over_24h", 4)] = True
    book.save(edited)
    out = tmp_path / "resaved"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless",
         "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(edited)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    tracker = out / "tracker.xlsx"
    source = write_json(tmp_path / "new.json", [tracker_episode("TST-9")])
    runner = CliRunner()
    update = runner.invoke(cli, ["tracker", "update", str(tracker), str(source), "--now", NOW])
    _no_traceback(update)
    assert update.exit_code == 0, update.output
    assert "1 inserted" in update.output
    rows = {row["reference"]: row for row in read_rows(tracker)}
    assert rows["TST-2"]["where_found"] == "PARK"  # LibreOffice calculated the formula
    assert rows["TST-3"]["over_24h"] == "Y"  # TRUE in a Y/N column
    export = runner.invoke(cli, ["tracker", "export", str(tracker), "--format", "csv"])
    _no_traceback(export)
    assert export.exit_code == 0
    assert (
        f"row {DAMAGED_ROW}: Last seen (cell {cell('last_seen')}): holds 10,000,000, which is "
        "not a date Excel can show"
    ) in export.output
    report = runner.invoke(
        cli, ["report", str(tracker), "--month", "2026-10", "-o", str(tmp_path / "r")]
    )
    _no_traceback(report)
    assert report.exit_code == 0, report.output

"""A tracker save killed outright at each point inside it leaves the old or the new workbook.

Each run is a real process (forked by ``tests/support/kill_save.py``) that saves the tracker and
kills itself with SIGKILL the moment the save reaches one chosen point: after the temporary file is
made, half-way through writing it, before and after its fsync, before, during and after the
backup, before and after ``os.replace``, after the folder's fsync, and with the lock still held.
Nothing is timed: every point is reached on every run, so each must leave exactly the workbook
:data:`~support.kill_save.POINTS` says, whole, and the next run must tidy up what was left.
"""

from __future__ import annotations

import shutil
import signal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from support import kill_save
from support.episodes import synthetic_references, write_synthetic

from formkit.tracker import create_tracker, update_tracker
from formkit.tracker.backups import list_backups, restore_tracker
from formkit.tracker.export import read_rows


def references(path: Path, *, openpyxl: bool = True) -> set[str]:
    """The episode references in the tracker, read by formkit (which checks the zip and its
    XML) and, independently, by openpyxl."""
    mine = [row["reference"] for row in read_rows(path)]
    assert len(mine) == len(set(mine)), "an episode is in the tracker twice"
    if not openpyxl:
        return set(mine)
    sheet = load_workbook(path)["Episodes"]
    cells = list(sheet[sheet.tables["MissingEpisodes"].ref])[1:]
    theirs = [row[0].value for row in cells if row[0].value is not None]
    assert sorted(mine) == sorted(theirs), "formkit and openpyxl read different rows"
    return set(mine)


@pytest.fixture(scope="module")
def start(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A tracker of 12 invented episodes, and a file that changes 4 of them and adds 6."""
    folder = tmp_path_factory.mktemp("start")
    tracker = create_tracker(folder / "t.xlsx")
    update_tracker(tracker, [write_synthetic(folder / "first.jsonl", range(12), seed=5)])
    more = write_synthetic(folder / "more.jsonl", range(8, 18), seed=6)
    return tracker, more


def killed(point: str, operation: str, tracker: Path, other: Path) -> None:
    assert kill_save.killed_at(point, operation, tracker, other) == signal.SIGKILL


def assert_tidy(folder: Path, tracker: Path) -> None:
    """Only the tracker and its backups folder, every backup a whole workbook."""
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [tracker.name, f"{tracker.stem}-backups"]
    )
    backups = folder / f"{tracker.stem}-backups"
    assert [p.name for p in backups.iterdir() if p.name.startswith(".")] == []
    for backup in list_backups(tracker):
        references(backup.path, openpyxl=False)


def test_the_points_are_in_the_order_the_save_reaches_them() -> None:
    outcomes = list(kill_save.POINTS.values())
    assert outcomes == sorted(outcomes, key=["old", "new"].index)
    assert outcomes.count("new") == 3  # after the replace, the folder's fsync, the lock


@pytest.mark.parametrize("point", list(kill_save.POINTS))
def test_an_update_killed_inside_the_save_leaves_the_old_or_the_new_workbook(
    tmp_path: Path, start: tuple[Path, Path], point: str
) -> None:
    first, more = start
    old = references(first)
    new = old | synthetic_references(range(8, 18), seed=6)
    tracker = tmp_path / "t.xlsx"
    shutil.copy(first, tracker)
    shutil.copytree(first.with_name("t-backups"), tmp_path / "t-backups")
    before = {backup.path.name for backup in list_backups(tracker)}

    killed(point, "update", tracker, more)

    assert references(tracker) == (old if kill_save.POINTS[point] == "old" else new)
    for backup in list_backups(tracker):  # whatever was left, restore offers only whole ones
        assert references(backup.path, openpyxl=False) in (old, set()), backup.path.name
    # The next run takes over: removes the temporary files, lands the rows, leaves no lock.
    again = update_tracker(tracker, [more])
    assert again.problems == []
    assert references(tracker, openpyxl=False) == new
    assert_tidy(tmp_path, tracker)
    assert before <= {backup.path.name for backup in list_backups(tracker)}


@pytest.mark.slow
@pytest.mark.parametrize("point", ["backup half copied", "before the replace", "after the replace"])
def test_a_restore_killed_inside_the_save_leaves_the_tracker_or_the_backup(
    tmp_path: Path, start: tuple[Path, Path], point: str
) -> None:
    first, more = start
    tracker = tmp_path / "t.xlsx"
    shutil.copy(first, tracker)
    update_tracker(tracker, [more])
    now, [newest, *_] = references(tracker), list_backups(tracker)
    then = references(newest.path)
    assert then != now

    killed(point, "restore", tracker, newest.path)

    assert references(tracker) == (then if kill_save.POINTS[point] == "new" else now)
    done = restore_tracker(tracker, newest.path)
    assert done.rows == len(then)
    assert references(tracker) == then
    assert_tidy(tmp_path, tracker)

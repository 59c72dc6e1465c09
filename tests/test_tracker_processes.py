"""Real processes on one tracker: two and four updates started at once all land.

(A save killed at each point inside it: ``test_tracker_kill.py``.)
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from support.episodes import synthetic_references, write_synthetic

from formkit.tracker import create_tracker, update_tracker

pytestmark = pytest.mark.slow


def _references_openpyxl(path: Path) -> set[str]:
    """The keys in the tracker, read by openpyxl: an independent check that it opens."""
    book = load_workbook(path)
    sheet = book["Episodes"]
    table = sheet.tables["MissingEpisodes"]
    cells = list(sheet[table.ref])[1:]
    refs = [row[0].value for row in cells if row[0].value is not None]
    assert len(refs) == len(set(refs)), "duplicate keys in the tracker"
    return set(refs)


def _update(tracker: Path, source: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "formkit", "tracker", "update", str(tracker), str(source), "-q"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, set[str]]:
    folder = tmp_path_factory.mktemp("base")
    tracker = create_tracker(folder / "base.xlsx")
    update_tracker(tracker, [write_synthetic(folder / "base.jsonl", range(800), seed=5)])
    return tracker, _references_openpyxl(tracker)


def test_two_updates_started_together_both_land(
    tmp_path: Path, base: tuple[Path, set[str]]
) -> None:
    tracker_base, old = base
    tracker = tmp_path / "t.xlsx"
    shutil.copy(tracker_base, tracker)
    first = write_synthetic(tmp_path / "a.jsonl", range(2000, 2100), seed=7)
    second = write_synthetic(tmp_path / "b.jsonl", range(3000, 3100), seed=8)
    processes = [_update(tracker, first), _update(tracker, second)]
    codes = [p.wait(timeout=120) for p in processes]
    assert codes == [0, 0]
    found = _references_openpyxl(tracker)
    wanted = synthetic_references(range(2000, 2100), seed=7)
    wanted |= synthetic_references(range(3000, 3100), seed=8)
    assert found == old | wanted
    # Each run removes the lock file before letting the lock go: none is left behind.
    assert not os.path.exists(tracker.with_name(".t.xlsx.formkit-lock"))


def test_four_updates_started_together_all_land_and_leave_no_lock_file(
    tmp_path: Path, base: tuple[Path, set[str]]
) -> None:
    """The lock file is removed at the end of each run while others wait on it: each waiting
    run must still get the lock alone (filelock sees the removed file and takes a new one)."""
    tracker_base, old = base
    tracker = tmp_path / "t.xlsx"
    shutil.copy(tracker_base, tracker)
    batches = [
        write_synthetic(tmp_path / f"{n}.jsonl", range(4000 + 50 * n, 4050 + 50 * n), seed=9)
        for n in range(4)
    ]
    processes = [_update(tracker, batch) for batch in batches]
    assert [p.wait(timeout=300) for p in processes] == [0, 0, 0, 0]
    wanted = synthetic_references(range(4000, 4200), seed=9)
    assert _references_openpyxl(tracker) == old | wanted
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []

"""Real processes on one tracker: SIGKILL at random moments, and two updates at once."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook

from formkit.synthetic import episode_data
from formkit.tracker import create_tracker, update_tracker
from formkit.tracker.export import read_rows

pytestmark = pytest.mark.slow


def _jsonl(path: Path, start: int, stop: int, seed: int) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for index in range(start, stop):
            handle.write(json.dumps(episode_data(index, seed=seed), default=str) + "\n")
    return path


def _references(path: Path) -> set[str]:
    """The keys in the tracker, read with formkit's own reader (fast; checks zip and XML)."""
    refs = [row["reference"] for row in read_rows(path)]
    assert len(refs) == len(set(refs)), "duplicate keys in the tracker"
    return set(refs)


def _references_openpyxl(path: Path) -> set[str]:
    """The same, read by openpyxl: an independent check that the workbook opens."""
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
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, set[str]]:
    folder = tmp_path_factory.mktemp("base")
    tracker = create_tracker(folder / "base.xlsx")
    update_tracker(tracker, [_jsonl(folder / "base.jsonl", 0, 800, seed=5)])
    more = _jsonl(folder / "more.jsonl", 700, 900, seed=6)
    return tracker, more, _references(tracker)


def test_sigkill_at_any_moment_leaves_the_old_or_the_new_workbook(
    tmp_path: Path, base: tuple[Path, Path, set[str]]
) -> None:
    tracker_base, more, old = base
    rng = random.Random(903)
    # How long a whole run takes here, so the kills spread over all of it.
    probe = tmp_path / "probe" / "t.xlsx"
    probe.parent.mkdir()
    shutil.copy(tracker_base, probe)
    started = time.perf_counter()
    assert _update(probe, more).wait() == 0
    whole = time.perf_counter() - started
    new = _references(probe)
    assert new > old
    outcomes = {"old": 0, "new": 0}
    for run in range(20):
        folder = tmp_path / f"run{run}"
        folder.mkdir()
        tracker = folder / "t.xlsx"
        shutil.copy(tracker_base, tracker)
        process = _update(tracker, more)
        time.sleep(rng.uniform(0.05, whole * 1.1))
        process.send_signal(signal.SIGKILL)
        process.wait()
        found = _references(tracker)  # opens, or this raises
        if run % 8 == 0:
            assert _references_openpyxl(tracker) == found
        assert found in (old, new)
        outcomes["old" if found == old else "new"] += 1
        # The next run tidies up what the killed one left and still lands its rows.
        assert _update(tracker, more).wait() == 0
        assert _references(tracker) == new
        assert not list(folder.glob(".t.xlsx.*.tmp"))
    assert outcomes["old"] > 0, outcomes  # some kills did land mid-update


def test_two_updates_started_together_both_land(
    tmp_path: Path, base: tuple[Path, Path, set[str]]
) -> None:
    tracker_base, _, old = base
    tracker = tmp_path / "t.xlsx"
    shutil.copy(tracker_base, tracker)
    first = _jsonl(tmp_path / "a.jsonl", 2000, 2100, seed=7)
    second = _jsonl(tmp_path / "b.jsonl", 3000, 3100, seed=8)
    processes = [_update(tracker, first), _update(tracker, second)]
    codes = [p.wait(timeout=120) for p in processes]
    assert codes == [0, 0]
    found = _references_openpyxl(tracker)
    wanted = {episode_data(i, seed=7)["episode"]["reference"] for i in range(2000, 2100)}  # type: ignore[index]
    wanted |= {episode_data(i, seed=8)["episode"]["reference"] for i in range(3000, 3100)}  # type: ignore[index]
    assert found == old | wanted
    # Each run removes the lock file before letting the lock go: none is left behind.
    assert not os.path.exists(tracker.with_name(".t.xlsx.formkit-lock"))


def test_four_updates_started_together_all_land_and_leave_no_lock_file(
    tmp_path: Path, base: tuple[Path, Path, set[str]]
) -> None:
    """The lock file is removed at the end of each run while others wait on it: each waiting
    run must still get the lock alone (filelock sees the removed file and takes a new one)."""
    tracker_base, _, old = base
    tracker = tmp_path / "t.xlsx"
    shutil.copy(tracker_base, tracker)
    batches = [
        _jsonl(tmp_path / f"{n}.jsonl", 4000 + 50 * n, 4050 + 50 * n, seed=9) for n in range(4)
    ]
    processes = [_update(tracker, batch) for batch in batches]
    assert [p.wait(timeout=300) for p in processes] == [0, 0, 0, 0]
    wanted = {episode_data(i, seed=9)["episode"]["reference"] for i in range(4000, 4200)}  # type: ignore[index]
    assert _references_openpyxl(tracker) == old | wanted
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []

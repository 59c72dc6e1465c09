"""Hypothesis: any damage to a real tracker gives a result or a FormkitError, nothing else.

Bytes are mutated in the file as a whole (what a broken download or disk gives) and inside one
XML part, re-zipped (what reaches the XML readers). Both the reader (``read_rows``, used by
export and report) and ``update_tracker`` are run; a refused workbook is left unchanged.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.episodes import tracker_episode, write_json

from formkit.errors import FormkitError
from formkit.tracker import create_tracker, update_tracker
from formkit.tracker.export import read_rows

PARTS = [
    "xl/worksheets/sheet1.xml",
    "xl/tables/table1.xml",
    "xl/workbook.xml",
    "xl/_rels/workbook.xml.rels",
    "xl/worksheets/_rels/sheet1.xml.rels",
    "xl/styles.xml",
]
# Bytes that matter to the readers: markup, quotes, digits, letters of cell types.
INTERESTING = list(b"<>/=\"'0123456789:$-.ABCDEnstrbdeiNaINF ") + [0, 0xFF]


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("fuzz")
    tracker = create_tracker(folder / "tracker.xlsx")
    source = write_json(folder / "e.json", [tracker_episode(f"TST-{n}") for n in range(1, 4)])
    update_tracker(tracker, [source])
    new = write_json(
        folder / "new.json",
        [tracker_episode("TST-1", episode__where_found="x"), tracker_episode("N")],
    )
    return tracker, new


mutation = st.lists(
    st.tuples(st.floats(0, 1, exclude_max=True), st.sampled_from(INTERESTING)),
    min_size=1,
    max_size=6,
)


def _mutate(data: bytes, changes: list[tuple[float, int]], *, delete: bool) -> bytes:
    buffer = bytearray(data)
    for where, byte in changes:
        at = int(where * len(buffer))
        if delete:
            del buffer[at : at + 1 + byte % 8]
        else:
            buffer[at] = byte
    return bytes(buffer)


def _exercise(tracker: Path, source: Path) -> None:
    before = tracker.read_bytes()
    with contextlib.suppress(FormkitError):
        read_rows(tracker, warnings=[])
    try:
        update_tracker(tracker, [source])
    except FormkitError:
        assert tracker.read_bytes() == before


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(changes=mutation, delete=st.booleans())
def test_mutated_file_bytes(
    real: tuple[Path, Path], changes: list[tuple[float, int]], delete: bool
) -> None:
    base, source = real
    with tempfile.TemporaryDirectory() as folder:
        tracker = Path(folder) / "tracker.xlsx"
        tracker.write_bytes(_mutate(base.read_bytes(), changes, delete=delete))
        _exercise(tracker, source)


@pytest.mark.slow
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(part=st.sampled_from(PARTS), changes=mutation, delete=st.booleans())
def test_mutated_xml_parts(
    real: tuple[Path, Path], part: str, changes: list[tuple[float, int]], delete: bool
) -> None:
    base, source = real
    with tempfile.TemporaryDirectory() as folder:
        tracker = Path(folder) / "tracker.xlsx"
        shutil.copy(base, tracker)
        with zipfile.ZipFile(base) as package:
            items = [(info.filename, package.read(info.filename)) for info in package.infolist()]
        with zipfile.ZipFile(tracker, "w", zipfile.ZIP_DEFLATED) as package:
            for name, data in items:
                package.writestr(
                    name, _mutate(data, changes, delete=delete) if name == part else data
                )
        _exercise(tracker, source)

"""Episode readers by file ending and tracker export formats are tables: the suffix list, the
"use one of" hint, the folder search, the export choices and their help all come from them."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from formkit.cli import cli
from formkit.errors import InputError, TrackerError
from formkit.load import READERS, SUFFIXES, expand_files, iter_records
from formkit.tracker.export import EXPORTS, FORMAT_HELP, FORMATS, export_tracker
from formkit.tracker.workbook import init_tracker

RECORD = {
    ".json": '[{"episode": {"reference": "T-1"}}]',
    ".jsonl": '{"episode": {"reference": "T-1"}}\n',
    ".ndjson": '{"episode": {"reference": "T-1"}}\n',
    ".yaml": "- episode:\n    reference: T-1\n",
    ".yml": "- episode:\n    reference: T-1\n",
    ".csv": "episode.reference\nT-1\n",
}


def test_every_suffix_comes_from_one_reader() -> None:
    assert {s: r.kind for r in READERS for s in r.suffixes} == SUFFIXES
    for reader in READERS:
        assert (reader.text is None) != (reader.binary is None), reader.kind


@pytest.mark.parametrize("suffix", sorted(RECORD))
def test_each_text_reader_reads_its_files(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"episodes{suffix}"
    path.write_text(RECORD[suffix], encoding="utf-8")
    [(_, data)] = list(iter_records(path))
    assert data["episode"]["reference"] == "T-1"


def test_unknown_ending_lists_the_table(tmp_path: Path) -> None:
    path = tmp_path / "episodes.txt"
    path.write_text("x", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        list(iter_records(path))
    assert caught.value.message == (
        "cannot read '.txt' files; use one of " + ", ".join(sorted(SUFFIXES))
    )


def test_folder_search_takes_every_readable_ending(tmp_path: Path) -> None:
    for suffix in SUFFIXES:
        (tmp_path / f"a{suffix}").write_text("", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("", encoding="utf-8")
    found = {Path(p).suffix for p in expand_files([tmp_path])}
    assert found == set(SUFFIXES)


def test_export_formats_are_the_table() -> None:
    assert FORMATS == tuple(EXPORTS) == ("csv", "ssda903", "annex-a")
    for name, entry in EXPORTS.items():
        assert f"{name} ({entry.words})" in FORMAT_HELP


def test_export_help_is_the_table() -> None:
    result = CliRunner().invoke(cli, ["tracker", "export", "--help"], terminal_width=200)
    assert result.exit_code == 0
    assert " ".join(FORMAT_HELP.split()) in " ".join(result.output.split())


def test_unknown_export_format_is_refused(tmp_path: Path) -> None:
    tracker = tmp_path / "tracker.xlsx"
    init_tracker(tracker)
    with pytest.raises(TrackerError) as caught:
        export_tracker(tracker, "xml")  # type: ignore[arg-type]
    assert caught.value.message == "unknown export format 'xml'; use one of csv, ssda903, annex-a"


def test_a_bad_year_is_refused_before_the_tracker_is_read(tmp_path: Path) -> None:
    with pytest.raises(TrackerError) as caught:
        export_tracker(tmp_path / "missing.xlsx", "ssda903", year="2026")
    assert "2026" in caught.value.message

"""A tracker that someone opened and saved in another program still updates safely.

LibreOffice (like Excel) re-saves a workbook its own way: shared strings instead of inline text,
its own styles and row markup. formkit's row-level editing must cope with that.
"""

from __future__ import annotations

import subprocess
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from support.episodes import synthetic_references, write_synthetic

from formkit.model import LONDON
from formkit.tracker import create_tracker, update_tracker

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=LONDON)


@pytest.mark.libreoffice
def test_update_after_libreoffice_resaved_the_tracker(
    tmp_path: Path, soffice: str, sample_episode_files: list[Path]
) -> None:
    made = create_tracker(tmp_path / "made" / "tracker.xlsx")
    update_tracker(made, sample_episode_files, now=NOW)
    resaved_dir = tmp_path / "resaved"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless",
         "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(resaved_dir), str(made)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    tracker = resaved_dir / "tracker.xlsx"
    with zipfile.ZipFile(tracker) as archive:
        assert "xl/sharedStrings.xml" in archive.namelist()  # really re-saved another way

    # The same sources again change nothing; new episodes are added to the Table.
    again = update_tracker(tracker, sample_episode_files, now=NOW)
    assert again.changes == [] and not again.problems
    new = write_synthetic(tmp_path / "new.jsonl", range(5), seed=77)
    added = update_tracker(tracker, [new], now=NOW)
    assert not added.problems
    assert len(added.changes) == 5

    workbook = openpyxl.load_workbook(tracker)
    sheet = workbook["Episodes"]
    table = sheet.tables["MissingEpisodes"]
    keys = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]]
    assert len(keys) == len(set(keys)) == len(sample_episode_files) + 5
    assert table.ref.endswith(str(len(keys) + 1))
    assert synthetic_references(range(5), seed=77) <= set(keys)

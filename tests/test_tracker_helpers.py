"""Reading a tracker back in the tracker tests (invented episodes: ``support.episodes``)."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from openpyxl import load_workbook


def table_rows(path: Path) -> list[dict[str, Any]]:
    """The MissingEpisodes rows as header -> value, read with openpyxl (an independent reader)."""
    book = load_workbook(path)
    sheet = book["Episodes"]
    table = sheet.tables["MissingEpisodes"]
    cells = list(sheet[table.ref])
    header = [c.value for c in cells[0]]
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in cells[1:]]
    return [r for r in rows if r["Episode reference"] is not None]


def sheet_xml(path: Path, part: str = "xl/worksheets/sheet1.xml") -> str:
    with zipfile.ZipFile(path) as package:
        return package.read(part).decode("utf-8")

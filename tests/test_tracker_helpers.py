"""Shared helpers for the tracker tests: invented episodes and reading a tracker back."""

from __future__ import annotations

import copy
import json
import zipfile
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

BASE_EPISODE: dict[str, Any] = {
    "local_authority": "bexley",
    "child": {
        "id": "TST-0001",
        "first_name": "Robin",
        "last_name": "Testcase",
        "date_of_birth": "2011-04-02",
        "legal_status": "looked_after",
        "responsible_authority": "Bexley",
        "placement": {"type": "residential", "in_area": False},
    },
    "episode": {
        "reference": "TST-1",
        "status": "missing",
        "missing_from": "placement",
        "last_seen_at": "2026-10-05T18:00",
        "ended_at": "2026-10-06T09:30",
        "end_reason": "returned_by_self",
        "where_found": "Came back to the home",
    },
}


def episode(reference: str, **changes: Any) -> dict[str, Any]:
    """An invented valid episode; ``changes`` are dotted paths, e.g. ``episode__where_found``."""
    data = copy.deepcopy(BASE_EPISODE)
    data["episode"]["reference"] = reference
    for dotted, value in changes.items():
        node = data
        *parents, last = dotted.split("__")
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = value
    return data


def write_json(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps(records), encoding="utf-8")
    return path


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


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

"""Keeping the shared tracker safe: formula injection, control characters, parts openpyxl drops.

Text that reaches the tracker comes from emailed forms, so a value such as ``=HYPERLINK(...)``
must stay text: the cell is stored with the string data type *and* the quote-prefix style, so
Excel neither evaluates it now nor after a user edits the cell. The test is made after NFKC
normalisation because Excel treats a full-width ``＝`` like ``=``.

openpyxl rewrites the whole package on save and silently leaves out what it does not model
(shapes, slicers, ``extLst`` extensions such as newer data validations, comment formatting ...).
:func:`droppable_parts` lists those before anything is saved, so an update can refuse instead of
quietly losing a manager's work.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.cell.cell import Cell

from formkit.errors import TrackerError

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
# Excel refuses these in a cell (openpyxl raises IllegalCharacterError); tab, LF and CR are fine.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")

# Parts of an .xlsx that openpyxl does not carry through a load and save, in words a user knows.
_DROPPED_FOLDERS: list[tuple[str, str]] = [
    ("xl/drawings/vmlDrawing", "comment formatting or form controls (VML drawings)"),
    ("xl/drawings/", "shapes, text boxes or pictures (drawings)"),
    ("xl/charts/", "charts (openpyxl re-creates them without their formatting)"),
    ("xl/media/", "pictures"),
    ("xl/pivotTables/", "pivot tables"),
    ("xl/pivotCache/", "pivot tables"),
    ("xl/slicers/", "slicers"),
    ("xl/slicerCaches/", "slicers"),
    ("xl/timelines/", "timelines"),
    ("xl/threadedComments/", "threaded comments"),
    ("xl/ctrlProps/", "form controls"),
    ("xl/queryTables/", "data queries"),
    ("xl/connections.xml", "data connections"),
    ("xl/vbaProject.bin", "macros"),
    ("xl/model/", "a data model"),
    ("customXml/", "SharePoint or custom XML data"),
]
_SHEET_PART = re.compile(r"^xl/worksheets/sheet\d+\.xml$")
_EXT_CHILD = re.compile(rb"<(?:\w+:)?ext\b[^>]*>\s*<((?:\w+:)?\w+)")
_EXT_WORDS = {
    "dataValidations": "data validations that refer to other sheets (x14 extension)",
    "conditionalFormattings": "conditional formats such as data bars or icon sets (x14 extension)",
    "sparklineGroups": "sparklines",
    "slicerList": "slicers",
    "timelineRefs": "timelines",
}


def require_defusedxml() -> None:
    """Refuse to read workbooks unless openpyxl parses XML through defusedxml."""
    if not getattr(openpyxl, "DEFUSEDXML", False):
        raise TrackerError(
            "openpyxl is not using defusedxml, so a hostile workbook could attack this machine; "
            "install it with 'pip install defusedxml' and run again"
        )


def looks_like_formula(text: str) -> bool:
    """True when Excel (or a CSV import) could take ``text`` as a formula."""
    if not text:
        return False
    return text.startswith(FORMULA_STARTS) or unicodedata.normalize("NFKC", text[:2]).startswith(
        FORMULA_STARTS
    )


def clean_text(text: str) -> tuple[str, bool]:
    """``text`` without the control characters Excel cannot store; True if any were removed."""
    cleaned = CONTROL_CHARACTERS.sub("", text)
    return cleaned, cleaned != text


def set_cell(cell: Cell, value: Any, number_format: str) -> None:
    """Write ``value`` so that text is always text: string type, quote prefix when it matters."""
    if isinstance(value, str):
        cell.value = value
        # openpyxl turns any string that starts with '=' into a formula: undo that.
        cell.data_type = "s"
        cell.quotePrefix = looks_like_formula(value)
        if cell.number_format != "@" and number_format == "@":
            cell.number_format = "@"
        return
    cell.value = value
    if cell.quotePrefix:
        cell.quotePrefix = False
    if value is not None and cell.number_format != number_format:
        cell.number_format = number_format


def droppable_parts(path: str | Path) -> list[str]:
    """What openpyxl would lose if it loaded and saved ``path``: one phrase per kind of thing."""
    found: list[str] = []
    with zipfile.ZipFile(path) as package:
        names = package.namelist()
        for name in names:
            for prefix, words in _DROPPED_FOLDERS:
                if name.startswith(prefix):
                    if words not in found:
                        found.append(words)
                    break
        for name in names:
            if not _SHEET_PART.match(name):
                continue
            data = package.read(name)
            # extLst comes last in a worksheet; Excel writes it only for features that need it.
            start = data.rfind(b"<extLst")
            if start < 0:
                start = data.rfind(b":extLst")
            if start < 0:
                continue
            for match in _EXT_CHILD.finditer(data, start):
                local = match.group(1).decode("ascii", "replace").split(":")[-1]
                words = _EXT_WORDS.get(local, f"an Excel extension ({local})")
                if words not in found:
                    found.append(words)
    return found

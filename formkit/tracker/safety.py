"""Keeping the shared tracker safe: formula injection, control characters, parts openpyxl drops.

Text that reaches the tracker comes from emailed forms, so a value such as ``=HYPERLINK(...)``
must stay text: the cell is stored with the string data type *and* the quote-prefix style, so
Excel neither evaluates it now nor after a user edits the cell. The test is made after NFKC
normalisation because Excel treats a full-width ``＝`` like ``=``.

openpyxl rewrites the whole package on save and silently leaves out what it does not model
(shapes, slicers, ``extLst`` extensions, comment formatting ...), so ``tracker update`` never
saves an existing tracker through openpyxl: :mod:`formkit.tracker.xlsx` rewrites only the parts
it changes and copies the rest byte for byte.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import openpyxl
from openpyxl.cell.cell import Cell

from formkit.errors import TrackerError

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
# Excel refuses these in a cell (openpyxl raises IllegalCharacterError); tab, LF and CR are fine.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


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

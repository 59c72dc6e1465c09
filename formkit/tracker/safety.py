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
# Lone surrogates (from a file name that is not UTF-8) and U+FFFE/U+FFFF are not XML at all.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# The most characters an Excel cell holds (counted as Excel counts them, in UTF-16 units).
EXCEL_CELL_LIMIT = 32_767


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


def _utf16_units(text: str) -> int:
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def cut_marker(removed: int) -> str:
    return f"\u2026 (cut: {removed:,} characters)"


def cut_to_limit(text: str, limit: int = EXCEL_CELL_LIMIT) -> tuple[str, int]:
    """``text`` cut so it fits in ``limit`` UTF-16 units *with* a visible marker at the end
    (``… (cut: 7,233 characters)``), and the number of characters cut; ``(text, 0)`` if it fits.
    """
    if len(text) <= limit // 2 or _utf16_units(text) <= limit:
        return text, 0
    removed = len(text) - limit
    while True:  # the marker's own length depends on the number it shows
        marker = cut_marker(removed)
        room = limit - len(marker)
        kept, units = [], 0
        for ch in text:
            size = 2 if ord(ch) > 0xFFFF else 1
            if units + size > room:
                break
            kept.append(ch)
            units += size
        if len(text) - len(kept) == removed:
            return "".join(kept) + marker, removed
        removed = len(text) - len(kept)


def fit_for_excel(text: str) -> tuple[str, list[str]]:
    """``text`` as an Excel cell can hold it, and what had to change, in words (else ``[]``).

    Control characters Excel refuses are removed; text longer than Excel's 32,767 characters
    is cut, ending with a visible ``… (cut: N characters)``. The same text always gives the
    same result, so a re-run sees no change.
    """
    done: list[str] = []
    text, stripped = clean_text(text)
    if stripped:
        done.append("control characters removed (Excel cannot store them)")
    text, removed = cut_to_limit(text)
    if removed:
        done.append(
            f"the text was cut to Excel's limit of {EXCEL_CELL_LIMIT:,} characters "
            f"({removed:,} characters left out; the full text stays in the source file)"
        )
    return text, done


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

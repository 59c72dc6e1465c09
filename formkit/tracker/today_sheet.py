"""The tracker's ``Today`` sheet: the day's list as a second Excel Table, for Power Automate.

``tracker init`` makes the sheet with the Table ``TodayList`` (unique key column ``Key``: the
episode reference and the obligation id). Every ``tracker update`` that saves the workbook
rewrites the table's rows from :func:`formkit.tracker.today.today_from_rows` as of the update,
and ``formkit today TRACKER --update-sheet`` rewrites it on its own (a flow can run it each
morning, then read and email the table). Only that sheet's rows and its table's range change;
its header row, and every other part of the workbook, stay as they were.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel

from formkit.intake import parse_xml, read_part
from formkit.tracker.columns import Column, by_key
from formkit.tracker.rows import wall_clock
from formkit.tracker.safety import clean_text, looks_like_formula
from formkit.tracker.today import PLANNED_COLUMNS, TodayItem, TodayList, today_from_rows
from formkit.tracker.xlsx import TableSheet, q

SHEET = "Today"
TABLE = "TodayList"
HEADERS = (
    "Key",
    "Child ID",
    "Episode reference",
    "Status",
    "Due",
    "Obligation",
    "Document",
    "Note",
    "As of",
)
WIDTHS = (30, 14, 18, 10, 17, 50, 22, 28, 17)
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
# The sheet lists at most this many obligations (the most overdue first), so a tracker full of
# old rows nobody marked done cannot grow the workbook without end.
MAX_ROWS = 5000
_DIMENSION = re.compile(rb"<dimension\s+ref=\"[A-Z0-9:]+\"\s*/>")
_SHEET_DATA = re.compile(rb"<sheetData\b[^>]*?(/?)>")
_FIRST_ROW = re.compile(rb"<row\b[^>]*\br=\"1\"[^>]*?(?:/>|>.*?</row>)", re.DOTALL)


def table_rows(table: TableSheet) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every filled row of a loaded tracker table, labelled ``row N (REFERENCE)``, holding the
    columns the plan reads (each row's XML is parsed once: this runs on every update)."""
    spec = by_key()
    wanted = {key: col for key, col in table.columns.items() if key in PLANNED_COLUMNS}
    for number in range(table.header_row + 1, table.last_row + 1):
        element = table.sheet.get(number)
        if element is None:
            continue
        cells = dict(table._cells(element))
        row = {key: _value(table, cells.get(col), spec[key]) for key, col in wanted.items()}
        if all(value is None for value in row.values()):
            continue
        reference = row.get("reference")
        yield (f"row {number} ({reference})" if reference else f"row {number}", row)


_IS, _T = q("is"), q("t")


def _value(table: TableSheet, cell: Any, column: Column) -> Any:
    """``table.value`` with a quicker path for the inline strings formkit writes."""
    if cell is None:
        return None
    if cell.get("t") == "inlineStr":
        node = cell.find(_IS)
        text = "".join(node.itertext(_T)) if node is not None else None
        return column.normalise(text)
    return table.value(cell, column)


def _values(item: TodayItem, now: datetime) -> tuple[Any, ...]:
    return (
        item.key,
        item.child,
        item.reference,
        item.status,
        wall_clock(item.due_at),
        item.title,
        item.document,
        item.note,
        wall_clock(now),
    )


def _cell(ref: str, value: Any, *, date_style: int, text_style: int, quote_style: int) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return f'<c r="{ref}" s="{date_style}"><v>{round(to_excel(value), 10)!r}</v></c>'
    text, _ = clean_text(str(value))
    style = quote_style if looks_like_formula(text) else text_style
    return f'<c r="{ref}" s="{style}" t="inlineStr"><is><t xml:space="preserve">{escape(text)}</t></is></c>'


def _find(package: zipfile.ZipFile, path: Path) -> tuple[str, str] | None:
    """(worksheet part, table part) of the TodayList table, or None in an older tracker."""
    from formkit.tracker.xlsx import find_table

    hit = find_table(package, path, TABLE)
    return (hit[1], hit[2]) if hit is not None else None


def today_parts(table: TableSheet, listed: TodayList) -> dict[str, bytes]:
    """The Today worksheet and table parts holding ``listed`` (empty for a tracker without one).

    Uses the tracker table's styles (adding a date-time format if needed), so call it before
    the package is written.
    """
    path = table.path
    with zipfile.ZipFile(path) as package:
        found = _find(package, path)
        if found is None:
            return {}
        sheet_part, table_part = found
        sheet = read_part(package, sheet_part, file=path)
        table_xml = read_part(package, table_part, file=path)
    parse_xml(sheet, file=path, part=sheet_part)  # refuses DTDs and malformed XML
    date_style = table.styles.style_for(0, DATETIME_FORMAT, False)
    text_style = table.styles.style_for(0, "@", False)
    quote_style = table.styles.style_for(0, "@", True)
    rows: list[str] = []
    for number, item in enumerate(listed.items[:MAX_ROWS], start=2):
        cells = "".join(
            _cell(
                f"{get_column_letter(col)}{number}",
                value,
                date_style=date_style,
                text_style=text_style,
                quote_style=quote_style,
            )
            for col, value in enumerate(_values(item, listed.now), start=1)
        )
        rows.append(f'<row r="{number}">{cells}</row>')
    last_row = max(2, min(len(listed.items), MAX_ROWS) + 1)
    last = get_column_letter(len(HEADERS))
    ref = f"A1:{last}{last_row}"
    sheet = _rewrite_rows(sheet, "".join(rows).encode("utf-8"), sheet_part, path)
    sheet = _DIMENSION.sub(f'<dimension ref="{ref}"/>'.encode(), sheet, count=1)
    table_xml = re.sub(
        rb'(<table\b[^>]*?\sref=")[A-Z0-9:]+(")',
        rb"\g<1>" + ref.encode() + rb"\2",
        table_xml,
        count=1,
    )
    table_xml = re.sub(
        rb'(<autoFilter\b[^>]*?\sref=")[A-Z0-9:]+(")',
        rb"\g<1>" + ref.encode() + rb"\2",
        table_xml,
        count=1,
    )
    return {sheet_part: sheet, table_part: table_xml}


def _rewrite_rows(sheet: bytes, rows: bytes, part: str, path: Path) -> bytes:
    """The worksheet with its header row kept and every other row replaced by ``rows``."""
    from formkit.errors import TrackerError

    match = _SHEET_DATA.search(sheet)
    if match is None:
        raise TrackerError(f"the worksheet {part!r} has no cells (no sheetData)", file=path)
    if match.group(1):
        return (
            sheet[: match.start()] + b"<sheetData>" + rows + b"</sheetData>" + sheet[match.end() :]
        )
    end = sheet.find(b"</sheetData>", match.end())
    if end < 0:
        raise TrackerError(f"the worksheet {part!r} is not well-formed XML", file=path)
    header = _FIRST_ROW.search(sheet, match.end(), end)
    kept = header.group(0) if header is not None else b""
    return sheet[: match.end()] + kept + rows + sheet[end:]


def today_for_table(table: TableSheet, now: datetime) -> TodayList:
    """The day's list from a loaded tracker table (with any changes not yet saved)."""
    return today_from_rows(list(table_rows(table)), now=now, file=table.path)


def refresh_today_sheet(
    tracker: str | Path, *, now: datetime | None = None
) -> tuple[TodayList, Path | None]:
    """Rewrite the Today sheet as of ``now``, under the tracker's lock; returns the list and the
    backup kept. A tracker made before the Today sheet existed is left as it is."""
    from formkit.errors import TrackerError
    from formkit.model import LONDON
    from formkit.tracker.save import refuse_if_open, save_atomic, tracker_lock
    from formkit.tracker.xlsx import load_table, write_package

    path = Path(tracker)
    moment = now or datetime.now(LONDON)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LONDON)
    with tracker_lock(path):
        refuse_if_open(path)
        table = load_table(path)
        listed = today_for_table(table, moment)
        extra = today_parts(table, listed)
        if not extra:
            raise TrackerError(
                f"has no '{SHEET}' sheet (it was made before formkit had one); make a new "
                "tracker with 'formkit tracker init' and update it from your episode files",
                file=path,
            )
        backup = save_atomic(path, lambda handle: write_package(table, path, handle, extra))
    return listed, backup

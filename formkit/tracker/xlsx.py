"""The tracker at the XML level: read and change the MissingEpisodes table without openpyxl.

Loading a 20,000-row workbook into openpyxl takes over half a minute and saving it back drops
whatever openpyxl does not model (shapes, slicers, ``extLst`` extensions, comment formatting).
An update needs neither: it reads the table's rows, changes some cells, appends rows and grows
the table's range. So this module rewrites only the worksheet that holds the table, the table
part and (when a new number format is needed) the styles part; every other part of the package
is copied byte for byte, so nothing a user added can be lost.

Text is written as inline strings (``t="inlineStr"``), which can never be a formula; values that
look like one also get the quote-prefix style so Excel keeps them as text after an edit.
"""

from __future__ import annotations

import copy
import math
import posixpath
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from lxml import etree
from openpyxl.styles.numbers import BUILTIN_FORMATS_REVERSE
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel, to_excel

from formkit.errors import FormkitError, Problem, TrackerError
from formkit.intake import check_office_zip, check_xml_bytes, parse_xml, read_part, safe_xml_parser
from formkit.model import LONDON
from formkit.tracker.columns import SHEET_NAME, TABLE_NAME, Column, by_header, by_key
from formkit.tracker.safety import fit_for_excel, looks_like_formula
from formkit.words import plural

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
OFFICE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
TABLE_REL = OFFICE_REL + "/table"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384
# Excel's dates run from 1 January 1900 (serial 1) to 31 December 9999 (serial 2,958,465).
LAST_DATE_SERIAL = 2_958_466
# Beyond this many cells that could not be read, the rest are counted, not listed.
CELL_PROBLEMS_LISTED = 20
REPAIR_HINT = "open it in Excel (which offers to repair it), save it, and run formkit again"
_CELL_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")


def q(tag: str) -> str:
    return f"{{{MAIN}}}{tag}"


_CELL, _INLINE, _TEXT = q("c"), q("is"), q("t")
_TEXT_OF = etree.XPath("./m:t/text()|./m:r/m:t/text()", namespaces={"m": MAIN})


def _text_of(node: etree._Element) -> str:
    """The text of an ``<is>`` or ``<si>``: its ``<t>``, or its rich-text runs' (not phonetic)."""
    if len(node) == 1 and node[0].tag == _TEXT:
        return node[0].text or ""
    return "".join(_TEXT_OF(node))


class BadReference(ValueError):
    """A cell or range reference that is not one Excel accepts (caught and named by callers)."""


def _split_ref(ref: str) -> tuple[int, int]:
    """``"AB12"`` (also ``"$AB$12"``) -> (row 12, column 28); :class:`BadReference` if it is
    not a cell inside Excel's grid."""
    match = _CELL_REF.fullmatch(ref.strip())
    if match is None:
        raise BadReference(ref)
    row, col = int(match.group(2)), column_index_from_string(match.group(1).upper())
    if not (1 <= row <= MAX_ROWS and 1 <= col <= MAX_COLUMNS):
        raise BadReference(ref)
    return row, col


def _split_range(ref: str) -> tuple[int, int, int, int]:
    """``"A1:C9"`` -> (min column, min row, max column, max row), checked against Excel's grid."""
    first, colon, last = ref.partition(":")
    if not colon:
        raise BadReference(ref)
    min_row, min_col = _split_ref(first)
    max_row, max_col = _split_ref(last)
    if min_row > max_row or min_col > max_col:
        raise BadReference(ref)
    return min_col, min_row, max_col, max_row


def _int_or(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


def _resolve(base_part: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(base_part), target))


def _rels_part(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


@dataclass
class Styles:
    """The styles part, with new cell formats added on demand (cloned from a base format)."""

    root: etree._Element
    file: Path | None = None
    changed: bool = False
    _cache: dict[tuple[int, str, bool], int] = field(default_factory=dict)

    def _num_fmt_id(self, code: str) -> int:
        if code in BUILTIN_FORMATS_REVERSE:
            return int(BUILTIN_FORMATS_REVERSE[code])
        num_fmts = self.root.find(q("numFmts"))
        ids = [163]
        if num_fmts is not None:
            for fmt in num_fmts.findall(q("numFmt")):
                fmt_id = _int_or(fmt.get("numFmtId"), -1)
                if fmt_id < 0:
                    continue  # a damaged entry: never reused, never counted
                ids.append(fmt_id)
                if fmt.get("formatCode") == code:
                    return fmt_id
        else:
            num_fmts = etree.SubElement(self.root, q("numFmts"))  # the styles namespace
            self.root.insert(0, num_fmts)
        new_id = max(ids) + 1
        etree.SubElement(num_fmts, q("numFmt"), numFmtId=str(new_id), formatCode=code)
        num_fmts.set("count", str(len(num_fmts)))
        self.changed = True
        return new_id

    def style_for(self, base: int, code: str, quote: bool) -> int:
        """A cell format like ``base`` but with number format ``code`` and quote prefix."""
        key = (base, code, quote)
        if key in self._cache:
            return self._cache[key]
        xfs = self.root.find(q("cellXfs"))
        formats = list(xfs.iterchildren(q("xf"))) if xfs is not None else []
        if xfs is None or not formats:
            raise TrackerError(
                f"the workbook's styles part has no cell formats; {REPAIR_HINT}", file=self.file
            )
        source = formats[base] if 0 <= base < len(formats) else formats[0]
        fmt_id = self._num_fmt_id(code)
        if (
            _int_or(source.get("numFmtId"), 0) == fmt_id
            and (source.get("quotePrefix") in {"1", "true"}) == quote
        ):
            self._cache[key] = base
            return base
        clone = copy.deepcopy(source)
        clone.set("numFmtId", str(fmt_id))
        clone.set("applyNumberFormat", "1")
        if quote:
            clone.set("quotePrefix", "1")
        elif "quotePrefix" in clone.attrib:
            del clone.attrib["quotePrefix"]
        for index, existing in enumerate(formats):
            if etree.tostring(existing) == etree.tostring(clone):
                self._cache[key] = index
                return index
        xfs.append(clone)
        xfs.set("count", str(len(xfs)))
        self.changed = True
        self._cache[key] = len(xfs) - 1
        return len(xfs) - 1


_ROOT_TAG = re.compile(rb"<(?![?!])([\w:.-]+)[^>]*>")
_SHEET_DATA = re.compile(rb"<([\w.-]+:)?sheetData\b[^>]*?(/?)>")
_ROW_NUMBER = re.compile(rb"\sr=[\"'](\d+)[\"']")
_DIMENSION = re.compile(rb"<(?:[\w.-]+:)?dimension\s+ref=\"([A-Za-z0-9:$]+)\"\s*/>")
_NS_DECLARATION = re.compile(rb"\sxmlns(?::[\w.-]+)?=\"[^\"]*\"")
_ROW_PARSER = safe_xml_parser()


class SheetRows:
    """The rows of one worksheet, kept as the original bytes and parsed one row at a time.

    Parsing a 20,000-row sheet into one lxml tree costs some 700 MB; finding each ``<row>`` in
    the bytes and parsing a row only when it is read or changed keeps an update small. Saving
    splices the changed and new rows back between the untouched bytes.

    Damage that would make a row ambiguous (no row number, a number outside Excel's grid, the
    same row twice, a cell reference that is not one) is refused with the sheet and row named:
    guessing could write an episode over someone's row.
    """

    def __init__(self, data: bytes, *, file: Path, part: str, name: str | None = None) -> None:
        check_xml_bytes(data, file=file, part=part)
        self.file, self.part = file, part
        self.name = name or part
        where = f"the sheet {self.name!r}"
        root = _ROOT_TAG.search(data)
        sheet_data = _SHEET_DATA.search(data)
        if root is None or sheet_data is None:
            raise TrackerError(f"{where} has no cells (no sheetData); {REPAIR_HINT}", file=file)
        self._open = root.group(0)
        self._close = b"</" + root.group(1) + b">"
        self._check_namespace(where)
        prefix = sheet_data.group(1) or b""
        self._prefix = prefix
        open_tag, close_tag = b"<" + prefix + b"sheetData>", b"</" + prefix + b"sheetData>"
        if sheet_data.group(2):  # <sheetData/>: no rows at all
            data = data[: sheet_data.start()] + open_tag + close_tag + data[sheet_data.end() :]
            start = sheet_data.start() + len(open_tag)
        else:
            start = sheet_data.end()
        end = data.find(close_tag, start)
        if end < 0:
            raise TrackerError(f"{where} is not well-formed XML; {REPAIR_HINT}", file=file)
        self.data, self.start, self.end = data, start, end
        self.spans: dict[int, tuple[int, int]] = {}
        self.changed: dict[int, etree._Element] = {}
        row_tag = re.compile(rb"<" + re.escape(prefix) + rb"row\b[^>]*?(/?)>")
        row_close = b"</" + prefix + b"row>"
        position = start
        for match in row_tag.finditer(data, start, end):
            if match.start() < position:
                continue
            number_match = _ROW_NUMBER.search(match.group(0))
            if number_match is None:
                raise TrackerError(
                    f"{where} has a row without a row number (after row "
                    f"{max(self.spans, default=0)}); {REPAIR_HINT}",
                    file=file,
                )
            number = int(number_match.group(1))
            if not 1 <= number <= MAX_ROWS:
                raise TrackerError(
                    f"{where} has a row numbered {number}, outside Excel's 1 to {MAX_ROWS:,}; "
                    f"{REPAIR_HINT}",
                    file=file,
                )
            if number in self.spans:
                raise TrackerError(
                    f"{where} has row {number} twice, so formkit cannot tell which one holds the "
                    f"episode; {REPAIR_HINT}",
                    file=file,
                )
            if match.group(1):
                row_end = match.end()
            else:
                close = data.find(row_close, match.end(), end)
                if close < 0:
                    raise TrackerError(
                        f"{where} is not well-formed XML at row {number}; {REPAIR_HINT}", file=file
                    )
                row_end = close + len(row_close)
            self.spans[number] = (match.start(), row_end)
            position = row_end
        self._dimension_extent: tuple[int, int] | None = None

    def _check_namespace(self, where: str) -> None:
        try:
            root = etree.fromstring(self._open + self._close, _ROW_PARSER)
        except etree.XMLSyntaxError as exc:
            raise TrackerError(
                f"{where} does not start like a worksheet ({exc}); {REPAIR_HINT}", file=self.file
            ) from exc
        if etree.QName(root).namespace != MAIN:
            raise TrackerError(
                f"{where} is not in the usual Excel format (it may be saved as 'Strict Open XML "
                "Spreadsheet'); save it in Excel as an ordinary 'Excel Workbook (.xlsx)' and run "
                "formkit again",
                file=self.file,
            )

    def __contains__(self, number: int) -> bool:
        return number in self.changed or number in self.spans

    def _parse(self, number: int) -> etree._Element:
        start, end = self.spans[number]
        where = f"row {number} of the sheet {self.name!r}"
        try:
            root = etree.fromstring(self._open + self.data[start:end] + self._close, _ROW_PARSER)
        except etree.XMLSyntaxError as exc:
            raise TrackerError(
                f"{where} is not well-formed XML ({exc}); {REPAIR_HINT}", file=self.file
            ) from exc
        row = root[0]
        last_col = 0
        ordered = True
        suffix = str(number)
        size = len(suffix)
        for cell in row.iterchildren(_CELL):
            ref = cell.get("r")
            # The usual case, fast: "AB12" in row 12.
            letters = ref[:-size] if ref is not None and ref.endswith(suffix) else ""
            if 0 < len(letters) <= 3 and letters.isalpha() and letters.isupper():
                col = column_index_from_string(letters)
                normal = col <= MAX_COLUMNS
            else:
                normal = False
            if not normal:
                col = self._column_of(ref, last_col, where)
                # One form for every reference (no '$', this row's number), so lookups and
                # the cells formkit writes agree.
                cell.set("r", f"{get_column_letter(col)}{number}")
            if col <= last_col:
                if col == last_col or any(
                    _split_ref(c.get("r", "A1"))[1] == col
                    for c in row.iterchildren(_CELL)
                    if c is not cell
                ):
                    raise TrackerError(
                        f"{where} has two cells in column {get_column_letter(col)}; {REPAIR_HINT}",
                        file=self.file,
                    )
                ordered = False
            last_col = max(last_col, col)
        if not ordered:  # Excel wants cells left to right; sort them so new ones land rightly
            cells = sorted(row.iterchildren(_CELL), key=lambda c: _split_ref(c.get("r", "A1"))[1])
            for cell in cells:
                row.append(cell)
        return row

    def _column_of(self, ref: str | None, last_col: int, where: str) -> int:
        if ref is None:  # no reference: the cell after the one before
            if last_col + 1 > MAX_COLUMNS:
                raise TrackerError(f"{where} has too many cells; {REPAIR_HINT}", file=self.file)
            return last_col + 1
        try:
            return _split_ref(ref)[1]
        except BadReference:
            raise TrackerError(
                f"{where} has a cell whose reference {ref[:40]!r} is not a cell reference; "
                f"{REPAIR_HINT}",
                file=self.file,
            ) from None

    def get(self, number: int) -> etree._Element | None:
        """Row ``number`` for reading (a fresh parse unless it has been changed)."""
        if number in self.changed:
            return self.changed[number]
        if number in self.spans:
            return self._parse(number)
        return None

    def for_change(self, number: int) -> etree._Element:
        """Row ``number`` to change in place; it will be written back on save."""
        row = self.changed.get(number)
        if row is None:
            row = self._parse(number) if number in self.spans else self._new_row(number)
            self.changed[number] = row
        return row

    def _new_row(self, number: int) -> etree._Element:
        # Parsed inside the worksheet's own start tag, so it uses the sheet's default namespace.
        tag = self._prefix + f'row r="{number}"'.encode()
        root = etree.fromstring(self._open + b"<" + tag + b"/>" + self._close, _ROW_PARSER)
        return root[0]

    def extend_dimension(self, last_column: int, last_row: int) -> None:
        self._dimension_extent = (last_column, last_row)

    def _row_bytes(self, row: etree._Element) -> bytes:
        text = etree.tostring(row, encoding="UTF-8", xml_declaration=False)
        tag_end = text.index(b">")
        # The worksheet element already declares every namespace the row uses.
        return _NS_DECLARATION.sub(b"", text[:tag_end]) + text[tag_end:]

    def to_bytes(self) -> bytes:
        head = self.data[: self.start]
        if self._dimension_extent is not None:
            head = self._patched_dimension(head)
        pieces = [head]
        for number in sorted(set(self.spans) | set(self.changed)):
            if number in self.changed:
                pieces.append(self._row_bytes(self.changed[number]))
            else:
                start, end = self.spans[number]
                pieces.append(self.data[start:end])
        pieces.append(self.data[self.end :])
        return b"".join(pieces)

    def _patched_dimension(self, head: bytes) -> bytes:
        match = _DIMENSION.search(head)
        if match is None or self._dimension_extent is None:
            return head
        last_column, last_row = self._dimension_extent
        old = match.group(1).decode("ascii")
        try:
            min_col, min_row, max_col, max_row = (
                _split_range(old) if ":" in old else (_split_ref(old)[::-1] * 2)
            )
        except BadReference:  # a damaged dimension is only a hint: write a right one
            min_col = min_row = max_col = max_row = 1
        ref = (
            f"{get_column_letter(min_col)}{min_row}:"
            f"{get_column_letter(max(max_col, last_column))}{max(max_row, last_row)}"
        ).encode()
        return head[: match.start(1)] + ref + head[match.end(1) :]


@dataclass
class CellReading:
    """What one cell holds: its ``value``, and ``trouble`` (plain words) when it could not be
    read as written (the value is then the cell's text, or None when there is none to keep)."""

    value: Any
    trouble: str | None = None


def _boolean_cell(value: str) -> CellReading:
    flag = value.strip().lower()
    if flag in {"1", "true"}:
        return CellReading(True)
    if flag in {"0", "false"}:
        return CellReading(False)
    return CellReading(value, f"holds {value[:20]!r}, which is not TRUE or FALSE")


def _date_cell(value: str) -> CellReading:
    moment = _iso_moment(value)
    if moment is None:
        return CellReading(value, f"holds {value[:40]!r}, which is not a date")
    return CellReading(moment)


def _number_cell(value: str) -> CellReading:
    try:
        number = float(value)
    except ValueError:
        return CellReading(value, f"holds {value[:40]!r}, which is not a number")
    if not math.isfinite(number):
        return CellReading(value, f"holds {value[:20]}, which is not a number Excel can store")
    if (
        number.is_integer()
        and abs(number) < 2**53
        and "." not in value
        and "E" not in value.upper()
    ):
        return CellReading(int(number))
    return CellReading(number)


# How each cell type (``t=``) with a saved value reads; shared strings (``s``) need the
# workbook's string table and inline strings (``inlineStr``) the cell itself.
_CELL_READERS: dict[str, Callable[[str], CellReading]] = {
    "str": CellReading,
    "e": lambda value: CellReading(value, f"holds the Excel error {value[:20]}"),
    "b": _boolean_cell,
    "d": _date_cell,
    "n": _number_cell,
}


@dataclass
class TableSheet:
    """The MissingEpisodes table inside a loaded package, ready to read and change.

    Cells are read as Excel, LibreOffice and openpyxl write them: shared and inline strings,
    numbers, booleans, ISO dates (``t="d"``), errors, formulas with or without a saved result.
    A cell that cannot be read as its column's type is never a crash: it is kept as the text it
    holds (or read as blank) and named in :attr:`problems` by row and column, and an update
    leaves it alone unless it has a new value for it.
    """

    path: Path
    sheet_part: str
    table_part: str
    styles_part: str
    sheet: SheetRows
    table: etree._Element
    styles: Styles
    strings: list[str]
    epoch: datetime
    header_row: int
    first_column: int
    last_column: int
    last_row: int
    columns: dict[str, int]  # tracker column key -> sheet column number
    sheet_name: str = SHEET_NAME
    _cell_problems: dict[str, Problem] = field(default_factory=dict)
    _cells_noted: set[str] = field(default_factory=set)
    _more_problems: int = 0

    # -- reading -------------------------------------------------------------------------

    def _cells(self, row: etree._Element) -> Iterator[tuple[int, etree._Element]]:
        # References are normal after SheetRows._parse: letters then this row's number.
        for cell in row.iterchildren(_CELL):
            yield column_index_from_string(cell.get("r", "A1").rstrip("0123456789")), cell

    def read_cell(self, cell: etree._Element) -> CellReading:
        """The value of one cell as written, whatever wrote it (see the class docstring)."""
        kind = cell.get("t", "n")
        if kind == "inlineStr":
            node = cell.find(_INLINE)
            if node is None:
                return CellReading(cell.findtext(q("v")) or None)
            return CellReading(_text_of(node))
        value = cell.findtext(q("v"))
        if value is None or (value == "" and kind != "str"):
            if cell.find(q("f")) is not None:
                return CellReading(
                    None,
                    "holds a formula with no saved result (the program that saved the workbook "
                    "did not calculate it)",
                )
            return CellReading(None)
        if kind == "s":
            return self._shared_text(value)
        reader = _CELL_READERS.get(kind)
        if reader is None:
            return CellReading(value, f"has a cell type {kind[:10]!r} that Excel does not use")
        return reader(value)

    def _shared_text(self, value: str) -> CellReading:
        index = _int_or(value.strip(), -1)
        if not 0 <= index < len(self.strings):
            return CellReading(
                None,
                f"points to shared text number {value.strip()[:20]}, which the workbook "
                f"does not have (it has {len(self.strings):,})",
            )
        return CellReading(self.strings[index])

    def raw_value(self, cell: etree._Element) -> Any:
        return self.read_cell(cell).value

    def _typed(self, reading: CellReading, column: Column) -> CellReading:
        """A reading converted to ``column``'s type; text, with trouble, when it cannot be."""
        value = reading.value
        if column.type in {"date", "datetime"} and isinstance(value, int | float):
            if isinstance(value, bool) or not 0 <= value < LAST_DATE_SERIAL:
                shown = str(value).upper() if isinstance(value, bool) else f"{value:,}"
                return CellReading(
                    str(value).upper() if isinstance(value, bool) else _number_text(value),
                    f"holds {shown}, which is not a date Excel can show (its dates run from "
                    "1900 to 9999)",
                )
            if value < 1:  # Excel's day 0: a time of day with no date
                return CellReading(
                    _number_text(value), f"holds {value}, a time of day with no date"
                )
            try:
                value = from_excel(value, self.epoch)
            except (ValueError, OverflowError):
                return CellReading(_number_text(value), f"holds {value}, which is not a date")
        elif column.type == "yesno" and isinstance(value, bool):
            value = "Y" if value else "N"
        elif isinstance(value, datetime) and value.tzinfo is not None:
            value = value.astimezone(LONDON).replace(tzinfo=None)
        return CellReading(column.normalise(value), reading.trouble)

    def value(self, cell: etree._Element | None, column: Column) -> Any:
        if cell is None:
            return None
        return self._typed(self.read_cell(cell), column).value

    def _note(self, number: int, col: int, column: Column, trouble: str, value: Any) -> None:
        ref = f"{get_column_letter(col)}{number}"
        if ref in self._cells_noted:
            return
        self._cells_noted.add(ref)
        if len(self._cell_problems) >= CELL_PROBLEMS_LISTED:
            self._more_problems += 1
            return
        outcome = "read as blank" if value is None else "kept as text"
        self._cell_problems[ref] = Problem(
            str(self.path),
            f"{trouble}; {outcome} (an update leaves the cell as it is unless it has a new "
            "value for it)",
            f"row {number}",
            f"{column.header} (cell {ref})",
        )

    @property
    def problems(self) -> list[Problem]:
        """Every cell read so far that could not be read as written, by row and column."""
        listed = list(self._cell_problems.values())
        if self._more_problems:
            listed.append(
                Problem(
                    str(self.path),
                    f"{plural(self._more_problems, 'more cell', 'more cells')} could not be read "
                    "as written (not listed); they are left as they are",
                )
            )
        return listed

    def read_row(self, number: int, spec: dict[str, Column]) -> dict[str, Any]:
        row = self.sheet.get(number)
        found: dict[int, etree._Element] = dict(self._cells(row)) if row is not None else {}
        values: dict[str, Any] = {}
        for key, col in self.columns.items():
            cell = found.get(col)
            if cell is None:
                values[key] = None
                continue
            reading = self._typed(self.read_cell(cell), spec[key])
            if reading.trouble is not None:
                if key == "reference":
                    raise self._unreadable_key(number, col, reading.trouble)
                self._note(number, col, spec[key], reading.trouble, reading.value)
            values[key] = reading.value
        return values

    def key_of(self, number: int) -> str | None:
        row = self.sheet.get(number)
        if row is None:
            return None
        key_col = self.columns["reference"]
        for col, cell in self._cells(row):
            if col == key_col:
                reading = self.read_cell(cell)
                if reading.trouble is not None:
                    raise self._unreadable_key(number, col, reading.trouble)
                value = reading.value
                text = "" if value is None else str(value).strip()
                return text or None
            if col > key_col:
                break
        return None

    def _unreadable_key(self, number: int, col: int, trouble: str) -> TrackerError:
        ref = f"{get_column_letter(col)}{number}"
        return TrackerError(
            f"cell {ref} on the sheet {self.sheet_name!r}, the "
            f"{by_key()['reference'].header} of row {number}, {trouble}; every row needs a "
            "readable key, so correct that cell in Excel and run formkit again. Nothing was "
            "changed",
            file=self.path,
        )

    def _has_content(self, cell: etree._Element) -> bool:
        if cell.find(q("f")) is not None:  # a formula, even one with no saved result
            return True
        reading = self.read_cell(cell)
        return reading.trouble is not None or reading.value not in (None, "")

    def row_is_blank(self, number: int) -> bool:
        row = self.sheet.get(number)
        if row is None:
            return True
        for col, cell in self._cells(row):
            if self.first_column <= col <= self.last_column and self._has_content(cell):
                return False
        return True

    def iter_rows(self, spec: dict[str, Column]) -> Iterator[dict[str, Any]]:
        """Every non-blank data row of the table, as column key -> value."""
        for number in range(self.header_row + 1, self.last_row + 1):
            if number in self.sheet and not self.row_is_blank(number):
                yield self.read_row(number, spec)

    # -- writing -------------------------------------------------------------------------

    def _row(self, number: int) -> etree._Element:
        return self.sheet.for_change(number)

    def _cell(self, number: int, col: int) -> etree._Element:
        row = self._row(number)
        ref = f"{get_column_letter(col)}{number}"
        for existing_col, cell in self._cells(row):
            if existing_col == col:
                return cell
            if existing_col > col:
                new = etree.SubElement(row, q("c"), r=ref)  # takes the row's namespace
                cell.addprevious(new)
                return new
        return etree.SubElement(row, q("c"), r=ref)

    def _base_style(self, number: int, col: int) -> int:
        cell = self._existing(number, col)
        if cell is None:
            cell = self._existing(number - 1, col)
        return _int_or(cell.get("s"), 0) if cell is not None else 0

    def _existing(self, number: int, col: int) -> etree._Element | None:
        row = self.sheet.get(number)
        if row is None:
            return None
        for existing_col, cell in self._cells(row):
            if existing_col == col:
                return cell
        return None

    def write(self, number: int, key: str, value: Any, column: Column) -> None:
        """Set one cell of the table to ``value`` with the column's type and number format.

        Text is made fit for Excel first (see :func:`~formkit.tracker.safety.fit_for_excel`;
        the update has already warned about it), so a save can never fail half-way on a
        character or a length Excel refuses.
        """
        if isinstance(value, float) and not math.isfinite(value):
            value = str(value)
        if isinstance(value, str):
            value = fit_for_excel(value)[0] or None
        col = self.columns[key]
        value = column.to_cell(value)  # choices show as words; reading them back gives codes
        base = self._base_style(number, col)
        cell = self._cell(number, col)
        for child in list(cell):
            cell.remove(child)
        for attribute in ("t", "cm", "vm"):
            cell.attrib.pop(attribute, None)
        quote = isinstance(value, str) and looks_like_formula(value)
        cell.set("s", str(self.styles.style_for(base, column.number_format, quote)))
        if value is None:
            return
        if isinstance(value, str):
            cell.set("t", "inlineStr")
            text = etree.SubElement(etree.SubElement(cell, q("is")), q("t"))
            text.text = value
            if value != value.strip() or "\n" in value:
                text.set(XML_SPACE, "preserve")
            return
        if isinstance(value, datetime | date):
            number_value: float = to_excel(value, self.epoch)
            etree.SubElement(cell, q("v")).text = repr(round(number_value, 10))
            return
        if isinstance(value, bool):
            cell.set("t", "b")
            etree.SubElement(cell, q("v")).text = "1" if value else "0"
            return
        etree.SubElement(cell, q("v")).text = repr(value)

    def grow_to(self, last_row: int) -> None:
        first, last = get_column_letter(self.first_column), get_column_letter(self.last_column)
        ref = f"{first}{self.header_row}:{last}{last_row}"
        self.table.set("ref", ref)
        auto_filter = self.table.find(q("autoFilter"))
        if auto_filter is not None:
            auto_filter.set("ref", ref)
        self.sheet.extend_dimension(self.last_column, last_row)
        self.last_row = last_row


def _iso_moment(text: str) -> datetime | date | None:
    """An ISO 8601 date or date-time as ``t="d"`` cells hold it; None if it is not one."""
    text = text.strip()
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _number_text(value: float) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _xml_bytes(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


@dataclass
class _Parts:
    sheet: str
    sheet_name: str
    table: str
    styles: str = "xl/styles.xml"
    strings: str = "xl/sharedStrings.xml"


def _sheet_names(workbook: etree._Element) -> dict[str, str]:
    """Relationship id -> sheet name, from ``xl/workbook.xml``."""
    sheets = workbook.find(q("sheets"))
    found: dict[str, str] = {}
    for sheet in sheets.iterchildren(q("sheet")) if sheets is not None else []:
        rel_id = sheet.get(f"{{{OFFICE_REL}}}id")
        if rel_id:
            found[rel_id] = sheet.get("name", "")
    return found


def _workbook_rels(package: zipfile.ZipFile, path: Path) -> etree._Element:
    part = "xl/_rels/workbook.xml.rels"
    return parse_xml(read_part(package, part, file=path), file=path, part=part)


def find_table(
    package: zipfile.ZipFile,
    path: Path,
    table_name: str,
    workbook_rels: etree._Element | None = None,
) -> tuple[etree._Element, str, str] | None:
    """(workbook relationship of its worksheet, worksheet part, table part) of the Excel table
    named ``table_name``, or None when the workbook has none: the one search for a table, by
    the tracker's own table and the Today sheet alike."""
    rels = _workbook_rels(package, path) if workbook_rels is None else workbook_rels
    names = set(package.namelist())
    for rel in rels:
        if not rel.get("Type", "").endswith("/worksheet"):
            continue
        sheet_part = _resolve("xl/workbook.xml", rel.get("Target", ""))
        rels_part = _rels_part(sheet_part)
        if rels_part not in names:
            continue
        sheet_rels = parse_xml(read_part(package, rels_part, file=path), file=path, part=rels_part)
        for table_rel in sheet_rels:
            if table_rel.get("Type") != TABLE_REL:
                continue
            table_part = _resolve(sheet_part, table_rel.get("Target", ""))
            table = parse_xml(read_part(package, table_part, file=path), file=path, part=table_part)
            if table_name in {table.get("displayName"), table.get("name")}:
                return rel, sheet_part, table_part
    return None


def _find_table(package: zipfile.ZipFile, path: Path, workbook: etree._Element) -> _Parts:
    workbook_rels = _workbook_rels(package, path)
    others: dict[str, str] = {}
    for rel in workbook_rels:
        kind = rel.get("Type", "")
        if kind.endswith("/styles") or kind.endswith("/sharedStrings"):
            others[kind.rsplit("/", 1)[1]] = _resolve("xl/workbook.xml", rel.get("Target", ""))
    hit = find_table(package, path, TABLE_NAME, workbook_rels)
    if hit is None:
        raise TrackerError(
            f"has no Excel table named '{TABLE_NAME}'; is it a tracker made by "
            "'formkit tracker init'?",
            file=path,
        )
    rel, sheet_part, table_part = hit
    name = _sheet_names(workbook).get(rel.get("Id", ""), "") or posixpath.basename(sheet_part)
    found = _Parts(sheet_part, name, table_part)
    found.styles = others.get("styles", found.styles)
    found.strings = others.get("sharedStrings", found.strings)
    return found


def _shared_strings(package: zipfile.ZipFile, path: Path, part: str) -> list[str]:
    if part not in package.namelist():
        return []
    root = parse_xml(read_part(package, part, file=path), file=path, part=part)
    return [_text_of(item) for item in root.iterchildren(q("si"))]


def _table_layout(table: etree._Element, parts: _Parts, path: Path) -> tuple[int, int, int, int]:
    """The Table's range, checked: one header row, no totals row, one name per column."""
    what = f"the Table '{TABLE_NAME}' on the sheet {parts.sheet_name!r}"
    if _int_or(table.get("headerRowCount"), -1 if table.get("headerRowCount") else 1) != 1 or (
        _int_or(table.get("totalsRowCount") or "0", -1) != 0
    ):
        raise TrackerError(
            f"{what} must have one header row and no totals row; turn the header row on and "
            "the totals row off (Table Design in Excel) and run again",
            file=path,
        )
    ref = table.get("ref", "")
    try:
        min_col, min_row, max_col, max_row = _split_range(ref)
    except BadReference:
        raise TrackerError(
            f"{what} has a damaged range {ref[:40]!r} (it should look like A1:AN20); {REPAIR_HINT}",
            file=path,
        ) from None
    table_columns = table.find(q("tableColumns"))
    names = (
        [c.get("name", "") for c in table_columns.iterchildren(q("tableColumn"))]
        if table_columns is not None
        else []
    )
    width = max_col - min_col + 1
    if len(names) != width:
        raise TrackerError(
            f"{what} covers {plural(width, 'column')} ({ref}) but names {len(names)}; the file is "
            f"damaged: {REPAIR_HINT}",
            file=path,
        )
    seen: set[str] = set()
    for name in names:
        if name.strip().lower() in seen:
            raise TrackerError(
                f"{what} has two columns named {name.strip()!r}; rename one and run again",
                file=path,
            )
        seen.add(name.strip().lower())
    return min_col, min_row, max_col, max_row


def load_table(path: str | Path) -> TableSheet:
    """Read the tracker's table (and the row layout of its worksheet) from ``path``.

    A workbook damaged where formkit needs it (the Table's range or columns, a row or a cell
    reference of its sheet) is refused with one :class:`~formkit.errors.TrackerError` that
    names the sheet, cell or Table; cells that hold odd values are read as described in
    :class:`TableSheet`. Nothing else escapes: any other failure to read the package is a
    ``TrackerError`` saying the file is damaged.
    """
    path = Path(path)
    check_office_zip(path, kind="xlsx")
    try:
        return _load_table(path)
    except FormkitError:
        raise
    except (
        ValueError,
        KeyError,
        IndexError,
        TypeError,
        OverflowError,
        RecursionError,
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        etree.LxmlError,
    ) as exc:
        raise damaged(path, exc) from exc


def damaged(path: Path, exc: BaseException) -> TrackerError:
    """The one message for a workbook damaged in a way no check above names."""
    detail = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
    return TrackerError(
        f"could not be read as a tracker: the file is damaged ({detail}); {REPAIR_HINT}",
        file=path,
    )


def _load_table(path: Path) -> TableSheet:
    with zipfile.ZipFile(path) as package:
        workbook = parse_xml(
            read_part(package, "xl/workbook.xml", file=path), file=path, part="xl/workbook.xml"
        )
        parts = _find_table(package, path, workbook)
        strings = _shared_strings(package, path, parts.strings)
        table = parse_xml(read_part(package, parts.table, file=path), file=path, part=parts.table)
        styles = Styles(
            parse_xml(read_part(package, parts.styles, file=path), file=path, part=parts.styles),
            file=path,
        )
        sheet = SheetRows(
            read_part(package, parts.sheet, file=path),
            file=path,
            part=parts.sheet,
            name=parts.sheet_name,
        )
    properties = workbook.find(q("workbookPr"))
    mac = properties is not None and properties.get("date1904") in {"1", "true"}
    min_col, min_row, max_col, max_row = _table_layout(table, parts, path)
    known = by_header()
    mapped: dict[str, int] = {}
    table_columns = table.find(q("tableColumns"))
    assert table_columns is not None  # checked by _table_layout
    for offset, column_node in enumerate(table_columns.iterchildren(q("tableColumn"))):
        column = known.get(column_node.get("name", "").strip())
        if column is not None:
            mapped[column.key] = min_col + offset
    if "reference" not in mapped:
        raise TrackerError(
            f"the table '{TABLE_NAME}' has no '{by_key()['reference'].header}' column, the key "
            "rows are matched by",
            file=path,
        )
    return TableSheet(
        path=path,
        sheet_part=parts.sheet,
        table_part=parts.table,
        styles_part=parts.styles,
        sheet=sheet,
        table=table,
        styles=styles,
        strings=strings,
        epoch=CALENDAR_MAC_1904 if mac else CALENDAR_WINDOWS_1900,
        header_row=min_row,
        first_column=min_col,
        last_column=max_col,
        last_row=max_row,
        columns=mapped,
        sheet_name=parts.sheet_name,
    )


def write_package(
    table: TableSheet, source: Path, handle: Any, extra: dict[str, bytes] | None = None
) -> None:
    """Write the package to an open binary file: the changed parts new, the rest as they were.

    ``extra`` holds other parts to replace (the Today sheet) or add (formkit's memory sheet),
    by part name.
    """
    changed = {
        **(extra or {}),
        table.sheet_part: table.sheet.to_bytes(),
        table.table_part: _xml_bytes(table.table),
    }
    if table.styles.changed:
        changed[table.styles_part] = _xml_bytes(table.styles.root)
    with (
        zipfile.ZipFile(source) as package,
        zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as out,
    ):
        for info in package.infolist():
            data = changed.get(info.filename)
            if data is None:
                data = read_part(package, info.filename, file=source)
            new_info = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            new_info.compress_type = zipfile.ZIP_DEFLATED
            new_info.external_attr = info.external_attr
            out.writestr(new_info, data)
        for name in sorted(set(changed) - set(package.namelist())):
            out.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), changed[name])

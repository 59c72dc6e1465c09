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
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from lxml import etree
from openpyxl.styles.numbers import BUILTIN_FORMATS_REVERSE
from openpyxl.utils import column_index_from_string, get_column_letter, range_boundaries
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel, to_excel

from formkit.errors import TrackerError
from formkit.intake import check_office_zip, check_xml_bytes, parse_xml, read_part, safe_xml_parser
from formkit.tracker.columns import TABLE_NAME, Column, by_header, by_key
from formkit.tracker.safety import looks_like_formula

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
OFFICE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
TABLE_REL = OFFICE_REL + "/table"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def q(tag: str) -> str:
    return f"{{{MAIN}}}{tag}"


def _split_ref(ref: str) -> tuple[int, int]:
    """``"AB12"`` -> (row 12, column 28)."""
    letters = ref.rstrip("0123456789")
    return int(ref[len(letters) :]), column_index_from_string(letters)


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
    changed: bool = False
    _cache: dict[tuple[int, str, bool], int] = field(default_factory=dict)

    def _num_fmt_id(self, code: str) -> int:
        if code in BUILTIN_FORMATS_REVERSE:
            return int(BUILTIN_FORMATS_REVERSE[code])
        num_fmts = self.root.find(q("numFmts"))
        ids = [163]
        if num_fmts is not None:
            for fmt in num_fmts.findall(q("numFmt")):
                ids.append(int(fmt.get("numFmtId", "0")))
                if fmt.get("formatCode") == code:
                    return int(fmt.get("numFmtId", "0"))
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
        if xfs is None:
            raise TrackerError("the workbook's styles part has no cell formats")
        formats = list(xfs)
        source = formats[base] if base < len(formats) else formats[0]
        fmt_id = self._num_fmt_id(code)
        if (
            int(source.get("numFmtId", "0")) == fmt_id
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
_SHEET_DATA = re.compile(rb"<sheetData\b[^>]*?(/?)>")
_ROW_TAG = re.compile(rb"<row\b[^>]*?(/?)>")
_ROW_NUMBER = re.compile(rb"\sr=\"(\d+)\"")
_DIMENSION = re.compile(rb"<dimension\s+ref=\"([A-Z0-9:]+)\"\s*/>")
_NS_DECLARATION = re.compile(rb"\sxmlns(?::[\w.-]+)?=\"[^\"]*\"")
_ROW_PARSER = safe_xml_parser()


class SheetRows:
    """The rows of one worksheet, kept as the original bytes and parsed one row at a time.

    Parsing a 20,000-row sheet into one lxml tree costs some 700 MB; finding each ``<row>`` in
    the bytes and parsing a row only when it is read or changed keeps an update small. Saving
    splices the changed and new rows back between the untouched bytes.
    """

    def __init__(self, data: bytes, *, file: Path, part: str) -> None:
        check_xml_bytes(data, file=file, part=part)
        root = _ROOT_TAG.search(data)
        sheet_data = _SHEET_DATA.search(data)
        if root is None or sheet_data is None:
            raise TrackerError(f"the worksheet {part!r} has no cells (no sheetData)", file=file)
        self.file, self.part = file, part
        self._open = root.group(0)
        self._close = b"</" + root.group(1) + b">"
        if sheet_data.group(1):  # <sheetData/>: no rows at all
            data = (
                data[: sheet_data.start()] + b"<sheetData></sheetData>" + data[sheet_data.end() :]
            )
            start = sheet_data.start() + len(b"<sheetData>")
        else:
            start = sheet_data.end()
        end = data.find(b"</sheetData>", start)
        if end < 0:
            raise TrackerError(f"the worksheet {part!r} is not well-formed XML", file=file)
        self.data, self.start, self.end = data, start, end
        self.spans: dict[int, tuple[int, int]] = {}
        self.changed: dict[int, etree._Element] = {}
        position = start
        for match in _ROW_TAG.finditer(data, start, end):
            if match.start() < position:
                continue
            number_match = _ROW_NUMBER.search(match.group(0))
            if number_match is None:
                raise TrackerError(
                    f"the worksheet {part!r} has a row without a row number; open and save it "
                    "in Excel, then run again",
                    file=file,
                )
            if match.group(1):
                row_end = match.end()
            else:
                close = data.find(b"</row>", match.end(), end)
                if close < 0:
                    raise TrackerError(f"the worksheet {part!r} is not well-formed XML", file=file)
                row_end = close + len(b"</row>")
            self.spans[int(number_match.group(1))] = (match.start(), row_end)
            position = row_end
        self._dimension_extent: tuple[int, int] | None = None

    def __contains__(self, number: int) -> bool:
        return number in self.changed or number in self.spans

    def _parse(self, number: int) -> etree._Element:
        start, end = self.spans[number]
        try:
            root = etree.fromstring(self._open + self.data[start:end] + self._close, _ROW_PARSER)
        except etree.XMLSyntaxError as exc:
            raise TrackerError(
                f"row {number} of the worksheet {self.part!r} is not well-formed XML ({exc})",
                file=self.file,
            ) from exc
        row = root[0]
        last_col = 0
        for cell in row.iterchildren(q("c")):
            if cell.get("r") is None:
                cell.set("r", f"{get_column_letter(last_col + 1)}{number}")
            last_col = _split_ref(cell.get("r", "A1"))[1]
        return row

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
        root = etree.fromstring(
            self._open + f'<row r="{number}"/>'.encode() + self._close, _ROW_PARSER
        )
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
        min_col, min_row, max_col, max_row = range_boundaries(match.group(1).decode("ascii"))
        last_column, last_row = self._dimension_extent
        ref = (
            f"{get_column_letter(min_col or 1)}{min_row or 1}:"
            f"{get_column_letter(max(max_col or 1, last_column))}{max(max_row or 1, last_row)}"
        )
        return head[: match.start()] + f'<dimension ref="{ref}"/>'.encode() + head[match.end() :]


@dataclass
class TableSheet:
    """The MissingEpisodes table inside a loaded package, ready to read and change."""

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

    # -- reading -------------------------------------------------------------------------

    def _cells(self, row: etree._Element) -> Iterator[tuple[int, etree._Element]]:
        for cell in row.iterchildren(q("c")):
            yield _split_ref(cell.get("r", "A1"))[1], cell

    def raw_value(self, cell: etree._Element) -> Any:
        kind = cell.get("t", "n")
        if kind == "inlineStr":
            node = cell.find(q("is"))
            return (
                "".join(node.xpath("./m:t/text()|./m:r/m:t/text()", namespaces={"m": MAIN}))
                if node is not None
                else None
            )
        value = cell.findtext(q("v"))
        if value is None:
            return None
        if kind == "s":
            return self.strings[int(value)]
        if kind in {"str", "e"}:
            return value
        if kind == "b":
            return value == "1"
        number = float(value)
        return (
            int(number) if number.is_integer() and "." not in value and "E" not in value else number
        )

    def value(self, cell: etree._Element | None, column: Column) -> Any:
        if cell is None:
            return None
        value = self.raw_value(cell)
        if column.type in {"date", "datetime"} and isinstance(value, int | float):
            value = from_excel(value, self.epoch)
        return column.normalise(value)

    def read_row(self, number: int, spec: dict[str, Column]) -> dict[str, Any]:
        row = self.sheet.get(number)
        found: dict[int, etree._Element] = dict(self._cells(row)) if row is not None else {}
        return {key: self.value(found.get(col), spec[key]) for key, col in self.columns.items()}

    def key_of(self, number: int) -> str | None:
        row = self.sheet.get(number)
        if row is None:
            return None
        key_col = self.columns["reference"]
        for col, cell in self._cells(row):
            if col == key_col:
                value = self.raw_value(cell)
                text = "" if value is None else str(value).strip()
                return text or None
            if col > key_col:
                break
        return None

    def row_is_blank(self, number: int) -> bool:
        row = self.sheet.get(number)
        if row is None:
            return True
        for col, cell in self._cells(row):
            if self.first_column <= col <= self.last_column and self.raw_value(cell) not in (
                None,
                "",
            ):
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
        return int(cell.get("s", "0")) if cell is not None else 0

    def _existing(self, number: int, col: int) -> etree._Element | None:
        row = self.sheet.get(number)
        if row is None:
            return None
        for existing_col, cell in self._cells(row):
            if existing_col == col:
                return cell
        return None

    def write(self, number: int, key: str, value: Any, column: Column) -> None:
        """Set one cell of the table to ``value`` with the column's type and number format."""
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


def _xml_bytes(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _find_table(package: zipfile.ZipFile, path: Path) -> tuple[str, str]:
    names = set(package.namelist())
    workbook_rels = parse_xml(
        read_part(package, "xl/_rels/workbook.xml.rels", file=path),
        file=path,
        part="xl/_rels/workbook.xml.rels",
    )
    for rel in workbook_rels:
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
            if TABLE_NAME in {table.get("displayName"), table.get("name")}:
                return sheet_part, table_part
    raise TrackerError(
        f"has no Excel table named '{TABLE_NAME}'; is it a tracker made by 'formkit tracker init'?",
        file=path,
    )


def _shared_strings(package: zipfile.ZipFile, path: Path) -> list[str]:
    part = "xl/sharedStrings.xml"
    if part not in package.namelist():
        return []
    root = parse_xml(read_part(package, part, file=path), file=path, part=part)
    return [
        "".join(item.xpath("./m:t/text()|./m:r/m:t/text()", namespaces={"m": MAIN}))
        for item in root.iterchildren(q("si"))
    ]


def load_table(path: str | Path) -> TableSheet:
    """Read the tracker's table (and the row layout of its worksheet) from ``path``."""
    path = Path(path)
    check_office_zip(path, kind="xlsx")
    with zipfile.ZipFile(path) as package:
        sheet_part, table_part = _find_table(package, path)
        strings = _shared_strings(package, path)
        workbook = parse_xml(
            read_part(package, "xl/workbook.xml", file=path), file=path, part="xl/workbook.xml"
        )
        table = parse_xml(read_part(package, table_part, file=path), file=path, part=table_part)
        styles_part = "xl/styles.xml"
        styles = Styles(
            parse_xml(read_part(package, styles_part, file=path), file=path, part=styles_part)
        )
        sheet = SheetRows(read_part(package, sheet_part, file=path), file=path, part=sheet_part)
    properties = workbook.find(q("workbookPr"))
    mac = properties is not None and properties.get("date1904") in {"1", "true"}
    if int(table.get("headerRowCount", "1")) != 1 or int(table.get("totalsRowCount", "0") or 0):
        raise TrackerError(
            f"the table '{TABLE_NAME}' must have one header row and no totals row", file=path
        )
    min_col, min_row, max_col, max_row = range_boundaries(table.get("ref", ""))
    assert min_col and min_row and max_col and max_row
    known = by_header()
    mapped: dict[str, int] = {}
    table_columns = table.find(q("tableColumns"))
    names = [c.get("name", "") for c in table_columns] if table_columns is not None else []
    for offset, name in enumerate(names):
        column = known.get(name.strip())
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
        sheet_part=sheet_part,
        table_part=table_part,
        styles_part=styles_part,
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
    )


def write_package(table: TableSheet, source: Path, handle: Any) -> None:
    """Write the package to an open binary file: the changed parts new, the rest as they were."""
    changed = {
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

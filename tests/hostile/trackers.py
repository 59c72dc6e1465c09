"""Trackers as other tools leave them: each case edits a real formkit tracker.

Cases are built at test time from a tracker that ``formkit tracker init`` made and ``tracker
update`` filled with three invented episodes (rows 2-4: TST-1, TST-2, TST-3). Some edit the
workbook with openpyxl (as a script or a person would), most edit the sheet or Table XML
directly (as Excel, LibreOffice, .NET or hand-made exports write it). Column letters come from
the tracker's own column spec, so the cases follow it when columns are added.

The damage is in row 3 (TST-2), which the test's update does not change. Each case says what
the commands must do: ``clean`` (exit 0, no warning), ``warned`` (exit 0; ``export`` and
``report``, which read that row, warn with the words: the bad cell named by row and column;
``update`` leaves it exactly as it was), or ``refused`` (exit 1, one message containing the
words, the workbook unchanged).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from formkit.tracker.columns import columns

SHEET = "xl/worksheets/sheet1.xml"
TABLE = "xl/tables/table1.xml"
DAMAGED_ROW = 3  # TST-2: not in the update's source, so its damage stays


def letter(key: str) -> str:
    for index, column in enumerate(columns(), start=1):
        if column.key == key:
            return get_column_letter(index)
    raise KeyError(key)


def header(key: str) -> str:
    return next(c.header for c in columns() if c.key == key)


def cell(key: str, row: int = DAMAGED_ROW) -> str:
    return f"{letter(key)}{row}"


# -- editing a package ----------------------------------------------------------------------


def edit_part(path: Path, part: str, change: Callable[[str], str]) -> None:
    """Rewrite one part of the package with ``change`` (text in, text out)."""
    with zipfile.ZipFile(path) as package:
        items = [(info, package.read(info.filename)) for info in package.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for info, data in items:
            if info.filename == part:
                data = change(data.decode("utf-8")).encode("utf-8")
            package.writestr(info, data)


def _cell_pattern(ref: str) -> re.Pattern[str]:
    return re.compile(rf'<c r="{ref}"(?:\s[^>]*)?(?:/>|>.*?</c>)', re.S)


def replace_cell(path: Path, ref: str, xml: str) -> None:
    """Put ``xml`` in place of the cell ``ref`` of the Episodes sheet (which must exist)."""

    def change(text: str) -> str:
        new, count = _cell_pattern(ref).subn(lambda _m: xml, text, count=1)
        assert count == 1, f"no cell {ref} to replace"
        return new

    edit_part(path, SHEET, change)


def sheet_sub(pattern: str, replacement: str, *, count: int = 0) -> Callable[[Path], None]:
    def edit(path: Path) -> None:
        def change(text: str) -> str:
            new, done = re.subn(pattern, replacement, text, count=count, flags=re.S)
            assert done, f"{pattern!r} did not match the sheet"
            return new

        edit_part(path, SHEET, change)

    return edit


def table_sub(pattern: str, replacement: str) -> Callable[[Path], None]:
    def edit(path: Path) -> None:
        def change(text: str) -> str:
            new, done = re.subn(pattern, replacement, text, count=1, flags=re.S)
            assert done, f"{pattern!r} did not match the table"
            return new

        edit_part(path, TABLE, change)

    return edit


def cell_xml(key: str, xml: str, row: int = DAMAGED_ROW) -> Callable[[Path], None]:
    """Replace one cell with ``xml``; ``{r}`` in it is the cell's reference."""
    ref = cell(key, row)
    return lambda path: replace_cell(path, ref, xml.format(r=ref))


def with_openpyxl(
    change: Callable[..., None], *, iso_dates: bool = False
) -> Callable[[Path], None]:
    def edit(path: Path) -> None:
        book = load_workbook(path)
        book.iso_dates = iso_dates
        change(book["Episodes"])
        book.save(path)

    return edit


def _set(key: str, value: object, row: int = DAMAGED_ROW) -> Callable[..., None]:
    def change(sheet: object) -> None:
        sheet[cell(key, row)].value = value  # type: ignore[index]

    return change


def _row_without_number(path: Path) -> None:
    sheet_sub(rf'<row r="{DAMAGED_ROW}"', "<row", count=1)(path)


def _rows_reversed(path: Path) -> None:
    def change(text: str) -> str:
        start, end = text.index("<sheetData>") + 11, text.index("</sheetData>")
        rows = re.findall(r"<row\b.*?</row>", text[start:end], flags=re.S)
        return text[:start] + "".join(reversed(rows)) + text[end:]

    edit_part(path, SHEET, change)


def _cells_reversed(path: Path) -> None:
    def change(text: str) -> str:
        row = re.search(rf'<row r="{DAMAGED_ROW}"[^>]*>(.*?)</row>', text, flags=re.S)
        assert row is not None
        cells = re.findall(r"<c\b(?:[^>]*/>|.*?</c>)", row.group(1), flags=re.S)
        return text[: row.start(1)] + "".join(reversed(cells)) + text[row.end(1) :]

    edit_part(path, SHEET, change)


def _refs(transform: Callable[[str], str]) -> Callable[[Path], None]:
    """Rewrite every cell reference in the damaged row."""

    def edit(path: Path) -> None:
        def change(text: str) -> str:
            row = re.search(rf'<row r="{DAMAGED_ROW}"[^>]*>(.*?)</row>', text, flags=re.S)
            assert row is not None
            body = re.sub(r'<c r="([A-Z]+\d+)"', lambda m: transform(m.group(1)), row.group(1))
            return text[: row.start(1)] + body + text[row.end(1) :]

        edit_part(path, SHEET, change)

    return edit


def _prefixed(path: Path) -> None:
    """The sheet written with an ``x:`` prefix for the main namespace (.NET OpenXML SDK)."""

    def change(text: str) -> str:
        main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        text = text.replace(f'xmlns="{main}"', f'xmlns:x="{main}"', 1)
        return re.sub(r"<(/?)(?![?!])([A-Za-z]+)(?=[\s/>])", r"<\1x:\2", text)

    edit_part(path, SHEET, change)


def _strict(path: Path) -> None:
    def change(text: str) -> str:
        return text.replace(
            "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
            "http://purl.oclc.org/ooxml/spreadsheetml/main",
            1,
        )

    edit_part(path, SHEET, change)


def _shared_strings(path: Path) -> None:
    """Every inline string moved to a shared-strings part, as Excel and LibreOffice save."""
    found: list[str] = []

    def change(text: str) -> str:
        def swap(match: re.Match[str]) -> str:
            found.append(match.group(2))
            return f'{match.group(1)} t="s"><v>{len(found) - 1}</v></c>'

        return re.sub(
            r'(<c r="[A-Z]+\d+"(?: s="\d+")?) t="inlineStr"><is><t[^>]*>(.*?)</t></is></c>',
            swap,
            text,
        )

    edit_part(path, SHEET, change)
    items = "".join(f"<si><t>{text}</t></si>" for text in found)
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    strings = f'<sst xmlns="{main}" count="{len(found)}" uniqueCount="{len(found)}">{items}</sst>'
    ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
    with zipfile.ZipFile(path) as package:
        items_in = [(info, package.read(info.filename)) for info in package.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for info, data in items_in:
            if info.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    f'<Override PartName="/xl/sharedStrings.xml" ContentType="{ctype}"/></Types>'.encode(),
                )
            if info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    f'<Relationship Id="rIdS1" Type="{rel}" Target="sharedStrings.xml"/></Relationships>'.encode(),
                )
            package.writestr(info, data)
        package.writestr("xl/sharedStrings.xml", strings)


def _shared_index(index: str, key: str = "where_found") -> Callable[[Path], None]:
    def edit(path: Path) -> None:
        _shared_strings(path)
        replace_cell(path, cell(key), f'<c r="{cell(key)}" t="s"><v>{index}</v></c>')

    return edit


def _formula_rows_below(path: Path) -> None:
    """Formulas with no saved result in the rows under the table (a script filled them)."""

    def change(sheet: object) -> None:
        for row in (5, 6):
            sheet[f"{letter('where_found')}{row}"] = f"=UPPER(B{row})"  # type: ignore[index]

    with_openpyxl(change)(path)


# -- the cases ------------------------------------------------------------------------------

Outcome = Literal["clean", "warned", "refused"]


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[Path], None]
    outcome: Outcome
    words: tuple[str, ...] = ()
    reads: Outcome | None = None  # for export and report, when not the same as for update

    @property
    def read_outcome(self) -> Outcome:
        return self.reads or self.outcome


def _warned(key: str, *words: str) -> tuple[str, ...]:
    return (f"row {DAMAGED_ROW}: {header(key)} (cell {cell(key)})", *words)


TABLE_WORDS = "the Table 'MissingEpisodes' on the sheet 'Episodes'"
SHEET_WORDS = "the sheet 'Episodes'"


def cases() -> list[Case]:
    """Every case, by family."""
    c = Case
    return [
        # Formulas saved without a result (openpyxl never calculates).
        c("formula-openpyxl-text", with_openpyxl(_set("where_found", '=UPPER("x")')), "warned",
          _warned("where_found", "formula with no saved result", "read as blank")),
        c("formula-openpyxl-date", with_openpyxl(_set("last_seen", "=NOW()")), "warned",
          _warned("last_seen", "formula with no saved result")),
        c("formula-empty-v", cell_xml("duration_hours", '<c r="{r}"><f>1+1</f><v></v></c>'),
          "warned", _warned("duration_hours", "formula with no saved result")),
        c("formula-cached", cell_xml("duration_hours", '<c r="{r}"><f>1+1</f><v>2</v></c>'),
          "clean"),
        c("formula-str-cached", cell_xml("where_found", '<c r="{r}" t="str"><f>A1</f><v>x</v></c>'),
          "clean"),
        c("formula-key", with_openpyxl(_set("reference", '="TST-"&2')), "refused",
          (f"cell {cell('reference')} on the sheet 'Episodes'", "formula with no saved result",
           "Nothing was changed")),
        c("formula-rows-below-table", _formula_rows_below, "refused",
          ("row 5, just below the table, is not empty",), reads="clean"),
        # ISO dates (t="d"), as LibreOffice and openpyxl (iso_dates) write them.
        c("iso-datetime", cell_xml("last_seen", '<c r="{r}" t="d"><v>2026-10-05T18:00:00</v></c>'),
          "clean"),
        c("iso-date-only", cell_xml("date_of_birth", '<c r="{r}" t="d"><v>2011-04-02</v></c>'),
          "clean"),
        c("iso-utc", cell_xml("returned", '<c r="{r}" t="d"><v>2026-10-06T08:30:00Z</v></c>'),
          "clean"),
        c("iso-garbage", cell_xml("last_seen", '<c r="{r}" t="d"><v>next Tuesday</v></c>'),
          "warned", _warned("last_seen", "which is not a date", "kept as text")),
        c("iso-openpyxl", with_openpyxl(_set("rhi_held", datetime(2026, 10, 7, 9)), iso_dates=True),
          "clean"),
        # Numbers a date column cannot show.
        c("date-ten-million", with_openpyxl(_set("last_seen", 10_000_000)), "warned",
          _warned("last_seen", "10,000,000, which is not a date Excel can show")),
        c("date-negative", cell_xml("date_of_birth", '<c r="{r}"><v>-5</v></c>'), "warned",
          _warned("date_of_birth", "not a date Excel can show")),
        c("date-huge", cell_xml("returned", '<c r="{r}"><v>1E+308</v></c>'), "warned",
          _warned("returned", "not a date Excel can show")),
        c("date-interview-column", with_openpyxl(_set("rhi_held", 10_000_000)), "warned",
          _warned("rhi_held", "not a date Excel can show", "kept as text")),
        c("date-time-only", cell_xml("last_seen", '<c r="{r}"><v>0.5</v></c>'), "warned",
          _warned("last_seen", "holds 0.5, a time of day with no date", "kept as text")),
        c("date-boolean", cell_xml("last_seen", '<c r="{r}" t="b"><v>1</v></c>'), "warned",
          _warned("last_seen", "TRUE, which is not a date")),
        # NaN, infinities and words where a number should be.
        c("nan-number", cell_xml("duration_hours", '<c r="{r}"><v>NaN</v></c>'), "warned",
          _warned("duration_hours", "NaN, which is not a number Excel can store")),
        c("inf-number", cell_xml("duration_hours", '<c r="{r}"><v>INF</v></c>'), "warned",
          _warned("duration_hours", "INF")),
        c("minus-inf", cell_xml("age", '<c r="{r}"><v>-inf</v></c>'), "warned",
          _warned("age", "-inf")),
        c("overflow-number", cell_xml("age", '<c r="{r}"><v>1e400</v></c>'), "warned",
          _warned("age", "1e400")),
        c("nan-date", cell_xml("last_seen", '<c r="{r}"><v>nan</v></c>'), "warned",
          _warned("last_seen", "nan")),
        c("words-in-number", cell_xml("age", '<c r="{r}"><v>fourteen</v></c>'), "warned",
          _warned("age", "'fourteen', which is not a number")),
        c("nan-key", cell_xml("reference", '<c r="{r}"><v>NaN</v></c>'), "refused",
          (f"cell {cell('reference')} on the sheet 'Episodes'", "NaN")),
        c("huge-integer", cell_xml("age", '<c r="{r}"><v>' + "9" * 400 + "</v></c>"), "warned",
          _warned("age", "not a number Excel can store")),
        # Strings: inline, rich text, shared.
        c("inline-rich-text",
          cell_xml("where_found", '<c r="{r}" t="inlineStr"><is><r><t>Bus</t></r><r><t xml:space="preserve"> stop</t></r></is></c>'),
          "clean"),
        c("inline-without-is", cell_xml("where_found", '<c r="{r}" t="inlineStr"><v>Bus stop</v></c>'),
          "clean"),
        c("inline-phonetic",
          cell_xml("where_found", '<c r="{r}" t="inlineStr"><is><t>Park</t><rPh sb="0" eb="1"><t>pa</t></rPh></is></c>'),
          "clean"),
        c("inline-empty", cell_xml("where_found", '<c r="{r}" t="inlineStr"/>'), "clean"),
        c("shared-strings", _shared_strings, "clean"),
        # Booleans.
        c("boolean-yes-no", cell_xml("over_24h", '<c r="{r}" t="b"><v>1</v></c>'), "clean"),
        c("boolean-word", cell_xml("over_24h", '<c r="{r}" t="b"><v>true</v></c>'), "clean"),
        c("boolean-garbage", cell_xml("over_24h", '<c r="{r}" t="b"><v>maybe</v></c>'), "warned",
          _warned("over_24h", "not TRUE or FALSE")),
        c("boolean-openpyxl-text-column", with_openpyxl(_set("where_found", True)), "clean"),
        # Error values.
        c("error-date", cell_xml("last_seen", '<c r="{r}" t="e"><v>#N/A</v></c>'), "warned",
          _warned("last_seen", "the Excel error #N/A", "kept as text")),
        c("error-formula", cell_xml("age", '<c r="{r}" t="e"><f>1/0</f><v>#DIV/0!</v></c>'),
          "warned", _warned("age", "#DIV/0!")),
        c("error-key", cell_xml("reference", '<c r="{r}" t="e"><v>#REF!</v></c>'), "refused",
          (f"cell {cell('reference')} on the sheet 'Episodes'", "#REF!")),
        c("unknown-type", cell_xml("where_found", '<c r="{r}" t="zz"><v>x</v></c>'), "warned",
          _warned("where_found", "cell type 'zz'")),
        # Cell references.
        c("absolute-refs", _refs(lambda ref: '<c r="$' + re.sub(r"(\d)", r"$\1", ref, count=1) + '"'),
          "clean"),
        c("lowercase-refs", _refs(lambda ref: f'<c r="{ref.lower()}"'), "clean"),
        c("no-ref-first-cell", _refs(lambda ref: "<c" if ref.startswith("A") else f'<c r="{ref}"'),
          "clean"),
        c("cells-out-of-order", _cells_reversed, "clean"),
        c("ref-garbage", cell_xml("where_found", '<c r="ZZZZ{r}" t="inlineStr"><is><t>x</t></is></c>'),
          "refused", (f"row {DAMAGED_ROW} of {SHEET_WORDS}", "is not a cell reference")),
        c("ref-row-zero", cell_xml("where_found", '<c r="R0" t="inlineStr"><is><t>x</t></is></c>'),
          "refused", (f"row {DAMAGED_ROW} of {SHEET_WORDS}", "'R0' is not a cell reference")),
        c("ref-twice", cell_xml("where_found", f'<c r="A{DAMAGED_ROW}"><v>1</v></c>'),
          "refused", (f"row {DAMAGED_ROW} of {SHEET_WORDS}", "two cells in column A")),
        # Shared-string indexes that point nowhere.
        c("shared-index-too-big", _shared_index("99999"), "warned",
          _warned("where_found", "shared text number 99999", "read as blank")),
        c("shared-index-negative", _shared_index("-1"), "warned",
          _warned("where_found", "shared text number -1")),
        c("shared-index-words", _shared_index("x"), "warned",
          _warned("where_found", "shared text number x")),
        c("shared-index-key", _shared_index("4242", key="reference"), "refused",
          (f"cell {cell('reference')} on the sheet 'Episodes'", "shared text number 4242")),
        # The Table's range and columns.
        c("table-ref-open", table_sub(r'ref="A1:[A-Z]+\d+"', 'ref="A1:"'), "refused",
          (TABLE_WORDS, "damaged range 'A1:'")),
        c("table-ref-empty", table_sub(r'ref="A1:[A-Z]+\d+"', 'ref=""'), "refused",
          (TABLE_WORDS, "damaged range ''")),
        c("table-ref-missing", table_sub(r' ref="A1:[A-Z]+\d+"', ""), "refused",
          (TABLE_WORDS, "damaged range")),
        c("table-ref-reversed", table_sub(r'ref="A1:[A-Z]+\d+"', 'ref="AS4:A1"'), "refused",
          (TABLE_WORDS, "damaged range 'AS4:A1'")),
        c("table-ref-beyond-grid", table_sub(r'ref="A1:[A-Z]+\d+"', 'ref="A1:XFE4"'), "refused",
          (TABLE_WORDS, "damaged range 'A1:XFE4'")),
        c("table-ref-words", table_sub(r'ref="A1:[A-Z]+\d+"', 'ref="everything"'), "refused",
          (TABLE_WORDS, "damaged range 'everything'")),
        c("table-one-name-short", table_sub(r'<tableColumn id="\d+" name="Source file"/>', ""),
          "refused", (TABLE_WORDS, f"covers {len(columns())} columns", f"names {len(columns()) - 1}")),
        c("table-one-name-extra",
          table_sub(r"</tableColumns>", '<tableColumn id="999" name="Extra"/></tableColumns>'),
          "refused", (TABLE_WORDS, f"names {len(columns()) + 1}")),
        c("table-no-columns", table_sub(r"<tableColumns.*?</tableColumns>", ""), "refused",
          (TABLE_WORDS, "names 0")),
        c("table-duplicate-name",
          table_sub(r'name="Child ID"', 'name="Episode reference"'), "refused",
          (TABLE_WORDS, "two columns named 'Episode reference'")),
        c("table-no-header-row", table_sub(r'headerRowCount="1"', 'headerRowCount="0"'), "refused",
          (TABLE_WORDS, "must have one header row")),
        c("table-header-words", table_sub(r'headerRowCount="1"', 'headerRowCount="one"'), "refused",
          (TABLE_WORDS, "must have one header row")),
        c("table-totals-row", table_sub(r'headerRowCount="1"', 'headerRowCount="1" totalsRowCount="1"'),
          "refused", (TABLE_WORDS, "no totals row")),
        # Rows.
        c("row-without-number", _row_without_number, "refused",
          (SHEET_WORDS, "a row without a row number")),
        c("row-number-zero", sheet_sub(rf'<row r="{DAMAGED_ROW}"', '<row r="0"', count=1), "refused",
          (SHEET_WORDS, "a row numbered 0")),
        c("row-twice", sheet_sub(rf'<row r="{DAMAGED_ROW}"', '<row r="2"', count=1), "refused",
          (SHEET_WORDS, "row 2 twice")),
        c("rows-out-of-order", _rows_reversed, "clean"),
        c("row-single-quotes", sheet_sub(rf'<row r="{DAMAGED_ROW}"', f"<row r='{DAMAGED_ROW}'", count=1),
          "clean"),
        c("prefixed-namespace", _prefixed, "clean"),
        c("strict-namespace", _strict, "refused",
          (SHEET_WORDS, "Strict Open XML Spreadsheet")),
        c("row-not-xml", sheet_sub(rf'(<row r="{DAMAGED_ROW}"[^>]*>)', r"\1<c r=\"Q3\"><v>1<</v></c>", count=1),
          "refused", (f"row {DAMAGED_ROW} of {SHEET_WORDS}", "not well-formed XML")),
    ]  # fmt: skip

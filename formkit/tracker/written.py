"""What formkit last wrote to each tracker cell, so no one's correction is undone.

The tracker keeps, on a very hidden sheet ``formkit_written``, one line per episode: the episode
reference, the value formkit last wrote to each of the row's cells, and the date of the newest
form whose answers are in the row. A cell whose value differs from what formkit wrote has been
changed by a person since: an update keeps the person's value and reports a conflict instead of
writing over it. A tracker made before this sheet existed is still updated (its rows are
remembered from their next change on); the sheet is added on the first save.

Values are stored as short typed tokens (``s:``, ``n:``, ``d:``, ``t:``) in JSON, one cell per
row, so the sheet stays small and Excel keeps it whatever it does to the strings.
"""

from __future__ import annotations

import json
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, unescape

from lxml import etree

from formkit.intake import parse_xml, read_part
from formkit.words import table_date, table_datetime

SHEET = "formkit_written"
AS_OF = "_as_of"  # the date of the newest form applied to the row
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
OFFICE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_CELL_REF = re.compile(r"^([A-Z]+)\d+$")


def token(value: Any) -> str | None:
    """A cell value (as the tracker reads it back) as a comparable, storable token."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return "t:" + value.replace(tzinfo=None, microsecond=0).isoformat()
    if isinstance(value, date):
        return "d:" + value.isoformat()
    if isinstance(value, bool):
        return "b:" + ("1" if value else "0")
    if isinstance(value, int | float):
        return f"n:{float(value):.6g}"
    return "s:" + str(value)


def shown(stored: str | None) -> str:
    """A token as words for messages."""
    if stored is None:
        return "(blank)"
    kind, _, text = stored.partition(":")
    if kind == "t":
        return table_datetime(datetime.fromisoformat(text))
    if kind == "d":
        return table_date(date.fromisoformat(text))
    return text


@dataclass
class Written:
    """The remembered values of every row; ``part`` is None until the sheet exists.

    A 20,000-row tracker remembers some 25 MB: a row's line is decoded only when an update
    touches that row, and written back as it was read when it did not change.
    """

    part: str | None = None
    rows: dict[str, dict[str, str]] = field(default_factory=dict)
    raw: dict[str, str] = field(default_factory=dict)  # reference -> escaped JSON, undecoded
    changed: bool = False

    @property
    def present(self) -> bool:
        return self.part is not None

    def get(self, reference: str) -> dict[str, str] | None:
        if reference not in self.rows and reference in self.raw:
            try:
                data = json.loads(unescape(self.raw.pop(reference)))
            except ValueError:
                data = None  # a line someone broke: forgotten, that row is treated as before
            if isinstance(data, dict):
                self.rows[reference] = {str(k): str(v) for k, v in data.items()}
        return self.rows.get(reference)

    def forget(self, reference: str) -> None:
        self.rows.pop(reference, None)
        self.raw.pop(reference, None)

    def remember(self, reference: str, values: dict[str, str | None]) -> None:
        self.get(reference)
        row = self.rows.setdefault(reference, {})
        for key, value in values.items():
            if value is None:
                row.pop(key, None)
            else:
                row[key] = value
        self.changed = True


def _shared_text(cell: etree._Element, strings: list[str]) -> str | None:
    kind = cell.get("t")
    if kind == "inlineStr":
        return "".join(cell.itertext())
    value = cell.findtext(f"{{{MAIN}}}v")
    if value is None:
        return None
    if kind == "s":
        return strings[int(value)]
    return value


def _sheet_part(package: zipfile.ZipFile, path: Path) -> str | None:
    workbook = parse_xml(
        read_part(package, "xl/workbook.xml", file=path), file=path, part="xl/workbook.xml"
    )
    rels = parse_xml(
        read_part(package, "xl/_rels/workbook.xml.rels", file=path),
        file=path,
        part="xl/_rels/workbook.xml.rels",
    )
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels}
    for sheet in workbook.iter(f"{{{MAIN}}}sheet"):
        if sheet.get("name") == SHEET:
            target = targets.get(sheet.get(f"{{{OFFICE_REL}}}id"), "")
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return None


_FAST_ROW = re.compile(
    r'<row r="(\d+)"><c r="A\d+" t="inlineStr"><is><t xml:space="preserve">([^<]*)</t></is></c>'
    r'<c r="B\d+" t="inlineStr"><is><t xml:space="preserve">([^<]*)</t></is></c></row>'
)


def load_written(path: Path, strings: list[str]) -> Written:
    """The ``formkit_written`` sheet of the tracker at ``path`` (empty if it has none)."""
    with zipfile.ZipFile(path) as package:
        part = _sheet_part(package, path)
        if part is None or part not in package.namelist():
            return Written()
        data = read_part(package, part, file=path)
    written = Written(part=part)
    text = data.decode("utf-8", errors="replace")
    found = _FAST_ROW.findall(text)
    if len(found) == text.count("<row "):  # as formkit wrote it: decode rows on demand
        written.raw = {unescape(ref): values for number, ref, values in found if number != "1"}
        return written
    root = parse_xml(data, file=path, part=part)  # as a spreadsheet program saved it
    for row in root.iter(f"{{{MAIN}}}row"):
        cells: dict[str, str | None] = {}
        for cell in row.iter(f"{{{MAIN}}}c"):
            match = _CELL_REF.match(cell.get("r", ""))
            if match:
                cells[match[1]] = _shared_text(cell, strings)
        reference, values = cells.get("A"), cells.get("B")
        if reference and values and row.get("r") != "1":
            written.raw[reference] = escape(values)
    return written


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(text)}</t></is></c>'


def sheet_xml(written: Written) -> bytes:
    lines = [f'<row r="1">{_cell("A1", "Episode reference")}{_cell("B1", "Written")}</row>']
    references = sorted(set(written.rows) | set(written.raw))
    for number, reference in enumerate(references, start=2):
        values = written.rows.get(reference)
        escaped = (
            escape(json.dumps(values, ensure_ascii=False, sort_keys=True))
            if values is not None
            else written.raw[reference]
        )
        lines.append(
            f'<row r="{number}">{_cell(f"A{number}", reference)}<c r="B{number}" '
            f't="inlineStr"><is><t xml:space="preserve">{escaped}</t></is></c></row>'
        )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<worksheet xmlns="{MAIN}"><sheetData>{"".join(lines)}</sheetData></worksheet>'
    ).encode()


def _new_part_name(names: set[str]) -> str:
    number = 1
    while f"xl/worksheets/sheet{number}.xml" in names:
        number += 1
    return f"xl/worksheets/sheet{number}.xml"


def written_parts(written: Written, source: Path) -> dict[str, bytes]:
    """The parts to write: the sheet, and for a tracker without one the workbook, its
    relationships and content types that add it (very hidden)."""
    if not written.changed:
        return {}
    if written.part is not None:
        return {written.part: sheet_xml(written)}
    with zipfile.ZipFile(source) as package:
        names = set(package.namelist())
        part = _new_part_name(names)
        parts = {
            name: parse_xml(read_part(package, name, file=source), file=source, part=name)
            for name in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml")
        }
    rels = parts["xl/_rels/workbook.xml.rels"]
    sheets = parts["xl/workbook.xml"].find(f"{{{MAIN}}}sheets")
    if sheets is None:
        return {}  # a workbook without its sheet list: leave it as it is, remember nothing
    ids = {rel.get("Id") for rel in rels}
    number = 1
    while f"rIdFk{number}" in ids:
        number += 1
    rel_id = f"rIdFk{number}"
    etree.SubElement(
        rels,
        f"{{{PACKAGE_REL}}}Relationship",
        Id=rel_id,
        Type=f"{OFFICE_REL}/worksheet",
        Target=part.removeprefix("xl/"),
    )
    sheet_ids = [int(s.get("sheetId", "0")) for s in sheets]
    sheet = etree.SubElement(sheets, f"{{{MAIN}}}sheet")
    sheet.set("name", SHEET)
    sheet.set("sheetId", str(max(sheet_ids, default=0) + 1))
    sheet.set("state", "veryHidden")
    sheet.set(f"{{{OFFICE_REL}}}id", rel_id)
    types = parts["[Content_Types].xml"]
    etree.SubElement(
        types, f"{{{CONTENT_TYPES}}}Override", PartName=f"/{part}", ContentType=WORKSHEET_TYPE
    )
    out = {
        name: etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        for name, root in parts.items()
    }
    out[part] = sheet_xml(written)
    return out

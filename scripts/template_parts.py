"""Building blocks for formkit's Word templates: headings, label tables, repeating rows, content
controls. Used by ``build_templates.py``; kept apart so each template reads as a short outline.

Jinja goes into ordinary runs (``{{ child.first_name }}``) and docxtpl-style paragraph and row
tags (``{%p if … %}``, ``{%tr for … %}``) that formkit's engine turns into XML-level Jinja. Content
controls are real ``w:sdt`` elements tagged with a data path; the engine fills them from the record.
"""

from __future__ import annotations

import io
import itertools
import zipfile
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path

import docx
from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from formkit.ooxml import add_field, keep_rows_whole, set_widths
from formkit.words import MARKING

W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
FIXED_TIME = datetime(2026, 1, 1, 9, 0, 0)
PROMPT_TEXT = "Click or tap here to enter text."
PROMPT_DATE = "Click or tap to enter a date."
PROMPT_CHOICE = "Choose an item."
UNCHECKED = "\u2610"
CHECKED = "\u2612"

_ids = itertools.count(1001)


HEADER_GREY = RGBColor(0x40, 0x40, 0x40)


def _marking(paragraph: Paragraph) -> None:
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(MARKING)
    run.bold = True
    run.font.size = Pt(10)


def _small(paragraph: Paragraph, text: str) -> None:
    run = paragraph.add_run(text)
    run.font.size = Pt(8)
    run.font.color.rgb = HEADER_GREY


def new_document(
    title: str, *, header: str, footer: str, kind: str = "facts", heading_text: str | None = None
) -> Document:
    """An A4 document with formkit's plain styles and a title. Every page carries the marking in
    bold at top and bottom, the council's name and ``header`` in the header, ``footer`` and
    "Page X of Y" in the footer. ``kind`` is ``facts`` (empty value cells print "Not known") or
    ``form`` (empty cells are left to fill in); it is saved as the document's Category."""
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    section.header_distance = section.footer_distance = Cm(0.8)
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(4)
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
        style = document.styles[name]
        fonts = style.element.rPr.find(qn("w:rFonts")) if style.element.rPr is not None else None
        if fonts is not None:
            style.element.rPr.remove(fonts)
        style.font.name = "Arial"
    document.styles["Title"].font.size = Pt(20)
    document.styles["Heading 1"].font.size = Pt(14)
    document.styles["Heading 2"].font.size = Pt(12)
    top = section.header.paragraphs[0]
    _marking(top)
    line = section.header.add_paragraph()
    line.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _small(line, "{{ local_authority_name }} · " + header)
    foot = section.footer.paragraphs[0]
    foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _small(foot, footer + " · Page ")
    add_field(foot, "PAGE")
    _small(foot, " of ")
    add_field(foot, "NUMPAGES")
    for run in foot.runs:
        run.font.size = Pt(8)
    _marking(section.footer.add_paragraph())
    props = document.core_properties
    props.title = title
    props.category = kind
    props.author = "formkit"
    props.last_modified_by = "formkit"
    props.created = props.modified = FIXED_TIME
    props.revision = 1
    if heading_text != "":  # a letter has no title: its subject line says what it is about
        document.add_heading(heading_text or title, level=0)
    return document


def heading(document: Document, text: str, level: int = 1) -> Paragraph:
    return document.add_heading(text, level=level)


def para(document: Document, text: str = "", *, bold: bool = False) -> Paragraph:
    paragraph = document.add_paragraph()
    if text:
        paragraph.add_run(text).bold = bold
    return paragraph


def if_block(document: Document, condition: str) -> None:
    """Open a conditional block of whole paragraphs/tables (closed by :func:`end_block`)."""
    document.add_paragraph(f"{{%p if {condition} %}}")


def end_block(document: Document, word: str = "endif") -> None:
    document.add_paragraph(f"{{%p {word} %}}")


def grid(document: Document, rows: int, cols: int, *, header: bool = False) -> Table:
    """A bordered table whose rows never split across pages; with ``header`` the first row is
    repeated at the top of every page the table runs onto."""
    table = document.add_table(rows=rows, cols=cols)
    table.style = document.styles["Table Grid"]
    keep_rows_whole(table, header=header)
    return table


def keep_rows_together(table: Table) -> None:
    """Each row's paragraphs keep with the next row, so a short table is not parted from
    itself or from its heading (the last row is free to end the page)."""
    for row in table.rows[:-1]:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True


def _bold_cell(cell, text: str) -> None:  # type: ignore[no-untyped-def]
    cell.paragraphs[0].add_run(text).bold = True


def label_table(document: Document, rows: Sequence[tuple[str, str]]) -> Table:
    """Two columns: a bold label and a Jinja value (newlines in a value become line breaks)."""
    table = grid(document, len(rows), 2)
    set_widths(table, (Cm(5.5), Cm(11.5)))
    for row, (label, value) in zip(table.rows, rows, strict=True):
        _bold_cell(row.cells[0], label)
        row.cells[1].paragraphs[0].add_run(value)
    if len(rows) <= 8:
        keep_rows_together(table)
    document.add_paragraph()
    return table


def repeat_table(
    document: Document,
    headers: Sequence[str],
    loop: str,
    cells: Sequence[str],
    *,
    empty: str = "None recorded.",
    widths: Sequence[float] = (),
) -> Table:
    """A table with a header row and one row per item of ``loop`` (``"item in items"``); when the
    list is empty a single row says ``empty``. ``widths`` (cm, one per column) keep a long header
    word whole ("Relationship")."""
    table = grid(document, 6, len(headers), header=True)
    if widths:
        set_widths(table, [Cm(width) for width in widths])
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        _bold_cell(cell, text)
        cell.paragraphs[0].paragraph_format.keep_with_next = True
    table.rows[1].cells[0].paragraphs[0].add_run(f"{{%tr for {loop} %}}")
    for cell, text in zip(table.rows[2].cells, cells, strict=True):
        cell.paragraphs[0].add_run(text)
    table.rows[3].cells[0].paragraphs[0].add_run("{%tr else %}")
    merged = table.rows[4].cells[0].merge(table.rows[4].cells[-1])
    merged.paragraphs[0].add_run(empty).italic = True
    table.rows[5].cells[0].paragraphs[0].add_run("{%tr endfor %}")
    document.add_paragraph()
    return table


def page_break(document: Document) -> None:
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


# -- content controls ---------------------------------------------------------------------------


def _w(tag: str, **attrs: str) -> etree._Element:
    element = etree.Element(qn(f"w:{tag}"))
    for name, value in attrs.items():
        element.set(qn(f"w:{name}"), value)
    return element


def _sdt(
    tag: str, alias: str, kind: list[etree._Element], prompt: str, font: str | None
) -> etree._Element:
    sdt = _w("sdt")
    pr = etree.SubElement(sdt, qn("w:sdtPr"))
    pr.append(_w("alias", val=alias))
    pr.append(_w("tag", val=tag))
    pr.append(_w("id", val=str(next(_ids))))
    if prompt:
        pr.append(_w("showingPlcHdr"))
    for element in kind:
        pr.append(element)
    content = etree.SubElement(sdt, qn("w:sdtContent"))
    run = etree.SubElement(content, qn("w:r"))
    rpr = etree.SubElement(run, qn("w:rPr"))
    if font:
        rpr.append(_w("rFonts", ascii=font, eastAsia=font, hAnsi=font))
    elif prompt:
        rpr.append(_w("color", val="808080"))
    text = etree.SubElement(run, qn("w:t"))
    text.text = prompt or UNCHECKED
    return sdt


def text_control(paragraph: Paragraph, tag: str, alias: str, *, multiline: bool = False) -> None:
    kind = _w("text", multiLine="1") if multiline else _w("text")
    paragraph._p.append(_sdt(tag, alias, [kind], PROMPT_TEXT, None))


def date_control(paragraph: Paragraph, tag: str, alias: str) -> None:
    date = _w("date")
    date.append(_w("dateFormat", val="dd/MM/yyyy HH:mm"))
    date.append(_w("lid", val="en-GB"))
    date.append(_w("storeMappedDataAs", val="dateTime"))
    date.append(_w("calendar", val="gregorian"))
    paragraph._p.append(_sdt(tag, alias, [date], PROMPT_DATE, None))


def dropdown_control(
    paragraph: Paragraph, tag: str, alias: str, items: Iterable[tuple[str, str]]
) -> None:
    """A drop-down list; ``items`` are (value, display text) pairs."""
    listing = _w("dropDownList")
    for value, display in items:
        listing.append(_w("listItem", displayText=display, value=value))
    paragraph._p.append(_sdt(tag, alias, [listing], PROMPT_CHOICE, None))


def checkbox_control(paragraph: Paragraph, tag: str, alias: str) -> None:
    box = etree.Element(f"{{{W14}}}checkbox")
    etree.SubElement(box, f"{{{W14}}}checked").set(f"{{{W14}}}val", "0")
    for state, code in (("checkedState", "2612"), ("uncheckedState", "2610")):
        element = etree.SubElement(box, f"{{{W14}}}{state}")
        element.set(f"{{{W14}}}val", code)
        element.set(f"{{{W14}}}font", "MS Gothic")
    paragraph._p.append(_sdt(tag, alias, [box], "", "MS Gothic"))


# -- saving -------------------------------------------------------------------------------------


def save_reproducibly(document: Document, path: Path) -> None:
    """Save with fixed zip timestamps and member order, so a rebuild gives identical bytes."""
    buffer = io.BytesIO()
    document.save(buffer)
    source = zipfile.ZipFile(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename == "docProps/thumbnail.jpeg":
                continue  # python-docx's default thumbnail shows an unrelated page
            data = source.read(info.filename)
            if info.filename == "_rels/.rels":
                data = _drop_thumbnail_rel(data)
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, data)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out.getvalue())


def _drop_thumbnail_rel(data: bytes) -> bytes:
    root = etree.fromstring(data)
    for rel in list(root):
        if rel.get("Target", "").endswith("thumbnail.jpeg"):
            root.remove(rel)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def right(document: Document, text: str) -> Paragraph:
    """A right-aligned line (a letter's sender block and date); an empty line stays empty."""
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    paragraph.paragraph_format.space_after = Pt(0)
    if text:
        paragraph.add_run(text)
    return paragraph

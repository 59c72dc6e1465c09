"""Build an AcroForm PDF from a declarative layout (reportlab draws, pypdf nests the names).

reportlab lays out the page and creates the widgets (pypdf cannot create fields). Field names
are then rewritten into a hierarchy, so each field's *fully qualified* name is its data path:
``child.first_name`` is a field ``first_name`` whose parent is ``child``. A PDF field name may not
contain ``.`` (it separates the levels of a qualified name), so using the hierarchy deliberately
is what makes the names both valid and equal to the model's paths. Every field also carries its
printed label as the tooltip (``/TU``) for screen readers.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    StreamObject,
    TextStringObject,
)
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from formkit.pdf.appearance import box_stream
from formkit.pdf.fields import SHOWN, shown_key
from formkit.pdf.layout import COLUMNS, FieldSpec, Layout
from formkit.words import MARKING

PAGE_W, PAGE_H = A4
MARGIN = 40.0
GUTTER = 6.0
CONTENT_W = PAGE_W - 2 * MARGIN
LABEL_H = 10.0
BOX_H = 16.0
LINE_H = 11.0
TICK = 9.0
FIELD_FONT_SIZE = 9
INK = HexColor("#1a1a1a")
BOX_FILL = HexColor("#eef3fb")
BOX_EDGE = HexColor("#6b7c93")
BAND = HexColor("#dde4ee")
FOOTER_COUNCIL_W = 150.0  # the council's name, left of the centred title in each footer
# Separates the levels of a name until the hierarchy is built (no data path contains it).
LEVEL = "__"


def col_width(span: int) -> float:
    unit = (CONTENT_W + GUTTER) / COLUMNS
    return unit * span - GUTTER


def spec_height(spec: FieldSpec) -> float:
    """Vertical space a field needs, label included."""
    if spec.kind == "static":
        return 14.0
    if spec.kind == "checkbox":
        return LABEL_H + BOX_H
    if spec.kind == "multiline":
        return LABEL_H + spec.lines * LINE_H + 6
    if spec.kind == "checklist":
        rows = (len(spec.options()) + 1) // 2
        return LABEL_H + rows * 13.0 + 2
    if spec.kind == "grid":
        return LABEL_H + 13.0 + len(spec.options()) * 13.0 + 2
    return LABEL_H + BOX_H


@dataclass
class _Cursor:
    canvas: Canvas
    layout: Layout
    page: int = 1
    y: float = PAGE_H - MARGIN
    total: int = 0  # pages in the form (known on the second drawing), for "Page X of Y"

    def marking(self) -> None:
        """OFFICIAL-SENSITIVE in bold at the top of the page (and the footer, at the bottom)."""
        self.canvas.setFont("Helvetica-Bold", 8)
        self.canvas.setFillColor(INK)
        self.canvas.drawCentredString(PAGE_W / 2, PAGE_H - MARGIN + 14, MARKING)

    def new_page(self) -> None:
        self._footer()
        self.canvas.showPage()
        self.page += 1
        self.marking()
        self.y = PAGE_H - MARGIN
        self.canvas.setFont("Helvetica-Bold", 9)
        self.canvas.setFillColor(INK)
        self.canvas.drawString(MARGIN, self.y - 9, self.layout.title + " (continued)")
        self.y -= 20

    def need(self, height: float) -> None:
        if self.y - height < MARGIN + 20:
            self.new_page()

    def _footer(self) -> None:
        """The council's name (a read-only field filled with the form), the form's title and
        "Page X of Y", then the marking."""
        self.canvas.acroForm.textfield(
            name=f"{SHOWN}{LEVEL}council{LEVEL}p{self.page}",
            tooltip="Council",
            x=MARGIN - 3,  # the field's own padding puts its text on the margin
            y=MARGIN - 11.7,  # and its baseline on the title's
            width=FOOTER_COUNCIL_W,
            height=11,
            fontName="Helvetica",
            fontSize=6.5,  # filled in DejaVu Sans, which looks larger than Helvetica at 7
            borderWidth=0,
            borderColor=None,
            fillColor=None,
            textColor=INK,
            fieldFlags="readOnly",
            annotationFlags="print",
        )
        self.canvas.setFont("Helvetica", 7)
        self.canvas.setFillColor(INK)
        self.canvas.drawCentredString(PAGE_W / 2, MARGIN - 8, self.layout.title)
        of = f" of {self.total}" if self.total else ""
        self.canvas.drawRightString(PAGE_W - MARGIN, MARGIN - 8, f"Page {self.page}{of}")
        self.canvas.setFont("Helvetica-Bold", 8)
        self.canvas.setFillColor(INK)
        self.canvas.drawCentredString(PAGE_W / 2, MARGIN - 20, MARKING)

    def finish(self) -> None:
        self._footer()
        self.canvas.showPage()


def _label(canvas: Canvas, text: str, x: float, y: float, width: float, size: float = 7.5) -> None:
    while size > 5.5 and stringWidth(text, "Helvetica", size) > width:
        size -= 0.25
    canvas.setFont("Helvetica", size)
    canvas.setFillColor(INK)
    canvas.drawString(x, y, text)


def _widget_style() -> dict[str, object]:
    return {"borderColor": BOX_EDGE, "fillColor": BOX_FILL, "textColor": INK, "borderWidth": 0.6}


def _draw_field(canvas: Canvas, spec: FieldSpec, x: float, top: float, width: float) -> None:
    form = canvas.acroForm
    name = spec.path.replace(".", LEVEL)
    label_y = top - LABEL_H + 2.5
    if spec.kind == "static":
        canvas.setFont("Helvetica-Bold", 10)
        canvas.setFillColor(INK)
        canvas.drawString(x, top - 11, spec.label)
        return
    if spec.kind == "checkbox":
        form.checkbox(
            name=name,
            tooltip=spec.label,
            x=x,
            y=top - LABEL_H - TICK - 2,
            size=TICK,
            buttonStyle="check",
            fieldFlags="",
            **_widget_style(),
        )
        _label(canvas, spec.label, x + TICK + 4, top - LABEL_H - TICK, width - TICK - 4, 8)
        return
    _label(canvas, spec.label, x, label_y, width)
    if spec.kind in {"checklist", "grid"}:
        _draw_ticks(canvas, spec, x, top - LABEL_H, width)
        return
    if spec.kind in {"dropdown", "yesno", "scale"}:
        options = [("", "")] + [(text, value) for value, text in spec.options()]
        # reportlab fails on an empty initial value; the value is cleared in _blank_choices.
        form.choice(
            name=name,
            tooltip=spec.label,
            value=options[1][1],
            options=options,
            x=x,
            y=top - LABEL_H - BOX_H,
            width=width,
            height=BOX_H,
            fontName="Helvetica",
            fontSize=FIELD_FONT_SIZE,
            maxlen=0,
            **_widget_style(),
        )
        return
    height = spec.lines * LINE_H + 6 if spec.kind == "multiline" else BOX_H
    tip = spec.label
    if spec.kind == "date":
        tip += " (dd/mm/yyyy)"
    elif spec.kind == "datetime":
        tip += " (dd/mm/yyyy hh:mm)"
    form.textfield(
        name=name,
        tooltip=tip,
        value="",
        x=x,
        y=top - LABEL_H - height,
        width=width,
        height=height,
        fontName="Helvetica",
        fontSize=FIELD_FONT_SIZE,
        maxlen=0,
        fieldFlags=" ".join(
            ["multiline"] * (spec.kind == "multiline")
            + ["doNotSpellCheck"]
            + ["readOnly"] * (shown_key(spec.path) is not None)  # formkit's, not a question
        ),
        **_widget_style(),
    )


def _draw_ticks(canvas: Canvas, spec: FieldSpec, x: float, top: float, width: float) -> None:
    """Tick boxes: two columns for a checklist, a services × columns table for a grid."""
    form = canvas.acroForm
    options = spec.options()
    if spec.kind == "checklist":
        half = (len(options) + 1) // 2
        for i, (value, text) in enumerate(options):
            cx = x + (width / 2 if i >= half else 0)
            cy = top - 13.0 * ((i % half) + 1)
            form.checkbox(
                name=f"{spec.path}={value}".replace(".", LEVEL),
                tooltip=f"{spec.label}: {text}",
                x=cx,
                y=cy,
                size=TICK,
                buttonStyle="check",
                fieldFlags="",
                **_widget_style(),
            )
            _label(canvas, text, cx + TICK + 4, cy + 1.5, width / 2 - TICK - 8, 8)
        return
    first = width * 0.4
    step = (width - first) / len(spec.columns)
    headers = spec.column_labels or spec.columns
    for j, header in enumerate(headers):
        _label(canvas, header, x + first + j * step, top - 10, step - 4, 7)
    for i, (value, text) in enumerate(options):
        cy = top - 13.0 * (i + 2)
        _label(canvas, text, x, cy + 1.5, first - 4, 8)
        for j, column in enumerate(spec.columns):
            form.checkbox(
                name=f"{spec.path}.{value}.{column}".replace(".", LEVEL),
                tooltip=f"{text}: {headers[j]}",
                x=x + first + j * step,
                y=cy,
                size=TICK,
                buttonStyle="check",
                fieldFlags="",
                **_widget_style(),
            )


def _draw_layout(canvas: Canvas, layout: Layout, total: int = 0) -> int:
    """Draw the form; the number of pages it took."""
    cursor = _Cursor(canvas, layout, total=total)
    cursor.marking()
    canvas.setFillColor(INK)
    canvas.setFont("Helvetica-Bold", 16)
    canvas.drawString(MARGIN, cursor.y - 16, layout.title)
    cursor.y -= 22
    if layout.subtitle:
        canvas.setFont("Helvetica", 9.5)
        canvas.drawString(MARGIN, cursor.y - 10, layout.subtitle)
        cursor.y -= 16
    if layout.intro:
        canvas.setFont("Helvetica", 8.5)
        for line in simpleSplit(layout.intro, "Helvetica", 8.5, CONTENT_W):
            canvas.drawString(MARGIN, cursor.y - 9, line)
            cursor.y -= 11
        cursor.y -= 4
    for section in layout.sections:
        if section.new_page and cursor.page == 1 or section.new_page:
            cursor.new_page()
        cursor.need(40)
        canvas.setFillColor(BAND)
        canvas.rect(MARGIN, cursor.y - 16, CONTENT_W, 15, stroke=0, fill=1)
        canvas.setFillColor(INK)
        canvas.setFont("Helvetica-Bold", 10.5)
        canvas.drawString(MARGIN + 4, cursor.y - 12, section.heading)
        cursor.y -= 21
        if section.note:
            canvas.setFont("Helvetica-Oblique", 8)
            canvas.drawString(MARGIN, cursor.y - 8, section.note)
            cursor.y -= 12
        for row in _rows(section.fields):
            height = max(spec_height(spec) for spec in row) + 4
            cursor.need(height)
            x = MARGIN
            for spec in row:
                width = col_width(spec.width)
                _draw_field(canvas, spec, x, cursor.y, width)
                x += width + GUTTER
            cursor.y -= height
        cursor.y -= 4
    cursor.finish()
    return cursor.page


def _rows(specs: list[FieldSpec]) -> list[list[FieldSpec]]:
    rows: list[list[FieldSpec]] = []
    used = COLUMNS
    for spec in specs:
        if used + spec.width > COLUMNS:
            rows.append([])
            used = 0
        rows[-1].append(spec)
        used += spec.width
    return rows


def _nest_names(writer: PdfWriter) -> None:
    """Turn flat names ``a__b__c`` into fields ``c`` under parents ``b`` under ``a``."""
    acroform: Any = writer._root_object["/AcroForm"].get_object()
    parents: dict[tuple[str, ...], Any] = {}
    top: list[object] = []
    for ref in list(acroform["/Fields"]):
        field = ref.get_object()
        parts = str(field["/T"]).split(LEVEL)
        field[NameObject("/T")] = TextStringObject(parts[-1])
        child_ref = ref
        for depth in range(len(parts) - 1, 0, -1):
            key = tuple(parts[:depth])
            parent = parents.get(key)
            created = parent is None
            if parent is None:
                parent = DictionaryObject(
                    {
                        NameObject("/T"): TextStringObject(parts[depth - 1]),
                        NameObject("/Kids"): ArrayObject(),
                    }
                )
                parents[key] = parent
                parent_ref = writer._add_object(parent)
                parent.indirect_reference = parent_ref
            else:
                parent_ref = parent.indirect_reference
            child_ref.get_object()[NameObject("/Parent")] = parent_ref
            kids: Any = parent["/Kids"]
            kids.append(child_ref)
            child_ref = parent_ref
            if not created:
                break
        else:
            top.append(child_ref)
    acroform[NameObject("/Fields")] = ArrayObject(top)
    acroform.pop("/NeedAppearances", None)


def _blank_choices(writer: PdfWriter) -> None:
    """Clear the drop-downs' initial value and draw them as empty boxes."""
    for page in writer.pages:
        for ref in page.get("/Annots", []):
            widget = ref.get_object()
            if widget.get("/FT") != "/Ch":
                continue
            for key in ("/V", "/DV", "/I"):
                widget.pop(key, None)
            x1, y1, x2, y2 = (float(v) for v in widget["/Rect"])
            width, height = x2 - x1, y2 - y1
            box = box_stream(width, height, widget)
            stream = StreamObject()
            stream.set_data(box)
            stream.update(
                {
                    NameObject("/Type"): NameObject("/XObject"),
                    NameObject("/Subtype"): NameObject("/Form"),
                    NameObject("/BBox"): ArrayObject(
                        [FloatObject(0), FloatObject(0), FloatObject(width), FloatObject(height)]
                    ),
                }
            )
            widget[NameObject("/AP")] = DictionaryObject(
                {NameObject("/N"): writer._add_object(stream)}
            )


def build_form(layout: Layout) -> bytes:
    """The blank fillable PDF for ``layout``, byte-for-byte the same on every run."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=True, pageCompression=True)
    canvas.setTitle(layout.title)
    canvas.setAuthor("formkit")
    canvas.setSubject(layout.id)
    # Drawn twice: the first drawing counts the pages for the footers' "Page X of Y".
    pages = _draw_layout(Canvas(io.BytesIO(), pagesize=A4, invariant=True), layout)
    _draw_layout(canvas, layout, total=pages)
    canvas.save()
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(buffer.getvalue())))
    _nest_names(writer)
    _blank_choices(writer)
    # A fixed file identifier keeps the build reproducible (pypdf would otherwise randomise it).
    from hashlib import md5

    from pypdf.generic import ByteStringObject

    digest = ByteStringObject(md5(layout.model_dump_json().encode()).digest())
    writer._ID = ArrayObject([digest, digest])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()

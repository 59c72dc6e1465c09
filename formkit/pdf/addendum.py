"""The addendum: answers too long for their boxes, printed whole on pages after the form.

The box shows the beginning and a note; the addendum repeats the question and the full answer.
The field's ``/V`` always holds the whole value, so reading the form back never depends on it.
"""

from __future__ import annotations

import io
from functools import cache
from html import escape
from typing import TYPE_CHECKING

from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from formkit.pdf.font import font_path

if TYPE_CHECKING:
    from formkit.pdf.fill import Overflow

FONT = "FormkitDejaVuSans"


@cache
def _register() -> str:
    pdfmetrics.registerFont(TTFont(FONT, str(font_path())))
    return FONT


def addendum_pdf(overflows: list[Overflow], *, reference: str, first_page: int) -> bytes:
    """Pages listing each overflowing answer under its question."""
    font = _register()
    heading = ParagraphStyle("heading", fontName=font, fontSize=13, leading=17, spaceAfter=6)
    question = ParagraphStyle("question", fontName=font, fontSize=9.5, leading=12, spaceBefore=8)
    answer = ParagraphStyle("answer", fontName=font, fontSize=9, leading=11.5)
    story: list[object] = [Paragraph("Addendum: answers continued from the form", heading)]
    if reference:
        story.append(Paragraph(f"Episode reference {escape(reference)}", answer))
    for item in overflows:
        story.append(
            Paragraph(f"{escape(item.label or item.path)} <i>({escape(item.path)})</i>", question)
        )
        for paragraph in item.text.replace("\r\n", "\n").split("\n"):
            story.append(Paragraph(escape(paragraph) or "&nbsp;", answer))
        story.append(Spacer(1, 4))

    def footer(canvas: object, doc: object) -> None:
        canvas.setFont(font, 7)  # type: ignore[attr-defined]
        page = first_page + canvas.getPageNumber() - 1  # type: ignore[attr-defined]
        canvas.drawRightString(A4[0] - 40, 32, f"Page {page} (addendum)")  # type: ignore[attr-defined]

    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=40,
        rightMargin=40,
        topMargin=40,
        bottomMargin=48,
        title="Addendum",
        invariant=True,
    ).build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def add_addendum(filled: bytes, overflows: list[Overflow], *, reference: str) -> bytes:
    """``filled`` with the addendum pages appended (the form and its fields unchanged)."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(filled)))
    pages = addendum_pdf(overflows, reference=reference, first_page=len(writer.pages) + 1)
    writer.append(PdfReader(io.BytesIO(pages)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()

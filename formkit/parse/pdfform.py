"""The fields of a PDF form from any tool, with the words that name them.

Forms made by other tools call their fields ``Text1`` or ``Check Box7``; what a field is about
is in its tooltip (``/TU``, what a viewer shows on hover) or in the text printed beside it on the
page. Each field becomes a :class:`~formkit.parse.result.FormField` whose ``tag`` is the field
name, ``alias`` the tooltip and ``label`` the nearest printed text to its left or above, so the
same label matching reads Word and PDF forms. Reading runs under the PDF time limit.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from formkit.errors import InputError
from formkit.parse.result import FormField

MAX_GAP = 220.0  # points: text further than this from a field does not label it


def read_pdf_fields(
    path: str | Path, *, timeout: float | None = None, warnings: list[str] | None = None
) -> list[FormField]:
    """Every field of the PDF form at ``path``, in the form's order, with value and names.

    When ``warnings`` is a list, a warning is added if pypdf had to repair the file."""
    from formkit.limits import run_limited
    from formkit.pdf.safety import PDF_MESSAGES, repair_warning

    file = Path(path)
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror})", file=file) from exc
    rows: list[tuple[str, Any, str, str]]
    rows, notes = run_limited(
        _rows_and_notes, (data, str(file)), timeout=timeout, file=file, messages=PDF_MESSAGES
    )
    if warnings is not None and (note := repair_warning(notes)):
        warnings.append(note)
    fields = []
    for name, value, tooltip, printed in rows:
        kind = "checkbox" if isinstance(value, bool) else "pdf"
        fields.append(
            FormField(
                kind=kind,
                value=value,
                tag=name,
                alias=tooltip or None,
                label=printed or tooltip or None,
                key=name,
                part="pdf",
            )
        )
    return fields


def _rows_and_notes(data: bytes, file: str) -> tuple[list[tuple[str, Any, str, str]], list[str]]:
    """:func:`read_field_rows`, and what pypdf said on the way (kept off the terminal)."""
    from formkit.pdf.safety import pypdf_notes

    with pypdf_notes() as notes:
        rows = read_field_rows(data, file)
    return rows, notes


def read_field_rows(data: bytes, file: str = "-") -> list[tuple[str, Any, str, str]]:
    """(name, value, tooltip, printed label) of each field; runs in the limited worker."""
    from formkit.pdf.fields import form_fields, shown_key
    from formkit.pdf.read import field_value, read_form_bytes
    from formkit.pdf.safety import open_pdf, pdf_limits

    read_form_bytes(data, file)  # the same checks and messages as formkit's own PDF reader
    with pdf_limits():
        reader = open_pdf(data, file)
        fields = form_fields(reader) or []
        texts = _page_texts(reader)
        rows = []
        for item in fields:
            if shown_key(item.path) is not None:
                continue  # what formkit showed (the council's name, the plan), not a question
            value = field_value(item)
            printed = ""
            widget = item.widgets[0] if item.widgets else None
            if widget is not None:
                printed = _printed_label(widget.obj, reader, texts)
            rows.append((item.path, value, item.label.strip(), printed))
        return rows


Text = tuple[float, float, str]  # x, y, text


def _page_texts(reader: Any) -> dict[int, list[Text]]:
    texts: dict[int, list[Text]] = {}
    for number, page in enumerate(reader.pages):
        found: list[Text] = []

        def visit(
            text: str, cm: Any, tm: Any, font: Any, size: Any, found: list[Text] = found
        ) -> None:
            if text.strip():
                x = float(tm[4]) * float(cm[0]) + float(cm[4])
                y = float(tm[5]) * float(cm[3]) + float(cm[5])
                found.append((x, y, text.strip()))

        try:
            page.extract_text(visitor_text=visit)
        except Exception:  # noqa: BLE001 - a page whose text cannot be read labels nothing
            found = []
        texts[number] = found
    return texts


def _page_of(widget: Any, reader: Any) -> int:
    page = widget.get("/P")
    if page is not None:
        target = page.get_object()
        for number, candidate in enumerate(reader.pages):
            if candidate.get_object() is target:
                return number
    return 0


def _printed_label(widget: Any, reader: Any, texts: dict[int, list[Text]]) -> str:
    """The text nearest the field on its left (same line), else just above it."""
    try:
        x1, y1, x2, y2 = (float(v) for v in widget.get("/Rect", [0, 0, 0, 0]))
    except (TypeError, ValueError):
        return ""
    left, bottom, top = min(x1, x2), min(y1, y2), max(y1, y2)
    best: tuple[float, str] | None = None
    for x, y, text in texts.get(_page_of(widget, reader), []):
        if bottom - 4 <= y <= top + 2 and x < left:
            distance = left - x - len(text) * 4.5  # the end of the text, roughly
        elif top <= y <= top + 30 and left - 10 <= x <= left + 200:
            distance = (y - top) + 10
        else:
            continue
        if distance > MAX_GAP:
            continue
        distance = max(distance, 0.0)
        if best is None or distance < best[0]:
            best = (distance, text)
    return best[1].rstrip(":").strip() if best else ""

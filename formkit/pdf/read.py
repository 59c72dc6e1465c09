"""Reading a completed PDF form back into data, from each field's ``/V``.

Works for forms formkit filled and for forms filled by hand in any viewer: values come from the
fields' ``/V`` entries (never from the printed text), checkboxes are ticked when ``/V`` is any
on-state (whatever the form calls it), yes/no drop-downs read as bools, other drop-downs as their
export value. Reading runs in a worker process with a time and a memory limit (see
:mod:`formkit.limits`); what pypdf says about a damaged file comes back as one warning instead of
being printed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from formkit.errors import FormkitError, FormParseError, InputError
from formkit.limits import run_limited
from formkit.pdf.fields import PUSH_BUTTON, RADIO, FormField, form_fields, shown_key
from formkit.pdf.safety import PDF_MESSAGES, open_pdf, pdf_limits, pypdf_notes, repair_warning

FieldValue = str | bool


def read_pdf_form(
    path: str | Path, *, timeout: float | None = None, warnings: list[str] | None = None
) -> dict[str, FieldValue]:
    """``{data_path: value}`` for every filled field of the PDF form at ``path``.

    Empty text fields are left out; checkboxes are always there (True or False). Raises
    :class:`~formkit.errors.FormParseError` or :class:`~formkit.errors.UnsafeFileError` naming
    the file when it is not a readable, unencrypted PDF form or takes longer than ``timeout``
    seconds (default :data:`formkit.limits.TIME_LIMIT`, or ``FORMKIT_TIME_LIMIT``). When
    ``warnings`` is a list, a warning is added to it if the file had to be repaired to be read.
    """
    file = Path(path)
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror})", file=file) from exc
    values, notes = run_limited(
        read_with_notes, (data, str(file)), timeout=timeout, file=file, messages=PDF_MESSAGES
    )
    if warnings is not None and (note := repair_warning(notes)):
        warnings.append(note)
    result: dict[str, FieldValue] = values
    return result


def read_with_notes(data: bytes, file: str) -> tuple[dict[str, FieldValue], list[str]]:
    """:func:`read_form_bytes` and what pypdf said about the file on the way (not printed)."""
    with pypdf_notes() as notes:
        values = read_form_bytes(data, file)
    return values, notes


def read_form_bytes(data: bytes, file: str = "-") -> dict[str, FieldValue]:
    """The same as :func:`read_pdf_form` on bytes, in this process and without a time limit."""
    try:
        return _read_fields(data, file)
    except FormkitError:
        raise
    except Exception as exc:  # a damaged file can break pypdf in any way
        raise FormParseError(
            f"the PDF is damaged and cannot be read ({type(exc).__name__}: {exc})"[:300], file=file
        ) from exc


def _read_fields(data: bytes, file: str) -> dict[str, FieldValue]:
    with pdf_limits():
        reader = open_pdf(data, file)
        fields = form_fields(reader)
        if fields is None or not fields:
            root: Any = reader.trailer["/Root"].get_object()
            acro = root.get("/AcroForm")
            if acro is not None and "/XFA" in acro.get_object():
                raise FormParseError(
                    "this is an XFA (LiveCycle) form, which formkit cannot read; open it and save "
                    "it as a standard PDF form",
                    file=file,
                )
            raise FormParseError(
                "the PDF has no fillable form fields (it may have been flattened, scanned or "
                "printed to PDF)",
                file=file,
            )
        values: dict[str, FieldValue] = {}
        for item in fields:
            value = field_value(item)
            if value is not None:
                values[item.path] = value
        return values


def field_value(item: FormField) -> FieldValue | None:
    """One field's value as formkit uses it (None when empty or not a data field)."""
    if shown_key(item.path) is not None:
        return None  # what formkit showed (the council's name, the plan), not an answer
    raw: Any = item.value
    if item.kind == "/Btn":
        if item.flags & PUSH_BUTTON:
            return None
        state = str(raw) if raw is not None else None
        if state is None:
            # Some tools set only the widget's /AS; it is still the recorded state, not text.
            states = {str(w.obj.get("/AS")) for w in item.widgets if w.obj.get("/AS") is not None}
            state = next((s for s in states if s != "/Off"), "/Off")
        if item.flags & RADIO:
            return None if state == "/Off" else state.lstrip("/")
        return state not in ("/Off", "")
    if raw is None:
        return None
    if isinstance(raw, list):  # a multi-select list box
        raw = "; ".join(str(v) for v in raw)
    text = str(raw).replace("\r\n", "\n").replace("\r", "\n")
    if item.kind == "/Ch":
        options = item.options()
        for export, display in options:
            if text == display and text != export and not any(text == e for e, _ in options):
                text = export
        if {e for e, _ in options if e} == {"yes", "no"}:
            return {"yes": True, "no": False}.get(text.strip().lower())
    return text if text.strip() else None

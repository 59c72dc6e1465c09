"""``parse_form``: one completed form (Word or PDF) in, episode-shaped data and a report out."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from formkit.errors import FormParseError, InputError
from formkit.intake import PDF_MAGIC, check_office_zip, sniff
from formkit.limits import Messages, run_limited
from formkit.parse.assemble import is_model_path, place_values, validate_episode
from formkit.parse.docx import WORD_MESSAGES, WordForm, read_word_form
from formkit.parse.labels import LabelMapping, load_mapping, shipped_mappings, template_names
from formkit.parse.result import FormField, ParseResult, Value

OWN_FORM = "rhi-form"


def _read_pdf(path: Path, warnings: list[str]) -> dict[str, Any]:
    # The PDF reader lives with the PDF writer (formkit.pdf); parse_form runs it in the box.
    try:
        module = importlib.import_module("formkit.pdf.read")
    except ImportError:
        module = None
    if module is None:
        raise FormParseError(
            "is a PDF, and this installation of formkit cannot read PDF forms", file=path
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror})", file=path) from exc
    values, notes = module.read_with_notes(data, str(path))
    if note := module.repair_warning(notes):
        warnings.append(note)
    return dict(values)


def _own_path(found: FormField) -> str | None:
    if found.tag and is_model_path(found.tag):
        return found.tag
    path = template_names().path_for(found)
    return path if path and is_model_path(path) else None


def _choose_mapping(form: WordForm, own: int, given: LabelMapping | None) -> LabelMapping | None:
    """The given mapping, else the shipped one that names most of this form's fields."""
    if given is not None:
        return given
    if own * 2 > len(form.fields):  # formkit's own form: no need to try the foreign mappings
        return next((m for m in shipped_mappings() if m.name == OWN_FORM), None)
    best: tuple[int, LabelMapping] | None = None
    for candidate in shipped_mappings():
        score = sum(1 for f in form.fields if candidate.path_for(f))
        score += sum(1 for label, _ in form.rows if candidate.row_path(label))
        if own and candidate.name == OWN_FORM:
            score += own
        if score and (best is None or score > best[0]):
            best = (score, candidate)
    return best[1] if best else None


def _raw_result(path: Path, fields: list[FormField]) -> ParseResult:
    result = ParseResult(file=str(path))
    for found in fields:
        result.data[found.key] = found.value
        if found.value is None or found.value == "":
            result.empty.append(found.key)
        else:
            result.fields_read.append(found.key)
        if found.warning:
            result.warnings.append(f"{found.key}: {found.warning}")
    return result


def _unmapped(found: FormField) -> dict[str, Any]:
    entry: dict[str, Any] = {"label": found.name, "key": found.key, "value": found.value}
    if found.context:
        entry["context"] = found.context
    return entry


def _is_blank(value: Value) -> bool:
    return value is None or value is False or value == ""


def parse_word(path: Path, *, raw: bool, mapping: LabelMapping | None) -> ParseResult:
    form = read_word_form(path)
    if raw:
        return _raw_result(path, form.fields)
    result = ParseResult(file=str(path))
    own = {id(f): p for f in form.fields if (p := _own_path(f))}
    chosen = _choose_mapping(form, len(own), mapping)
    result.mapping = chosen.name if chosen else None
    values: list[tuple[str, Value, str]] = []
    for found in form.fields:
        path_ = own.get(id(found)) or (chosen.path_for(found) if chosen else None)
        if path_ is None or not is_model_path(path_):
            if not _is_blank(found.value):
                result.unmapped.append(_unmapped(found))
            continue
        if found.warning:
            result.warnings.append(f"{path_} ({found.name}): {found.warning}")
        values.append((path_, found.value, found.name))
    if chosen is not None:
        for label, text in form.rows:
            row_path = chosen.row_path(label)
            if row_path and is_model_path(row_path):
                values.append((row_path, text or None, label))
    data = place_values(values, result)
    result.data = validate_episode(data, result)
    if not result.reference:
        result.warnings.append("episode.reference: the form does not say which episode it is for")
    return result


def parse_pdf(path: Path, *, raw: bool) -> ParseResult:
    repaired: list[str] = []
    found = _read_pdf(path, repaired)
    fields = [FormField(kind="pdf", value=v, key=k, label=k) for k, v in found.items()]
    if raw:
        result = _raw_result(path, fields)
        result.warnings.extend(repaired)
        return result
    result = ParseResult(file=str(path), mapping="pdf field names")
    result.warnings.extend(repaired)
    values: list[tuple[str, Value, str]] = []
    for field in fields:
        if is_model_path(field.key):
            values.append((field.key, field.value, field.key))
        elif not _is_blank(field.value):
            result.unmapped.append(_unmapped(field))
    result.data = validate_episode(place_values(values, result), result)
    if not result.reference:
        result.warnings.append("episode.reference: the form does not say which episode it is for")
    return result


def parse_form(
    path: str | Path,
    *,
    raw: bool = False,
    mapping: str | Path | LabelMapping | None = None,
    timeout: float | None = None,
) -> ParseResult:
    """Read one completed form (.docx or PDF) back into episode-shaped data plus a report.

    ``raw=True`` returns every control as ``{key: value}`` without the model. ``mapping`` names
    a label mapping (``"barnardos-rhi"`` or a YAML path) for forms without formkit's tags; by
    default the shipped mapping that fits best is used.

    The form is read in a worker process (:mod:`formkit.limits`) stopped after ``timeout``
    seconds (default :data:`formkit.limits.TIME_LIMIT`, or ``FORMKIT_TIME_LIMIT``) or when it
    needs more memory than :data:`formkit.limits.MEMORY_LIMIT_MB`, Word or PDF alike. Raises
    :class:`~formkit.errors.InputError` (or its :class:`~formkit.errors.UnsafeFileError`) for a file refused at intake and
    :class:`~formkit.errors.FormParseError` for a form whose content contradicts itself.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError("no such file", file=path)
    given = load_mapping(mapping) if isinstance(mapping, str | Path) else mapping
    is_pdf = bool(path.stat().st_size) and sniff(path).startswith(PDF_MAGIC)
    messages = _pdf_messages() if is_pdf else WORD_MESSAGES
    result: ParseResult = run_limited(
        _parse_here, (path, raw, given, is_pdf), file=path, messages=messages, timeout=timeout
    )
    return result


def _pdf_messages() -> Messages:
    try:
        from formkit.pdf.safety import PDF_MESSAGES
    except ImportError:
        return WORD_MESSAGES
    return PDF_MESSAGES


def _parse_here(path: Path, raw: bool, given: LabelMapping | None, is_pdf: bool) -> ParseResult:
    """:func:`parse_form` in this process, without the limits (it runs inside the box)."""
    if is_pdf:
        return parse_pdf(path, raw=raw)
    check_office_zip(path, kind="docx")
    try:
        return parse_word(path, raw=raw, mapping=given)
    except FormParseError as exc:
        if exc.file is None:
            raise FormParseError(exc.message, file=path, field=exc.field) from exc
        raise

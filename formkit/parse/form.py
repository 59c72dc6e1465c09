"""``parse_form``: one completed form (Word or PDF) in, episode-shaped data and a report out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from formkit.errors import FormParseError, InputError
from formkit.intake import check_office_zip, is_pdf
from formkit.limits import run_limited
from formkit.model.paths import is_model_path
from formkit.parse.assemble import place_values, validate_episode
from formkit.parse.docx import WORD_MESSAGES, WordForm, read_word_form
from formkit.parse.labels import LabelMapping, load_mapping, shipped_mappings, template_names
from formkit.parse.pdfform import read_pdf_fields
from formkit.parse.result import FormField, ParseResult, Value
from formkit.parse.typed import split_name
from formkit.parse.wordings import load_wordings

OWN_FORM = "rhi-form"


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


FULL_NAME = "child.full_name"


def _usable(path: str | None) -> bool:
    return bool(path) and (path == FULL_NAME or is_model_path(str(path)))


class _Answers:
    """The (path, value, label) triples of one form, with the label of each path for reports."""

    def __init__(self, result: ParseResult) -> None:
        self.result = result
        self.values: list[tuple[str, Value, str]] = []
        self.labels: dict[str, str] = {}

    def add(self, path: str, value: Any, label: str) -> None:
        if path == FULL_NAME:
            parts = split_name(value) if isinstance(value, str) else None
            if parts is None:
                if not _is_blank(value):
                    self.result.unmapped.append({"label": label, "key": path, "value": value})
                return
            self.add("child.first_name", parts[0], label)
            self.add("child.last_name", parts[1], label)
            return
        self.labels.setdefault(path, label)
        self.values.append((path, value, label))

    def finish(self) -> None:
        data = place_values(self.values, self.result)
        self.result.data = validate_episode(data, self.result, self.labels)
        if not self.result.reference and not self.result.police_reference:
            self.result.warnings.append(
                "episode.reference: the form does not say which episode it is for"
            )


def _guessed(answers: _Answers, unresolved: list[FormField]) -> None:
    """Fields no tag or mapping names, read by their labels (``wordings.yaml``)."""
    if not unresolved:
        return
    wordings = load_wordings()
    for found, guess in zip(unresolved, wordings.guess_fields(unresolved), strict=True):
        if guess is None or not _usable(guess.path.partition("=")[0]):
            if not _is_blank(found.value):
                answers.result.unmapped.append(_unmapped(found))
            continue
        answers.add(guess.path, wordings.coerce(guess.path, found.value), found.name)


def parse_word(path: Path, *, raw: bool, mapping: LabelMapping | None) -> ParseResult:
    form = read_word_form(path)
    if raw:
        return _raw_result(path, form.fields)
    result = ParseResult(file=str(path))
    own = {id(f): p for f in form.fields if (p := _own_path(f))}
    chosen = _choose_mapping(form, len(own), mapping)
    result.mapping = chosen.name if chosen else None
    answers = _Answers(result)
    wordings = load_wordings()
    unresolved: list[FormField] = []
    mapped = chosen.paths_for(form.fields) if chosen else [None] * len(form.fields)
    for found, by_mapping in zip(form.fields, mapped, strict=True):
        own_path = own.get(id(found))
        path_ = own_path or by_mapping
        if not _usable(path_):
            unresolved.append(found)
            continue
        assert path_ is not None
        if found.warning:
            result.warnings.append(f"{path_} ({found.name}): {found.warning}")
        # Our own tagged controls hold stored values; anything named by label is read as typed.
        value = found.value if own_path and found.tag else wordings.coerce(path_, found.value)
        answers.add(path_, value, found.name)
    _guessed(answers, unresolved)
    for label, text in form.rows:
        row_path = chosen.row_path(label) if chosen else None
        if row_path == "" or (row_path is None and chosen is not None and chosen.printed_rows):
            continue  # a row the mapping says is not an answer
        if not _usable(row_path):
            guess = wordings.best_path(label)
            row_path = guess.path if guess is not None else None
        if row_path is not None and _usable(row_path):
            answers.add(row_path, wordings.coerce(row_path, text or None), label)
        elif text.strip():
            result.unmapped.append({"label": label, "key": label, "value": text.strip()})
    answers.finish()
    return result


def parse_pdf(
    path: Path, *, raw: bool, timeout: float | None = None, mapping: LabelMapping | None = None
) -> ParseResult:
    repaired: list[str] = []
    fields = read_pdf_fields(path, timeout=timeout, warnings=repaired)
    if raw:
        result = _raw_result(path, fields)
        result.warnings.extend(repaired)
        return result
    result = ParseResult(file=str(path), mapping=mapping.name if mapping else "pdf field names")
    result.warnings.extend(repaired)
    answers = _Answers(result)
    wordings = load_wordings()
    unresolved: list[FormField] = []
    mapped = mapping.paths_for(fields) if mapping else [None] * len(fields)
    for field, by_mapping in zip(fields, mapped, strict=True):
        if field.tag and is_model_path(field.tag):
            answers.add(field.tag, field.value, field.tag)
        elif by_mapping and _usable(by_mapping):
            answers.add(by_mapping, wordings.coerce(by_mapping, field.value), field.name)
        else:
            unresolved.append(field)
    _guessed(answers, unresolved)
    answers.finish()
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
    needs more memory than :data:`formkit.limits.MEMORY_LIMIT_MB`, Word or PDF alike. Raises :class:`~formkit.errors.InputError`
    (or its :class:`~formkit.errors.UnsafeFileError`) for a file refused at intake and
    :class:`~formkit.errors.FormParseError` for a form whose content contradicts itself.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError("no such file", file=path)
    given = load_mapping(mapping) if isinstance(mapping, str | Path) else mapping
    pdf = is_pdf(path)
    messages = WORD_MESSAGES
    if pdf:
        from formkit.pdf.safety import PDF_MESSAGES as messages
    result: ParseResult = run_limited(
        _parse_here, (path, raw, given, pdf), file=path, messages=messages, timeout=timeout
    )
    return result


def _parse_here(path: Path, raw: bool, given: LabelMapping | None, is_pdf: bool) -> ParseResult:
    """:func:`parse_form` in this process, without the limits (it runs inside the box)."""
    if is_pdf:
        return parse_pdf(path, raw=raw, mapping=given)
    check_office_zip(path, kind="docx")
    try:
        return parse_word(path, raw=raw, mapping=given)
    except FormParseError as exc:
        if exc.file is None:
            raise FormParseError(exc.message, file=path, field=exc.field) from exc
        raise

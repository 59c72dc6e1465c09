"""A mapping for a new provider's form, drafted for a person to confirm, and checked.

``draft_mapping(form)`` lists every control of a form with the label beside it, the data path
formkit would read it into (from the shipped wordings) and how sure it is, as a mapping file
(``formkit/parse/mappings/*.yaml`` format) a person confirms or corrects in a text editor.
``check_mapping(form, mapping)`` shows what a mapping reads from a form, field by field. No
answer from the form is copied into the draft (it would carry a child's details).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from formkit.errors import InputError
from formkit.intake import check_office_zip, is_pdf
from formkit.model.paths import is_model_path
from formkit.parse.docx import read_word_form
from formkit.parse.labels import LabelMapping, load_mapping, normalise
from formkit.parse.pdfform import read_pdf_fields
from formkit.parse.result import FormField
from formkit.parse.wordings import load_wordings

FULL_NAME = "child.full_name"


@dataclass
class DraftField:
    """One control of the form: how a mapping names it and the path guessed for it."""

    label: str
    kind: str
    filled: bool
    path: str | None
    confidence: float
    context: str | None = None
    occurrence: int | None = None


@dataclass
class Draft:
    name: str
    source: str
    fields: list[DraftField]
    rows: list[DraftField]

    @property
    def guessed(self) -> int:
        return sum(1 for f in [*self.fields, *self.rows] if f.path)


def _form_fields(path: Path, timeout: float) -> tuple[list[FormField], list[tuple[str, str]]]:
    if not path.is_file():
        raise InputError("no such file", file=path)
    if is_pdf(path):
        return read_pdf_fields(path, timeout=timeout), []
    check_office_zip(path, kind="docx")
    form = read_word_form(path)
    return form.fields, form.rows


def _usable(path: str) -> bool:
    return path.partition("=")[0] == FULL_NAME or is_model_path(path)


def _names(fields: list[FormField]) -> list[tuple[str, str | None, int | None]]:
    """How a mapping rule names each field: (label, context if needed, occurrence if needed),
    so that each rule names exactly the field it was drafted from. A field with a name of its
    own (a tag, a legacy field's or a PDF field's name) is named by it."""
    names = [normalise(f.name or "") for f in fields]
    pairs = [(normalise(f.name or ""), normalise(f.context or "")) for f in fields]
    seen: dict[tuple[str, str], int] = {}
    named: list[tuple[str, str | None, int | None]] = []
    for found, name, pair in zip(fields, names, pairs, strict=True):
        seen[pair] = seen.get(pair, 0) + 1
        if found.tag:
            named.append((found.key, None, None))
        elif names.count(name) == 1:
            named.append((found.name, None, None))
        elif pairs.count(pair) == 1:
            named.append((found.name, found.context, None))
        else:
            named.append((found.name, found.context, seen[pair]))
    return named


def draft_mapping(form: str | Path, *, name: str | None = None, timeout: float = 10.0) -> Draft:
    """Every control of ``form`` with its label and best-guess data path (see module doc)."""
    path = Path(form)
    fields, rows = _form_fields(path, timeout)
    wordings = load_wordings()
    guesses = wordings.guess_fields(fields)
    drafted = []
    for found, guess, (label, context, occurrence) in zip(
        fields, guesses, _names(fields), strict=True
    ):
        usable = guess is not None and _usable(guess.path)
        drafted.append(
            DraftField(
                label=label,
                kind=found.kind,
                filled=found.value not in (None, "", False),
                path=guess.path if guess is not None and usable else None,
                confidence=guess.confidence if guess is not None and usable else 0.0,
                context=context,
                occurrence=occurrence,
            )
        )
    drafted_rows = []
    for label, text in rows:
        guess = wordings.best_path(label)
        usable = guess is not None and _usable(guess.path)
        drafted_rows.append(
            DraftField(
                label=label,
                kind="row",
                filled=bool(text.strip()),
                path=guess.path if guess is not None and usable else None,
                confidence=guess.confidence if guess is not None and usable else 0.0,
            )
        )
    return Draft(name or path.stem, path.name, drafted, drafted_rows)


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML scalar


def draft_yaml(draft: Draft) -> str:
    """The draft as a mapping file, with a comment on each line to confirm."""
    lines = [
        f"# Label mapping drafted by 'formkit mapping draft' from {draft.source}.",
        "# Check every path (the data paths are listed by 'formkit schema'); correct a wrong one,",
        '# fill in a path left "" (or leave it: that field is reported as unmapped), delete a',
        "# line to let formkit guess. Confidence is how sure the guess was (1 = exact wording).",
        "# Then: formkit mapping check FORM --mapping THIS-FILE",
        f"name: {_quoted(draft.name)}",
        f"title: {_quoted('Return interview form from ' + draft.source)}",
        "fields:",
    ]
    for item in draft.fields:
        parts = [f"label: {_quoted(item.label)}"]
        if item.context:
            parts.append(f"context: {_quoted(item.context)}")
        if item.occurrence:
            parts.append(f"occurrence: {item.occurrence}")
        parts.append(f"path: {_quoted(item.path or '')}")
        parts.append(f"confidence: {item.confidence:.2f}")
        note = f"{item.kind}{', filled' if item.filled else ''}"
        lines.append(f"  - {{{', '.join(parts)}}}  # {note}")
    if not draft.fields:
        lines[-1] = "fields: []"
    guessed_rows = [row for row in draft.rows if row.path]
    lines.append("rows:" if guessed_rows else "rows: {}")
    for row in guessed_rows:
        lines.append(f"  {_quoted(row.label)}: {_quoted(row.path or '')}  # {row.confidence:.2f}")
    others = [row.label for row in draft.rows if not row.path]
    if others:
        lines.append("# Two-cell rows with no guess (reported as unmapped when filled):")
        lines += [f"#   {_quoted(label)}" for label in others]
    return "\n".join(lines) + "\n"


@dataclass
class Reading:
    """What a mapping reads from one field: its path (None when it reads nothing)."""

    label: str
    value: Any
    path: str | None


def check_mapping(
    form: str | Path, mapping: str | Path | LabelMapping, *, timeout: float = 10.0
) -> list[Reading]:
    """For each field and two-cell row of ``form``, the path ``mapping`` reads it into."""
    given = load_mapping(mapping) if isinstance(mapping, str | Path) else mapping
    fields, rows = _form_fields(Path(form), timeout)
    readings = [
        Reading(found.name, found.value, found_path if found_path and _usable(found_path) else None)
        for found, found_path in zip(fields, given.paths_for(fields), strict=True)
    ]
    for label, text in rows:
        row_path = given.row_path(label)
        readings.append(Reading(label, text, row_path if row_path and _usable(row_path) else None))
    return readings

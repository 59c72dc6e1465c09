"""Checking episodes: pydantic's validation errors as plain-English problems with field paths,
and :func:`validate_files`, the batch behind ``formkit validate``."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from formkit.batch import BatchResult, Progress, attempt, no_progress
from formkit.errors import Problem
from formkit.model.base import RuleBroken
from formkit.model.paths import model_at
from formkit.model.values import unknown_choice

_PLAIN = {
    "missing": "is required but missing",
    "bool_parsing": "must be yes or no (true/false)",
    "bool_type": "must be yes or no (true/false)",
    "int_parsing": "must be a whole number",
    "int_type": "must be a whole number",
    "int_from_float": "must be a whole number",
    "string_type": "must be text",
    "string_unicode": "holds a character that is not valid text (a broken surrogate)",
    "list_type": "must be a list",
    "dict_type": "must be a group of fields (an object)",
    "model_type": "must be a group of fields (an object)",
    "model_attributes_type": "must be a group of fields (an object)",
    "date_type": "must be a date such as 2026-11-03 or 03/11/2026",
    "datetime_type": "must be a date and time such as 2026-11-03T14:30",
}


# A record with thousands of faults (a file of the wrong kind) is summed up after this many.
MAX_PROBLEMS_PER_RECORD = 20


def problems_from(error: ValidationError, *, file: str, record: str | None) -> list[Problem]:
    """One :class:`Problem` per fault, each naming the field's data path (at most
    :data:`MAX_PROBLEMS_PER_RECORD`, then one saying how many more)."""
    problems = []
    details = error.errors(include_url=False)
    if len(details) > MAX_PROBLEMS_PER_RECORD:
        more = len(details) - MAX_PROBLEMS_PER_RECORD
        details = details[:MAX_PROBLEMS_PER_RECORD]
        problems.append(
            Problem(file, f"has {more:,} more faults not listed; fix these first", record)
        )
    for detail in details:
        location = [str(part) for part in detail["loc"]]
        kind = detail["type"]
        if kind == "extra_forbidden":
            problems.append(_unknown_field(location, file, record))
            continue
        rule = (detail.get("ctx") or {}).get("error")
        if isinstance(rule, RuleBroken):
            location.extend(rule.field.split("."))
        field = ".".join(location) or None
        problems.append(Problem(file, _message(detail), record, field))
    return problems[1:] + problems[:1] if len(problems) > MAX_PROBLEMS_PER_RECORD else problems


def _message(detail: Any) -> str:
    kind = detail["type"]
    context = detail.get("ctx") or {}
    if kind in _PLAIN:
        return _PLAIN[kind]
    if kind == "enum":
        allowed = re.findall(r"'([^']*)'", str(context.get("expected", "")))
        return unknown_choice(str(detail["input"]), allowed)
    if kind == "value_error":
        error = context.get("error")
        return error.message if isinstance(error, RuleBroken) else str(error or detail["msg"])
    if kind == "string_pattern_mismatch":
        return f"'{_short(detail['input'])}' is not allowed here: {_pattern_hint(detail)}"
    if kind == "literal_error":
        return f"must be {context.get('expected')}, not '{_short(detail['input'])}'"
    if kind in {"greater_than_equal", "less_than_equal", "greater_than", "less_than"}:
        return detail["msg"].lower().replace("input", "the value")
    if kind == "date_from_datetime_inexact":
        return "must be a date without a time of day"
    return str(detail["msg"])


def _pattern_hint(detail: Any) -> str:
    field = detail["loc"][-1] if detail["loc"] else ""
    if field == "reference":
        return "use only letters, digits, '.', '_' and '-' (it names files and tracker rows)"
    if field == "local_authority":
        return "use a profile id in lower case, such as 'bexley' or 'kent-medway'"
    return "it does not have the expected form"


def _short(value: Any, limit: int = 40) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _unknown_field(location: list[str], file: str, record: str | None) -> Problem:
    name = location[-1]
    parent = location[:-1]
    model = model_at(".".join(parent))
    known = list(model.model_fields) if model is not None else []
    where = ".".join(parent) or "the episode"
    message = f"'{name}' is not a field of {where}"
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    if close:
        message += f"; did you mean '{close[0]}'?"
    return Problem(file, message, record, ".".join(location))


@dataclass(kw_only=True)
class ValidateResult(BatchResult):
    """What :func:`validate_files` found: counts, and a problem for each fault."""

    files: int = 0
    records: int = 0
    valid: int = 0

    @property
    def invalid(self) -> int:
        return self.records - self.valid

    @property
    def unreadable(self) -> int:
        """Files that could not be read at all (a problem with no record)."""
        return len({p.file for p in self.problems if p.row is None and p.reference is None})

    def as_dict(self) -> dict[str, Any]:
        counts = {"files": self.files, "records": self.records, "valid": self.valid}
        return {**counts, "invalid": self.invalid, **super().as_dict()}


def validate_files(
    paths: Sequence[str | Path], *, progress: Progress = no_progress
) -> ValidateResult:
    """Check every record of the episode files ``paths`` (files, folders or patterns) against
    the episode model.

    A file that cannot be read, or breaks in the middle, is one problem and the next file is
    read; ``progress(1)`` is called after each record.
    """
    from formkit.load import expand_files, iter_episodes
    from formkit.render.photo import check_photo

    files = expand_files(paths)
    result = ValidateResult(files=len(files))
    for path in files:
        with attempt(result.problems, file=path):
            for loaded in iter_episodes(path):
                result.records += 1
                progress(1)
                if loaded.episode is None:
                    result.problems.extend(loaded.problems)
                    continue
                result.valid += 1
                warning = check_photo(loaded.episode, loaded.file)
                if warning is not None:
                    result.warnings.append(warning)
    return result

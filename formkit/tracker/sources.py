"""Reading what ``tracker update`` is given: episode files, parsed forms, completed forms.

* Episode files (JSON, YAML, JSON Lines, CSV, XLSX) give whole rows.
* Lines of ``formkit parse -o parsed.jsonl`` (``{"file": ..., "data": {...}, "report": ...}``)
  and completed ``.docx``/``.pdf`` forms (parsed on the fly) give a return interview, merged
  into the row of its episode reference.

A record that cannot be used becomes a :class:`~formkit.errors.Problem` and the batch goes on.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from formkit.batch import Progress, attempt, no_progress
from formkit.errors import FormkitError, Problem
from formkit.intake import FORM_SUFFIXES
from formkit.load import SUFFIXES, expand_files, iter_records, validate_record
from formkit.model import ReturnInterview
from formkit.tracker.match import Identity, identity_of
from formkit.tracker.rows import Row, done_values, episode_values, interview_values, wall_clock
from formkit.tracker.written import token
from formkit.validation import problems_from

if TYPE_CHECKING:
    from formkit.parse.result import ParseResult


@dataclass
class Change:
    """One thing to apply to the tracker: a whole episode, or an interview for an episode."""

    reference: str
    source: str  # file name without folder, for the Source file column and messages
    record: str  # where in the source ("line 3 (BX-1)")
    episode: Row | None = None
    interview: Row | None = None
    identity: Identity | None = None  # a form's own details, to find its row without a reference
    # Said when the episode is not in the tracker: "episode X is not in the tracker, so ..."
    unmatched: str = "its return interview was not added; add the episode file first"
    as_of: str | None = None  # the form's own date (interview held, else offered or referred)
    warnings: list[str] = field(default_factory=list)  # the parse warnings, for "Needs review"


@dataclass
class Read:
    changes: list[Change] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _is_parsed_form(data: Any) -> bool:
    return isinstance(data, dict) and "data" in data and ("file" in data or "report" in data)


def interview_change(
    data: Any, *, file: str, record: str, source: str, warnings: list[str] | None = None
) -> Change | Problem:
    """A :class:`Change` from episode-shaped parsed form data, or the problem with it."""
    if not isinstance(data, dict):
        return Problem(file, "the parsed form has no data", record)
    identity = identity_of(data)
    reference = identity.reference or ""
    if not (reference or identity.police_reference or identity.child_name or identity.child_id):
        return Problem(
            file,
            "the form has no episode reference, police reference or child's details, so it "
            "cannot be matched to an episode",
            record,
            "episode.reference",
        )
    named = reference or identity.described
    label = f"{record} ({named})" if named not in record else record
    raw = data.get("return_interview")
    if not isinstance(raw, dict) or not raw:
        return Problem(file, "the form has no return interview to add", label, "return_interview")
    try:
        interview = ReturnInterview.model_validate(raw)
    except ValidationError as exc:
        first = problems_from(exc, file=file, record=label)[0]
        return Problem(
            file, first.message, label, f"return_interview.{first.field or ''}".rstrip(".")
        )
    dated = interview.held_at or interview.offered_at or interview.referred_at
    return Change(
        reference,
        source,
        label,
        interview=interview_values(interview),
        identity=identity,
        as_of=token(wall_clock(dated)),
        warnings=[str(w) for w in warnings or []],
    )


def _form_change(path: Path) -> Change | Problem:
    name = str(path)
    try:
        from formkit.parse import parse_form
    except ImportError:
        return Problem(name, "reading completed forms is not available in this installation")
    try:
        parsed = parse_form(path)
    except FormkitError as error:
        return error.problem
    return form_change(parsed, file=name, source=path.name)


def form_change(parsed: ParseResult, *, file: str, source: str) -> Change | Problem:
    """The :class:`Change` a completed form read by ``parse_form`` makes (or its problem).

    ``source`` is the form's name for the tracker's Source file column and its messages: the
    file's own name, or the name a person uploaded it under.
    """
    return interview_change(
        parsed.data, file=file, record="form", source=source, warnings=parsed.warnings
    )


def read_forms(parsed: Iterable[ParseResult], names: Mapping[str, str] | None = None) -> Read:
    """The changes of completed forms already read by ``parse_form`` (``formkit parse``).

    ``names`` maps each form's file to the name a person knows it by (the name it was uploaded
    under), for the Source file column and the messages; by default the file's own name.
    """
    read = Read()
    for form in parsed:
        name = (names or {}).get(form.file) or Path(form.file).name
        made = form_change(form, file=name, source=name)
        if isinstance(made, Change):
            read.changes.append(made)
        else:
            read.problems.append(made)
    return read


def _file_changes(path: Path, now: datetime) -> Iterator[Change | Problem]:
    name = str(path)
    for label, data in iter_records(path):
        if _is_parsed_form(data):
            form = data.get("file") or path.name
            report = data.get("report")
            warnings = report.get("warnings") if isinstance(report, dict) else None
            yield interview_change(
                data["data"],
                file=name,
                record=label,
                source=Path(str(form)).name,
                warnings=warnings if isinstance(warnings, list) else None,
            )
            continue
        loaded = validate_record(data, file=name, record=label)
        if loaded.episode is None:
            yield from loaded.problems
            continue
        record = loaded.episode
        yield Change(
            record.reference,
            path.name,
            loaded.record,
            episode=episode_values(record, now=now),
            interview={**interview_values(record.return_interview), **done_values(record)},
        )


def read_sources(
    sources: Iterable[str | Path], *, now: datetime, progress: Progress = no_progress
) -> Read:
    """Every change the sources hold, in order, and every problem found on the way."""
    read = Read()
    for source in expand_files(sources, (*SUFFIXES, *FORM_SUFFIXES)):
        path = Path(source)
        items: list[Change | Problem] = []
        with attempt(read.problems, file=path):
            if path.suffix.lower() in FORM_SUFFIXES:
                items = [_form_change(path)]
            else:
                items = list(_file_changes(path, now))
        for item in items:
            if isinstance(item, Change):
                read.changes.append(item)
            else:
                read.problems.append(item)
        progress(1)
    return read

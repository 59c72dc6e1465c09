"""Upserting episodes into the tracker: by key, idempotent, and without losing anything.

The workbook is loaded once, cells are changed in place, new rows are appended under the table
(whose range grows), and it is saved once. Only the table's own columns are touched, so other
sheets, user columns to the right, formatting, data validation, conditional formats and defined
names stay as they were. Running the same sources twice changes nothing the second time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from formkit.batch import BatchResult, Progress, no_progress
from formkit.errors import Problem, TrackerError
from formkit.model import LONDON
from formkit.tracker.columns import TABLE_NAME, Column, by_key, columns
from formkit.tracker.match import Candidate, find_episode
from formkit.tracker.rows import derived_values, merge, wall_clock
from formkit.tracker.safety import fit_for_excel, require_defusedxml
from formkit.tracker.save import (
    LOCK_TIMEOUT_SECONDS,
    real_path,
    refuse_if_open,
    remove_stale_temporaries,
    save_atomic,
    tracker_lock,
)
from formkit.tracker.sources import Change, read_sources
from formkit.tracker.today_sheet import today_for_table, today_parts
from formkit.tracker.written import AS_OF, Written, load_written, shown, token, written_parts
from formkit.tracker.xlsx import TableSheet, load_table, write_package

COMPARED_GROUPS = ("episode", "interview", "done", "made", "derived")


@dataclass
class CellChange:
    """One cell a run changed, its values as the tracker shows them (choices in words)."""

    header: str
    old: Any
    new: Any
    personal: bool = False


def _columns(headers: list[str]) -> str:
    """ "column Age", "columns Age, Police reference" """
    return ("column " if len(headers) == 1 else "columns ") + ", ".join(headers)


def shown_cell(value: Any, personal: bool = False) -> str:
    """A cell's value as a report of changes shows it: "(changed)" for a personal detail (never
    printed), "(blank)", a date and time as 03/11/2026 14:30."""
    from formkit.words import table_datetime

    if personal:
        return "(changed)"
    if value is None:
        return "(blank)"
    if isinstance(value, date):
        return table_datetime(value)
    return str(value)


@dataclass
class RowChange:
    reference: str
    action: Literal["insert", "update"]
    source: str
    cells: list[CellChange] = field(default_factory=list)


PROTECTED_GROUPS = ("episode", "interview")
REVIEW = "needs_review"


@dataclass
class Conflict:
    """A cell an update would have changed but did not: a person had changed it since formkit
    wrote it, or it holds a newer form's answer. The tracker keeps its value."""

    reference: str
    header: str
    kept: str | None  # tokens (see formkit.tracker.written)
    offered: str | None
    source: str
    reason: str
    personal: bool = False

    def __str__(self) -> str:
        kept = "(changed)" if self.personal else repr(shown(self.kept))
        offered = "(changed)" if self.personal else repr(shown(self.offered))
        return (
            f"{self.reference} {self.header}: kept {kept} ({self.reason}); "
            f"{self.source} says {offered}"
        )


@dataclass
class Unmatched:
    """A form that matched no row, or more than one: never made into a new row."""

    source: str
    record: str
    candidates: list[Candidate] = field(default_factory=list)


@dataclass
class UpdateResult(BatchResult):
    """What an update did (or, with ``dry_run``, would do); ``written`` holds the tracker when
    it was saved, ``problems`` the records that could not be used."""

    tracker: Path
    dry_run: bool
    changes: list[RowChange] = field(default_factory=list)
    unchanged: int = 0
    backup: Path | None = None
    rows: int = 0
    matched: list[tuple[str, str, str]] = field(default_factory=list)  # source, reference, how
    conflicts: list[Conflict] = field(default_factory=list)
    unmatched: list[Unmatched] = field(default_factory=list)

    @property
    def inserted(self) -> int:
        return sum(1 for c in self.changes if c.action == "insert")

    @property
    def updated(self) -> int:
        return sum(1 for c in self.changes if c.action == "update")

    def as_dict(self) -> dict[str, Any]:
        """The update as JSON; a personal value (a name, a date of birth) is never shown."""

        def cell(value: object) -> object:
            return value.isoformat() if isinstance(value, datetime) else value

        return {
            "tracker": str(self.tracker),
            "dry_run": self.dry_run,
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rows": self.rows,
            "backup": str(self.backup) if self.backup else None,
            "changes": [
                {
                    "reference": c.reference,
                    "action": c.action,
                    "source": c.source,
                    "cells": {x.header: None if x.personal else cell(x.new) for x in c.cells},
                }
                for c in self.changes
            ],
            "matched": [
                {"source": source, "reference": reference, "how": how}
                for source, reference, how in self.matched
            ],
            "unmatched": [
                {
                    "source": u.source,
                    "record": u.record,
                    "candidates": [
                        {"reference": c.reference, "reasons": list(c.reasons)} for c in u.candidates
                    ],
                }
                for u in self.unmatched
            ],
            "conflicts": [
                {
                    "reference": c.reference,
                    "column": c.header,
                    "kept": None if c.personal or c.kept is None else shown(c.kept),
                    "offered": None if c.personal or c.offered is None else shown(c.offered),
                    "source": c.source,
                    "reason": c.reason,
                }
                for c in self.conflicts
            ],
            **super().as_dict(),
        }


def _row_index(table: TableSheet, *, file: Path) -> tuple[dict[str, int], int]:
    """Key -> row number for the table's rows, and the first row a new episode can use."""
    index: dict[str, int] = {}
    for number in range(table.header_row + 1, table.last_row + 1):
        key = table.key_of(number)
        if key is None:
            continue
        if key in index:
            raise TrackerError(
                f"the episode reference {key!r} is in rows {index[key]} and {number}; the key "
                "must be unique, so remove or correct one of them and run again",
                file=file,
            )
        index[key] = number
    next_row = table.last_row + 1
    while next_row - 1 > table.header_row and table.row_is_blank(next_row - 1):
        next_row -= 1
    return index, next_row


def _clean(
    value: Any, *, reference: str, column: Column, file: Path, row: int
) -> tuple[Any, Problem | None]:
    """``value`` as Excel can hold it (see ``fit_for_excel``), and a warning if it changed."""
    if not isinstance(value, str):
        return value, None
    cleaned, done = fit_for_excel(value)
    if not done:
        return value, None
    warning = Problem(str(file), "; ".join(done), f"row {row} ({reference})", column.header)
    return cleaned or None, warning


class _Finder:
    """The table's rows for matching forms without a known reference (read once, on demand)."""

    def __init__(
        self,
        table: TableSheet,
        index: dict[str, int],
        match: str | None,
        matches: Mapping[str, str] | None = None,
    ) -> None:
        self.table, self.index, self.match = table, index, match
        self.matches = dict(matches or {})
        self._rows: list[dict[str, Any]] | None = None

    def changed(self) -> None:
        self._rows = None

    def resolve(self, change: Change, result: UpdateResult) -> bool:
        """Point ``change`` at its row; False (and reported) when no single row fits."""
        if change.episode is not None or change.reference in self.index:
            return True
        if self.match is not None:
            change.reference = self.match
            result.matched.append((change.source, self.match, "--match"))
            return True
        chosen = self.matches.get(change.source) if change.identity is not None else None
        if chosen:
            change.reference = chosen
            result.matched.append((change.source, chosen, "a person's choice"))
            return True
        if change.identity is None:
            return True
        if self._rows is None:
            spec = by_key()
            self._rows = [self.table.read_row(n, spec) for n in self.index.values()]
        found = find_episode(change.identity, self._rows)
        if found.reference is not None:
            change.reference = found.reference
            result.matched.append((change.source, found.reference, found.how))
            return True
        if change.reference and not found.candidates:
            return True  # its episode is simply not in the tracker yet: said as such below
        result.unmatched.append(Unmatched(change.source, change.record, found.candidates))
        best = "; ".join(str(c) for c in found.candidates) or "none"
        result.problems.append(
            Problem(
                change.source,
                f"could not tell which episode this form is about ({change.identity.described}); "
                f"best candidates: {best}. Nothing was added: run again with --match REFERENCE "
                "for this form",
                change.record,
            )
        )
        return False


def _protect(
    table: TableSheet,
    change: Change,
    current: dict[str, Any],
    wanted: dict[str, Any],
    memory: dict[str, str],
    result: UpdateResult,
) -> list[Conflict]:
    """Keep in ``wanted`` every cell a person changed since formkit wrote it, and every
    interview cell a newer form filled when ``change`` is an older form; report each."""
    spec = by_key()
    as_of = memory.get(AS_OF)
    older = change.episode is None and bool(change.as_of and as_of and change.as_of < as_of)
    found: list[Conflict] = []
    for key in table.columns:
        column = spec[key]
        if column.group not in PROTECTED_GROUPS:
            continue
        have, offered = token(current.get(key)), token(column.normalise(wanted.get(key)))
        if have == offered:
            continue
        if have != memory.get(key) and _readable(column, current.get(key)):
            reason = "changed in the tracker since formkit wrote it"
        elif older and column.group == "interview" and have is not None:
            reason = f"the row holds a newer form's answers, of {shown(as_of)}"
        else:
            continue
        wanted[key] = current.get(key)
        found.append(
            Conflict(change.reference, column.header, have, offered, change.source, reason,
                     column.personal)
        )  # fmt: skip
    result.conflicts.extend(found)
    return found


def _readable(column: Column, value: Any) -> bool:
    """Whether a cell holds a value of its column's type (a damaged cell is no correction)."""
    if value is None or column.type not in ("date", "datetime", "int", "number"):
        return True
    if column.type in ("date", "datetime"):
        return isinstance(value, date)
    return isinstance(value, int | float) and not isinstance(value, bool)


def _review(change: Change, conflicts: list[Conflict], existing: Any) -> str | None:
    """The "Needs review" text after this change, or None when it adds nothing."""
    notes = [f"{change.source}: {warning}" for warning in change.warnings]
    notes += [f"{c.source}: {c.header} kept ({c.reason})" for c in conflicts]
    text = str(existing or "")
    new = [note for note in notes if note not in text]
    if not new:
        return None
    return "\n".join(filter(None, [text, *new]))


def _apply(
    table: TableSheet,
    change: Change,
    index: dict[str, int],
    next_row: int,
    result: UpdateResult,
    now: datetime,
    written: Written,
) -> int:
    spec = by_key()
    file = result.tracker
    number = index.get(change.reference)
    if number is None and change.episode is None:
        result.problems.append(
            Problem(
                change.source,
                f"episode {change.reference} is not in the tracker, so {change.unmatched}",
                change.record,
            )
        )
        return next_row
    is_new = number is None
    if number is None:
        number = next_row
        if not table.row_is_blank(number):
            raise TrackerError(
                f"row {number}, just below the table, is not empty, so the table cannot grow; "
                "move what is there and run again",
                file=file,
            )
    current = {key: None for key in table.columns} if is_new else table.read_row(number, spec)
    wanted = merge(current, change.episode, change.interview)
    memory = None if is_new else written.get(change.reference)
    conflicts = _protect(table, change, current, wanted, memory, result) if memory else []
    wanted.update(derived_values(wanted))
    changed: list[str] = []
    for key in table.columns:
        column = spec[key]
        if column.group not in COMPARED_GROUPS:
            continue
        value, warning = _clean(
            wanted.get(key), reference=change.reference, column=column, file=file, row=number
        )
        if warning is not None:
            result.warnings.append(warning)
        value = column.normalise(value)
        wanted[key] = value
        if value != current.get(key):
            changed.append(key)
    review = _review(change, conflicts, current.get(REVIEW)) if REVIEW in table.columns else None
    if review is not None:
        wanted[REVIEW] = review
        changed.append(REVIEW)
    if not changed:
        result.unchanged += 1
        return next_row
    wanted["last_updated"] = wall_clock(now)
    wanted["source_file"] = change.source
    row_change = RowChange(change.reference, "insert" if is_new else "update", change.source)
    for key in [*changed, "last_updated", "source_file"]:
        if key not in table.columns:
            continue
        column = spec[key]
        if key in changed:
            row_change.cells.append(  # as the cells show them: words, not choice codes
                CellChange(
                    column.header,
                    column.to_cell(current.get(key)),
                    column.to_cell(wanted[key]),
                    column.personal,
                )
            )
        table.write(number, key, wanted[key], column)
    result.changes.append(row_change)
    _remember(table, change, wanted, conflicts, written, memory)
    if is_new:
        index[change.reference] = number
        if number > table.last_row:
            table.grow_to(number)
        return number + 1
    return next_row


def _remember(
    table: TableSheet,
    change: Change,
    wanted: dict[str, Any],
    conflicts: list[Conflict],
    written: Written,
    memory: dict[str, str] | None,
) -> None:
    """Record what this change wrote. A kept person's value stays unremembered (the memory
    keeps what formkit offered, so the next import still sees the person's change)."""
    spec = by_key()
    kept = {c.header: c for c in conflicts}
    # Only what this change itself says: a cell it leaves alone keeps its memory (else a
    # person's value carried through would be remembered as formkit's).
    offered = set(change.episode or {})
    offered |= {key for key, value in (change.interview or {}).items() if value is not None}
    values: dict[str, str | None] = {}
    for key in table.columns:
        column = spec[key]
        if column.group not in PROTECTED_GROUPS or key not in offered:
            continue
        conflict = kept.get(column.header)
        if conflict is None:
            values[key] = token(wanted.get(key))
        elif conflict.reason.startswith("changed"):
            values[key] = conflict.offered
    as_of = (memory or {}).get(AS_OF)
    if change.as_of and (as_of is None or change.as_of > as_of):
        values[AS_OF] = change.as_of
    if memory is None:
        written.forget(change.reference)
    written.remember(change.reference, values)


def update_tracker(
    tracker: str | Path,
    sources: Iterable[str | Path],
    *,
    dry_run: bool = False,
    force: bool = False,
    now: datetime | None = None,
    progress: Progress = no_progress,
    lock_timeout: float = LOCK_TIMEOUT_SECONDS,
    match: str | None = None,
    changes: Iterable[Change] = (),
    matches: Mapping[str, str] | None = None,
) -> UpdateResult:
    """Insert or update the tracker's rows from ``sources``; see the module docstring.

    Raises :class:`~formkit.errors.TrackerBusy` when Excel has the tracker open (nothing is
    changed) and :class:`~formkit.errors.TrackerError` when the table lacks some of formkit's
    columns (unless ``force``, which skips them). Records that cannot be used are returned
    in ``problems``; the others are applied. ``changes`` are applied after the sources' own
    (``pack --tracker`` records the documents made this way). A form without a reference the
    tracker knows is matched by police reference or by child and dates
    (:mod:`formkit.tracker.match`); ``match`` names the episode of the one form given instead.
    A cell a person changed since formkit wrote it is kept and reported in ``conflicts``
    (:mod:`formkit.tracker.written`). ``matches`` maps forms' source names to the episodes a
    person chose for them among the candidates (what ``match`` does for one form).
    """
    require_defusedxml()
    path = real_path(tracker)  # through a symbolic link: the real workbook (the link stays)
    if not path.is_file():
        raise TrackerError(
            "no such tracker; make one with 'formkit tracker init' first"
            if not path.exists()
            else "is not a file, so it cannot be a tracker",
            file=tracker,
        )
    moment = now or datetime.now(LONDON)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LONDON)
    read = read_sources(sources, now=moment, progress=progress)
    read.changes.extend(changes)
    result = UpdateResult(path, dry_run, problems=list(read.problems))
    with tracker_lock(path, timeout=lock_timeout):
        refuse_if_open(path)
        if not dry_run:
            remove_stale_temporaries(path)
        table = load_table(path)
        absent = [c.header for c in columns() if c.key not in table.columns and not c.optional]
        if absent and not force:
            raise TrackerError(
                f"the table '{TABLE_NAME}' lacks the {_columns(absent)}, so "
                f"{'its' if len(absent) == 1 else 'their'} values could not be recorded; add "
                f"{'it' if len(absent) == 1 else 'them'} back (see the README sheet) or run "
                "again with --force to update the other columns. Nothing was changed",
                file=path,
            )
        index, next_row = _row_index(table, file=path)
        forms = [c for c in read.changes if c.identity is not None]
        if match is not None and len(forms) != 1:
            raise TrackerError(
                f"--match names the episode of one form, but {len(forms)} forms were given; "
                "run it for that form alone"
            )
        finder = _Finder(table, index, match, matches)
        written = load_written(path, table.strings)
        for change in read.changes:
            if not finder.resolve(change, result):
                continue
            before = len(index)
            next_row = _apply(table, change, index, next_row, result, moment, written)
            if len(index) != before or change.episode is not None:
                finder.changed()
        result.rows = len(index)
        result.warnings.extend(table.problems)  # cells that could not be read as written
        if result.changes and not dry_run:
            extra = today_parts(table, today_for_table(table, moment))
            extra.update(written_parts(written, path))
            result.backup = save_atomic(
                path, lambda handle: write_package(table, path, handle, extra)
            )
            result.written.append(path)
    return result

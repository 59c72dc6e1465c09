"""A way back: the tracker's backups, listed newest first and restored.

Every save keeps the previous workbook in ``<name>-backups/`` beside the tracker, named so a
person can read when it was taken: ``tracker 2026-11-30 18.39.xlsx`` (``18.39.44`` and then
``18.39.44 (2)`` when several land in one minute). Backups from older versions of formkit
(``tracker-20261130T183944147801.xlsx``) are listed and restored too.

Restoring is itself a save: the tracker as it was is backed up first, under the lock, and
refused while Excel has the workbook open, so a restore can always be undone by another.
"""

from __future__ import annotations

import contextlib
import re
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from formkit.errors import FormkitError, TrackerError
from formkit.tracker.save import (
    KEEP_BACKUPS,
    backup_folder,
    real_path,
    refuse_if_open,
    remove_stale_temporaries,
    save_atomic,
    tracker_lock,
)
from formkit.words import table_datetime

_READABLE = re.compile(
    r"(?P<day>\d{4}-\d{2}-\d{2}) (?P<hour>\d{2})\.(?P<minute>\d{2})"
    r"(?:\.(?P<second>\d{2}))?(?: \((?P<counter>\d+)\))?"
)
_LEGACY = re.compile(r"(?P<stamp>\d{8}T\d{6})(?P<micro>\d{6})?")


@dataclass(frozen=True)
class Backup:
    """One backup of a tracker: its file, when it was taken, and how many rows it holds."""

    path: Path
    taken: datetime
    order: tuple[datetime, bool, int]
    shows_seconds: bool

    @property
    def when(self) -> str:
        return table_datetime(self.taken, seconds=self.shows_seconds)


@dataclass
class RestoreResult:
    tracker: Path
    restored_from: Path
    rows: int
    backup: Path | None
    replaced_rows: int | None


def _parse(tracker: Path, candidate: Path) -> Backup | None:
    if candidate.suffix.lower() != tracker.suffix.lower() or not candidate.is_file():
        return None
    stem = candidate.stem
    if stem.startswith(tracker.stem + " "):
        match = _READABLE.fullmatch(stem[len(tracker.stem) + 1 :])
        if match is None:
            return None
        try:
            taken = datetime.strptime(
                f"{match['day']} {match['hour']}:{match['minute']}:{match['second'] or '00'}",
                "%Y-%m-%d %H:%M:%S",
            )
        except ValueError:
            return None
        counter = int(match["counter"] or 1)
        with_seconds = match["second"] is not None
        # In one minute the name without seconds is always taken first, so a backup at
        # hh:mm:00 named with its seconds is still the newer of the two.
        return Backup(candidate, taken, (taken, with_seconds, counter), with_seconds)
    if stem.startswith(tracker.stem + "-"):
        legacy = _LEGACY.fullmatch(stem[len(tracker.stem) + 1 :])
        if legacy is None:
            return None
        try:
            taken = datetime.strptime(legacy["stamp"], "%Y%m%dT%H%M%S")
        except ValueError:
            return None
        return Backup(candidate, taken, (taken, True, int(legacy["micro"] or 0)), True)
    return None


def list_backups(tracker: str | Path) -> list[Backup]:
    """The backups of ``tracker``, newest first."""
    real = real_path(tracker)
    folder = backup_folder(real)
    if not folder.is_dir():
        return []
    found = [b for p in folder.iterdir() if (b := _parse(real, p)) is not None]
    return sorted(found, key=lambda b: b.order, reverse=True)


def prune_backups(tracker: Path, *, keep: int = KEEP_BACKUPS) -> None:
    """Remove all but the newest ``keep`` backups (none if ``keep`` is 0 or less)."""
    if keep <= 0:
        return
    for stale in list_backups(tracker)[keep:]:
        with contextlib.suppress(OSError):
            stale.path.unlink()


def count_rows(path: str | Path) -> int:
    """How many episode rows (rows with a reference) the tracker at ``path`` holds."""
    from formkit.tracker.xlsx import load_table

    table = load_table(path)
    return sum(
        1
        for number in range(table.header_row + 1, table.last_row + 1)
        if number in table.sheet and table.key_of(number) is not None
    )


def find_backup(tracker: str | Path, backup: str | Path) -> Path:
    """The backup ``backup`` names: a path, or a file name in the tracker's backups folder."""
    real = real_path(tracker)
    given = Path(backup)
    folder = backup_folder(real)
    for candidate in (folder / given.name, given) if given.name == str(backup) else (given,):
        if candidate.is_file():
            return candidate
    raise TrackerError(
        f"there is no backup {str(backup)!r} in {folder}; "
        f"'formkit tracker restore {tracker} --list' shows the backups there are",
        file=tracker,
    )


def restore_tracker(tracker: str | Path, backup: str | Path) -> RestoreResult:
    """Put ``backup`` back as ``tracker``, keeping the tracker as it was as a new backup first."""
    given = Path(tracker)
    real = real_path(given)
    source = find_backup(given, backup)
    if source.resolve() == real.resolve():
        raise TrackerError("is the tracker itself, not one of its backups", file=source)
    rows = count_rows(source)  # refuses a backup that is not a readable tracker
    with tracker_lock(real):
        refuse_if_open(real)
        remove_stale_temporaries(real)
        replaced: int | None = None
        if real.exists():
            try:
                replaced = count_rows(real)
            except FormkitError:
                replaced = None  # damaged: all the more reason to restore, and keep it
        with source.open("rb") as data:
            kept = save_atomic(
                real, lambda handle: shutil.copyfileobj(data, handle), backup=real.exists()
            )
    return RestoreResult(given, source, rows, kept, replaced)

"""Saving the shared tracker so that nothing can leave it half-written or overwritten by two.

* Excel's owner file ``~$name.xlsx`` beside the workbook means someone has it open: stop with
  :class:`~formkit.errors.TrackerBusy` and leave every byte as it was.
* A lock file (``filelock``) serialises formkit runs: a second run waits, then reads the workbook
  the first one saved and lands its own rows on top.
* The new workbook is written to a temporary file in the same folder, flushed and fsynced, and
  moved over the old one with ``os.replace``; a SIGKILL at any moment leaves the old or the new
  workbook, whole. The old one is kept as a backup a person can read the time of, in
  ``<name>-backups/`` beside the tracker: ``tracker 2026-11-30 18.39.xlsx`` (seconds, then a
  counter, are added when two land in the same minute). ``formkit tracker restore`` lists and
  restores them (:mod:`formkit.tracker.backups`).
* A tracker reached through a symbolic link is the file the link points to: its lock, backups
  and temporary files sit beside the real workbook, and the link is kept.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from filelock import FileLock, Timeout
from openpyxl import Workbook

from formkit.errors import TrackerBusy, TrackerError
from formkit.fileio import write_atomic

LOCK_TIMEOUT_SECONDS = 300.0
KEEP_BACKUPS = 10


def owner_files(path: Path) -> list[Path]:
    """Excel's "someone has this open" files that exist for ``path``.

    Excel writes ``~$`` + the name; Word-style truncation (``~$`` replacing the first two
    characters) is checked too because some Office versions use it for long names.
    """
    candidates = {path.with_name("~$" + path.name), path.with_name("~$" + path.name[2:])}
    return sorted(p for p in candidates if p.exists())


def refuse_if_open(path: Path) -> None:
    found = owner_files(path)
    if found:
        raise TrackerBusy(
            f"is open in Excel (the owner file {found[0].name} is beside it); close it in Excel, "
            "or remove that file if Excel is no longer running, then run formkit again. "
            "Nothing was changed",
            file=path,
        )


def real_path(path: str | Path) -> Path:
    """The file ``path`` names, through any symbolic links (``path`` itself if it is none)."""
    path = Path(path)
    return path.resolve() if path.is_symlink() else path


def lock_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.formkit-lock")


@contextlib.contextmanager
def tracker_lock(path: Path, *, timeout: float = LOCK_TIMEOUT_SECONDS) -> Iterator[None]:
    """Hold the tracker's lock file; another formkit run waits up to ``timeout`` seconds.

    The lock file is removed before the lock is let go, so none is left beside the tracker
    after a run. That is safe with ``filelock``: a run that was waiting on the removed file
    sees it has no name any more and locks the new one instead (and a run that was killed
    leaves a file no one holds, which the next run takes and removes).
    """
    where = lock_path(path)
    lock = FileLock(str(where), timeout=timeout)
    try:
        lock.acquire()
    except Timeout as exc:
        raise TrackerBusy(
            f"another formkit run has been updating it for {timeout:.0f} seconds; "
            "try again when it has finished",
            file=path,
        ) from exc
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            where.unlink()
        lock.release()


def remove_stale_temporaries(path: Path) -> None:
    """Delete temporary files a killed run left beside the tracker and among its backups (call
    with the lock held)."""
    leftovers = [*path.parent.glob(f".{path.name}.*.tmp"), *backup_folder(path).glob(".*.tmp")]
    for leftover in leftovers:
        with contextlib.suppress(OSError):
            leftover.unlink()


def backup_folder(path: Path) -> Path:
    return path.with_name(f"{path.stem}-backups")


def backup_name(path: Path, moment: datetime, folder: Path) -> Path:
    """``tracker 2026-11-30 18.39.xlsx``; with seconds, then `` (2)``, ``(3)``..., when taken."""
    base = f"{path.stem} {moment:%Y-%m-%d %H.%M}"
    candidates = [f"{base}{path.suffix}", f"{base}.{moment:%S}{path.suffix}"]
    for name in candidates:
        if not (folder / name).exists():
            return folder / name
    counter = 2
    while (folder / f"{base}.{moment:%S} ({counter}){path.suffix}").exists():
        counter += 1
    return folder / f"{base}.{moment:%S} ({counter}){path.suffix}"


def keep_backup(path: Path, *, keep: int = KEEP_BACKUPS, moment: datetime | None = None) -> Path:
    """Keep the tracker as it is now in its backups folder (the newest ``keep`` are kept)."""
    from formkit.tracker.backups import prune_backups

    folder = backup_folder(path)
    folder.mkdir(exist_ok=True)
    backup = backup_name(path, moment or datetime.now(), folder)
    # A copy, not a hard link: a program that saves the tracker in place (an openpyxl script
    # does) would change a hard-linked backup along with it. Copied under a temporary name and
    # then renamed, so a run killed while copying leaves no half backup for restore to offer
    # (the next run removes the temporary file).
    partial = folder / f".{backup.name}.tmp"
    shutil.copy2(path, partial)
    os.replace(partial, backup)
    prune_backups(path, keep=keep)
    return backup


def save_workbook(
    book: Workbook, path: Path, *, backup: bool = True, keep: int = KEEP_BACKUPS
) -> Path | None:
    """Save an openpyxl ``book`` over ``path`` atomically (see :func:`save_atomic`)."""
    return save_atomic(path, book.save, backup=backup, keep=keep)


def save_atomic(
    path: Path, write: Callable[[BinaryIO], None], *, backup: bool = True, keep: int = KEEP_BACKUPS
) -> Path | None:
    """Call ``write`` on a temporary file, then move it over ``path``; returns the backup kept.

    Through a symbolic link, the file it points to is replaced (and backed up) and the link
    stays.
    """
    path = real_path(path)
    kept: Path | None = None

    def guarded(handle: BinaryIO) -> None:
        try:
            write(handle)
        except TrackerError:
            raise
        except Exception as exc:  # the writer: anything that stops the save
            raise TrackerError(f"could not be saved: {exc}", file=path) from exc

    def before_replace() -> None:
        nonlocal kept
        # Excel may have opened the tracker while we worked: do not write under it.
        refuse_if_open(path)
        kept = keep_backup(path, keep=keep) if backup and path.exists() else None

    write_atomic(path, guarded, fsync_folder=True, before_replace=before_replace)
    return kept

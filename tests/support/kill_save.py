"""Save a tracker in this process and SIGKILL it at one chosen point inside the save.

:func:`killed_at` forks a child that runs ``update_tracker(tracker, [source])`` or
``restore_tracker(tracker, backup)``; from a shell, ``python kill_save.py POINT update TRACKER
SOURCE`` (or ``restore TRACKER BACKUP``) does the same in that process. The save's own
steps (:func:`formkit.tracker.save.save_atomic` and :func:`formkit.fileio.write_atomic`) are
wrapped so that the process kills itself outright, as ``kill -9`` or a power cut would, the
moment it reaches ``POINT`` (one of :data:`POINTS`). Nothing waits or sleeps: each point is
reached in the same state on every run, so the test that drives this knows exactly which
workbook must be left.

Only calls made while the save is under way count: reading the workbook and the sources
beforehand is never interrupted.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

# Each point, in the order the save reaches them, and which workbook a kill there must leave.
POINTS: dict[str, str] = {
    "temporary file made": "old",
    "workbook half written": "old",
    "workbook written, before fsync": "old",
    "after fsync": "old",
    "before the backup": "old",
    "backup half copied": "old",
    "backup copied": "old",
    "old backups pruned": "old",
    "before the replace": "old",
    "after the replace": "new",
    "folder fsynced": "new",
    "saved, lock still held": "new",
}


def die() -> None:
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGKILL)


class _Saving:
    """Whether the save is under way, and how many times each wrapped call was made in it."""

    def __init__(self, point: str) -> None:
        self.point = point
        self.active = False
        self.calls: dict[str, int] = {}

    def count(self, name: str) -> int:
        self.calls[name] = self.calls.get(name, 0) + 1
        return self.calls[name]

    def at(self, point: str) -> None:
        if self.active and point == self.point:
            die()


class _HalfWriter:
    """A file that dies part-way through the second block written to it (after a flush)."""

    def __init__(self, handle: BinaryIO, saving: _Saving) -> None:
        self._handle = handle
        self._saving = saving

    def write(self, data: Any) -> int:
        if self._saving.count("write") == 2 and self._saving.point == "workbook half written":
            self._handle.write(bytes(data)[: max(1, len(data) // 2)])
            self._handle.flush()
            os.fsync(self._handle.fileno())
            die()
        return self._handle.write(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._handle, name)


def arm(point: str, tracker: Path) -> None:
    """Wrap the save's steps so that reaching ``point`` while saving ``tracker`` kills this
    process (the replace of the tracker itself, not of a backup, is the one that counts)."""
    if point not in POINTS:
        raise SystemExit(f"unknown point {point!r}; the points are: {', '.join(POINTS)}")
    import formkit.tracker.backups as backups
    import formkit.tracker.save as save
    import formkit.tracker.update as update

    saving = _Saving(point)
    real_save_atomic = save.save_atomic
    real_mkstemp = tempfile.mkstemp
    real_fsync = os.fsync
    real_replace = os.replace
    real_copy2 = shutil.copy2
    real_prune = backups.prune_backups

    def save_atomic(path: Path, write: Callable[[BinaryIO], None], **options: Any) -> Any:
        saving.active = True
        kept = real_save_atomic(path, lambda handle: write(_HalfWriter(handle, saving)), **options)  # type: ignore[arg-type]
        saving.at("saved, lock still held")
        return kept

    def mkstemp(*args: Any, **kwargs: Any) -> Any:
        made = real_mkstemp(*args, **kwargs)
        if saving.active and saving.count("mkstemp") == 1:
            saving.at("temporary file made")
        return made

    def fsync(fd: int) -> None:
        number = saving.count("fsync") if saving.active else 0
        if number == 1:
            saving.at("workbook written, before fsync")
        real_fsync(fd)
        if number == 1:
            saving.at("after fsync")
        elif number == 2:
            saving.at("folder fsynced")

    def replace(source: Any, target: Any) -> None:
        the_tracker = Path(target).resolve() == tracker.resolve()
        if the_tracker:
            saving.at("before the replace")
        real_replace(source, target)
        if the_tracker:
            saving.at("after the replace")

    def copy2(source: Any, target: Any, **kwargs: Any) -> Any:
        saving.at("before the backup")
        if saving.active and saving.point == "backup half copied":
            data = Path(source).read_bytes()
            with open(target, "wb") as handle:
                handle.write(data[: len(data) // 2])
                handle.flush()
                real_fsync(handle.fileno())
            die()
        copied = real_copy2(source, target, **kwargs)
        saving.at("backup copied")
        return copied

    def prune_backups(*args: Any, **kwargs: Any) -> None:
        real_prune(*args, **kwargs)
        saving.at("old backups pruned")

    tempfile.mkstemp = mkstemp
    os.fsync = fsync
    os.replace = replace
    shutil.copy2 = copy2
    backups.prune_backups = prune_backups
    for module in (save, update, backups):
        module.save_atomic = save_atomic  # type: ignore[attr-defined]


def save(point: str, operation: str, tracker: Path, other: Path) -> None:
    """Arm ``point``, then run ``operation``: "update" (with the source ``other``) or "restore"
    (of the backup ``other``). Returns only if the save never reached ``point``."""
    arm(point, tracker)
    if operation == "update":
        from formkit.tracker import update_tracker

        update_tracker(tracker, [other])
    elif operation == "restore":
        from formkit.tracker.backups import restore_tracker

        restore_tracker(tracker, other)
    else:
        raise SystemExit(f"unknown operation {operation!r}: update or restore")


def killed_at(point: str, operation: str, tracker: Path, other: Path) -> int:
    """Run :func:`save` in a child process forked from this one (formkit is already imported,
    so it starts at once) and return the signal that ended it: ``SIGKILL`` when ``point`` was
    reached, 0 if the save finished, or the exit status negated if the child failed."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # fork in a threaded process
        child = os.fork()
    if child == 0:  # pragma: no cover - the child
        status = 2
        try:
            save(point, operation, tracker, other)
            status = 0
        except BaseException:
            import traceback

            traceback.print_exc()
        finally:
            os._exit(100 + status)
    _, status = os.waitpid(child, 0)
    if os.WIFSIGNALED(status):
        return os.WTERMSIG(status)
    return 0 if os.WEXITSTATUS(status) == 100 else -os.WEXITSTATUS(status)


def main(argv: list[str]) -> int:
    point, operation, tracker, other = argv
    save(point, operation, Path(tracker), Path(other))
    print(f"the save finished without reaching {point!r}")
    return 3


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

"""Writing output files so that a crash never leaves half a file behind."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from formkit.errors import OutputExists

Writer = Callable[[BinaryIO], None]


def write_atomic(
    path: str | Path,
    data: bytes | Writer,
    *,
    overwrite: bool = True,
    fsync: bool = True,
    fsync_folder: bool = False,
    before_replace: Callable[[], None] | None = None,
) -> Path:
    """Write ``data`` (bytes, or a function that writes to a file) to ``path`` atomically.

    The data goes to a temporary file in the same folder, is flushed (and fsynced), and is moved
    over ``path`` with ``os.replace``: readers see the old file or the whole new one, and a crash
    at any moment leaves no half file. ``before_replace`` runs just before the move, e.g. to
    check nobody opened the file meanwhile and keep a backup; ``fsync_folder`` makes the move
    itself survive a power cut (the tracker wants that; a batch of documents can do without the
    cost per file). An existing file keeps its
    permissions; a new one gets those any new file would. With ``overwrite=False`` an existing
    file is an :class:`OutputExists` error (the CLI's ``--force`` turns overwriting on).

    When ``path`` is a symbolic link, the file it points to is replaced and the link is kept
    (``os.replace`` on the link itself would swap it for a private copy and leave the real
    file as it was).
    """
    target = Path(path)
    if target.is_symlink():
        target = target.resolve()
    if not overwrite and target.exists():
        raise OutputExists("already exists; use --force to overwrite it", file=target)
    target.parent.mkdir(parents=True, exist_ok=True)
    # A dot-name and .tmp suffix: synced folders (OneDrive, SharePoint) skip such files.
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        os.fchmod(fd, _mode_for(target))  # mkstemp makes a private 0600 file
        with os.fdopen(fd, "wb") as handle:
            if callable(data):
                data(handle)
            else:
                handle.write(data)
            handle.flush()
            if fsync:
                os.fsync(handle.fileno())
        if before_replace is not None:
            before_replace()
        os.replace(tmp_name, target)
        if fsync_folder:
            _fsync_folder(target.parent)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    return target


def _mode_for(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (a crash right after it cannot bring the old name back)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

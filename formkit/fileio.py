"""Writing output files so that a crash never leaves half a file behind."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from formkit.errors import OutputExists


def write_atomic(
    path: str | Path, data: bytes, *, overwrite: bool = True, fsync: bool = True
) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder and ``os.replace``.

    Readers see either the old file or the whole new one. With ``overwrite=False`` an existing
    file is an :class:`OutputExists` error (the CLI's ``--force`` turns overwriting on).
    """
    target = Path(path)
    if not overwrite and target.exists():
        raise OutputExists("already exists; use --force to overwrite it", file=target)
    target.parent.mkdir(parents=True, exist_ok=True)
    # A dot-name and .tmp suffix: synced folders (OneDrive, SharePoint) skip such files.
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        # mkstemp creates 0600; give the file the permissions any new file would have.
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if fsync:
                os.fsync(handle.fileno())
        os.replace(tmp_name, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    return target

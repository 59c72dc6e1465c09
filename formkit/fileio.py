"""Writing output files so that a crash never leaves half a file behind."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, BinaryIO

from formkit.errors import OutputError, OutputExists

Writer = Callable[[BinaryIO], None]

# Most disks allow 255 bytes in one name; the temporary file's name is kept well under it.
MAX_NAME_BYTES = 255
_TEMP_PREFIX_CHARS = 64

# What an operating-system error means, in the words of someone saving a file.
_OS_ERRORS: dict[int, str] = {
    errno.EROFS: "the folder is read-only",
    errno.EACCES: "permission denied (the folder or file is read-only, or someone else's)",
    errno.EPERM: "permission denied (the folder or file is read-only, or someone else's)",
    errno.ENOSPC: "the disk is full; nothing was changed",
    errno.EDQUOT: "your disk quota is used up; nothing was changed",
    errno.EFBIG: "the file is too large for this disk; nothing was changed",
    errno.ENAMETOOLONG: "the file name is too long for the disk (most allow 255 characters)",
    errno.ENOTDIR: "part of the path is a file, not a folder",
    errno.EISDIR: "it is a folder, not a file",
    errno.ENOENT: "the folder does not exist",
    errno.EEXIST: "a file of that name is in the way",
    errno.EIO: "the disk reported an input/output error; nothing was changed",
    errno.EMFILE: "too many files are open; try fewer at a time",
    errno.ENFILE: "too many files are open on this machine; try again later",
    errno.EBUSY: "the file is in use by another program",
    errno.ETXTBSY: "the file is in use by another program",
    errno.EXDEV: "the file cannot be moved across disks",
}


def describe_os_error(error: OSError) -> str:
    """An operating-system error in plain words ("the disk is full; nothing was changed")."""
    if error.errno in _OS_ERRORS:
        return _OS_ERRORS[error.errno]
    text = (error.strerror or str(error) or type(error).__name__).rstrip(".")
    return text[:1].lower() + text[1:]


def output_error(error: OSError, path: str | Path) -> OutputError:
    """The :class:`OutputError` for writing ``path`` that failed with ``error``.

    Names the folder ("cannot write to out/: the folder is read-only") and, when the name
    itself is the trouble, the file.
    """
    target = Path(path)
    if error.errno == errno.ENAMETOOLONG:
        length = len(target.name.encode("utf-8"))
        return OutputError(
            f"cannot write {target.name[:40]}… to {_folder(target)}: the file name is "
            f"{length} bytes long, more than the {MAX_NAME_BYTES} the disk allows; "
            "use a shorter episode reference or template output name"
        )
    return OutputError(f"cannot write to {_folder(target)}: {describe_os_error(error)}")


def _folder(target: Path) -> str:
    folder = str(target.parent) if str(target.parent) not in ("", ".") else "."
    return folder.rstrip(os.sep) + os.sep


def ensure_folder(folder: str | Path) -> Path:
    """Make ``folder`` (and its parents) ready for output, or raise :class:`OutputError`.

    Called once before a batch, so a folder under a regular file, a read-only disk or a full
    one is said once instead of once per document.
    """
    target = Path(folder)
    try:
        target.mkdir(parents=True, exist_ok=True)
        if not target.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, "not a folder", str(target))
        fd, probe = tempfile.mkstemp(prefix=".formkit-", suffix=".tmp", dir=target)
        os.close(fd)
        os.unlink(probe)
    except FileExistsError:
        raise OutputError(
            f"cannot write to {str(target).rstrip(os.sep) + os.sep}: it is a file, not a folder"
        ) from None
    except OSError as error:
        raise output_error(error, target / "x") from error
    return target


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
    with contextlib.suppress(OSError):  # a name too long is said in words below
        if target.is_symlink():
            target = target.resolve()
    try:
        if not overwrite and target.exists():
            raise OutputExists("already exists; use --force to overwrite it", file=target)
        return _write_atomic(target, data, fsync, fsync_folder, before_replace)
    except OSError as error:
        # A full disk, a read-only folder, a name too long…: said in words, never a traceback.
        raise output_error(error, target) from error


def write_text_out(output: str | Path | IO[str], text: str) -> list[Path]:
    """``text`` to the file ``output`` (atomically, UTF-8) or to the open text stream
    ``output``; the file written, as a batch result lists it (none for a stream)."""
    if isinstance(output, str | Path):
        return [write_atomic(output, text.encode("utf-8"))]
    output.write(text)
    return []


def _write_atomic(
    target: Path,
    data: bytes | Writer,
    fsync: bool,
    fsync_folder: bool,
    before_replace: Callable[[], None] | None,
) -> Path:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        # mkdir says "exists" when the folder's name is taken by a regular file.
        raise NotADirectoryError(errno.ENOTDIR, "Not a directory", str(target.parent)) from None
    if len(target.name.encode("utf-8")) > MAX_NAME_BYTES:
        raise OSError(errno.ENAMETOOLONG, "File name too long", str(target))
    # A dot-name and .tmp suffix: synced folders (OneDrive, SharePoint) skip such files; the
    # name is cut so that a target name near the limit still has a temporary file.
    prefix = f".{target.name[:_TEMP_PREFIX_CHARS]}."
    fd, tmp_name = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=target.parent)
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

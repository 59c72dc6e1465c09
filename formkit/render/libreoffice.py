"""One headless LibreOffice at a time, in a workspace of its own, and cleaning up after it.

A :class:`Converter` owns a workspace in the system's temporary folder, ``formkit-convert-<pid>-…``,
holding LibreOffice's profile and output folder; LibreOffice runs in a process group of its own, so
Ctrl-C in the terminal reaches formkit only and formkit can stop LibreOffice and everything it
started at once. :func:`remove_stale_workspaces` removes what a formkit killed outright left.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from formkit.errors import ConversionError
from formkit.render.prompts import staged_for_pdf

WORKSPACE_PREFIX = "formkit-convert-"

INSTALL_HINT = (
    "LibreOffice is needed to make PDFs but 'soffice' was not found. Install it "
    "(Debian/Ubuntu: sudo apt-get install libreoffice-writer-nogui; macOS: brew install --cask "
    "libreoffice; Windows: https://www.libreoffice.org/download) and make sure 'soffice' is on "
    "your PATH, or set FORMKIT_SOFFICE to its full path."
)


def find_soffice() -> str:
    """The LibreOffice program, or a :class:`ConversionError` that says how to install it."""
    configured = os.environ.get("FORMKIT_SOFFICE")
    if configured:
        if Path(configured).is_file():
            return configured
        raise ConversionError(f"FORMKIT_SOFFICE names '{configured}', which does not exist")
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise ConversionError(INSTALL_HINT)


class Converter:
    """One LibreOffice at a time, with a workspace of its own (profile and output folder).

    The profile is kept from one chunk to the next (a start with a used profile is quicker than
    with a new one) and replaced after a crash. :func:`convert_to_pdf` makes and closes its own
    converters; a long-running caller (a web app's pool) can make a few, pass them in with
    ``converters=`` batch after batch, and :meth:`close` them when it stops.
    """

    def __init__(self, soffice: str | None = None) -> None:
        self.soffice = soffice or find_soffice()
        self.workspace = Path(
            tempfile.mkdtemp(prefix=f"{WORKSPACE_PREFIX}{os.getpid()}-", dir=_temporary_root())
        )
        self._profile_number = 0
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def output(self) -> Path:
        """The folder LibreOffice writes this chunk's PDFs into."""
        return self.workspace / "pdf"

    @property
    def busy(self) -> bool:
        return self._process is not None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def start(self, documents: Sequence[Path]) -> None:
        """Start LibreOffice on ``documents`` (their names must differ: the PDFs share a folder)."""
        if self._process is not None:
            raise RuntimeError("this converter is already converting")
        shutil.rmtree(self.output, ignore_errors=True)
        self.output.mkdir()
        # LibreOffice's own temporary files (lu*.tmp) go in the workspace too: a LibreOffice
        # that is killed leaves them behind, and they go with the workspace.
        temporary = self.workspace / "tmp"
        temporary.mkdir(exist_ok=True)
        environment = {
            **os.environ,
            "TMPDIR": str(temporary),
            "TMP": str(temporary),
            "TEMP": str(temporary),
        }
        # Word's prompts ("Click or tap here to enter text.") are not answers: a cleaned copy
        # of a document showing them is converted instead (formkit.render.prompts).
        staged = self.workspace / "staged"
        shutil.rmtree(staged, ignore_errors=True)
        documents = [staged_for_pdf(p, staged) for p in documents]
        profile = self.workspace / f"profile-{self._profile_number}"
        command = [
            self.soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(self.output),
            *[str(p.resolve()) for p in documents],
        ]
        with open(self.workspace / "log", "wb") as log:
            try:
                self._process = subprocess.Popen(
                    command,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    env=environment,
                    **_own_process_group(),
                )
            except OSError as exc:
                raise ConversionError(
                    f"LibreOffice could not be started: {exc.strerror or exc}"
                ) from exc

    def poll(self) -> int | None:
        """LibreOffice's exit code once it has finished (then the converter is free), else None."""
        if self._process is None:
            return None
        code = self._process.poll()
        if code is not None:
            _kill_group(self._process)  # anything it left running (oosplash's soffice.bin)
            self._process = None
        return code

    def stop(self) -> None:
        """Kill this LibreOffice and everything it started."""
        if self._process is not None:
            _kill_group(self._process)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._process.wait(timeout=10)
            self._process = None

    def fresh_profile(self) -> None:
        """Drop the profile (a crashed LibreOffice may leave it locked or damaged)."""
        shutil.rmtree(self.workspace / f"profile-{self._profile_number}", ignore_errors=True)
        self._profile_number += 1

    def last_message(self) -> str:
        """LibreOffice's last line of output that is not routine, to explain a failure."""
        try:
            lines = (self.workspace / "log").read_text("utf-8", "replace").splitlines()
        except OSError:
            return ""
        for line in reversed(lines):
            line = line.strip()
            if line and not line.startswith("convert ") and "javaldx" not in line:
                return line
        return ""

    def close(self) -> None:
        """Stop LibreOffice if it runs and remove the workspace."""
        self.stop()
        # A LibreOffice started just as formkit was stopped (Ctrl-C or SIGTERM while Popen
        # waited for it to start) was never recorded in ``_process``; it still names this
        # workspace on its command line, and is our child: killed and reaped.
        _kill_processes_using(self.workspace, reap=True)
        shutil.rmtree(self.workspace, ignore_errors=True)

    def __enter__(self) -> Converter:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def is_whole_pdf(path: Path) -> bool:
    """A PDF LibreOffice finished writing: it ends with the ``%%EOF`` marker."""
    try:
        with open(path, "rb") as handle:
            handle.seek(0, os.SEEK_END)
            size = handle.tell()
            handle.seek(max(0, size - 1024))
            return size > 0 and b"%%EOF" in handle.read()
    except OSError:
        return False


def _own_process_group() -> dict[str, Any]:
    """Popen arguments that give LibreOffice a process group of its own, so Ctrl-C in the
    terminal reaches formkit only and formkit can stop LibreOffice and all it started at once."""
    if os.name == "posix":
        return {"start_new_session": True}
    return {"creationflags": getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)}


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    if os.name == "posix":
        with contextlib.suppress(OSError):
            os.killpg(process.pid, signal.SIGKILL)
    elif process.poll() is None:
        with contextlib.suppress(OSError):
            process.kill()


def _temporary_root() -> str:
    return tempfile.gettempdir()


def remove_stale_workspaces(folder: str | Path | None = None) -> list[Path]:
    """Remove the workspaces of formkit processes that no longer run (killed outright), with
    any LibreOffice still working in one; returns those removed. POSIX only: elsewhere a
    process id cannot be checked safely."""
    if os.name != "posix":
        return []
    removed: list[Path] = []
    for path in Path(folder or _temporary_root()).glob(f"{WORKSPACE_PREFIX}*"):
        owner = path.name.removeprefix(WORKSPACE_PREFIX).split("-", 1)[0]
        if not owner.isdigit() or _running(int(owner)) or not path.is_dir():
            continue
        _kill_processes_using(path)
        shutil.rmtree(path, ignore_errors=True)
        if not path.exists():
            removed.append(path)
    return removed


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process
    return True


def _kill_processes_using(workspace: Path, *, reap: bool = False) -> None:
    """Kill the LibreOffice processes whose command line names ``workspace`` (Linux /proc);
    with ``reap``, also wait for those that are this process's children and no ``Popen``
    records (a ``Popen`` waits for its own)."""
    proc = Path("/proc")
    if not proc.is_dir():
        return
    needles = {str(workspace).encode(), workspace.as_uri().encode()}
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if any(needle in command for needle in needles):
            with contextlib.suppress(OSError):
                os.kill(int(entry.name), signal.SIGKILL)
                if reap:  # our own child: gone when we return (anyone else's: ChildProcessError)
                    os.waitpid(int(entry.name), 0)

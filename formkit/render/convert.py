"""Word to PDF with LibreOffice: one headless ``soffice`` process for a whole batch.

LibreOffice takes seconds to start, so every file of a batch goes to one process (in chunks of
:data:`CHUNK` to keep the command line short). It runs with a private profile folder, so two
conversions at once do not clash, and writes into a temporary folder; each PDF is then moved
into place atomically, and an existing PDF is only replaced when overwriting was asked for.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from formkit.batch import Progress, no_progress
from formkit.errors import ConversionError, OutputExists, Problem

CHUNK = 500
INSTALL_HINT = (
    "LibreOffice is needed to make PDFs but 'soffice' was not found. Install it "
    "(Debian/Ubuntu: sudo apt-get install libreoffice-writer-nogui; macOS: brew install --cask "
    "libreoffice; Windows: https://www.libreoffice.org/download) and make sure 'soffice' is on "
    "your PATH, or set FORMKIT_SOFFICE to its full path."
)


@dataclass
class ConversionResult:
    written: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


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


def convert_to_pdf(
    files: Sequence[str | Path],
    out_dir: str | Path | None = None,
    *,
    overwrite: bool = False,
    progress: Progress = no_progress,
    timeout_per_file: float = 20.0,
) -> ConversionResult:
    """Convert ``files`` to PDF, beside each file or into ``out_dir``."""
    result = ConversionResult()
    if not files:
        return result
    soffice = find_soffice()
    groups: dict[Path, list[Path]] = {}
    for name in files:
        path = Path(name)
        if not path.is_file():
            result.problems.append(Problem(file=str(path), message="no such file"))
            continue
        target_dir = Path(out_dir) if out_dir is not None else path.parent
        groups.setdefault(target_dir, []).append(path)
    for target_dir, paths in groups.items():
        target_dir.mkdir(parents=True, exist_ok=True)
        for start in range(0, len(paths), CHUNK):
            chunk = paths[start : start + CHUNK]
            _convert_chunk(soffice, chunk, target_dir, overwrite, timeout_per_file, result)
            progress(len(chunk))
    return result


def _convert_chunk(
    soffice: str,
    paths: list[Path],
    target_dir: Path,
    overwrite: bool,
    timeout_per_file: float,
    result: ConversionResult,
) -> None:
    with (
        tempfile.TemporaryDirectory(prefix=".formkit-convert-", dir=target_dir) as work,
        tempfile.TemporaryDirectory(prefix="formkit-lo-profile-") as profile,
    ):
        command = [
            soffice,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            work,
            *[str(p.resolve()) for p in paths],
        ]
        try:
            completed = subprocess.run(
                command,
                capture_output=True,
                text=True,
                timeout=60 + timeout_per_file * len(paths),
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise ConversionError("LibreOffice did not finish in time and was stopped") from exc
        except OSError as exc:
            raise ConversionError(f"LibreOffice could not be started: {exc.strerror}") from exc
        for path in paths:
            made = Path(work) / (path.stem + ".pdf")
            target = target_dir / made.name
            if not made.is_file():
                detail = (completed.stderr or "").strip().splitlines()
                why = f" ({detail[-1]})" if detail else ""
                result.problems.append(
                    Problem(file=str(path), message=f"LibreOffice could not convert it{why}")
                )
                continue
            if target.exists() and not overwrite:
                error = OutputExists("already exists; use --force to overwrite it", file=target)
                result.problems.append(error.problem)
                continue
            os.replace(made, target)
            result.written.append(target)

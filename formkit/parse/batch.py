"""Parsing many forms: folders expanded, one bad file never stops the batch.

Each file's outcome is either a :class:`ParseResult` or a :class:`~formkit.errors.Problem`;
worker processes (``jobs``) return them in order, so the output is the same with any ``jobs``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from formkit.batch import Progress, no_progress, parallel_map
from formkit.errors import FormkitError, Problem
from formkit.parse.form import parse_form
from formkit.parse.result import ParseResult

FORM_SUFFIXES = {".docx", ".docm", ".pdf", ".doc"}


@dataclass
class Outcome:
    """What became of one file: a result, or the problem that stopped it."""

    file: str
    result: ParseResult | None = None
    problem: Problem | None = None


def expand(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, and the forms (.docx, .pdf, .doc) inside folders, sorted; Word's
    ``~$`` owner files are skipped."""
    found: list[Path] = []
    for item in paths:
        path = Path(item)
        if path.is_dir():
            found.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.is_file() and p.suffix.lower() in FORM_SUFFIXES and not p.name.startswith("~$")
            )
        else:
            found.append(path)
    return found


@dataclass(frozen=True)
class _Job:
    raw: bool
    mapping: str | None
    strict: bool
    timeout: float | None


def _parse_one(args: tuple[Path, _Job]) -> Outcome:
    path, job = args
    try:
        result = parse_form(path, raw=job.raw, mapping=job.mapping, timeout=job.timeout)
    except FormkitError as error:
        problem = error.problem
        if problem.file == "-":
            problem = Problem(file=str(path), message=problem.message, field=problem.field)
        return Outcome(file=str(path), problem=problem)
    except (OSError, ValueError, RecursionError, MemoryError) as error:
        # A file that breaks a library in a way we did not foresee still must not stop the batch.
        return Outcome(
            file=str(path), problem=Problem(file=str(path), message=f"could not be read ({error})")
        )
    if job.strict and result.warnings:
        count = len(result.warnings)
        return Outcome(
            file=str(path),
            result=result,
            problem=Problem(
                file=str(path),
                message=f"{count} warning{'s' if count > 1 else ''} with --strict: "
                + "; ".join(result.warnings),
            ),
        )
    return Outcome(file=str(path), result=result)


def parse_files(
    paths: Iterable[str | Path],
    *,
    raw: bool = False,
    mapping: str | None = None,
    strict: bool = False,
    timeout: float | None = None,
    jobs: int = 1,
    progress: Progress = no_progress,
) -> Iterator[Outcome]:
    """Parse every form in ``paths`` (files or folders), in order, one :class:`Outcome` each."""
    job = _Job(raw=raw, mapping=mapping, strict=strict, timeout=timeout)
    files = expand(paths)
    yield from parallel_map(
        _parse_one, [(path, job) for path in files], jobs=jobs, progress=progress, chunk_size=4
    )

"""Parsing many forms: folders expanded, one bad file never stops the batch.

Each file's outcome is either a :class:`ParseResult` or a :class:`~formkit.errors.Problem`;
worker processes (``jobs``) return them in order, so the output is the same with any ``jobs``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from formkit.batch import BatchResult, Progress, no_progress, parallel_map, problem_from
from formkit.errors import FormkitError, Problem
from formkit.fileio import write_atomic
from formkit.intake import FORM_SUFFIXES
from formkit.parse.form import parse_form
from formkit.parse.result import ParseResult


@dataclass
class Outcome:
    """What became of one file: a result, or the problem that stopped it."""

    file: str
    result: ParseResult | None = None
    problem: Problem | None = None


def expand(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, the forms (.docx, .pdf, .doc) inside folders and patterns, sorted; Word's
    ``~$`` owner files are skipped."""
    from formkit.load import expand_files

    return [Path(p) for p in expand_files(paths, FORM_SUFFIXES)]


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


def _parse_failed(args: tuple[Path, _Job], error: BaseException) -> Outcome:
    # A file that breaks a library in a way we did not foresee still must not stop the batch.
    path = str(args[0])
    return Outcome(file=path, problem=problem_from(error, file=path))


def iter_parsed(
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
        _parse_one,
        [(path, job) for path in files],
        jobs=jobs,
        progress=progress,
        chunk_size=4,
        on_error=_parse_failed,
    )


@dataclass(kw_only=True)
class ParsedForms(BatchResult):
    """What :func:`parse_files` read: one result per form read, a problem per form not read."""

    results: list[ParseResult] = field(default_factory=list)
    output: Path | None = None

    @property
    def lines(self) -> list[dict[str, Any]]:
        """Each result as the JSON line ``formkit parse -o`` writes."""
        return [result.as_json() for result in self.results]

    def as_dict(self) -> dict[str, Any]:
        return {
            "parsed": len(self.results),
            "failed": len(self.problems),
            "output": str(self.output) if self.output else None,
            "results": self.lines,
            **super().as_dict(),
        }


def parse_files(
    paths: Iterable[str | Path],
    *,
    raw: bool = False,
    mapping: str | None = None,
    strict: bool = False,
    timeout: float | None = None,
    jobs: int = 1,
    progress: Progress = no_progress,
    output: str | Path | None = None,
) -> ParsedForms:
    """Parse every form in ``paths`` (files or folders), in order; with ``output``, write one
    JSON line per form read to that file (for ``formkit tracker update``).

    A form's warnings (a box pair both ticked…) are ``warnings``; with ``strict`` they make it
    a problem too.
    """
    result = ParsedForms(output=Path(output) if output else None)
    for outcome in iter_parsed(
        paths,
        raw=raw,
        mapping=mapping,
        strict=strict,
        timeout=timeout,
        jobs=jobs,
        progress=progress,
    ):
        if outcome.problem is not None:
            result.problems.append(outcome.problem)
            continue
        assert outcome.result is not None
        result.results.append(outcome.result)
        result.warnings.extend(Problem(outcome.file, w) for w in outcome.result.warnings)
    if output:
        text = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in result.lines)
        result.written.append(write_atomic(output, text.encode("utf-8")))
    return result

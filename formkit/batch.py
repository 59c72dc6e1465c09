"""Running one piece of work over many records: progress, parallel processes, failures kept.

This is the one place where a failure of one record or file becomes data: :func:`problem_from`
turns *any* exception into a :class:`~formkit.errors.Problem` (formkit's own errors keep their
words; an operating-system error is said in words; anything unforeseen becomes "could not be
read (internal error: …)", with the traceback logged only when ``FORMKIT_DEBUG`` is set), and
:func:`attempt` and :func:`parallel_map` use it so a batch always goes on. Every batch function
(``validate_files``, ``plan_files``, ``render_files``, ``parse_files``, ``update_tracker``)
returns a :class:`BatchResult`: ``written``, ``problems`` and ``warnings``.

The library never draws anything: it calls ``progress(n)`` after each ``n`` items, so the CLI
can advance a bar and a test can count the calls.
"""

from __future__ import annotations

import errno
import os
import tempfile
import traceback
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

from formkit.errors import FormkitError, Problem

T = TypeVar("T")
R = TypeVar("R")

Progress = Callable[[int], None]
#: For work done in stages (render, then convert to PDF): called as each stage starts with
#: its name ("Rendering") and how many items it has (None when not known), it returns that
#: stage's progress callback. The CLI draws one bar a stage; a web page can show the name.
Stages = Callable[[str, "int | None"], Progress]


def no_progress(_: int) -> None:
    """The default progress callback: report nothing."""


def no_stages(_name: str, _total: int | None) -> Progress:
    """The default stages callback: report nothing."""
    return no_progress


@dataclass(kw_only=True)
class BatchResult:
    """What every batch function returns: the files it wrote, what failed, what to look at.

    Commands add their own counts (records, rows…) in subclasses; these three are always there,
    with the same names in every command's ``--json``.
    """

    written: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        """The shared keys, JSON-ready: ``written`` (paths), ``problems``, ``warnings``."""
        return {
            "written": [str(p) for p in self.written],
            "problems": [p.as_dict() for p in self.problems],
            "warnings": [w.as_dict() for w in self.warnings],
        }


# ``FORMKIT_DEBUG=1`` logs each internal error's traceback to this file in the temporary
# folder; ``FORMKIT_DEBUG=/some/file.log`` logs to that file. Unset: no log (no personal data
# kept anywhere the user did not ask for).
DEBUG_VARIABLE = "FORMKIT_DEBUG"
DEBUG_LOG_NAME = "formkit-debug.log"
_MAX_DETAIL_CHARS = 120


def debug_log_path() -> Path | None:
    """Where tracebacks of internal errors go, or None when ``FORMKIT_DEBUG`` is not set."""
    value = os.environ.get(DEBUG_VARIABLE, "").strip()
    if not value or value.lower() in {"0", "no", "false", "off"}:
        return None
    if value.lower() in {"1", "yes", "true", "on"}:
        return Path(tempfile.gettempdir()) / DEBUG_LOG_NAME
    return Path(value)


def internal_error_message(error: BaseException, *, doing: str = "read") -> str:
    """ "could not be read (internal error: TypeError: …)", saying where the traceback went."""
    detail = " ".join(str(error).split())
    if len(detail) > _MAX_DETAIL_CHARS:
        detail = detail[: _MAX_DETAIL_CHARS - 1] + "…"
    kind = type(error).__name__
    message = f"could not be {doing} (internal error: {kind}{': ' + detail if detail else ''})"
    log = debug_log_path()
    if log is None:
        return f"{message}; set {DEBUG_VARIABLE}=1 to log the details"
    try:
        with log.open("a", encoding="utf-8") as handle:
            handle.write(f"--- {datetime.now().isoformat(timespec='seconds')} {kind}\n")
            handle.write("".join(traceback.format_exception(error)))
    except OSError:
        return f"{message}; the details could not be logged to {log}"
    return f"{message}; details in {log}"


# Reading an input fails for other reasons than writing an output; these read better.
_READ_ERRORS = {
    errno.EACCES: "permission denied (ask whoever owns the file to share it with you)",
    errno.EPERM: "permission denied (ask whoever owns the file to share it with you)",
    errno.ENOENT: "no such file (was it moved or deleted while formkit ran?)",
    errno.EISDIR: "it is a folder, not a file",
}


def problem_from(
    error: BaseException,
    *,
    file: str | Path,
    record: str | None = None,
    row: str | None = None,
    reference: str | None = None,
    field: str | None = None,
    doing: str = "read",
) -> Problem:
    """Any exception raised while working on one file or record, as a :class:`Problem`.

    formkit's own errors keep their message (and their record and field when they have one);
    an operating-system error is said in words; a ``RecursionError`` or ``MemoryError`` means
    the input is too deep or too big; anything else is an internal error. Never raises.
    """
    from formkit.errors import split_record
    from formkit.fileio import describe_os_error

    if record is not None and row is None and reference is None:
        row, reference = split_record(record)
    name = str(file)
    if isinstance(error, FormkitError):
        found = error.problem
        return Problem(
            file=name if found.file in ("-", "") else found.file,
            message=found.message,
            field=found.field or field,
            row=found.row or row,
            reference=found.reference or reference,
        )
    if isinstance(error, OSError):
        words = _READ_ERRORS.get(error.errno or 0) if doing == "read" else None
        message = f"could not be {doing}: {words or describe_os_error(error)}"
    elif isinstance(error, RecursionError):
        message = f"could not be {doing}: it is nested too deeply"
    elif isinstance(error, MemoryError):
        message = f"could not be {doing}: it needs more memory than this machine has"
    else:
        message = internal_error_message(error, doing=doing)
    return Problem(file=name, message=message, field=field, row=row, reference=reference)


@contextmanager
def attempt(
    problems: list[Problem],
    *,
    file: str | Path,
    record: str | None = None,
    row: str | None = None,
    reference: str | None = None,
    doing: str = "read",
) -> Iterator[None]:
    """Run the body for one file or record; any failure is added to ``problems`` and the batch
    goes on after the ``with`` block. Ctrl-C and exits still stop the batch."""
    try:
        yield
    except Exception as error:  # noqa: BLE001 - the one place a record's failure becomes data
        problems.append(
            problem_from(error, file=file, record=record, row=row, reference=reference, doing=doing)
        )


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


OnError = Callable[[Any, BaseException], Any]


def _call(func: Callable[[T], R], item: T, on_error: OnError | None) -> R:
    if on_error is None:
        return func(item)
    try:
        return func(item)
    except Exception as error:  # noqa: BLE001 - one item's failure is data, not the batch's end
        return on_error(item, error)


def _run_chunk(func: Callable[[T], R], chunk: list[T], on_error: OnError | None = None) -> list[R]:
    return [_call(func, item, on_error) for item in chunk]


def parallel_map(
    func: Callable[[T], R],
    items: Iterable[T],
    *,
    jobs: int = 1,
    progress: Progress = no_progress,
    initializer: Callable[..., Any] | None = None,
    initargs: tuple[Any, ...] = (),
    chunk_size: int = 16,
    on_error: OnError | None = None,
) -> Iterator[R]:
    """Apply ``func`` to every item, in order, with ``jobs`` worker processes.

    ``on_error(item, exception)`` makes the result of an item whose ``func`` raised (usually
    a :class:`Problem` from :func:`problem_from`), so one bad record never stops a batch; a
    worker process that dies (killed, out of memory) fails only the items it held. Work is sent
    in chunks and at most ``2 * jobs`` chunks are in flight, so memory stays flat however long
    the batch is. ``func`` and ``on_error`` must be picklable (module-level) when ``jobs > 1``.
    """
    if jobs <= 1:
        if initializer is not None:
            initializer(*initargs)
        for item in items:
            result = _call(func, item, on_error)
            progress(1)
            yield result
        return
    workers = _Workers(jobs, initializer, initargs)
    pending: list[tuple[Future[Any], list[T]]] = []

    def collect(future: Future[Any], chunk: list[T]) -> list[R]:
        try:
            return future.result()
        except BrokenProcessPool as error:
            if on_error is None:
                raise
            # A worker died (killed, out of memory): every chunk in flight is lost with it.
            # This one is run again alone, so only the chunk that kills its worker fails, and
            # the others are sent again to fresh workers.
            workers.restart()
            results = workers.alone(func, chunk, on_error, error)
            pending[:] = [(workers.submit(func, c, on_error), c) for _, c in pending]
            return results
        except Exception as error:  # noqa: BLE001 - e.g. a result that cannot be pickled
            if on_error is None:
                raise
            return [on_error(item, error) for item in chunk]

    try:
        for chunk in _chunks(items, chunk_size):
            pending.append((workers.submit(func, chunk, on_error), chunk))
            if len(pending) >= 2 * jobs:
                results = collect(*pending.pop(0))
                progress(len(results))
                yield from results
        while pending:
            results = collect(*pending.pop(0))
            progress(len(results))
            yield from results
    finally:
        workers.close()


class _Workers:
    """A process pool that can be replaced when one of its workers dies."""

    def __init__(
        self, jobs: int, initializer: Callable[..., Any] | None, initargs: tuple[Any, ...]
    ) -> None:
        self.jobs, self.initializer, self.initargs = jobs, initializer, initargs
        self.pool = self._new(jobs)

    def _new(self, workers: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=workers, initializer=self.initializer, initargs=self.initargs
        )

    def submit(self, func: Any, chunk: list[Any], on_error: OnError | None) -> Future[Any]:
        try:
            return self.pool.submit(_run_chunk, func, chunk, on_error)
        except BrokenProcessPool:
            if on_error is None:
                raise
            self.restart()
            return self.pool.submit(_run_chunk, func, chunk, on_error)

    def alone(
        self, func: Any, chunk: list[Any], on_error: OnError, error: BaseException
    ) -> list[Any]:
        """Run ``chunk`` in a worker of its own; if that dies too, each item is tried alone, and
        an item that kills its worker by itself is a failure."""
        solo = self._new(1)
        try:
            return solo.submit(_run_chunk, func, chunk, on_error).result()
        except BrokenProcessPool:
            if len(chunk) == 1:
                return [on_error(chunk[0], error)]
        finally:
            solo.shutdown(wait=True, cancel_futures=True)
        return [result for item in chunk for result in self.alone(func, [item], on_error, error)]

    def restart(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.pool = self._new(self.jobs)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)

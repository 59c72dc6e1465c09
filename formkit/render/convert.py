"""Word to PDF with LibreOffice, on every core.

LibreOffice takes a second or two to start, so each ``soffice`` process converts a chunk of
documents, and up to ``jobs`` of them run at once, each with its own profile folder (two
LibreOffices sharing a profile clash). Progress is reported per document: each process's
output folder is watched and every PDF that appears counts.

A LibreOffice that crashes, or is still busy when its time limit runs out (a start-up allowance
plus an allowance per document of its chunk) and is killed, costs only its chunk: the PDFs it
finished are kept, the document it was working on is tried once more on its own in a fresh
LibreOffice (so a document that breaks LibreOffice is named, and the others are not blamed), and
the documents it had not reached go back in the queue. A document that fails on its second try
is reported as a problem; the other chunks go on.

Everything temporary (profiles, LibreOffice's output) lives in one workspace per converter in
the system's temporary folder, named ``formkit-convert-<pid>-…``. It is removed when the batch
ends however it ends: done, an error, Ctrl-C, SIGTERM or SIGHUP (these stop every LibreOffice
first). A workspace left by a formkit that was killed outright (SIGKILL, a power cut) is removed
by the next conversion, with any LibreOffice still working in it. Each PDF reaches its final name
atomically, so no half PDF is ever there, and an existing PDF is only replaced when overwriting
was asked for.
"""

from __future__ import annotations

import contextlib
import math
import os
import shutil
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import IO, Any

from formkit.batch import BatchResult, Progress, no_progress
from formkit.errors import ConversionError, OutputExists, Problem
from formkit.fileio import write_atomic
from formkit.render.libreoffice import (
    INSTALL_HINT,
    WORKSPACE_PREFIX,
    Converter,
    find_soffice,
    is_whole_pdf,
    remove_stale_workspaces,
)
from formkit.words import plural

__all__ = [
    "INSTALL_HINT",
    "WORKSPACE_PREFIX",
    "ConversionInterrupted",
    "ConversionResult",
    "Converter",
    "chunk_size",
    "convert_to_pdf",
    "default_jobs",
    "find_soffice",
    "remove_stale_workspaces",
]

#: Memory one headless LibreOffice converting Word documents needs, to size the default ``jobs``.
MEMORY_PER_LIBREOFFICE = 250 * 1024 * 1024
#: At most this many documents per LibreOffice start: big enough that start-up (about 1.5 s)
#: stays a small share, small enough that the work spreads over the processes.
MAX_CHUNK = 40
#: Seconds a LibreOffice may take to start, and then per document of its chunk, before it is
#: taken to be hung and killed (a document normally takes a quarter of a second).
START_TIMEOUT = 60.0
TIMEOUT_PER_FILE = 20.0
#: Consecutive LibreOffice processes that stop without making a single PDF before the batch
#: gives up (LibreOffice itself is broken, not one document).
GIVE_UP_AFTER = 3
_POLL_SECONDS = 0.05


@dataclass
class ConversionResult(BatchResult):
    """The PDFs written (in the order of the input files), the documents that could not be
    converted, and warnings (a LibreOffice that crashed or hung and whose documents were retried).

    ``up_to_date`` holds the PDFs skipped because they were up to date with their Word document
    (see :func:`formkit.render.make.convert_files`).
    """

    up_to_date: list[Path] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {**super().as_dict(), "up_to_date": [str(p) for p in self.up_to_date]}


class ConversionInterrupted(KeyboardInterrupt):
    """Ctrl-C (or SIGTERM/SIGHUP) stopped a conversion.

    Every LibreOffice has been stopped and every temporary folder removed by the time this is
    raised; ``result`` holds what was finished (each PDF written whole) and ``not_done`` the
    documents that have no PDF from this run.
    """

    def __init__(
        self, result: ConversionResult, not_done: list[Path], total: int | None = None
    ) -> None:
        super().__init__(f"stopped with {plural(len(not_done), 'document')} not converted")
        self.result = result
        self.not_done = not_done
        self.total = total  # the documents the batch was given
        self.before = ""  # what the batch finished before converting ("3 documents were …")
        self.force = False  # whether the batch was replacing everything (--force)

    def explain(self) -> list[str]:
        """What was made, and what running the same command again does, for people."""
        done, missing = len(self.result.written), len(self.not_done)
        failed = len(self.result.problems)
        total = self.total if self.total is not None else done + failed + missing
        lines = [
            f"Stopped. {self.before}{done} of {plural(total, 'PDF')} made"
            + (f", {failed} failed" if failed else "")
            + f"; {missing} not made yet, and nothing half-made was left behind."
        ]
        if self.force:
            lines.append(f"Run the same command again without --force to make only the {missing}.")
        else:
            lines.append(
                f"Run the same command again to make the missing {plural(missing, 'PDF')}; "
                "the PDFs already made are kept."
            )
        return lines


def default_jobs(documents: int | None = None) -> int:
    """How many LibreOffice processes to run at once when the caller does not say.

    One per core this process may use, but no more than the available memory holds at
    :data:`MEMORY_PER_LIBREOFFICE` each (``MemAvailable`` in ``/proc/meminfo`` where there is
    one), and no more than there are ``documents``; at least one.
    """
    jobs = _usable_cores()
    available = _available_memory()
    if available is not None:
        jobs = min(jobs, available // MEMORY_PER_LIBREOFFICE)
    if documents is not None:
        jobs = min(jobs, documents)
    return max(1, jobs)


def chunk_size(documents: int, jobs: int) -> int:
    """Documents per LibreOffice start: the batch spread evenly over ``jobs``, at most
    :data:`MAX_CHUNK` (progress does not depend on it: each PDF is counted as it appears)."""
    return max(1, min(MAX_CHUNK, math.ceil(documents / max(1, jobs))))


def _usable_cores() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def _available_memory() -> int | None:
    try:
        with open("/proc/meminfo", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


@dataclass
class _Document:
    index: int
    source: Path
    target: Path


@dataclass
class _Chunk:
    documents: list[_Document]
    retry: bool = False  # one document, alone, after the LibreOffice it was in crashed or hung


@dataclass
class _Running:
    converter: Converter
    chunk: _Chunk
    limit: float
    deadline: float


def convert_to_pdf(
    files: Sequence[str | Path],
    out_dir: str | Path | None = None,
    *,
    overwrite: bool = False,
    progress: Progress = no_progress,
    jobs: int | None = None,
    timeout_per_file: float = TIMEOUT_PER_FILE,
    start_timeout: float = START_TIMEOUT,
    converters: Sequence[Converter] | None = None,
) -> ConversionResult:
    """Convert ``files`` to PDF, beside each file or into ``out_dir``.

    ``jobs`` LibreOffice processes run at once (default :func:`default_jobs`); with
    ``converters`` those are used instead (and left open). ``progress(n)`` is called as
    documents finish, ``n`` adding up to ``len(files)``. A LibreOffice is killed when it has
    run longer than ``start_timeout + timeout_per_file * documents``. Ctrl-C raises
    :class:`ConversionInterrupted` once everything is stopped and cleaned.
    """
    batch = _Batch(overwrite=overwrite, progress=progress)
    documents = batch.documents(files, out_dir)
    if not documents:
        return batch.result()
    soffice = converters[0].soffice if converters else find_soffice()
    remove_stale_workspaces()
    if converters:
        jobs = len(converters)
    elif jobs is None:
        jobs = default_jobs(len(documents))
    batch.queue_chunks(documents, chunk_size(len(documents), jobs))
    own: list[Converter] = []
    idle = list(converters or [])
    stopped = False
    try:
        with _signals_interrupt():
            batch.run(
                jobs, idle, lambda: _new_converter(soffice, own), start_timeout, timeout_per_file
            )
    except KeyboardInterrupt:
        stopped = True
    finally:  # before the caller hears of it, whatever ended the batch
        with _signals_deferred() as received:
            for converter in [*own, *(converters or [])]:
                if converter.busy:
                    converter.stop()
            for converter in own:
                converter.close()
    if stopped or received:
        raise ConversionInterrupted(batch.result(), batch.not_done(documents), len(files))
    return batch.result()


def _new_converter(soffice: str, own: list[Converter]) -> Converter:
    converter = Converter(soffice)
    own.append(converter)
    return converter


class _Batch:
    """The state of one conversion: the queue of chunks, what is running, what is done."""

    def __init__(self, *, overwrite: bool, progress: Progress) -> None:
        self.overwrite = overwrite
        self.progress = progress
        self.queue: deque[_Chunk] = deque()
        self.written: dict[int, Path] = {}
        self.problems: list[tuple[int, Problem]] = []
        self.warnings: list[tuple[int, Problem]] = []
        self.counted: set[int] = set()
        self.empty_in_a_row = 0

    def result(self) -> ConversionResult:
        return ConversionResult(
            written=[self.written[i] for i in sorted(self.written)],
            problems=[p for _, p in sorted(self.problems, key=lambda item: item[0])],
            warnings=[w for _, w in sorted(self.warnings, key=lambda item: item[0])],
        )

    def not_done(self, documents: list[_Document]) -> list[Path]:
        failed = {i for i, _ in self.problems}
        return [
            d.source for d in documents if d.index not in failed and d.index not in self.written
        ]

    # -- before the first LibreOffice starts --------------------------------------------------

    def documents(self, files: Sequence[str | Path], out_dir: str | Path | None) -> list[_Document]:
        """The files to convert; those that cannot be (missing, PDF already there) are problems."""
        documents: list[_Document] = []
        targets: dict[Path, Path] = {}
        for index, name in enumerate(files):
            source = Path(name)
            folder = Path(out_dir) if out_dir is not None else source.parent
            target = folder / f"{source.stem}.pdf"
            if not source.is_file():
                self.fail(index, Problem(file=str(source), message="no such file"))
            elif target in targets:
                message = (
                    f"{target} would also be made from '{targets[target]}'; "
                    "convert these into different folders"
                )
                self.fail(index, Problem(file=str(source), message=message))
            elif target.exists() and not self.overwrite:
                error = OutputExists("already exists; use --force to overwrite it", file=target)
                self.fail(index, error.problem)
            else:
                targets[target] = source
                documents.append(_Document(index, source, target))
        return documents

    def queue_chunks(self, documents: list[_Document], size: int) -> None:
        chunk: list[_Document] = []
        for document in documents:
            # LibreOffice names each PDF after its document, so one chunk holds each name once.
            if len(chunk) == size or any(d.source.stem == document.source.stem for d in chunk):
                self.queue.append(_Chunk(chunk))
                chunk = []
            chunk.append(document)
        if chunk:
            self.queue.append(_Chunk(chunk))

    # -- the loop -----------------------------------------------------------------------------

    def run(
        self,
        jobs: int,
        idle: list[Converter],
        make_converter: Callable[[], Converter],
        start_timeout: float,
        timeout_per_file: float,
    ) -> None:
        running: list[_Running] = []
        while self.queue or running:
            while self.queue and len(running) < jobs:
                converter = idle.pop() if idle else make_converter()
                chunk = self.queue.popleft()
                limit = start_timeout + timeout_per_file * len(chunk.documents)
                converter.start([d.source for d in chunk.documents])
                running.append(_Running(converter, chunk, limit, time.monotonic() + limit))
            time.sleep(_POLL_SECONDS)
            for job in list(running):
                self.count_new_pdfs(job)
                code = job.converter.poll()
                hung = code is None and time.monotonic() > job.deadline
                if code is None and not hung:
                    continue
                if hung:
                    job.converter.stop()
                running.remove(job)
                idle.append(job.converter)
                self.finish(job, code, hung)

    def count_new_pdfs(self, job: _Running) -> None:
        try:
            names = set(os.listdir(job.converter.output))
        except OSError:
            return
        new = [
            d.index
            for d in job.chunk.documents
            if d.index not in self.counted and f"{d.source.stem}.pdf" in names
        ]
        self.count(new)

    def count(self, indexes: list[int]) -> None:
        fresh = [i for i in indexes if i not in self.counted]
        if fresh:
            self.counted.update(fresh)
            self.progress(len(fresh))

    def finish(self, job: _Running, code: int | None, hung: bool) -> None:
        """Deliver the PDFs a LibreOffice made; after a crash or hang, queue what it did not."""
        converter = job.converter
        unfinished: list[_Document] = []
        for document in job.chunk.documents:
            made = converter.output / f"{document.source.stem}.pdf"
            if is_whole_pdf(made):
                self.deliver(document, made)
            else:
                unfinished.append(document)
        if code == 0 and not hung:
            self.empty_in_a_row = 0
            detail = converter.last_message()
            why = f" ({detail})" if detail else ""
            for document in unfinished:
                self.fail(
                    document.index, _problem(document, f"LibreOffice could not convert it{why}")
                )
            return
        converter.fresh_profile()  # a crashed LibreOffice may leave its profile locked
        if not unfinished:
            return  # it stopped oddly after finishing everything: nothing lost
        if not job.chunk.retry:  # a document tried alone again says nothing of LibreOffice
            made_none = len(unfinished) == len(job.chunk.documents)
            self.empty_in_a_row = self.empty_in_a_row + 1 if made_none else 0
        if self.empty_in_a_row >= GIVE_UP_AFTER:
            detail = converter.last_message()
            raise ConversionError(
                f"LibreOffice stopped {self.empty_in_a_row} times in a row without making a "
                f"PDF{f' ({detail})' if detail else ''}; check that "
                "'soffice --headless --convert-to pdf FILE' works on this machine"
            )
        what = (
            f"LibreOffice was still converting it after {job.limit:g} s and was stopped"
            if hung
            else f"LibreOffice {_stopped_how(code)} while converting it"
        )
        suspect, rest = unfinished[0], unfinished[1:]
        if job.chunk.retry:
            self.fail(suspect.index, _problem(suspect, f"{what}, on both tries"))
            return
        others = ""
        if rest:
            others = (
                " and the document after it"
                if len(rest) == 1
                else f" and the {len(rest)} documents after it"
            )
        warning = f"{what}; it{others} will be tried again in a fresh LibreOffice"
        self.warnings.append((suspect.index, _problem(suspect, warning)))
        if rest:
            self.queue.appendleft(_Chunk(rest))
        self.queue.appendleft(_Chunk([suspect], retry=True))

    def deliver(self, document: _Document, made: Path) -> None:
        def copy(handle: IO[bytes]) -> None:
            with open(made, "rb") as pdf:
                shutil.copyfileobj(pdf, handle)

        try:
            write_atomic(document.target, copy, overwrite=self.overwrite)
        except OutputExists as error:
            self.fail(document.index, error.problem)
        except OSError as exc:
            message = f"the PDF could not be written: {exc.strerror or exc}"
            self.fail(document.index, Problem(file=str(document.target), message=message))
        else:
            self.written[document.index] = document.target
            self.count([document.index])

    def fail(self, index: int, problem: Problem) -> None:
        self.problems.append((index, problem))
        self.count([index])


def _problem(document: _Document, message: str) -> Problem:
    return Problem(file=str(document.source), message=message)


def _stopped_how(code: int | None) -> str:
    if code is not None and code < 0:
        with contextlib.suppress(ValueError):
            return f"crashed ({signal.Signals(-code).name})"
        return f"crashed (signal {-code})"
    return f"stopped with exit code {code}"


# -- processes, signals and temporary folders ---------------------------------------------------


def _interrupt(signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


_STOPPING: dict[str, Any] = {
    "SIGINT": signal.default_int_handler,
    "SIGTERM": signal.SIG_DFL,
    "SIGHUP": signal.SIG_DFL,
}


@contextlib.contextmanager
def _signals_deferred() -> Iterator[list[int]]:
    """Hold Ctrl-C, SIGTERM and SIGHUP back while LibreOffice is stopped and the workspaces are
    removed (a second Ctrl-C must not leave half of them); yields the signals that came."""
    received: list[int] = []
    changed: dict[int, Any] = {}
    if threading.current_thread() is threading.main_thread():
        # Only those that would stop a conversion; a caller's own handlers are left alone.
        for name, stopping in _STOPPING.items():
            number = getattr(signal, name, None)
            if number is not None and signal.getsignal(number) is stopping:
                changed[number] = signal.signal(number, lambda n, _f: received.append(n))
    try:
        yield received
    finally:
        for number, handler in changed.items():
            signal.signal(number, handler)


@contextlib.contextmanager
def _signals_interrupt() -> Iterator[None]:
    """Make SIGTERM and SIGHUP stop a conversion the way Ctrl-C does (LibreOffice stopped,
    temporary folders removed) where nobody else handles them; only the main thread can."""
    changed: dict[int, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for name in ("SIGTERM", "SIGHUP"):
            number = getattr(signal, name, None)
            if number is not None and signal.getsignal(number) is signal.SIG_DFL:
                changed[number] = signal.signal(number, _interrupt)
    try:
        yield
    finally:
        for number, handler in changed.items():
            signal.signal(number, handler)

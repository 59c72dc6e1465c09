"""Work in a box: untrusted files and templates handled in a worker process with limits.

A hostile PDF, Word form or template can loop for ever or eat all the memory, and nothing inside
Python can stop C code that does. So such work runs in a child process that has a memory limit
(``RLIMIT_AS``) and a wall-clock limit, and is killed and replaced when it overruns; the batch
goes on with the next file or record. There are two deadlines: a soft one inside the worker
(a timer signal that stops Python code where it is, so the message can say where), and a hard
one in the parent, a moment later, that kills a worker stuck in C code.

:class:`Worker` is one such child, serving calls one at a time; :func:`run_limited` runs one
call in this process's shared worker (PDF forms, Word forms); ``formkit render``/``pack`` keep
their own workers for each batch (see :mod:`formkit.render.pack`).

The limits are :data:`TIME_LIMIT` seconds and :data:`MEMORY_LIMIT_MB` megabytes, changed with
the environment variables ``FORMKIT_TIME_LIMIT`` and ``FORMKIT_MEMORY_LIMIT_MB`` (or per call).
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from formkit.errors import FormkitError

TIME_LIMIT = 10.0
"""Seconds one file (or one record's documents) may take."""

MEMORY_LIMIT_MB = 1024
"""Megabytes of memory a worker may use beyond what it starts with."""

HARD_GRACE = 2.0
"""Seconds after the soft deadline before a worker stuck in C code is killed."""

START_TIMEOUT = 120.0
"""Seconds a new worker may take to start (a spawned one imports formkit again)."""


class TimeLimitReached(BaseException):  # noqa: N818 - it is a signal, not an error
    """Raised inside a worker when its soft deadline passes.

    A BaseException, so that no ``except Exception`` in a library swallows it; code that can say
    where the time went (the template renderer) catches it and names the place.
    """


def time_limit(given: float | None = None) -> float:
    """``given``, else ``FORMKIT_TIME_LIMIT``, else :data:`TIME_LIMIT` (seconds)."""
    if given is not None:
        return given
    return _env_number("FORMKIT_TIME_LIMIT", TIME_LIMIT)


def memory_limit_mb(given: int | None = None) -> int:
    """``given``, else ``FORMKIT_MEMORY_LIMIT_MB``, else :data:`MEMORY_LIMIT_MB`."""
    if given is not None:
        return given
    return int(_env_number("FORMKIT_MEMORY_LIMIT_MB", MEMORY_LIMIT_MB))


def _env_number(name: str, default: float) -> float:
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        return default
    return value if value > 0 else default


@dataclass(frozen=True)
class Messages:
    """What to tell the user when the work in the box fails, as the tail of a sentence.

    ``timeout`` and ``memory`` may use ``{seconds}`` (words: "1 second", "2.5 seconds") and
    ``{megabytes}``; ``crash`` is followed by the error's own words in brackets.
    """

    timeout: str = "took longer than {seconds}, so it was stopped"
    memory: str = "needed more than {megabytes:,} MB of memory, so it was stopped"
    crash: str = "could not be read"
    error: type[FormkitError] = FormkitError


def _address_space() -> int:
    """Bytes of address space this process uses now (0 when it cannot tell)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            pages = int(handle.read().split()[0])
        return pages * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError, AttributeError):
        return 0


def _limit_memory(megabytes: int) -> None:
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows: the time limit still holds
        return
    used = _address_space()
    if not used:
        return
    wanted = used + megabytes * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))


def _on_alarm(_signum: int, _frame: Any) -> None:
    raise TimeLimitReached


WORKER_NAME = "formkit-worker"
"""The name of every :class:`Worker` process (how :func:`run_limited` knows it is inside one)."""


def _serve(
    conn: Any,
    other_end: Any,
    memory_mb: int,
    initializer: Callable[..., Any] | None,
    initargs: tuple[Any, ...],
    keep_state: bool = False,
) -> None:
    """The worker's loop: run each ``(func, args, seconds)`` received, send back the outcome."""
    if other_end is not None:
        other_end.close()  # so that the parent's death reaches us as end-of-file
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _limit_memory(memory_mb)
    soft = hasattr(signal, "setitimer")
    if soft:
        signal.signal(signal.SIGALRM, _on_alarm)
    state = initializer(*initargs) if initializer is not None else None
    conn.send(("ready",))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        func, args, seconds = message
        outcome: tuple[Any, ...]
        try:
            try:
                if soft:
                    signal.setitimer(signal.ITIMER_REAL, seconds)
                outcome = ("ok", func(state, *args) if keep_state else func(*args))
            finally:
                if soft:
                    signal.setitimer(signal.ITIMER_REAL, 0)
        except TimeLimitReached:
            outcome = ("timeout",)
        except FormkitError as exc:
            outcome = ("error", type(exc).__name__, exc.message, exc.file, exc.record, exc.field)
        except MemoryError:
            outcome = ("memory",)
        except Exception as exc:  # noqa: BLE001 - raised again in the parent, for its batch runner
            exc.__traceback__ = None
            outcome = ("raise", exc, f"{type(exc).__name__}: {exc}"[:500])
        try:
            conn.send(outcome)
        except MemoryError:
            conn.send(("memory",))
        except Exception as exc:  # noqa: BLE001 - unpicklable: say so rather than hang the parent
            detail = (
                outcome[-1] if outcome[0] == "raise" else f"the result could not be sent ({exc})"
            )
            conn.send(("crash", str(detail)[:500]))


def _context() -> Any:
    # fork starts in milliseconds; with threads running it is unsafe, so spawn instead.
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _error_classes() -> dict[str, type[FormkitError]]:
    found: dict[str, type[FormkitError]] = {}
    pending: list[type[FormkitError]] = [FormkitError]
    while pending:
        cls = pending.pop()
        found[cls.__name__] = cls
        pending.extend(cls.__subclasses__())
    return found


class Worker:
    """A child process running calls one at a time under a time and a memory limit.

    ``initializer(*initargs)`` runs in each new worker before its first call (a replaced worker
    runs it again); with ``keep_state`` what it returns is the worker's own state, passed as the
    first argument of every call (compiled templates, say), so nothing is kept in module globals.
    A call that overruns kills the worker; the next call starts a fresh one.
    """

    def __init__(
        self,
        *,
        memory_mb: int | None = None,
        initializer: Callable[..., Any] | None = None,
        initargs: tuple[Any, ...] = (),
        keep_state: bool = False,
    ) -> None:
        self.memory_mb = memory_limit_mb(memory_mb)
        self.initializer = initializer
        self.initargs = initargs
        self.keep_state = keep_state
        self._process: Any = None
        self._lock = threading.Lock()  # one call at a time, whichever thread makes it
        self._conn: Any = None

    def _start(self, file: str | Path, messages: Messages) -> None:
        ctx = _context()
        here, there = ctx.Pipe(duplex=True)
        forked = ctx.get_start_method() == "fork"
        process = ctx.Process(
            target=_serve,
            args=(
                there,
                here if forked else None,
                self.memory_mb,
                self.initializer,
                self.initargs,
                self.keep_state,
            ),
            name=WORKER_NAME,
            daemon=True,
        )
        gc.freeze()  # the child's collector then leaves the parent's objects (and pages) alone
        try:
            process.start()
        finally:
            gc.unfreeze()
        there.close()
        self._process, self._conn = process, here
        try:
            ready = here.poll(START_TIMEOUT) and here.recv() == ("ready",)
        except (EOFError, OSError):
            ready = False
        if not ready:
            self.close()
            raise messages.error(f"{messages.crash} (the worker process did not start)", file=file)

    def start(self, *, file: str | Path, messages: Messages) -> None:
        """Start the worker now if it is not running (before any thread is, so it can fork)."""
        if self._process is None or not self._process.is_alive():
            self.close()
            self._start(file, messages)

    def call(
        self,
        func: Callable[..., Any],
        args: tuple[Any, ...],
        *,
        file: str | Path,
        messages: Messages,
        timeout: float | None = None,
    ) -> Any:
        """``func(*args)`` in the worker. A :class:`FormkitError` raised there comes back as the
        same class, and any other exception is raised again here (without its traceback);
        overrunning the limits, or a worker that dies, is ``messages.error`` naming ``file``.
        Threads sharing a worker (the browser app's jobs) take turns."""
        with self._lock:
            return self._call(func, args, file=file, messages=messages, timeout=timeout)

    def _call(
        self,
        func: Callable[..., Any],
        args: tuple[Any, ...],
        *,
        file: str | Path,
        messages: Messages,
        timeout: float | None,
    ) -> Any:
        seconds = time_limit(timeout)
        self.start(file=file, messages=messages)
        conn = self._conn
        try:
            conn.send((func, args, seconds))
            if not conn.poll(seconds + max(HARD_GRACE, seconds / 2)):
                self.close()
                outcome: tuple[Any, ...] = ("timeout",)
            else:
                outcome = conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            self.close()
            outcome = ("died",)
        kind = outcome[0]
        if kind == "ok":
            return outcome[1]
        if kind == "raise":
            raise outcome[1]  # not formkit's: the caller's batch runner says what it was
        if kind == "error":
            _, name, message, where, record, field = outcome
            cls = _error_classes().get(name, messages.error)
            try:
                error = cls(message, file=where or file, record=record, field=field)
            except TypeError:  # an error class with a constructor of its own
                error = messages.error(message, file=where or file, record=record, field=field)
            raise error
        if kind in ("timeout", "memory", "died"):
            self.close()  # a worker that overran may be in any state: start afresh next time
        if kind == "timeout":
            said = "1 second" if seconds == 1 else f"{seconds:g} seconds"
            raise messages.error(messages.timeout.format(seconds=said), file=file)
        if kind == "memory":
            raise messages.error(messages.memory.format(megabytes=self.memory_mb), file=file)
        if kind == "died":
            raise messages.error(
                f"{messages.crash} (the worker stopped unexpectedly; "
                f"it may have run out of its {self.memory_mb:,} MB of memory)",
                file=file,
            )
        raise messages.error(f"{messages.crash} ({outcome[1]})", file=file)

    def close(self) -> None:
        """Stop the worker (kill it if it is busy)."""
        process, conn = self._process, self._conn
        self._process = self._conn = None
        if conn is not None:
            with contextlib.suppress(OSError):
                conn.close()
        if process is not None:
            if process.is_alive():
                process.kill()
            process.join()


# This process's shared worker, by process id (a forked child must not use its parent's): a
# process-wide resource, like an open connection, closed when the process ends.
_SHARED: dict[int, Worker] = {}


def _close_shared() -> None:
    for worker in _SHARED.values():
        worker.close()
    _SHARED.clear()


atexit.register(_close_shared)


def run_limited(
    func: Callable[..., Any],
    args: tuple[Any, ...],
    *,
    file: str | Path,
    messages: Messages,
    timeout: float | None = None,
) -> Any:
    """Run ``func(*args)`` (module-level, picklable result) in this process's shared worker,
    under the time limit (``timeout`` or ``FORMKIT_TIME_LIMIT``) and the memory limit.

    Called inside a worker already (a PDF reader called by the form parser), it runs in place:
    the outer worker's limits hold."""
    if multiprocessing.current_process().name == WORKER_NAME:
        return func(*args)
    pid = os.getpid()
    worker = _SHARED.get(pid)
    if worker is None:
        _SHARED.clear()  # a forked child must not use its parent's worker
        worker = _SHARED[pid] = Worker()
    return worker.call(func, args, file=file, messages=messages, timeout=timeout)

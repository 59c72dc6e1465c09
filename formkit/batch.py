"""Running one piece of work over many records: progress, parallel processes, failures kept.

The library never draws anything: it calls ``progress(n)`` after each ``n`` items, so the CLI
can advance a bar and a test can count the calls.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from itertools import islice
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

Progress = Callable[[int], None]


def no_progress(_: int) -> None:
    """The default progress callback: report nothing."""


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _run_chunk(func: Callable[[T], R], chunk: list[T]) -> list[R]:
    return [func(item) for item in chunk]


def parallel_map(
    func: Callable[[T], R],
    items: Iterable[T],
    *,
    jobs: int = 1,
    progress: Progress = no_progress,
    initializer: Callable[..., Any] | None = None,
    initargs: tuple[Any, ...] = (),
    chunk_size: int = 16,
) -> Iterator[R]:
    """Apply ``func`` to every item, in order, with ``jobs`` worker processes.

    ``func`` must catch its own per-record errors and return them as results, so one bad record
    never stops a batch. Work is sent in chunks and at most ``2 * jobs`` chunks are in flight,
    so memory stays flat however long the batch is. ``func`` must be picklable (module-level)
    when ``jobs > 1``.
    """
    if jobs <= 1:
        if initializer is not None:
            initializer(*initargs)
        for item in items:
            result = func(item)
            progress(1)
            yield result
        return
    with ProcessPoolExecutor(max_workers=jobs, initializer=initializer, initargs=initargs) as pool:
        pending: list[Any] = []
        for chunk in _chunks(items, chunk_size):
            pending.append(pool.submit(_run_chunk, func, chunk))
            if len(pending) >= 2 * jobs:
                results = pending.pop(0).result()
                progress(len(results))
                yield from results
        for future in pending:
            results = future.result()
            progress(len(results))
            yield from results

"""What every command shares: option sets, error handling at the edge, progress bars."""

from __future__ import annotations

import json
import sys
import textwrap
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import datetime
from pathlib import Path
from typing import IO, Any, TypeVar

import click
from pydantic import TypeAdapter, ValidationError

from formkit.batch import BatchResult, Stages, internal_error_message
from formkit.errors import FormkitError
from formkit.model import LondonDateTime

F = TypeVar("F", bound=Callable[..., Any])


def json_option(func: F) -> F:
    """``--json``: machine-readable output on stdout."""
    return click.option(
        "--json", "as_json", is_flag=True, help="Print machine-readable JSON on stdout."
    )(func)


def quiet_option(func: F) -> F:
    """``--quiet``: no progress bar, only the result and errors."""
    return click.option(
        "-q", "--quiet", is_flag=True, help="No progress bar or summary on stderr."
    )(func)


def jobs_option(func: F) -> F:
    """``--jobs N``: worker processes for a batch."""
    return click.option(
        "-j",
        "--jobs",
        type=click.IntRange(1, 64),
        default=1,
        show_default=True,
        help="Worker processes to use.",
    )(func)


_WHEN = TypeAdapter(LondonDateTime)


class MomentType(click.ParamType):
    """A date and time as users write it: 2026-11-03T14:30 or 03/11/2026 14:30 (London time)."""

    name = "DATETIME"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, datetime):
            return value
        try:
            return _WHEN.validate_python(value)
        except ValidationError:
            self.fail(f"'{value}' is not a date and time; write it as 2026-11-03T14:30", param, ctx)


def now_option(help_text: str) -> Callable[[F], F]:
    """``--now``: pretend it is this London time, for reproducible plans and deadlines."""
    return click.option("--now", type=MomentType(), help=help_text)


class BatchFailed(click.ClickException):
    """The one way a command says its work failed: exit code 1, the message on stderr.

    An empty message prints nothing more (the problems were already listed). A batch stopped
    by Ctrl-C leaves with 130, the shell's code for it.
    """

    exit_code = 1

    def show(self, file: IO[Any] | None = None) -> None:
        if self.message:
            super().show(file)


class Interrupted(BatchFailed):
    """A batch stopped by Ctrl-C (after saying what it finished): exit code 130, as a shell."""

    exit_code = 130


def fail_on(error: BaseException) -> BatchFailed:
    """Any exception that reached a command, as its :class:`BatchFailed` (never a traceback)."""
    from formkit.fileio import describe_os_error

    if isinstance(error, FormkitError):
        return BatchFailed(str(error))
    if isinstance(error, OSError):
        where = f"{error.filename}: " if error.filename else ""
        return BatchFailed(f"{where}{describe_os_error(error)}")
    if isinstance(error, RecursionError):
        return BatchFailed("the input is nested too deeply to read")
    if isinstance(error, MemoryError):
        return BatchFailed("the input needs more memory than this machine has")
    return BatchFailed(f"formkit {internal_error_message(error, doing='finished')}")


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn formkit's own errors (and an operating-system error) into a one-line message and
    exit code 1, never a traceback; a conversion stopped by Ctrl-C says what was made and
    what a re-run does, and exits 130."""
    try:
        yield
    except (FormkitError, OSError) as error:
        raise fail_on(error) from error
    except KeyboardInterrupt as stopped:
        # Only a conversion says what it finished (and it was imported if it ran).
        convert = sys.modules.get("formkit.render.convert")
        if convert is None or not isinstance(stopped, convert.ConversionInterrupted):
            raise
        for problem in stopped.result.problems:
            echo_err(f"error: {problem}")
        for line in stopped.explain():
            echo_err(line)
        raise Interrupted("") from None


def finish(result: BatchResult, what: str | None, failed: str = "failed; see above") -> None:
    """Exit 1 after a batch in which anything failed (the problems are already printed):
    "2 forms failed; see above", or nothing more when ``what`` is None."""
    if result.problems and what is None:
        raise BatchFailed("")
    if result.problems:
        count = len(result.problems)
        raise BatchFailed(f"{count} {what}{'' if count == 1 else 's'} {failed}")


def print_problems(
    result: BatchResult, *, prefix: str = "error: ", notes: Iterable[str] = ()
) -> None:
    """A batch's warnings, then ``notes`` (facts to chase), then problems, one line each, on
    stderr."""
    for warning in result.warnings:
        echo_err(f"warning: {warning}")
    for note in notes:
        echo_err(note)
    for problem in result.problems:
        echo_err(f"{prefix}{problem}")


def print_json(result: BatchResult, **extra: Any) -> None:
    """A batch's result as JSON on stdout: the command's own keys, then the shared ones."""
    click.echo(json.dumps({**extra, **result.as_dict()}, indent=2, ensure_ascii=False, default=str))


class JsonItems:
    """A batch's JSON printed as it goes: ``{"plans": [ …each item as it comes… ], <the
    result's other keys>}``, so a long batch's output never sits in memory. Nothing is printed
    before the first item (an error before any work prints no half JSON)."""

    def __init__(self, key: str) -> None:
        self.key = key
        self.count = 0

    def add(self, item: dict[str, Any]) -> None:
        if not self.count:
            click.echo(f'{{\n  "{self.key}": [')
        text = json.dumps(item, indent=2, ensure_ascii=False, default=str)
        click.echo(("," if self.count else "") + textwrap.indent(text, "    "))
        self.count += 1

    def close(self, result: BatchResult) -> None:
        if not self.count:
            click.echo(f'{{\n  "{self.key}": [')
        rest = {k: v for k, v in result.as_dict().items() if k != self.key}
        inner = json.dumps(rest, indent=2, ensure_ascii=False, default=str)[1:-1].strip()
        click.echo("  ],\n  " + textwrap.indent(inner, "  ").lstrip() + "\n}")


def expand_paths(
    values: Collection[str], suffixes: Collection[str], *, what: str = "files"
) -> tuple[str, ...]:
    """:func:`formkit.load.expand_files`, with a path that does not exist, a pattern that
    matches nothing and a folder with nothing usable as usage errors (exit 2)."""
    from formkit.load import expand_files, has_glob

    for value in values:
        path = Path(value)
        if value == "-" or path.exists() and not path.is_dir():
            continue
        if path.is_dir() or has_glob(value):
            if not expand_files([value], suffixes):
                if path.is_dir():
                    known = ", ".join(sorted({s.lower() for s in suffixes}))
                    raise click.BadParameter(f"folder '{value}' holds no {what} ({known})")
                raise click.BadParameter(f"'{value}' matches no files")
        else:
            raise click.BadParameter(f"'{value}' does not exist")
    return tuple(expand_files(values, suffixes))


def files_argument(
    name: str, suffixes: Collection[str] | None = None, *, what: str = "episode files"
) -> Callable[[F], F]:
    """A ``FILES...`` argument that takes files, folders and quoted glob patterns.

    ``suffixes`` defaults to the episode readers' table (:data:`formkit.load.SUFFIXES`), so a
    new reader is found in folders without touching any command.
    """

    def expand(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> Any:
        from formkit.load import SUFFIXES

        return expand_paths(value, SUFFIXES if suffixes is None else suffixes, what=what)

    return click.argument(
        name, nargs=-1, required=True, type=click.Path(allow_dash=True), callback=expand
    )


@contextmanager
def progress_bar(total: int | None, label: str, *, quiet: bool) -> Iterator[Callable[[int], None]]:
    """A progress callback for library code: draws a bar on stderr unless ``quiet``.

    With ``total=None`` (not known in advance) it counts what is done, without a bar, from the
    first item done.
    """
    if quiet or total == 0:
        yield lambda _n: None
        return
    bar: Any
    if total is None:
        # Drawn from the first item on, so an error before any work is the only thing said.
        with ExitStack() as stack:

            def update(count: int) -> None:
                nonlocal bar
                if bar is None:
                    bar = stack.enter_context(
                        click.progressbar(
                            iter(()), length=None, label=label, file=sys.stderr, show_pos=True
                        )
                    )
                bar.update(count)

            bar = None
            yield update
        return
    with click.progressbar(
        length=total,
        label=label,
        file=sys.stderr,
        show_pos=True,
        show_eta=True,
    ) as bar:
        yield bar.update


@contextmanager
def stage_bars(*, quiet: bool) -> Iterator[Stages]:
    """A :data:`formkit.batch.Stages` callback for library code: one bar a stage on stderr
    (each closed as the next starts), none when ``quiet``."""
    with ExitStack() as stack:

        def stage(label: str, total: int | None) -> Callable[[int], None]:
            stack.close()
            return stack.enter_context(progress_bar(total, label, quiet=quiet))

        yield stage


def echo_err(message: str) -> None:
    click.echo(message, err=True)

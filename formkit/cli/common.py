"""What every command shares: option sets, error handling at the edge, progress bars."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any, TypeVar

import click
from pydantic import TypeAdapter, ValidationError

from formkit.errors import FormkitError, Problem
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


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn formkit's own errors into a one-line message and exit code 1, never a traceback."""
    try:
        yield
    except FormkitError as error:
        raise click.ClickException(str(error)) from error


@contextmanager
def progress_bar(total: int | None, label: str, *, quiet: bool) -> Iterator[Callable[[int], None]]:
    """A progress callback for library code: draws a bar on stderr unless ``quiet``."""
    if quiet or total == 0:
        yield lambda _n: None
        return
    bar: Any
    with click.progressbar(
        length=total,
        label=label,
        file=sys.stderr,
        show_pos=True,
        show_eta=True,
    ) as bar:
        yield bar.update


def echo_err(message: str) -> None:
    click.echo(message, err=True)


def report_problems(problems: list[Problem], *, as_json: bool, summary: dict[str, Any]) -> None:
    """Print a batch's failures at the end: JSON on stdout, or one line each on stderr."""
    if as_json:
        click.echo(json.dumps({**summary, "problems": [p.as_dict() for p in problems]}, indent=2))
        return
    for problem in problems:
        echo_err(f"error: {problem}")


def fail_if(problems: list[Problem], what: str) -> None:
    """Exit 1 after a batch in which anything failed (the failures are already printed)."""
    if problems:
        count = len(problems)
        raise click.ClickException(f"{count} {what}{'' if count == 1 else 's'} failed; see above")

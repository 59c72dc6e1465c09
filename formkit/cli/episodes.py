"""Commands about episode data: ``validate``, ``schema`` and ``samples``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import IO

import click

from formkit.cli.common import (
    BatchFailed,
    echo_err,
    files_argument,
    json_option,
    print_json,
    progress_bar,
    quiet_option,
    user_errors,
)
from formkit.validation import validate_files


@click.command()
@files_argument("files")
@json_option
@quiet_option
def validate(files: tuple[str, ...], as_json: bool, quiet: bool) -> None:
    """Check episode files against the episode model.

    FILES may be JSON, YAML, JSON Lines, or a CSV/XLSX spreadsheet whose column headers are data
    paths (child.first_name, episode.last_seen_at, risks.0.type); a folder stands for the
    episode files in it, and a quoted pattern ("samples/*.yaml") is expanded by formkit. Every
    fault is listed with its file, record and field; the exit code is 1 if any record fails.

    \b
    Examples:
      formkit validate samples/episodes/
      formkit validate "samples/episodes/*.json"
      formkit validate todays-episodes.xlsx --json > report.json
    """
    with progress_bar(None, "Checking episodes", quiet=quiet) as progress:
        result = validate_files(files, progress=progress)
    if as_json:
        print_json(result)
    else:
        for problem in result.problems:
            click.echo(f"✗ {problem}")
        for warning in result.warnings:
            click.echo(f"⚠ {warning}")
        if not quiet or not result.problems:
            records, unreadable = result.records, result.unreadable
            summary = (
                f"{result.valid} of {records} episode{'' if records == 1 else 's'} valid "
                f"in {len(files)} file{'' if len(files) == 1 else 's'}"
            )
            if unreadable:
                summary += f"; {unreadable} file{'' if unreadable == 1 else 's'} could not be read"
            click.echo(summary + ".")
    if result.problems:
        raise BatchFailed("")


@click.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True),
    default="-",
    help="Where to write the schema (default: stdout).",
)
def schema(output: str) -> None:
    """Print the JSON Schema of an episode file.

    Other systems (and editors such as VS Code) can use it to check episode files as they are
    written.

    \b
    Example:
      formkit schema -o episode.schema.json
    """
    from formkit.model.schema import write_schema

    target: IO[str] | str = sys.stdout if output == "-" else output
    with user_errors():
        write_schema(target)


@click.group()
def samples() -> None:
    """Make synthetic episodes for trying formkit out and for load tests.

    \b
    Examples:
      formkit samples generate --count 1000 --seed 7 -o episodes.jsonl
      formkit samples intake -o intake.xlsx
    """


@samples.command("intake")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The .xlsx workbook to write.",
)
@click.option("--force", is_flag=True, help="Replace the file if it exists.")
def intake(output: Path, force: bool) -> None:
    """Write a blank intake workbook to fill in: one episode a row.

    Its columns are headed with the words people use (Date of birth, Police risk, Last seen);
    each header has a note saying what goes there, choice columns have drop-down lists of the
    choices in words, and row 2 is an invented example to copy, then delete. formkit reads the
    filled workbook like any episode spreadsheet (validate, pack, tracker update).

    \b
    Examples:
      formkit samples intake -o intake.xlsx
      formkit validate intake.xlsx
    """
    from formkit.intake_workbook import intake_workbook_file

    with user_errors():
        intake_workbook_file(output, overwrite=force)
    echo_err(f"Wrote {output}: fill one episode a row, then delete the example in row 2.")


@samples.command()
@click.option(
    "-n",
    "--count",
    type=click.IntRange(1, 1_000_000),
    default=10,
    show_default=True,
    help="How many episodes to write.",
)
@click.option(
    "--seed",
    type=int,
    default=0,
    show_default=True,
    help="The same seed always gives the same episodes.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True),
    default="-",
    help="A .jsonl file (default: stdout).",
)
@quiet_option
def generate(count: int, seed: int, output: str, quiet: bool) -> None:
    """Write COUNT invented episodes as JSON Lines, one episode a line.

    All people are invented; every episode is valid. Use them for benchmarks and trials,
    never as real records.

    \b
    Examples:
      formkit samples generate --count 10000 --seed 1 -o big.jsonl
      formkit samples generate -n 3 | formkit validate -
    """
    from formkit.synthetic import write_samples

    to_stdout = output == "-"
    with user_errors(), progress_bar(count, "Generating", quiet=quiet or to_stdout) as advance:
        target: IO[str] | str = sys.stdout if to_stdout else output
        write_samples(count, seed, target, progress=advance)
    if not quiet and not to_stdout:
        echo_err(f"Wrote {count} episodes to {output}.")

"""Commands about episode data: ``validate``, ``schema`` and ``samples``."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator

import click

from formkit.cli.common import echo_err, json_option, progress_bar, quiet_option, user_errors
from formkit.errors import InputError, Problem
from formkit.load import Loaded, iter_episodes
from formkit.model import EpisodeRecord
from formkit.render.photo import check_photo


@click.command()
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, allow_dash=True)
)
@json_option
@quiet_option
def validate(files: tuple[str, ...], as_json: bool, quiet: bool) -> None:
    """Check episode files against the episode model.

    FILES may be JSON, YAML, JSON Lines, or a CSV/XLSX spreadsheet whose column headers are data
    paths (child.first_name, episode.last_seen_at, risks.0.type). Every fault is listed with
    its file, record and field; the exit code is 1 if any record fails.

    \b
    Examples:
      formkit validate samples/episodes/*.json
      formkit validate todays-episodes.xlsx --json > report.json
    """
    problems: list[Problem] = []
    warnings: list[Problem] = []
    counts = {"files": len(files), "records": 0, "valid": 0, "invalid": 0}
    for loaded in _with_bar(_all_records(files, problems), "Checking episodes", quiet):
        counts["records"] += 1
        if loaded.episode is not None:
            counts["valid"] += 1
            warning = check_photo(loaded.episode, loaded.file)
            if warning is not None:
                warnings.append(warning)
        else:
            counts["invalid"] += 1
            problems.extend(loaded.problems)
    if as_json:
        report: dict[str, object] = {**counts, "problems": [p.as_dict() for p in problems]}
        if warnings:
            report["warnings"] = [w.as_dict() for w in warnings]
        click.echo(json.dumps(report, indent=2))
    else:
        for problem in problems:
            click.echo(f"✗ {problem}")
        for warning in warnings:
            click.echo(f"⚠ {warning}")
        if not quiet or not problems:
            valid, records = counts["valid"], counts["records"]
            unreadable = len({p.file for p in problems if p.record is None})
            summary = (
                f"{valid} of {records} episode{'' if records == 1 else 's'} valid "
                f"in {len(files)} file{'' if len(files) == 1 else 's'}"
            )
            if unreadable:
                summary += f"; {unreadable} file{'' if unreadable == 1 else 's'} could not be read"
            click.echo(summary + ".")
    if problems:
        sys.exit(1)


def _all_records(files: tuple[str, ...], problems: list[Problem]) -> Iterator[Loaded]:
    """Records of every file in turn; a file that cannot be read is noted and skipped."""
    for name in files:
        try:
            yield from iter_episodes(name)
        except InputError as error:
            problems.append(error.problem)


def _with_bar(items: Iterator[Loaded], label: str, quiet: bool) -> Iterator[Loaded]:
    """Count records on stderr as they are checked (the total is not known in advance)."""
    if quiet:
        yield from items
        return
    with click.progressbar(items, label=label, file=sys.stderr, show_pos=True) as bar:
        yield from bar


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
    text = json.dumps(episode_schema(), indent=2, ensure_ascii=False)
    with click.open_file(output, "w", encoding="utf-8") as handle:
        handle.write(text + "\n")


def episode_schema() -> dict[str, object]:
    schema_doc = EpisodeRecord.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://formkit.invalid/schema/episode-1.0.json",
        **schema_doc,
    }


@click.group()
def samples() -> None:
    """Make synthetic episodes for trying formkit out and for load tests.

    \b
    Example:
      formkit samples generate --count 1000 --seed 7 -o episodes.jsonl
    """


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
    from formkit.fileio import write_atomic
    from formkit.synthetic import episode_data

    lines = []
    with user_errors(), progress_bar(count, "Generating", quiet=quiet or output == "-") as advance:
        for index in range(count):
            lines.append(json.dumps(episode_data(index, seed), ensure_ascii=False))
            advance(1)
        text = "\n".join(lines) + "\n"
        if output == "-":
            sys.stdout.write(text)
        else:
            write_atomic(output, text.encode("utf-8"))
            if not quiet:
                echo_err(f"Wrote {count} episodes to {output}.")

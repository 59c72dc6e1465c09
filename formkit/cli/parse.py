"""``formkit parse``: completed forms (Word or PDF) back into episode data for the tracker."""

from __future__ import annotations

import json

import click

from formkit.cli.common import (
    echo_err,
    fail_if,
    jobs_option,
    json_option,
    progress_bar,
    quiet_option,
    report_problems,
    user_errors,
)
from formkit.errors import Problem
from formkit.fileio import write_atomic
from formkit.parse.batch import expand, parse_files


@click.command("parse")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Write one JSON line per parsed form to this file (for 'formkit tracker update').",
)
@click.option("--raw", is_flag=True, help="Dump every control of any form as {key: value}.")
@click.option(
    "--strict", is_flag=True, help="Treat warnings (a box pair both ticked…) as failures."
)
@click.option(
    "--mapping",
    metavar="NAME|FILE",
    help="Label mapping for a form without formkit's tags (default: the best shipped one).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(0.1, 600),
    default=None,
    help="Seconds allowed to read one form, Word or PDF [default: 10, or FORMKIT_TIME_LIMIT].",
)
@json_option
@jobs_option
@quiet_option
def parse(
    paths: tuple[str, ...],
    output: str | None,
    raw: bool,
    strict: bool,
    mapping: str | None,
    timeout: float | None,
    as_json: bool,
    jobs: int,
    quiet: bool,
) -> None:
    """Read completed forms (FILES or folders of .docx/.pdf) back into episode data.

    Each form becomes {"file", "data", "report"}: the data (an episode, or the return interview
    and the episode reference) and a report of fields read, empty and unmapped, and warnings.
    A file that cannot be read is reported at the end and the command exits 1; the other
    forms are still parsed and written.

    \b
    Examples:
      formkit parse completed-forms/ -o parsed.jsonl
      formkit parse RHI-BK-MIS-26-0907.docx --json
      formkit parse barnardos-form.docx --mapping barnardos-rhi
      formkit parse any-form.docx --raw --json
    """
    files = expand(paths)
    lines: list[dict[str, object]] = []
    problems: list[Problem] = []
    with user_errors(), progress_bar(len(files), "Parsing forms", quiet=quiet) as progress:
        for outcome in parse_files(
            files,
            raw=raw,
            mapping=mapping,
            strict=strict,
            timeout=timeout,
            jobs=jobs,
            progress=progress,
        ):
            if outcome.problem is not None:
                problems.append(outcome.problem)
                continue
            assert outcome.result is not None
            lines.append(outcome.result.as_json())
            if not quiet and not as_json:
                for warning in outcome.result.warnings:
                    echo_err(f"warning: {outcome.file}: {warning}")
        if output:
            text = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
            write_atomic(output, text.encode("utf-8"))
    summary = {"parsed": len(lines), "failed": len(problems), "output": output}
    if as_json:
        report_problems(problems, as_json=True, summary={**summary, "results": lines})
    else:
        if not output:
            for line in lines:
                click.echo(json.dumps(line, ensure_ascii=False))
        report_problems(problems, as_json=False, summary=summary)
        if not quiet:
            where = f" to {output}" if output else ""
            echo_err(f"Parsed {len(lines)} of {len(files)} forms{where}.")
    fail_if(problems, "form")

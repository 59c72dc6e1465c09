"""``formkit parse``: completed forms (Word or PDF) back into episode data for the tracker."""

from __future__ import annotations

import json

import click

from formkit.cli.common import (
    echo_err,
    files_argument,
    finish,
    jobs_option,
    json_option,
    print_json,
    print_problems,
    progress_bar,
    quiet_option,
    user_errors,
)
from formkit.parse.batch import FORM_SUFFIXES, expand, parse_files


@click.command("parse")
@files_argument("paths", FORM_SUFFIXES, what="forms")
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
    """Read completed forms (FILES, folders of .docx/.pdf, or quoted patterns) back into data.

    Each form becomes {"file", "data", "report"}: the data (an episode, or the return interview
    and the episode reference) and a report of fields read, empty and unmapped, and warnings.
    Forms from other providers are read by the labels beside their answers; answers that
    contradict each other are kept, with a warning naming the fields (--strict fails on it),
    and nothing typed is lost (what cannot be placed is in "unmapped"). A file that cannot be
    read is reported at the end and the command exits 1; the other forms are still parsed.

    \b
    Examples:
      formkit parse completed-forms/ -o parsed.jsonl
      formkit parse RHI-BK-MIS-26-0907.docx --json
      formkit parse barnardos-form.docx --mapping barnardos-rhi
      formkit parse nyas-forms/ --mapping nyas.yaml   (made by 'formkit mapping draft')
      formkit parse any-form.docx --raw --json
    """
    files = expand(paths)
    with user_errors(), progress_bar(len(files), "Parsing forms", quiet=quiet) as progress:
        result = parse_files(
            files,
            raw=raw,
            mapping=mapping,
            strict=strict,
            timeout=timeout,
            jobs=jobs,
            progress=progress,
            output=output,
        )
    if as_json:
        print_json(result)
    else:
        if not output:
            for line in result.lines:
                click.echo(json.dumps(line, ensure_ascii=False))
        if quiet:
            result.warnings.clear()
        print_problems(result)
        if not quiet:
            where = f" to {output}" if output else ""
            echo_err(f"Parsed {len(result.results)} of {len(files)} forms{where}.")
    finish(result, "form")

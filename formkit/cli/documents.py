"""``formkit render``, ``pack``, ``convert`` and ``templates``: episodes in, documents out."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from formkit.cli.common import (
    BatchFailed,
    echo_err,
    files_argument,
    finish,
    json_option,
    now_option,
    print_json,
    print_problems,
    quiet_option,
    stage_bars,
    user_errors,
)
from formkit.render.make import convert_files, make_documents
from formkit.render.templates import lint_templates, list_templates, template_paths

_EPISODES = files_argument("episodes")
_OUT = click.option(
    "-o",
    "--output-dir",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the documents (made if missing).",
)
_PDF = click.option(
    "--pdf", is_flag=True, help="Also convert each Word document to PDF (LibreOffice)."
)
_FORCE = click.option(
    "--force",
    is_flag=True,
    help="Make every document again, replacing what is there (even documents edited by hand).",
)
_JOBS_HELP = (
    "Processes to run at once: for rendering (default 1) and for the LibreOffice conversions "
    "of --pdf (default: one per core, as memory allows at about 250 MB each)."
)
_JOBS = click.option("-j", "--jobs", type=click.IntRange(1, 64), default=None, help=_JOBS_HELP)
_FLATTEN = click.option(
    "--flatten",
    is_flag=True,
    help="Lock PDF forms (the *-pdf templates) so their fields cannot be edited.",
)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def summary_line(
    *, made: int, up_to_date: int, records: int | None, failed_records: int, failed_other: int
) -> str:
    """``12 up to date, 3 made (5 records); 2 records failed`` — one line for every batch.

    A record counts once however many of its documents failed; failures not tied to a record
    (a PDF LibreOffice could not make) are counted as documents.
    """
    line = f"{up_to_date} up to date, {made} made"
    if records is not None:
        line += f" ({_plural(records, 'record')})"
    failed = []
    if failed_records:
        failed.append(f"{_plural(failed_records, 'record')} failed")
    if failed_other:
        failed.append(f"{_plural(failed_other, 'document')} failed")
    return line + ("; " + ", ".join(failed) if failed else "; nothing failed")


def _make(episodes: Sequence[str], out_dir: Path, quiet: bool, as_json: bool, **how: Any) -> None:
    """Make the documents (see :func:`formkit.render.make.make_documents`) and say what was
    made: JSON on stdout, or lines on stderr; exit 1 when anything failed."""
    with user_errors(), stage_bars(quiet=quiet) as stages:
        result = make_documents(episodes, out_dir, stages=stages, count_first=not quiet, **how)
    if as_json:
        print_json(result)
    else:
        if result.recorded is not None and not quiet:
            recorded = _plural(result.recorded, "episode")
            echo_err(f"{how['tracker']}: documents made recorded for {recorded}")
        print_problems(result, notes=[f"missing: {gaps.summary()}" for gaps in result.missing])
        if not quiet:
            echo_err(
                summary_line(
                    made=len(result.written),
                    up_to_date=len(result.up_to_date),
                    records=result.records,
                    failed_records=result.failed_records,
                    failed_other=result.failed_documents,
                )
            )
    finish(result, None)


@click.command("render")
@click.argument("template")
@_EPISODES
@_OUT
@_PDF
@_FLATTEN
@_FORCE
@_JOBS
@quiet_option
@json_option
def render_command(
    template: str,
    episodes: tuple[str, ...],
    out_dir: Path,
    pdf: bool,
    flatten: bool,
    force: bool,
    jobs: int | None,
    quiet: bool,
    as_json: bool,
) -> None:
    """Render one template for every episode.

    TEMPLATE is a catalogue id (see 'formkit templates list') or a path to a .docx.
    EPISODES are episode files, folders of them, or quoted patterns ("in/*.csv").

    \b
    Examples:
      formkit render missing-profile samples/episodes/*.json -o out/documents
      formkit render my-letter.docx episodes.xlsx -o out --pdf --jobs 4
      formkit render nyas-referral-pdf episodes.jsonl -o out/pdf --flatten
    """
    _make(
        episodes,
        out_dir,
        quiet,
        as_json,
        templates=[template],
        pdf=pdf,
        flatten=flatten,
        overwrite=force,
        jobs=jobs,
    )


@click.command("pack")
@_EPISODES
@_OUT
@click.option(
    "-t",
    "--template",
    "templates",
    multiple=True,
    help="Also render this template (id or .docx path); may be repeated.",
)
@now_option("Plan as at this London time (default: now).")
@click.option(
    "--tracker",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Record in this tracker which documents were made (its 'Documents made' column).",
)
@_PDF
@_FLATTEN
@_FORCE
@_JOBS
@quiet_option
@json_option
def pack_command(
    episodes: tuple[str, ...],
    out_dir: Path,
    templates: tuple[str, ...],
    now: datetime | None,
    tracker: Path | None,
    pdf: bool,
    flatten: bool,
    force: bool,
    jobs: int | None,
    quiet: bool,
    as_json: bool,
) -> None:
    """Render every document each episode's protocol plan calls for.

    EPISODES are episode files, folders of them, or quoted patterns ("in/*.csv").

    Documents already up to date (same episode data, same template, same formkit) are skipped,
    so a re-run after fixing a spreadsheet or after an interruption makes only what is missing
    or changed; --force makes everything again. With --tracker, the tracker's 'Documents made'
    column records what was made (made is not sent).

    \b
    Examples:
      formkit pack samples/episodes/*.json -o out/documents
      formkit pack samples/episodes/*.json -o out/documents --tracker tracker.xlsx
      formkit pack episodes.xlsx -o out --template rhi-form --now 2026-11-05T09:00 --pdf
    """
    _make(
        episodes,
        out_dir,
        quiet,
        as_json,
        templates=templates,
        planned=True,
        pdf=pdf,
        overwrite=force,
        jobs=jobs,
        now=now,
        flatten=flatten,
        tracker=tracker,
    )


@click.command("convert")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--to", "target", type=click.Choice(["pdf"]), required=True, help="The format to make."
)
@click.option(
    "-o",
    "--output-dir",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the PDFs (default: beside each file).",
)
@_FORCE
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(1, 64),
    default=None,
    help="LibreOffice processes to run at once (default: one per core, as memory allows at "
    "about 250 MB each).",
)
@quiet_option
@json_option
def convert_command(
    files: tuple[str, ...],
    target: str,
    out_dir: Path | None,
    force: bool,
    jobs: int | None,
    quiet: bool,
    as_json: bool,
) -> None:
    """Convert Word documents to PDF with LibreOffice, several at once.

    Up to --jobs LibreOffice processes run at once, each on a chunk of the files; one that
    crashes or hangs is stopped and its unfinished documents are tried again. Ctrl-C stops
    everything, says what was made and exits 130. A PDF already up to date with its Word
    document is skipped, so running the command again makes only what is missing.

    \b
    Examples:
      formkit convert completed/*.docx --to pdf -o out/pdf
      formkit convert letters/*.docx --to pdf --jobs 4 --force
    """
    with user_errors(), stage_bars(quiet=quiet) as stages:
        result = convert_files(files, out_dir, overwrite=force, jobs=jobs, stages=stages)
    if as_json:
        print_json(result)
    else:
        print_problems(result)
        if not quiet:
            echo_err(
                summary_line(
                    made=len(result.written),
                    up_to_date=len(result.up_to_date),
                    records=None,
                    failed_records=0,
                    failed_other=len(result.problems),
                )
            )
    finish(result, None)


@click.group("templates")
def templates_group() -> None:
    """List the templates, show the data paths one uses, and lint templates.

    \b
    Examples:
      formkit templates list
      formkit templates fields rhi-form
      formkit templates lint my-edited-profile.docx
    """


@templates_group.command("list")
@json_option
def templates_list(as_json: bool) -> None:
    """List the templates in the catalogue.

    \b
    Examples:
      formkit templates list --json
    """
    with user_errors():
        result = list_templates()
    if as_json:
        print_json(result)
        return
    for row in result.templates:
        profiles = row["profiles"] if row["profiles"] == "all" else ", ".join(row["profiles"])
        click.echo(f"{row['id']:<32} {row['format']:<5} {row['title']}  [{profiles}]")


@templates_group.command("fields")
@click.argument("template")
@json_option
def templates_fields(template: str, as_json: bool) -> None:
    """Show the data paths a template uses (Jinja and content-control tags).

    \b
    Examples:
      formkit templates fields rhi-form
    """
    with user_errors():
        result = template_paths(template)
    if as_json:
        print_json(result)
        return
    for kind, paths in (("jinja", result.jinja), ("controls", result.controls)):
        click.echo(f"{kind}:")
        for path in paths:
            click.echo(f"  {path}")


@templates_group.command("lint")
@click.argument("paths", nargs=-1)
@json_option
def templates_lint(paths: tuple[str, ...], as_json: bool) -> None:
    """Check templates before use: paths, filters, split or unbalanced tags, control tags.

    With no PATH, lints every Word template in the catalogue. Exits 1 when a fault is found.

    \b
    Examples:
      formkit templates lint
      formkit templates lint missing-profile edited.docx
    """
    with user_errors():
        result = lint_templates(paths)
    if as_json:
        print_json(result)
    else:
        for finding in result.findings:
            click.echo(str(finding))
        from formkit.words import plural

        checked, problems = len(result.checked), len(result.problems)
        echo_err(f"{plural(checked, 'template')} checked; {plural(problems, 'problem')}")
    finish(result, None)


@templates_group.command("use")
@click.argument("template")
@click.argument("edited", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--folder",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The council's templates folder (made from the shipped set the first time).",
)
def templates_use(template: str, edited: Path, folder: Path) -> None:
    """Make EDITED the council's TEMPLATE, only if lint finds nothing wrong with it.

    The template it replaces is kept in FOLDER/replaced/. Use the folder with
    FORMKIT_TEMPLATES=FOLDER or 'formkit serve --templates FOLDER'.

    \b
    Examples:
      formkit templates use missing-profile edited.docx --folder council-templates
    """
    from formkit.render.council import use_template

    with user_errors():
        result = use_template(folder, template, edited)
    for finding in result.findings:
        click.echo(str(finding))
    if result.findings:
        from formkit.words import plural

        raise BatchFailed(f"{edited} was not used: {plural(len(result.findings), 'problem')} found")
    echo_err(f"{edited} is now '{template}' in {folder}")

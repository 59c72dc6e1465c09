"""``formkit render``, ``pack``, ``convert`` and ``templates``: episodes in, documents out."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from formkit.cli.common import (
    BatchFailed,
    echo_err,
    files_argument,
    json_option,
    now_option,
    print_problems,
    progress_bar,
    quiet_option,
    user_errors,
)
from formkit.errors import Problem
from formkit.render.catalog import Catalog
from formkit.render.pack import RenderResult, prepare_templates, render_files

if TYPE_CHECKING:
    from formkit.render.convert import ConversionResult

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


def _count_records(files: Sequence[str]) -> int | None:
    """How many records the batch holds, for the progress bar (None when it cannot tell)."""
    from formkit.load import iter_records

    if "-" in files:
        return None
    total = 0
    try:
        for name in files:
            total += sum(1 for _ in iter_records(name))
    except Exception:  # noqa: BLE001 - the batch itself reports unreadable files
        return None
    return total


def _run(
    episodes: Sequence[str],
    out_dir: Path,
    *,
    templates: Sequence[str],
    planned: bool,
    pdf: bool,
    force: bool,
    jobs: int | None,
    quiet: bool,
    as_json: bool,
    now: datetime | None = None,
    flatten: bool = False,
    tracker: Path | None = None,
) -> None:
    with user_errors():
        prepare_templates(templates)
        if pdf:
            from formkit.render.convert import find_soffice

            find_soffice()  # before any work, so a missing LibreOffice costs nothing
        total = None if quiet else _count_records(episodes)
        with progress_bar(total, "Rendering", quiet=quiet or total is None) as progress:
            result = render_files(
                episodes,
                out_dir,
                templates=templates,
                planned=planned,
                overwrite=force,
                now=now,
                jobs=jobs or 1,
                progress=progress,
                flatten=flatten,
            )
        pdfs: list[Path] = []
        pdfs_up_to_date: list[Path] = []
        problems = list(result.problems)
        if pdf:
            # Every Word document of the batch, made now or already up to date: a re-run after
            # an interruption makes the PDFs that are missing.
            words = [p for p in [*result.written, *result.up_to_date] if p.suffix == ".docx"]
            made = (
                f"The {len(result.written)} document(s) were rendered"
                + (f" ({len(result.up_to_date)} up to date)" if result.up_to_date else "")
                + ". "
            )
            converted, pdfs_up_to_date = _pdfs(
                words,
                out_dir,
                force=force,
                jobs=jobs,
                quiet=quiet,
                label="Converting to PDF",
                made=made,
            )
            pdfs = converted.written
            problems += converted.problems
            result.warnings.extend(converted.warnings)
        if tracker is not None:
            problems += _record_in_tracker(tracker, result, now=now, quiet=quiet or as_json)
    _report(result, pdfs, pdfs_up_to_date, problems, as_json=as_json, quiet=quiet)


def _record_in_tracker(
    tracker: Path, result: RenderResult, *, now: datetime | None, quiet: bool
) -> list[Problem]:
    from formkit.model import LONDON
    from formkit.tracker.made import record_documents

    moment = now or datetime.now(LONDON)
    recorded = record_documents(tracker, result.made, now=moment, written=result.made_now)
    if not quiet:
        echo_err(
            f"{tracker}: documents made recorded for {_plural(len(recorded.changes), 'episode')}"
        )
    return recorded.problems


def _pdfs(
    words: Sequence[str | Path],
    out_dir: Path | None,
    *,
    force: bool,
    jobs: int | None,
    quiet: bool,
    label: str,
    made: str = "",
) -> tuple[ConversionResult, list[Path]]:
    """Convert the Word documents whose PDF is missing or out of date (all with ``force``).

    Returns the conversion (with a problem for each PDF kept because formkit did not make it)
    and the PDFs already up to date. Each PDF made is noted in its folder's manifest.
    """
    from formkit.render.made import pdf_target, plan_conversion, record_conversion

    todo = plan_conversion(words, out_dir, force=force)
    converted = _convert(
        todo.to_convert, out_dir, force=force, jobs=jobs, quiet=quiet, label=label, made=made
    )
    made_now = set(converted.written)
    record_conversion(
        (Path(s), pdf_target(Path(s), out_dir))
        for s in todo.to_convert
        if pdf_target(Path(s), out_dir) in made_now
    )
    converted.problems[:0] = _kept(todo.kept)
    return converted, todo.up_to_date


def _kept(pdfs: Sequence[Path]) -> list[Problem]:
    from formkit.errors import OutputExists

    return [
        OutputExists(
            "already exists and is older than its Word document, but formkit did not make it "
            "here, so it was kept; use --force to replace it",
            file=pdf,
        ).problem
        for pdf in pdfs
    ]


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


def _convert(
    files: Sequence[str | Path],
    out_dir: Path | None,
    *,
    force: bool,
    jobs: int | None,
    quiet: bool,
    label: str,
    made: str = "",
) -> ConversionResult:
    """Convert with a progress bar; on Ctrl-C say what was finished and what a re-run does,
    and exit 130 (the shell's code for Ctrl-C). ``files`` are already chosen (see
    :func:`_pdfs`), so a PDF in the way is formkit's own, out of date: it is replaced."""
    from formkit.render.convert import ConversionInterrupted, ConversionResult, convert_to_pdf

    if not files:
        return ConversionResult()
    try:
        with progress_bar(len(files), label, quiet=quiet) as progress:
            return convert_to_pdf(files, out_dir, overwrite=True, progress=progress, jobs=jobs)
    except ConversionInterrupted as stopped:
        for problem in stopped.result.problems:
            echo_err(f"error: {problem}")
        done, missing = len(stopped.result.written), len(stopped.not_done)
        failed = len(stopped.result.problems)
        echo_err(
            f"Stopped. {made}{done} of {len(files)} PDF(s) were made"
            + (f", {failed} failed" if failed else "")
            + f"; {missing} were not made yet, and nothing half-made was left behind."
        )
        if force:
            echo_err(f"Run the same command again without --force to make only the {missing}.")
        else:
            echo_err(
                f"Run the same command again to make the {missing} missing PDF(s); "
                "the PDFs already made are kept."
            )
        raise SystemExit(130) from None


def _report(
    result: RenderResult,
    pdfs: list[Path],
    pdfs_up_to_date: list[Path],
    problems: list[Problem],
    *,
    as_json: bool,
    quiet: bool,
) -> None:
    """The written files and the failures: JSON on stdout, or lines on stderr; exit 1 on failure."""
    up_to_date = [*result.up_to_date, *pdfs_up_to_date]
    other_failures = len(problems) - len(result.problems)
    if as_json:
        summary = {
            **result.as_dict(),
            "written": [str(p) for p in [*result.written, *pdfs]],
            "up_to_date": [str(p) for p in up_to_date],
            "problems": [p.as_dict() for p in problems],
        }
        click.echo(json.dumps(summary, indent=2))
    else:
        for warning in result.warnings:
            echo_err(f"warning: {warning}")
        for gaps in result.missing:
            echo_err(f"missing: {gaps.summary()}")
        for problem in problems:
            echo_err(f"error: {problem}")
        if not quiet:
            echo_err(
                summary_line(
                    made=len(result.written) + len(pdfs),
                    up_to_date=len(up_to_date),
                    records=result.records,
                    failed_records=result.failed_records,
                    failed_other=other_failures,
                )
            )
    if problems:
        raise BatchFailed("")


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
    _run(
        episodes,
        out_dir,
        templates=[template],
        planned=False,
        pdf=pdf,
        flatten=flatten,
        force=force,
        jobs=jobs,
        quiet=quiet,
        as_json=as_json,
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
    _run(
        episodes,
        out_dir,
        templates=templates,
        planned=True,
        pdf=pdf,
        force=force,
        jobs=jobs,
        quiet=quiet,
        as_json=as_json,
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
    from formkit.render.convert import find_soffice

    with user_errors():
        find_soffice()  # say how to install LibreOffice before drawing anything
        result, up_to_date = _pdfs(
            files, out_dir, force=force, jobs=jobs, quiet=quiet, label="Converting"
        )
    if as_json:
        click.echo(
            json.dumps({**result.as_dict(), "up_to_date": [str(p) for p in up_to_date]}, indent=2)
        )
    else:
        print_problems(result)
        if not quiet:
            echo_err(
                summary_line(
                    made=len(result.written),
                    up_to_date=len(up_to_date),
                    records=None,
                    failed_records=0,
                    failed_other=len(result.problems),
                )
            )
    if result.problems:
        raise BatchFailed("")


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
        catalog = Catalog.load()
    rows: list[dict[str, Any]] = [
        {
            "id": e.id,
            "title": e.title,
            "format": e.format,
            "file": str(e.path),
            "profiles": e.profiles if e.profiles == "all" else list(e.profiles),
            "output": e.output,
        }
        for e in catalog
    ]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
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
    from formkit.render.lint import template_fields
    from formkit.render.pack import resolve_template

    with user_errors():
        entry = resolve_template(template, Catalog.load())
        fields = template_fields(entry.path)
    if as_json:
        click.echo(json.dumps(fields, indent=2))
        return
    for kind, paths in fields.items():
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
    from formkit.render.lint import lint_template
    from formkit.render.pack import resolve_template

    with user_errors():
        catalog = Catalog.load()
        targets = (
            [resolve_template(p, catalog).path for p in paths]
            if paths
            else [e.path for e in catalog if e.format == "docx"]
        )
        findings = [f for target in targets for f in lint_template(target)]
    if as_json:
        click.echo(json.dumps([f.as_dict() for f in findings], indent=2))
    else:
        for finding in findings:
            click.echo(str(finding))
        echo_err(f"{len(targets)} template(s) checked; {len(findings)} problem(s)")
    if findings:
        raise BatchFailed("")


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
        raise BatchFailed(f"{edited} was not used: {len(result.findings)} problem(s) found")
    echo_err(f"{edited} is now '{template}' in {folder}")

"""``formkit tracker init|update|export`` and ``formkit report``: thin commands over formkit.tracker."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import click

from formkit.cli.common import (
    BatchFailed,
    MomentType,
    echo_err,
    files_argument,
    json_option,
    now_option,
    progress_bar,
    quiet_option,
    user_errors,
)
from formkit.errors import FormkitError, Problem
from formkit.fileio import write_atomic
from formkit.load import SUFFIXES
from formkit.tracker.backups import count_rows, list_backups, restore_tracker
from formkit.tracker.export import FORMAT_HELP, FORMATS, collection_year, export_tracker
from formkit.tracker.save import backup_folder, real_path
from formkit.tracker.sources import FORM_SUFFIXES
from formkit.tracker.update import UpdateResult, shown_cell, update_tracker
from formkit.tracker.workbook import init_tracker
from formkit.tracker.written import shown as shown_token

# What a folder given to 'tracker update' is searched for: episode files and completed forms.
SOURCE_SUFFIXES = (*SUFFIXES, *FORM_SUFFIXES)

_NOW_HELP = "Pretend it is this London time (2026-11-03T14:30), for reproducible runs."


@click.group("tracker")
def tracker_group() -> None:
    """The Missing and Absent Tracker workbook: create it, update it, export it, restore it.

    \b
    Examples:
      formkit tracker init tracker.xlsx
      formkit tracker update tracker.xlsx samples/episodes/*.yaml parsed.jsonl
      formkit tracker export tracker.xlsx --format ssda903 -o missing.csv
      formkit tracker restore tracker.xlsx --list
    """


@tracker_group.command("init")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--force",
    is_flag=True,
    help="Replace an existing file (it is kept in the tracker's backups folder first).",
)
def init_command(path: Path, force: bool) -> None:
    """Create an empty tracker workbook at PATH.

    The episodes live in the Excel table MissingEpisodes, keyed by episode reference; a README
    sheet explains every column. A tracker that holds rows is never replaced without --force,
    and then it is kept as a backup first ('formkit tracker restore' puts it back).

    \b
    Example:
      formkit tracker init "Missing and Absent Tracker.xlsx"
    """
    with user_errors():
        made = init_tracker(path, overwrite=force)
    if made.backup is None:
        echo_err(f"created {path}")
        return
    rows = "" if made.replaced_rows is None else f" ({_rows(made.replaced_rows)})"
    echo_err(
        f"replaced {path} with an empty tracker; the old one{rows} is kept as {made.backup}\n"
        f"to put it back: formkit tracker restore {_quoted(path)} {_quoted(made.backup.name)}"
    )


def _rows(count: int) -> str:
    return f"{count} row{'' if count == 1 else 's'}"


def _quoted(value: object) -> str:
    text = str(value)
    return f'"{text}"' if any(ch in text for ch in " '\"$&()") else text


@tracker_group.command("restore")
@click.argument("tracker", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("backup", required=False)
@click.option("--list", "show_list", is_flag=True, help="List the backups, newest first.")
def restore_command(tracker: Path, backup: str | None, show_list: bool) -> None:
    """List the tracker's backups, or put one back.

    Each time formkit changes the tracker it keeps the previous version in the folder
    NAME-backups beside it (the newest 10), named by date and time. BACKUP is one of those file
    names (or a path). The tracker as it is now is itself backed up before it is replaced, so
    a restore can be undone by another.

    \b
    Examples:
      formkit tracker restore tracker.xlsx --list
      formkit tracker restore tracker.xlsx "tracker 2026-11-30 18.39.xlsx"
    """
    if show_list == (backup is not None):
        raise click.UsageError("give either --list or the BACKUP to restore (see --list)")
    with user_errors():
        if show_list:
            _print_backups(tracker)
            return
        assert backup is not None
        done = restore_tracker(tracker, backup)
    replaced = ""
    if done.backup is not None:
        rows = "" if done.replaced_rows is None else f" ({_rows(done.replaced_rows)})"
        replaced = f"; the version it replaced{rows} is kept as {done.backup}"
    echo_err(f"restored {tracker} from {done.restored_from.name} ({_rows(done.rows)}){replaced}")


def _print_backups(tracker: Path) -> None:
    backups = list_backups(tracker)
    folder = backup_folder(real_path(tracker))
    if not backups:
        echo_err(
            f"{tracker} has no backups yet; formkit keeps one in {folder} each time it "
            "changes the tracker"
        )
        return
    click.echo(f"Backups of {tracker} in {folder}, newest first:")
    width = max(len(b.path.name) for b in backups)
    for item in backups:
        try:
            rows = _rows(count_rows(item.path))
        except FormkitError as error:
            rows = f"cannot be read: {error.message}"
        click.echo(f"  {item.path.name:<{width}}  {item.when:<19}  {rows}")


def _print_changes(result: UpdateResult) -> None:
    for change in result.changes:
        click.echo(f"{change.action} {change.reference} (from {change.source})")
        if change.action == "update":
            for cell in change.cells:
                old, new = shown_cell(cell.old, cell.personal), shown_cell(cell.new, cell.personal)
                click.echo(f"    {cell.header}: {old} -> {new}")


def _as_json(result: UpdateResult) -> str:
    def cell(value: object) -> object:
        return value.isoformat() if isinstance(value, datetime) else value

    return json.dumps(
        {
            "tracker": str(result.tracker),
            "dry_run": result.dry_run,
            "inserted": result.inserted,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "rows": result.rows,
            "backup": str(result.backup) if result.backup else None,
            "written": [str(p) for p in result.written],
            "changes": [
                {
                    "reference": c.reference,
                    "action": c.action,
                    "source": c.source,
                    "cells": {x.header: None if x.personal else cell(x.new) for x in c.cells},
                }
                for c in result.changes
            ],
            "matched": [
                {"source": source, "reference": reference, "how": how}
                for source, reference, how in result.matched
            ],
            "unmatched": [
                {
                    "source": u.source,
                    "record": u.record,
                    "candidates": [
                        {"reference": c.reference, "reasons": list(c.reasons)} for c in u.candidates
                    ],
                }
                for u in result.unmatched
            ],
            "conflicts": [
                {
                    "reference": c.reference,
                    "column": c.header,
                    "kept": None if c.personal or c.kept is None else shown_token(c.kept),
                    "offered": None if c.personal or c.offered is None else shown_token(c.offered),
                    "source": c.source,
                    "reason": c.reason,
                }
                for c in result.conflicts
            ],
            "warnings": [w.as_dict() for w in result.warnings],
            "problems": [p.as_dict() for p in result.problems],
        },
        indent=2,
        default=str,
    )


@tracker_group.command("update")
@click.argument("tracker", type=click.Path(dir_okay=False, path_type=Path))
@files_argument("sources", SOURCE_SUFFIXES, what="episode files or forms")
@click.option("--dry-run", is_flag=True, help="Show what would change; save nothing.")
@click.option(
    "--force",
    is_flag=True,
    help="Update even if the table lacks some of formkit's columns (their values are skipped).",
)
@click.option(
    "--match",
    "match",
    metavar="REFERENCE",
    help="The episode reference of the one form given, when it cannot be matched by itself.",
)
@now_option(_NOW_HELP)
@json_option
@quiet_option
def update_command(
    tracker: Path,
    sources: tuple[str, ...],
    dry_run: bool,
    force: bool,
    match: str | None,
    now: datetime | None,
    as_json: bool,
    quiet: bool,
) -> None:
    """Insert or update tracker rows from episode files, parsed forms or completed forms.

    SOURCES are episode files (.json .yaml .jsonl .csv .xlsx), the JSON Lines of
    'formkit parse', or completed RHI forms (.docx .pdf); a folder stands for those files in
    it, and a quoted pattern ("inbox/*.docx") is expanded by formkit. A return interview is
    merged into the row of its episode reference; a form without one is matched by the police
    reference, or by the child and the dates. A form that fits no row, or several, is listed
    with its best candidates and never made a new row: settle it with --match. Running the
    same sources twice changes nothing.

    \b
    Examples:
      formkit tracker update tracker.xlsx samples/episodes/*.json samples/episodes/*.yaml
      formkit tracker update tracker.xlsx parsed.jsonl --dry-run
      formkit tracker update tracker.xlsx completed/*.docx --now 2026-11-03T17:00
      formkit tracker update tracker.xlsx nyas-form.docx --match BX-2026-0412
    """
    with user_errors(), progress_bar(len(sources), "Reading", quiet=quiet) as progress:
        result = update_tracker(
            tracker, sources, dry_run=dry_run, force=force, now=now, progress=progress, match=match
        )
    if not as_json and not quiet:
        for source, reference, how in result.matched:
            echo_err(f"{source}: matched to episode {reference} by {how}")
    if as_json:
        click.echo(_as_json(result))
    elif dry_run:
        _print_changes(result)
    for conflict in result.conflicts:
        echo_err(f"conflict: {conflict}")
    for warning in result.warnings:
        echo_err(f"warning: {warning}")
    if not as_json:
        for problem in result.problems:
            echo_err(f"error: {problem}")
    if not quiet:
        note = " (dry run: nothing saved)" if dry_run else ""
        echo_err(
            f"{tracker}: {result.inserted} inserted, {result.updated} updated, "
            f"{result.unchanged} unchanged; {result.rows} rows{note}"
        )
    if result.problems:
        count = len(result.problems)
        raise BatchFailed(f"{count} record{'' if count == 1 else 's'} could not be used; see above")


def _check_year(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None:
        try:
            collection_year(value)
        except ValueError as exc:
            raise click.BadParameter(str(exc)) from None
    return value


@tracker_group.command("export")
@click.argument("tracker", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="csv",
    show_default=True,
    help=FORMAT_HELP,
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file instead of standard output.",
)
@click.option(
    "--year",
    metavar="YYYY-YY",
    callback=_check_year,
    help="ssda903: the collection year, 1 April to 31 March (default: the one --now is in).",
)
@click.option(
    "--as-at",
    type=MomentType(),
    help="annex-a: the 12 months end here (a date alone: the end of that day; default --now).",
)
@click.option(
    "--authority",
    metavar="NAME",
    help="This authority's name, to keep only the children it is responsible for "
    "(default: each row's protocol profile says; needed with the statutory profile).",
)
@now_option(_NOW_HELP)
def export_command(
    tracker: Path,
    fmt: str,
    output: Path | None,
    year: str | None,
    as_at: datetime | None,
    authority: str | None,
    now: datetime | None,
) -> None:
    """Export the tracker's rows as CSV, the SSDA903 Missing table or Annex A list 8.

    ssda903 covers one collection year and only the looked-after children this authority is
    responsible for (the host does not return other councils' children); MISSING is A when the
    child's whereabouts were known, M when not. annex-a counts each child's episodes, earlier
    ones included, in the 12 months to --as-at, under Ofsted's headings.

    \b
    Examples:
      formkit tracker export tracker.xlsx --format csv -o tracker.csv
      formkit tracker export tracker.xlsx --format ssda903 --year 2026-27 -o missing.csv
      formkit tracker export tracker.xlsx --format annex-a --as-at 2027-03-31
    """
    warnings: list[Problem] = []
    with user_errors():
        text = export_tracker(
            tracker,
            fmt,  # type: ignore[arg-type]
            now=now,
            year=year,
            as_at=as_at,
            authority=authority,
            warnings=warnings,
        )
        for warning in warnings:
            echo_err(f"warning: {warning}")
        if output is None:
            click.echo(text, nl=False)
        else:
            write_atomic(output, text.encode("utf-8"))
            echo_err(f"wrote {output}")


def _month(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """``--month`` typed wrongly is a usage mistake (exit 2), said in words."""
    from formkit.errors import TrackerError
    from formkit.tracker.report import parse_month

    try:
        parse_month(value)
    except TrackerError as error:
        raise click.BadParameter(error.message, ctx=ctx, param=param) from error
    return value


@click.command("report")
@click.argument("tracker", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--month",
    required=True,
    metavar="YYYY-MM",
    callback=_month,
    help="The month to report on.",
)
@click.option(
    "-o",
    "--output-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Folder for the report files.",
)
@now_option(_NOW_HELP)
def report_command(tracker: Path, month: str, output_dir: Path, now: datetime | None) -> None:
    """Monthly management report from the tracker: an .xlsx with charts and a .docx summary.

    \b
    Example:
      formkit report tracker.xlsx --month 2026-10 -o reports/
    """
    with user_errors():
        from formkit.tracker.report import build_report

        warnings: list[Problem] = []
        paths = build_report(tracker, month, output_dir, now=now, warnings=warnings)
    for warning in warnings:
        echo_err(f"warning: {warning}")
    for path in paths:
        click.echo(str(path))

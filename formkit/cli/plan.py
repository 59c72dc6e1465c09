"""``formkit plan``: what is due, by when, for each episode, under its protocol profile."""

from __future__ import annotations

import json
import textwrap
from datetime import datetime, timedelta
from pathlib import Path

import click

from formkit.cli.common import (
    BatchFailed,
    echo_err,
    files_argument,
    json_option,
    now_option,
    progress_bar,
    quiet_option,
    user_errors,
)
from formkit.protocol import Plan, load_profile
from formkit.protocol.batch import plan_files
from formkit.tracker.today import is_tracker, today
from formkit.words import table_datetime

_MARK = {
    "overdue": "OVERDUE",
    "due": "due",
    "consider": "consider",
    "late": "LATE",
    "done": "done",
    "not_required": "-",
}


@click.command("plan")
@files_argument("episodes")
@click.option(
    "-p",
    "--profile",
    "profile_name",
    metavar="ID|PATH",
    help="A bundled profile id (bexley, statutory…) or a profile YAML file. "
    "Default: each episode's own local_authority.",
)
@now_option("Plan as of this London time (default: now).")
@click.option("-a", "--all", "show_all", is_flag=True, help="Also list obligations not required.")
@click.option("-w", "--why", is_flag=True, help="Show why each obligation applies and its source.")
@json_option
@quiet_option
def plan_command(
    episodes: tuple[str, ...],
    profile_name: str | None,
    now: datetime | None,
    show_all: bool,
    why: bool,
    as_json: bool,
    quiet: bool,
) -> None:
    """List every obligation for each episode: status, due date and time, document.

    EPISODES are episode files, folders of them, or quoted patterns ("in/*.yaml").
    Status is done, late (done after its deadline), due, overdue, consider (a prompt where
    the protocol says "should be considered": never overdue) or not_required. Obligations are
    marked done from the episode's own data (meetings held, notifications sent, the return
    interview held or declined). Episodes of the same child given together count as that
    child's history.
    Given a tracker workbook, it plans from the tracker's rows, as 'formkit today' does.

    \b
    Examples:
      formkit plan samples/episodes/*.yaml
      formkit plan tracker.xlsx --now "30/11/2026 09:00"
      formkit plan episode.json --profile statutory --now "03/11/2026 09:00"
      formkit plan episodes.jsonl --profile ours.yaml --json > plans.json
    """
    if len(episodes) == 1 and is_tracker(episodes[0]):
        # A tracker workbook: plan from its rows (see formkit.tracker.today).
        if profile_name:
            raise click.UsageError(
                "--profile cannot be used with a tracker: each row's Protocol applies"
            )
        _show_today(Path(episodes[0]), now=now, hours=48, as_json=as_json)
        return
    with user_errors():
        chosen = load_profile(profile_name) if profile_name else None
    printed = 0

    def show(result: Plan) -> None:
        # Each plan is printed as soon as it is made and then dropped, so output and memory do
        # not grow with the whole batch's plans.
        nonlocal printed
        if as_json:
            text = json.dumps(result.as_dict(), indent=2, ensure_ascii=False)
            click.echo(("," if printed else "") + textwrap.indent(text, "    "))
        else:
            click.echo(("\n" if printed else "") + render_table(result, show_all=show_all, why=why))
        printed += 1

    if as_json:
        click.echo('{\n  "plans": [')
    with progress_bar(None, "Planning", quiet=quiet or as_json) as advance:
        result = plan_files(episodes, profile=chosen, now=now, progress=advance, on_plan=show)
    if as_json:
        shared = {k: v for k, v in result.as_dict().items() if k != "plans"}
        inner = json.dumps(shared, indent=2, ensure_ascii=False, default=str)[1:-1].strip()
        click.echo("  ],\n  " + textwrap.indent(inner, "  ").lstrip() + "\n}")
    else:
        for problem in result.problems:
            echo_err(f"error: {problem}")
    if not quiet and not as_json:
        planned, overdue = result.planned, result.overdue
        echo_err(
            f"{planned} episode{'' if planned == 1 else 's'} planned; "
            f"{overdue} overdue obligation{'' if overdue == 1 else 's'}."
        )
    if result.problems:
        count = len(result.problems)
        raise BatchFailed(f"{count} episode{'' if count == 1 else 's'} could not be planned.")


def _when(moment: datetime | None) -> str:
    return table_datetime(moment, weekday=True) if moment is not None else ""


def render_table(result: Plan, *, show_all: bool = False, why: bool = False) -> str:
    """A plain-text table of one plan: status, due, obligation, document."""
    rows = [o for o in result.obligations if show_all or o.status != "not_required"]
    lines = [
        f"Episode {result.reference} · profile {result.profile} · as of {_when(result.now)}",
    ]
    width = max((len(o.title) for o in rows), default=10)
    width = min(max(width, 10), 60)
    lines.append(f"  {'STATUS':<8} {'DUE':<20} {'OBLIGATION':<{width}}  DOCUMENT")
    for obligation in rows:
        title = obligation.title
        if obligation.id != obligation.rule:
            title += f" ({obligation.id.rsplit('-', 1)[-1]})"
        done = f" (done {_when(obligation.done_at)})" if obligation.done_at else ""
        lines.append(
            f"  {_MARK[obligation.status]:<8} {_when(obligation.due_at):<20} "
            f"{title[:width]:<{width}}  {obligation.document or ''}{done}".rstrip()
        )
        if why:
            lines.append(f"  {'':<8} {'':<20} {obligation.why}")
            lines.append(f"  {'':<8} {'':<20} source: {obligation.source}")
    if not rows:
        lines.append("  (nothing owed)")
    documents = result.documents_due()
    lines.append(f"  Documents: {', '.join(documents) if documents else 'none'}")
    return "\n".join(lines)


def _show_today(
    tracker: Path,
    *,
    now: datetime | None,
    hours: int,
    as_json: bool,
    update_sheet: bool = False,
    days: int = 60,
) -> None:
    with user_errors():
        if update_sheet:
            from formkit.tracker.today_sheet import refresh_today_sheet

            result, _ = refresh_today_sheet(tracker, now=now)
        else:
            result = today(
                tracker, now=now, window=timedelta(hours=hours), since=timedelta(days=days)
            )
    if as_json:
        click.echo(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(result.as_text(width=80))
        for problem in result.problems:
            echo_err(f"error: {problem}")
    if result.problems:
        count = len(result.problems)
        raise BatchFailed(f"{count} row{'' if count == 1 else 's'} could not be planned.")


@click.command("today")
@click.argument("tracker", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@now_option("List as of this London time (default: now).")
@click.option(
    "--within",
    "hours",
    type=click.IntRange(0, 24 * 31),
    default=48,
    show_default=True,
    metavar="HOURS",
    help="Also list what falls due in this many hours.",
)
@click.option(
    "--since",
    "days",
    type=click.IntRange(1, 36500),
    default=60,
    show_default=True,
    metavar="DAYS",
    help="List overdue obligations that fell due in this many days.",
)
@click.option(
    "--update-sheet",
    is_flag=True,
    help="Also rewrite the tracker's Today sheet (the TodayList table Power Automate reads).",
)
@json_option
def today_command(
    tracker: Path, now: datetime | None, hours: int, days: int, update_sheet: bool, as_json: bool
) -> None:
    """What is overdue, and what falls due in the next 48 hours, from the tracker.

    Each row is planned under its Protocol. Overdue obligations (that fell due in the last 60
    days: --since) come first, then those due soon, each grouped by child. A date in a done column (Missing profile sent, Strategy
    meeting held, SIN sent, RHI held ...) marks the obligation done, so it leaves the list.
    Rows that cannot be planned are listed on stderr and the exit code is 1. The tracker's
    Today sheet holds the same list as of the last 'tracker update' (or --update-sheet).

    \b
    Examples:
      formkit today tracker.xlsx
      formkit today tracker.xlsx --now "30/11/2026 09:00" --json > today.json
      formkit today tracker.xlsx --update-sheet
    """
    if update_sheet and hours != 48:
        raise click.UsageError(
            "--within cannot be used with --update-sheet (the sheet is 48 hours)"
        )
    _show_today(tracker, now=now, hours=hours, as_json=as_json, update_sheet=update_sheet)

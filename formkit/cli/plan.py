"""``formkit plan`` and ``formkit today``: what is due, by when, for each episode or tracker row."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import click

from formkit.cli.common import (
    JsonItems,
    echo_err,
    files_argument,
    finish,
    json_option,
    now_option,
    print_json,
    print_problems,
    progress_bar,
    quiet_option,
    user_errors,
)
from formkit.protocol import Plan
from formkit.protocol.batch import plan_files
from formkit.tracker.today import is_tracker, today


@click.command("plan")
@click.pass_context
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
    ctx: click.Context,
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
        # A tracker workbook: plan from its rows, as 'formkit today' does.
        if profile_name:
            raise click.UsageError(
                "--profile cannot be used with a tracker: each row's Protocol applies"
            )
        ctx.invoke(today_command, tracker=Path(episodes[0]), now=now, as_json=as_json)
        return
    stream = JsonItems("plans")

    def show(made: Plan) -> None:
        # Each plan is printed as soon as it is made and then dropped, so output and memory do
        # not grow with the whole batch's plans.
        if as_json:
            stream.add(made.as_dict())
        else:
            gap = "\n" if stream.count else ""
            click.echo(gap + made.as_text(show_all=show_all, why=why))
            stream.count += 1

    with user_errors(), progress_bar(None, "Planning", quiet=quiet or as_json) as advance:
        result = plan_files(episodes, profile=profile_name, now=now, progress=advance, on_plan=show)
    if as_json:
        stream.close(result)
    else:
        print_problems(result)
    if not quiet and not as_json:
        planned, overdue = result.planned, result.overdue
        echo_err(
            f"{planned} episode{'' if planned == 1 else 's'} planned; "
            f"{overdue} overdue obligation{'' if overdue == 1 else 's'}."
        )
    finish(result, "episode", "could not be planned.")


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
    tracker: Path,
    now: datetime | None,
    hours: int = 48,
    days: int = 60,
    update_sheet: bool = False,
    as_json: bool = False,
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
    with user_errors():
        result = today(
            tracker,
            now=now,
            window=timedelta(hours=hours),
            since=timedelta(days=days),
            update_sheet=update_sheet,
        )
    if as_json:
        print_json(result)
    else:
        click.echo(result.as_text(width=80))
        print_problems(result)
    finish(result, "row", "could not be planned.")

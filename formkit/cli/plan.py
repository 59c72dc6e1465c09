"""``formkit plan``: what is due, by when, for each episode, under its protocol profile."""

from __future__ import annotations

import json
import textwrap
from datetime import datetime

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

    \b
    Examples:
      formkit plan samples/episodes/*.yaml
      formkit plan episode.json --profile statutory --now "03/11/2026 09:00"
      formkit plan episodes.jsonl --profile ours.yaml --json > plans.json
    """
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
    return moment.strftime("%a %d/%m/%Y %H:%M") if moment is not None else ""


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

"""``formkit plan``: what is due, by when, for each episode, under its protocol profile."""

from __future__ import annotations

import json
import sys
import textwrap
from collections import defaultdict
from datetime import datetime

import click

from formkit.cli.common import (
    echo_err,
    json_option,
    now_option,
    progress_bar,
    quiet_option,
    user_errors,
)
from formkit.errors import FormkitError, InputError, Problem
from formkit.load import iter_episodes
from formkit.model import EpisodeRecord
from formkit.protocol import Plan, Profile, load_profile, plan

_MARK = {
    "overdue": "OVERDUE",
    "due": "due",
    "consider": "consider",
    "late": "LATE",
    "done": "done",
    "not_required": "-",
}


@click.command("plan")
@click.argument(
    "episodes", nargs=-1, required=True, type=click.Path(dir_okay=False, allow_dash=True)
)
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
    problems: list[Problem] = []
    records: list[tuple[str, EpisodeRecord]] = []
    for name in episodes:
        try:
            for loaded in iter_episodes(name):
                if loaded.episode is None:
                    problems.extend(loaded.problems)
                else:
                    records.append((loaded.file, loaded.episode))
        except InputError as error:
            problems.append(error.problem)
    by_child: dict[str, list[EpisodeRecord]] = defaultdict(list)
    for _, record in records:
        by_child[record.child.id].append(record)
    # Each plan is printed as soon as it is made and then dropped, so output and memory do not
    # grow with the whole batch's plans (the records are kept: a child's episodes count together).
    planned = overdue = 0
    if as_json:
        click.echo('{\n  "plans": [')
    with progress_bar(len(records), "Planning", quiet=quiet or len(records) < 50) as advance:
        for file, record in records:
            advance(1)
            try:
                profile: Profile | None = chosen or load_profile(record.local_authority)
                result = plan(record, profile=profile, now=now, others=by_child[record.child.id])
            except FormkitError as error:
                problems.append(
                    Problem(
                        file=file,
                        record=record.reference,
                        field=None if chosen else "local_authority",
                        message=error.message,
                    )
                )
                continue
            overdue += len(result.by_status("overdue"))
            if as_json:
                text = json.dumps(result.as_dict(), indent=2, ensure_ascii=False)
                click.echo(("," if planned else "") + textwrap.indent(text, "    "))
            else:
                if planned:
                    click.echo()
                click.echo(render_table(result, show_all=show_all, why=why))
            planned += 1
    if as_json:
        problem_list = json.dumps([p.as_dict() for p in problems], indent=2, ensure_ascii=False)
        click.echo('  ],\n  "problems": ' + textwrap.indent(problem_list, "  ").lstrip() + "\n}")
    else:
        for problem in problems:
            echo_err(f"error: {problem}")
    if not quiet and not as_json:
        echo_err(
            f"{planned} episode{'' if planned == 1 else 's'} planned; "
            f"{overdue} overdue obligation{'' if overdue == 1 else 's'}."
        )
    if problems:
        count = len(problems)
        echo_err(f"{count} episode{'' if count == 1 else 's'} could not be planned.")
        sys.exit(1)


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

"""``formkit serve`` (the browser app) and ``formkit users`` (its local users file)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from formkit.cli.common import echo_err, now_option, user_errors

_PATH = click.Path(path_type=Path, dir_okay=False)


@click.command("serve")
@click.option(
    "-c",
    "--config",
    "config",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="Settings file (default: ./formkit.toml when there is one).",
)
@click.option("--host", help="Address to listen on (default 127.0.0.1: this machine only).")
@click.option("--port", type=click.IntRange(1, 65535), help="Port (default 8000).")
@click.option("--tracker", type=_PATH, help="The Missing and Absent Tracker workbook.")
@click.option(
    "--templates",
    type=click.Path(path_type=Path, file_okay=False),
    help="The council's folder of edited Word templates.",
)
@click.option(
    "--profile",
    help="Protocol profile used when an episode names none; its council's name heads every page.",
)
@click.option(
    "--episodes",
    type=click.Path(path_type=Path, file_okay=False),
    help="A folder of episode files.",
)
@click.option(
    "--auth-header",
    help="The signed-in user's header set by your reverse proxy "
    "(for example X-Remote-User from IIS with Windows sign-in).",
)
@click.option("--users-file", type=_PATH, help="A users file made with 'formkit users add'.")
@click.option("--api-token-file", type=_PATH, help="File holding the bearer token of /api/.")
@click.option("--audit-log", type=_PATH, help="JSON Lines file of who did what (no names).")
@now_option("Pretend it is this London time (for demonstrations).")
def serve_command(
    config: Path | None,
    host: str | None,
    port: int | None,
    tracker: Path | None,
    templates: Path | None,
    profile: str | None,
    episodes: Path | None,
    auth_header: str | None,
    users_file: Path | None,
    api_token_file: Path | None,
    audit_log: Path | None,
    now: datetime | None,
) -> None:
    """Start formkit in the browser, for officers who never open a terminal.

    Listens on 127.0.0.1:8000 unless told otherwise; any other address needs sign-in
    (--auth-header or --users-file). Settings come from formkit.toml, then these options.
    Stop it with Ctrl+C.

    \b
    Examples:
      formkit serve --tracker tracker.xlsx --profile bexley
      formkit serve --config formkit.toml
      formkit serve --host 0.0.0.0 --auth-header X-Remote-User --tracker tracker.xlsx
    """
    from formkit.web.config import load_settings
    from formkit.web.server import serve

    with user_errors():
        settings = load_settings(
            config,
            host=host,
            port=port,
            tracker=tracker,
            templates=templates,
            profile=profile,
            episodes=episodes,
            auth_header=auth_header,
            users_file=users_file,
            api_token_file=api_token_file,
            audit_log=audit_log,
            now=now,
        )
        serve(settings, announce=lambda url: echo_err(f"formkit is at {url} (Ctrl+C stops it)"))


@click.group("users")
def users_group() -> None:
    """The local users file of 'formkit serve --users-file' (passwords kept as scrypt hashes).

    \b
    Examples:
      formkit users add users.txt a.officer
    """


@users_group.command("add")
@click.argument("users_file", type=_PATH)
@click.argument("name")
@click.password_option(help="The new password (asked for twice when not given).")
def users_add(users_file: Path, name: str, password: str) -> None:
    """Add NAME to USERS_FILE, or change their password. The file is created if needed.

    \b
    Examples:
      formkit users add users.txt a.officer
    """
    from formkit.web.users import add_user

    with user_errors():
        new = add_user(users_file, name, password)
    echo_err(f"{'Added' if new else 'Changed the password of'} {name} in {users_file}")

"""The ``formkit`` command line: thin commands over the library.

This package is the only place that imports click. Each command parses its arguments, calls one
library function and presents the result; library errors (:mod:`formkit.errors`) become
``click.ClickException`` (exit 1) at the edge, usage errors exit 2.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

from formkit import __version__

# Every command: its name, where it lives ("module:attribute") and the summary 'formkit --help'
# lists (the first paragraph of its help; a test keeps the two the same). A command's module is
# imported only when that command runs or shows its own help, so 'formkit --help' stays quick.
COMMANDS: dict[str, tuple[str, str]] = {
    # Episodes (issue 2)
    "validate": ("formkit.cli.episodes:validate", "Check episode files against the episode model."),
    "schema": ("formkit.cli.episodes:schema", "Print the JSON Schema of an episode file."),
    "samples": (
        "formkit.cli.episodes:samples",
        "Make synthetic episodes for trying formkit out and for load tests.",
    ),
    # Protocol (issue 3)
    "plan": (
        "formkit.cli.plan:plan_command",
        "List every obligation for each episode: status, due date and time, document.",
    ),
    "today": (
        "formkit.cli.plan:today_command",
        "What is overdue, and what falls due in the next 48 hours, from the tracker.",
    ),
    # Documents (issue 4)
    "render": ("formkit.cli.documents:render_command", "Render one template for every episode."),
    "pack": (
        "formkit.cli.documents:pack_command",
        "Render every document each episode's protocol plan calls for.",
    ),
    "convert": (
        "formkit.cli.documents:convert_command",
        "Convert Word documents to PDF with LibreOffice, several at once.",
    ),
    "templates": (
        "formkit.cli.documents:templates_group",
        "List the templates, show the data paths one uses, and lint templates.",
    ),
    # Completed forms (issue 6)
    "parse": (
        "formkit.cli.parse:parse",
        "Read completed forms (FILES, folders of .docx/.pdf, or quoted patterns) back into data.",
    ),
    # Tracker and report (issue 7)
    "tracker": (
        "formkit.cli.tracker:tracker_group",
        "The Missing and Absent Tracker workbook: create it, update it, export it, restore it.",
    ),
    "report": (
        "formkit.cli.tracker:report_command",
        "Monthly management report from the tracker: an .xlsx with charts and a .docx summary.",
    ),
    # Label mappings for other providers' forms (issue 13)
    "mapping": (
        "formkit.cli.mapping:mapping_group",
        "Label mappings: read a new provider's RHI form by the labels printed on it.",
    ),
    # The browser app (issue 16)
    "serve": (
        "formkit.cli.serve:serve_command",
        "Start formkit in the browser, for officers who never open a terminal.",
    ),
    "users": (
        "formkit.cli.serve:users_group",
        "The local users file of 'formkit serve --users-file' (passwords kept as scrypt hashes).",
    ),
}


class FormkitGroup(click.Group):
    """The top of the command line: commands loaded when used, and whatever escapes a command
    ends as one message and exit 1.

    formkit's errors, operating-system errors (a full disk, a read-only folder) and anything
    unforeseen all leave through :class:`~formkit.cli.common.BatchFailed`; the traceback is
    logged only when ``FORMKIT_DEBUG`` is set.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.commands or cmd_name not in COMMANDS:
            return super().get_command(ctx, cmd_name)
        module, _, attribute = COMMANDS[cmd_name][0].partition(":")
        command = getattr(importlib.import_module(module), attribute)
        assert isinstance(command, click.Command)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # List the summaries without importing a single command module.
        listed = {
            name: click.Command(name, help=summary) for name, (_, summary) in COMMANDS.items()
        }
        click.Group(commands={**listed, **self.commands}).format_commands(ctx, formatter)

    def invoke(self, ctx: click.Context) -> Any:
        from formkit.cli.common import fail_on

        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as error:  # noqa: BLE001 - the last guard before a traceback
            raise fail_on(error) from error


@click.group(
    cls=FormkitGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, prog_name="formkit")
def cli() -> None:
    """Documents, deadlines and the tracker for children missing from home or care.

    \b
    Examples:
      formkit validate samples/episodes/*.json
      formkit plan samples/episodes/*.json
      formkit pack samples/episodes/*.json -o out/documents
      formkit parse completed-forms/ -o parsed.jsonl
      formkit tracker update tracker.xlsx parsed.jsonl

    Run 'formkit COMMAND --help' for the options and an example of each command.
    """

"""The ``formkit`` command line: thin commands over the library.

This package is the only place that imports click. Each command parses its arguments, calls one
library function and presents the result; library errors (:mod:`formkit.errors`) become
``click.ClickException`` (exit 1) at the edge, usage errors exit 2.
"""

from __future__ import annotations

from typing import Any

import click

from formkit import __version__


class FormkitGroup(click.Group):
    """The top of the command line: whatever escapes a command ends as one message and exit 1.

    formkit's errors, operating-system errors (a full disk, a read-only folder) and anything
    unforeseen all leave through :class:`~formkit.cli.common.BatchFailed`; the traceback is
    logged only when ``FORMKIT_DEBUG`` is set.
    """

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


# Episodes: validate, schema, samples (issue 2)
from formkit.cli.episodes import samples, schema, validate  # noqa: E402

cli.add_command(validate)
cli.add_command(schema)
cli.add_command(samples)

# Protocol commands (issue 3)
from formkit.cli.plan import plan_command, today_command  # noqa: E402

cli.add_command(plan_command)
cli.add_command(today_command)

# Document commands (issue 4)
from formkit.cli.documents import (  # noqa: E402
    convert_command,
    pack_command,
    render_command,
    templates_group,
)

cli.add_command(render_command)
cli.add_command(pack_command)
cli.add_command(convert_command)
cli.add_command(templates_group)
# Form parsing: parse (issue 6)
from formkit.cli.parse import parse  # noqa: E402

cli.add_command(parse)
# Tracker and report commands (issue 7)
from formkit.cli.tracker import report_command, tracker_group  # noqa: E402

cli.add_command(tracker_group)
cli.add_command(report_command)
# Label mappings for other providers' forms (issue 13)
from formkit.cli.mapping import mapping_group  # noqa: E402

cli.add_command(mapping_group)
# The browser app (issue 16)
from formkit.cli.serve import serve_command, users_group  # noqa: E402

cli.add_command(serve_command)
cli.add_command(users_group)

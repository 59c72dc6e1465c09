"""``formkit mapping draft|check``: a label mapping for a new provider's form."""

from __future__ import annotations

from pathlib import Path

import click

from formkit.cli.common import echo_err, json_option, print_json, user_errors
from formkit.parse.drafting import check_mapping_file, write_draft


@click.group("mapping")
def mapping_group() -> None:
    """Label mappings: read a new provider's RHI form by the labels printed on it.

    \b
    Examples:
      formkit mapping draft nyas-form.docx -o nyas.yaml
      formkit mapping check nyas-form.docx --mapping nyas.yaml
      formkit parse completed/ --mapping nyas.yaml -o parsed.jsonl
    """


@mapping_group.command("draft")
@click.argument("form", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the mapping to this file (default: print it).",
)
@click.option("--name", help="The mapping's name (default: the form's file name).")
@click.option("--force", is_flag=True, help="Replace an existing output file.")
def draft_command(form: Path, output: Path | None, name: str | None, force: bool) -> None:
    """Draft a mapping for FORM: every control, its label, a guessed data path and confidence.

    Open the file, confirm or correct each path, then use it with 'formkit parse --mapping'.
    The draft copies no answer from the form, only its labels.

    \b
    Example:
      formkit mapping draft completed-nyas-form.docx -o nyas.yaml
    """
    with user_errors():
        result = write_draft(form, output, name=name, overwrite=force)
    if output is None:
        click.echo(result.text, nl=False)
    draft = result.draft
    total = len(draft.fields) + len(draft.rows)
    echo_err(f"{form}: {draft.guessed} of {total} fields have a guessed path; check them all")


@mapping_group.command("check")
@click.argument("form", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--mapping", "mapping", required=True, metavar="NAME|FILE", help="The mapping to check."
)
@json_option
def check_command(form: Path, mapping: str, as_json: bool) -> None:
    """Show what a mapping reads from FORM: each field's label, value and data path.

    \b
    Example:
      formkit mapping check completed-nyas-form.docx --mapping nyas.yaml
    """
    with user_errors():
        result = check_mapping_file(form, mapping)
    if as_json:
        print_json(result)
        return
    for reading in result.readings:
        if reading.value in (None, "", False) and reading.path is None:
            continue  # an empty field nothing reads: nothing to check
        target = reading.path or "(not read: unmapped)"
        click.echo(f"{reading.label!s}: {reading.value!r} -> {target}")
    echo_err(f"{form}: the mapping reads {result.read} of {result.filled} filled fields")

"""The episode commands: samples generate, validate --json, help with examples."""

from __future__ import annotations

import json
from pathlib import Path

import click
from click.testing import CliRunner

from formkit.cli import cli


def test_generate_is_deterministic_and_valid(tmp_path: Path) -> None:
    runner = CliRunner()
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    assert (
        runner.invoke(
            cli, ["samples", "generate", "-n", "50", "--seed", "9", "-o", str(first)]
        ).exit_code
        == 0
    )
    assert (
        runner.invoke(
            cli, ["samples", "generate", "-n", "50", "--seed", "9", "-o", str(second), "-q"]
        ).exit_code
        == 0
    )
    assert first.read_bytes() == second.read_bytes()
    assert len(first.read_text().splitlines()) == 50
    result = runner.invoke(cli, ["validate", str(first), "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "files": 1,
        "records": 50,
        "valid": 50,
        "invalid": 0,
        "written": [],
        "problems": [],
        "warnings": [],
    }


def test_generate_to_stdout_pipes_into_validate() -> None:
    runner = CliRunner()
    generated = runner.invoke(cli, ["samples", "generate", "-n", "3"])
    assert generated.exit_code == 0
    result = runner.invoke(cli, ["validate", "-"], input=generated.stdout)
    assert result.exit_code == 0
    assert "3 of 3 episodes valid in 1 file." in result.stdout


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None, name
        full = f"{prefix}{name}"
        found.append((full, command))
        if isinstance(command, click.Group):
            found.extend(_commands(command, full + " "))
    return found


def test_every_command_help_shows_an_example() -> None:
    runner = CliRunner()
    for name, _command in _commands(cli):
        result = runner.invoke(cli, [*name.split(), "--help"])
        assert result.exit_code == 0, name
        assert "Example" in result.output, f"'formkit {name} --help' shows no example"
    assert "Example" in runner.invoke(cli, ["--help"]).output


def test_unknown_option_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["validate", "--frobnicate", "x.json"])
    assert result.exit_code == 2


def test_validate_warns_when_the_photo_cannot_be_used(tmp_path: Path) -> None:
    source = (
        Path(__file__).resolve().parent.parent
        / "samples"
        / "episodes"
        / "bexley-still-missing.yaml"
    )
    text = source.read_text().replace("../photos/placeholder-silhouette.png", "nowhere.png")
    episode = tmp_path / "episode.yaml"
    episode.write_text(text)
    result = CliRunner().invoke(cli, ["validate", str(episode)])
    assert result.exit_code == 0, result.output
    [warning] = [line for line in result.output.splitlines() if line.startswith("⚠")]
    assert warning.startswith(f"⚠ {episode}: BX-2026-0431: child.photo: ")
    assert warning.endswith("; documents will be made without the photo")
    assert "Maya" not in warning


def test_validate_is_quiet_about_a_usable_photo() -> None:
    source = (
        Path(__file__).resolve().parent.parent
        / "samples"
        / "episodes"
        / "bexley-still-missing.yaml"
    )
    result = CliRunner().invoke(cli, ["validate", str(source)])
    assert result.exit_code == 0
    assert "⚠" not in result.output

"""Cheap to import: ``import formkit.model`` and ``formkit --help`` load none of the heavy
libraries, and the command list ``formkit --help`` shows without importing any command is the
same as the commands' own help says. (Facts about imports, not timings: timings are in
bench/bench_startup.py.)"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

import formkit
from formkit.cli import COMMANDS, cli

PACKAGES = ["formkit.protocol", "formkit.render", "formkit.tracker", "formkit.pdf", "formkit.parse"]
HEAVY = {"lxml", "openpyxl", "jinja2", "docx", "pypdf", "reportlab", "holidays", "PIL"}


def _modules_after(code: str) -> set[str]:
    """The modules loaded in a fresh interpreter after running ``code``."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    return set(json.loads(done.stdout.splitlines()[-1]))


def _roots(modules: set[str]) -> set[str]:
    return {name.split(".")[0] for name in modules}


def test_importing_the_model_loads_no_heavy_library() -> None:
    loaded = _modules_after("import formkit.model")
    assert "formkit.model" in loaded
    assert not _roots(loaded) & HEAVY, sorted(_roots(loaded) & HEAVY)


def test_help_loads_no_heavy_library_and_no_command_module() -> None:
    code = "from formkit.cli import cli\ntry:\n    cli(['--help'])\nexcept SystemExit:\n    pass"
    loaded = _modules_after(code)
    assert not _roots(loaded) & (HEAVY | {"pydantic", "yaml"})
    assert sorted(m for m in loaded if m.startswith("formkit")) == [
        "formkit",
        "formkit.cli",
        "formkit.lazy",
    ]


def test_import_formkit_is_cheap_and_the_public_names_still_resolve() -> None:
    loaded = _modules_after("import formkit")
    assert sorted(m for m in loaded if m.startswith("formkit")) == ["formkit", "formkit.lazy"]
    assert set(formkit.__all__) == {"__version__", *formkit._PUBLIC}
    for name in formkit.__all__:
        assert getattr(formkit, name) is not None, name
    assert formkit.EpisodeRecord is __import__("formkit.model").model.EpisodeRecord


@pytest.mark.parametrize("package", PACKAGES)
def test_packages_import_their_modules_when_a_name_is_used(package: str) -> None:
    loaded = _modules_after(f"import {package}")
    assert not _roots(loaded) & HEAVY, sorted(_roots(loaded) & HEAVY)
    module = importlib.import_module(package)
    eager = {name for name in module.__all__ if name in vars(module)}
    assert set(module.__all__) == eager | set(module._PUBLIC)
    for name in module.__all__:
        assert getattr(module, name) is not None, f"{package}.{name}"
    assert sorted(dir(module)) == sorted(module.__all__)


def test_the_listed_summaries_are_the_commands_own() -> None:
    ctx = click.Context(cli)
    for name, (_, summary) in COMMANDS.items():
        command = cli.get_command(ctx, name)
        assert command is not None and command.name == name, name
        first = (command.help or "").split("\n\n")[0]
        assert " ".join(first.split()) == summary, f"COMMANDS['{name}'] differs from its help"
    eager = click.Group(
        context_settings=cli.context_settings,
        commands={name: cli.get_command(ctx, name) for name in cli.list_commands(ctx)},
    )
    listed = CliRunner().invoke(cli, ["--help"]).output.split("Commands:")[1]
    assert CliRunner().invoke(eager, ["--help"]).output.split("Commands:")[1] == listed


def test_an_unknown_command_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["rendr"])
    assert result.exit_code == 2
    assert "No such command 'rendr'" in result.output

"""Every command is thin: under 60 lines of its own logic, calling one library batch function.

"Its own logic" is measured on the source: the lines of the command's callback (without its
docstring, blank lines and comments) plus those of every function of the command's module it
reaches, directly or through another (a helper shared by two commands counts for both). The
helpers every command shares (``formkit/cli/common.py``: options, printing, the exit path) are
not counted. A library batch function is a function outside ``formkit.cli`` that returns a
:class:`~formkit.batch.BatchResult`; each command must call exactly one.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import sys
import typing
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import click
import pytest

import formkit
from formkit.batch import BatchResult
from formkit.cli import cli

LIMIT = 60
# Commands that are not batches, and why (each still under the line limit).
NOT_BATCHES = {
    "serve": "it runs the browser app until stopped",
    "users add": "it adds one user to the app's users file",
}


def _commands(group: click.Group, prefix: str = "") -> Iterator[tuple[str, click.Command]]:
    ctx = click.Context(group)
    for name in group.list_commands(ctx):  # the top group loads its commands when asked
        command = group.get_command(ctx, name)
        assert command is not None
        if isinstance(command, click.Group):
            yield from _commands(command, f"{prefix}{name} ")
        else:
            yield f"{prefix}{name}", command


COMMANDS = dict(_commands(cli))


@cache
def _module_tree(module_name: str) -> tuple[dict[str, ast.FunctionDef], list[str]]:
    source = Path(sys.modules[module_name].__file__ or "").read_text(encoding="utf-8")
    tree = ast.parse(source)
    functions = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    return functions, source.splitlines()


def _logic_lines(function: ast.FunctionDef, lines: list[str]) -> set[int]:
    body = function.body
    first = body[0] if body else None
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
        body = body[1:]  # the docstring
    found: set[int] = set()
    for statement in body:
        for line in range(statement.lineno, (statement.end_lineno or statement.lineno) + 1):
            text = lines[line - 1].strip()
            if text and not text.startswith("#"):
                found.add(line)
    return found


def _names(function: ast.FunctionDef) -> set[str]:
    return {n.id for n in ast.walk(function) if isinstance(n, ast.Name)}


def _reached(callback: Callable[..., Any]) -> tuple[list[ast.FunctionDef], str]:
    """The callback's definition and every function of its module it reaches (another command
    it hands over to, as ``plan`` does to ``today`` for a tracker, is that command's own)."""
    functions, _ = _module_tree(callback.__module__)
    module = vars(sys.modules[callback.__module__])
    start = functions[callback.__name__]
    seen, todo = [start], [start]
    while todo:
        for name in sorted(_names(todo.pop())):
            helper = functions.get(name)
            if isinstance(module.get(name), click.Command):
                continue
            if helper is not None and helper not in seen:
                seen.append(helper)
                todo.append(helper)
    return seen, callback.__module__


def own_lines(command: click.Command) -> int:
    assert command.callback is not None
    reached, module = _reached(inspect.unwrap(command.callback))
    _, lines = _module_tree(module)
    return sum(len(_logic_lines(function, lines)) for function in reached)


@cache
def _batch_results() -> dict[str, type]:
    """Every BatchResult class, by name (to read return annotations written as strings)."""
    for info in pkgutil.walk_packages(formkit.__path__, "formkit."):
        if info.name.endswith("__main__"):
            continue  # it runs the command line
        try:
            importlib.import_module(info.name)
        except ImportError:  # an optional part whose extras are not installed
            continue

    def subclasses(kind: type) -> Iterator[type]:
        for sub in kind.__subclasses__():
            yield sub
            yield from subclasses(sub)

    return {kind.__name__: kind for kind in [BatchResult, *subclasses(BatchResult)]}


def _is_batch_function(value: object) -> bool:
    if not inspect.isfunction(value):
        return False
    module = value.__module__
    if not module.startswith("formkit.") or module.startswith("formkit.cli"):
        return False
    returns = typing.get_type_hints(value, localns=_batch_results()).get("return")
    return isinstance(returns, type) and issubclass(returns, BatchResult)


def batch_functions(command: click.Command) -> set[str]:
    """The library batch functions the command's own code calls (by module and name)."""
    assert command.callback is not None
    reached, module_name = _reached(inspect.unwrap(command.callback))
    module = sys.modules[module_name]
    found: set[str] = set()
    for function in reached:
        local: dict[str, Any] = {}
        for node in ast.walk(function):  # imports inside the function, done lazily
            if isinstance(node, ast.ImportFrom) and node.module:
                imported = importlib.import_module(node.module)
                for alias in node.names:
                    local[alias.asname or alias.name] = getattr(imported, alias.name, None)
        for node in ast.walk(function):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                value = local.get(node.func.id, vars(module).get(node.func.id))
                if _is_batch_function(value):
                    found.add(f"{value.__module__}.{value.__name__}")
    return found


def test_every_command_is_measured() -> None:
    assert {"validate", "plan", "pack", "parse", "tracker update", "mapping check"} <= set(COMMANDS)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_command_is_under_60_lines_of_its_own_logic(name: str) -> None:
    lines = own_lines(COMMANDS[name])
    assert lines < LIMIT, f"'formkit {name}' has {lines} lines of its own logic"


@pytest.mark.parametrize("name", sorted(set(COMMANDS) - set(NOT_BATCHES)))
def test_command_calls_one_library_batch_function(name: str) -> None:
    found = batch_functions(COMMANDS[name])
    assert len(found) == 1, f"'formkit {name}' calls {sorted(found) or 'no batch function'}"


def test_the_measure_counts_helpers_and_not_docstrings() -> None:
    """The measure itself: a helper reached through another counts, a docstring does not."""
    functions, lines = _module_tree("formkit.cli.documents")
    render = COMMANDS["render"]
    reached, _ = _reached(inspect.unwrap(render.callback))  # type: ignore[arg-type]
    assert [f.name for f in reached][:2] == ["render_command", "_make"]
    assert "summary_line" in [f.name for f in reached]  # reached through _make
    docstring = ast.get_docstring(functions["render_command"]) or ""
    assert docstring and own_lines(render) == sum(len(_logic_lines(f, lines)) for f in reached)
    assert own_lines(render) < len(inspect.getsource(inspect.unwrap(render.callback)).split("\n"))


def test_a_batch_function_is_recognised_by_what_it_returns() -> None:
    from formkit.protocol.batch import plan_files
    from formkit.protocol.evaluate import plan

    assert _is_batch_function(plan_files)
    assert not _is_batch_function(plan)  # one episode's plan, not a batch
    assert not _is_batch_function(print)


EXITS = ("sys.exit", "SystemExit", "exit(", "click.ClickException", "click.exceptions.Exit")


def test_one_exit_path() -> None:
    """No ``sys.exit`` or ``SystemExit`` anywhere, and no ClickException but BatchFailed raised
    in the command line: a failure leaves through BatchFailed (exit 1, or 130 for Ctrl-C)."""
    package = Path(formkit.__file__).parent
    found = []
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            text = ast.unparse(node.exc) if isinstance(node, ast.Raise) and node.exc else ""
            if isinstance(node, ast.Call):
                text = ast.unparse(node.func)
            if text.startswith(EXITS) or text == "ctx.exit":
                found.append(f"{path.relative_to(package)}:{node.lineno}: {text}")
    assert found == []

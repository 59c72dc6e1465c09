"""Every command's ``--json`` has the same shape: ``written``, ``problems``, ``warnings``, and
each problem (or warning) as fields — ``file``, ``row``, ``reference``, ``field``, ``message`` —
never a display string such as "row 3 (BX-1)"."""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
import pytest
import yaml
from click.testing import CliRunner

from formkit.cli import cli

ROOT = Path(__file__).resolve().parent.parent
EPISODES = ROOT / "samples" / "episodes"
RUTLAND = EPISODES / "rutland-absent.yaml"
COMPLETED = ROOT / "samples" / "completed-rhi" / "BX-2026-0412-rhi-completed.docx"
NOW = ["--now", "2026-11-30T09:00"]
PROBLEM_KEYS = {"file", "row", "reference", "field", "message"}


def _with_json(group: click.Group, prefix: str = "") -> set[str]:
    found: set[str] = set()
    ctx = click.Context(group)
    for name in group.list_commands(ctx):  # the top group loads its commands when asked
        command = group.get_command(ctx, name)
        if isinstance(command, click.Group):
            found |= _with_json(command, f"{prefix}{name} ")
        elif command is not None and any(
            "--json" in p.opts for p in command.params if isinstance(p, click.Option)
        ):
            found.add(f"{prefix}{name}")
    return found


def run(*args: str | Path) -> Any:
    return CliRunner().invoke(cli, [str(a) for a in args])


def shaped(result: Any, *, exit_code: int = 0) -> dict[str, Any]:
    """The command's JSON, once its shared keys and every problem's fields are checked."""
    assert result.exit_code == exit_code, result.output
    data = json.loads(result.stdout)
    assert isinstance(data, dict)
    assert {"written", "problems", "warnings"} <= set(data)
    assert all(isinstance(path, str) for path in data["written"])
    for problem in [*data["problems"], *data["warnings"]]:
        assert set(problem) == PROBLEM_KEYS
        assert problem["message"] and problem["file"]
        assert "(" not in (problem["row"] or "")  # the reference is its own field
    return data


@pytest.fixture(scope="module")
def tracker(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tracker") / "tracker.xlsx"
    assert run("tracker", "init", path).exit_code == 0
    assert run("tracker", "update", path, *sorted(EPISODES.glob("*.yaml")), *NOW).exit_code == 0
    return path


def _validate(tmp_path: Path, tracker: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    good = json.loads(json.dumps(yaml.safe_load(RUTLAND.read_text()), default=str))
    broken = {**good, "episode": {**good["episode"], "last_seen_at": "not a date"}}
    bad.write_text(json.dumps(good) + "\n" + json.dumps(broken) + "\n", encoding="utf-8")
    data = shaped(run("validate", bad, "--json"), exit_code=1)
    assert [(p["row"], p["reference"], p["field"]) for p in data["problems"]] == [
        ("line 2", good["episode"]["reference"], "episode.last_seen_at")
    ]


def _plan(tmp_path: Path, tracker: Path) -> None:
    data = shaped(run("plan", RUTLAND, *NOW, "--json"))
    assert [p["reference"] for p in data["plans"]] == ["RUT-26-0088"]
    assert data["problems"] == [] and data["planned"] == 1


def _today(tmp_path: Path, tracker: Path) -> None:
    data = shaped(run("today", tracker, *NOW, "--json"))
    assert data["rows"] == len(list(EPISODES.glob("*.yaml"))) and data["items"]


def _render(tmp_path: Path, tracker: Path) -> None:
    data = shaped(run("render", "missing-profile", RUTLAND, "-o", tmp_path, "-q", "--json"))
    (made,) = data["written"]
    with zipfile.ZipFile(made) as package:
        assert "RUT-26-0088" in package.read("word/document.xml").decode("utf-8")
    again = shaped(run("render", "missing-profile", RUTLAND, "-o", tmp_path, "-q", "--json"))
    assert again["written"] == [] and again["up_to_date"] == [made]


def _pack(tmp_path: Path, tracker: Path) -> None:
    copy = tmp_path / "t.xlsx"
    shutil.copy(tracker, copy)
    data = shaped(run("pack", RUTLAND, "-o", tmp_path, *NOW, "--tracker", copy, "--json"))
    assert data["written"] and all(Path(p).suffix == ".docx" for p in data["written"])
    assert data["records"] == 1 and data["failed_documents"] == 0


def _convert(tmp_path: Path, tracker: Path) -> None:
    # A PDF formkit did not make, older than its Word document, is kept: a problem, and no
    # LibreOffice needed to say so.
    word = tmp_path / "letter.docx"
    shutil.copy(COMPLETED, word)
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(b"%PDF-1.4 someone else's\n")
    stamp = word.stat().st_mtime
    os.utime(pdf, (stamp - 60, stamp - 60))
    data = shaped(run("convert", word, "--to", "pdf", "--json"), exit_code=1)
    assert [(p["file"], p["row"]) for p in data["problems"]] == [(str(pdf), None)]
    assert data["up_to_date"] == [] and data["written"] == []


def _templates_list(tmp_path: Path, tracker: Path) -> None:
    data = shaped(run("templates", "list", "--json"))
    assert "rhi-form" in {t["id"] for t in data["templates"]}


def _templates_fields(tmp_path: Path, tracker: Path) -> None:
    data = shaped(run("templates", "fields", "rhi-form", "--json"))
    assert data["template"] == "rhi-form" and data["controls"]


def _templates_lint(tmp_path: Path, tracker: Path) -> None:
    data = shaped(run("templates", "lint", "missing-profile", "--json"))
    assert data["problems"] == [] and len(data["checked"]) == 1


def _parse(tmp_path: Path, tracker: Path) -> None:
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"not a zip")
    data = shaped(run("parse", COMPLETED, broken, "--json", "-q"), exit_code=1)
    assert data["parsed"] == 1 and [p["file"] for p in data["problems"]] == [str(broken)]


def _tracker_update(tmp_path: Path, tracker: Path) -> None:
    fresh = tmp_path / "t.xlsx"
    assert run("tracker", "init", fresh).exit_code == 0
    # A completed form whose episode is not in the tracker is a problem; the episode is added.
    form = ROOT / "samples" / "completed-rhi" / "KM-26-33019-rhi-completed.docx"
    data = shaped(run("tracker", "update", fresh, RUTLAND, form, *NOW, "--json"), exit_code=1)
    assert data["written"] == [str(fresh)] and data["inserted"] == 1
    assert [Path(p["file"]).name for p in data["problems"]] == [form.name]


def _mapping_check(tmp_path: Path, tracker: Path) -> None:
    form = ROOT / "samples" / "completed-rhi" / "barnardos-style-rhi.docx"
    data = shaped(run("mapping", "check", form, "--mapping", "barnardos-rhi", "--json"))
    assert data["read"] > 0 and {"label", "value", "path"} == set(data["readings"][0])


CASES: dict[str, Callable[[Path, Path], None]] = {
    "validate": _validate,
    "plan": _plan,
    "today": _today,
    "render": _render,
    "pack": _pack,
    "convert": _convert,
    "templates list": _templates_list,
    "templates fields": _templates_fields,
    "templates lint": _templates_lint,
    "parse": _parse,
    "tracker update": _tracker_update,
    "mapping check": _mapping_check,
}


def test_every_command_with_json_is_checked() -> None:
    assert _with_json(cli) == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_json_shape(name: str, tmp_path: Path, tracker: Path) -> None:
    CASES[name](tmp_path, tracker)

"""Issue 10/11: the one batch runner. One bad file between two good ones: the good ones are
delivered and the command exits 1. Anything unforeseen is one problem ("internal error"), the
batch goes on, and the traceback goes to a log only with FORMKIT_DEBUG. Folders and quoted
patterns work wherever files are taken (issue 15)."""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from click.testing import CliRunner, Result
from conftest import SAMPLES
from test_tracker_helpers import table_rows

import formkit.render.pack as pack
from formkit.batch import parallel_map
from formkit.cli import cli
from formkit.model import EpisodeRecord

EPISODES = SAMPLES / "episodes"
GOOD_A = EPISODES / "rutland-absent.yaml"
GOOD_B = EPISODES / "bexley-still-missing.yaml"
DEEP = b"[" * 5000 + b"]" * 5000
PROBLEM_KEYS = ["file", "row", "reference", "field", "message"]


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    result = CliRunner(env=env).invoke(cli, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


@pytest.fixture
def three(tmp_path: Path) -> list[Path]:
    """Good, bad (JSON nested 5,000 deep), good — in that order on the command line."""
    folder = tmp_path / "in"
    folder.mkdir()
    first, last = folder / "a.yaml", folder / "c.yaml"
    shutil.copy(GOOD_A, first)
    shutil.copy(GOOD_B, last)
    bad = folder / "b.json"
    bad.write_bytes(DEEP)
    return [first, bad, last]


def references_in(folder: Path) -> set[str]:
    return {p.name.split("-missing-profile")[0] for p in folder.glob("*-missing-profile.docx")}


def test_validate_bad_between_good(three: list[Path]) -> None:
    result = run("validate", *map(str, three), "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert (report["files"], report["records"], report["valid"]) == (3, 2, 2)
    assert report["problems"] == [
        {
            "file": str(three[1]),
            "row": None,
            "reference": None,
            "field": None,
            "message": "is nested more than 64 levels deep (lists within lists or fields "
            "within fields)",
        }
    ]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_render_bad_between_good(three: list[Path], tmp_path: Path, jobs: str) -> None:
    out = tmp_path / "out"
    args = ["render", "missing-profile", *map(str, three), "-o", str(out), "--json", "-j", jobs]
    result = run(*args)
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert references_in(out) == {"RUT-26-0088", "BX-2026-0431"}
    for made in map(Path, report["written"]):
        assert "word/document.xml" in zipfile.ZipFile(made).namelist()
        assert docx.Document(str(made)).paragraphs
    [problem] = report["problems"]
    assert list(problem) == PROBLEM_KEYS
    assert problem["file"] == str(three[1])


def test_pack_bad_between_good(three: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("pack", *map(str, three), "-o", str(out), "--now", "2026-12-01T09:00", "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    files = {Path(p).name.split("-")[0] for p in report["written"]}
    assert files == {"RUT", "BX"}  # documents for both good episodes
    assert all(Path(p).exists() for p in report["written"])
    assert [p["file"] for p in report["problems"]] == [str(three[1])]


def test_tracker_update_bad_between_good(three: list[Path], tmp_path: Path) -> None:
    tracker = tmp_path / "tracker.xlsx"
    assert run("tracker", "init", str(tracker)).exit_code == 0
    result = run("tracker", "update", str(tracker), *map(str, three), "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["inserted"] == 2 and report["written"] == [str(tracker)]
    assert [p["file"] for p in report["problems"]] == [str(three[1])]
    assert len(table_rows(tracker)) == 2


def test_plan_bad_between_good(three: list[Path]) -> None:
    result = run("plan", *map(str, three), "--now", "2026-12-01T09:00", "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert len(report["plans"]) == 2 and report["planned"] == 2
    assert [p["file"] for p in report["problems"]] == [str(three[1])]


def _explode_on(reference: str, error: Exception) -> Any:
    real = EpisodeRecord.model_validate

    def validate(data: Any, *args: Any, **kwargs: Any) -> Any:
        if json.dumps(data, default=str).count(reference):
            raise error
        return real(data, *args, **kwargs)

    return validate


def test_internal_error_is_one_problem_without_debug(
    three: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        EpisodeRecord, "model_validate", _explode_on("RUT-26-0088", ZeroDivisionError("boom"))
    )
    result = run("validate", str(three[0]), str(three[2]), env={"FORMKIT_DEBUG": ""})
    assert result.exit_code == 1
    assert (
        f"✗ {three[0]}: record 1 (RUT-26-0088): could not be read (internal error: "
        "ZeroDivisionError: boom); set FORMKIT_DEBUG=1 to log the details"
    ) in result.output.splitlines()
    assert "1 of 2 episodes valid in 2 files." in result.output


def test_internal_error_with_debug_logs_the_traceback(
    three: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "debug.log"
    monkeypatch.setattr(
        EpisodeRecord, "model_validate", _explode_on("RUT-26-0088", TypeError("odd " * 100))
    )
    result = run("validate", str(three[0]), str(three[2]), env={"FORMKIT_DEBUG": str(log)})
    assert result.exit_code == 1
    assert f"; details in {log}" in result.output
    assert "(internal error: TypeError: odd odd" in result.output
    assert "…" in result.output  # the exception's text is cut short in the message
    text = log.read_text()
    assert "Traceback (most recent call last)" in text and "TypeError: odd" in text


def test_internal_error_while_rendering_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = pack.build_context

    def build(record: Any, **kwargs: Any) -> Any:
        if record.reference == "RUT-26-0088":
            raise KeyError("surprise")
        return real(record, **kwargs)

    monkeypatch.setattr(pack, "build_context", build)
    out = tmp_path / "out"
    result = run("render", "missing-profile", str(GOOD_A), str(GOOD_B), "-o", str(out), "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert [Path(p).name for p in report["written"]] == ["BX-2026-0431-missing-profile.docx"]
    [problem] = report["problems"]
    assert (problem["row"], problem["reference"]) == ("record 1", "RUT-26-0088")
    assert problem["message"].startswith(
        "could not be rendered (internal error: KeyError: 'surprise')"
    )


def test_internal_error_in_any_command_is_a_message(monkeypatch: pytest.MonkeyPatch) -> None:
    from formkit.render.catalog import Catalog

    def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("catalogue gremlin")

    monkeypatch.setattr(Catalog, "load", broken)
    result = run("templates", "list", env={"FORMKIT_DEBUG": ""})
    assert result.exit_code == 1
    assert result.output == (
        "Error: formkit could not be finished (internal error: RuntimeError: catalogue "
        "gremlin); set FORMKIT_DEBUG=1 to log the details\n"
    )


# Folders and patterns (issue 15)


def test_validate_takes_a_folder_and_skips_other_files(tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(GOOD_A, folder / "b.yaml")
    shutil.copy(GOOD_B, folder / "sub" / "a.yaml")
    (folder / "notes.txt").write_text("not an episode")
    (folder / "~$b.xlsx").write_bytes(b"owner file")
    result = run("validate", str(folder))
    assert result.exit_code == 0, result.output
    assert "2 of 2 episodes valid in 2 files." in result.output


def test_a_quoted_pattern_is_expanded_by_formkit(tmp_path: Path) -> None:
    result = run("validate", str(EPISODES / "*.json"), "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["files"] == len(list(EPISODES.glob("*.json")))


def test_folder_order_is_sorted(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ["c.json", "a.json", "b.json"]:
        (folder / name).write_bytes(DEEP)
    result = run("validate", str(folder), "--json")
    files = [Path(p["file"]).name for p in json.loads(result.stdout)["problems"]]
    assert files == ["a.json", "b.json", "c.json"]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["validate", "{tmp}/*.yaml"], "'{tmp}/*.yaml' matches no files"),
        (["validate", "{tmp}/nope.json"], "'{tmp}/nope.json' does not exist"),
        (["validate", "{tmp}"], "folder '{tmp}' holds no episode files"),
        (["plan", "{tmp}"], "folder '{tmp}' holds no episode files"),
        (["pack", "{tmp}", "-o", "{tmp}/out"], "folder '{tmp}' holds no episode files"),
        (["tracker", "update", "{tmp}/t.xlsx", "{tmp}"], "holds no episode files or forms"),
    ],
)
def test_nothing_to_read_is_a_usage_error(tmp_path: Path, args: list[str], words: str) -> None:
    result = run(*[a.format(tmp=tmp_path) for a in args])
    assert result.exit_code == 2
    assert words.format(tmp=tmp_path) in result.output


def test_render_pack_and_tracker_update_take_folders(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("render", "missing-profile", str(EPISODES), "-o", str(out), "-q")
    assert result.exit_code == 0, result.output
    episodes = len(list(EPISODES.glob("*.*")))
    assert len(list(out.glob("*.docx"))) == episodes
    result = run("pack", str(EPISODES / "rutland-*.yaml"), "-o", str(tmp_path / "p"), "-q")
    assert result.exit_code == 0, result.output
    tracker = tmp_path / "tracker.xlsx"
    assert run("tracker", "init", str(tracker)).exit_code == 0
    result = run("tracker", "update", str(tracker), str(EPISODES), "-q")
    assert result.exit_code == 0, result.output
    assert len(table_rows(tracker)) == episodes


# Worker processes (issue 10: one record that kills its worker does not stop the batch)


def _double_or_die(item: int) -> int:
    if item == 7:
        os._exit(3)  # as if the kernel killed the worker (out of memory)
    if item == 11:
        raise ValueError("eleven is odd")
    return item * 2


def _as_failure(item: int, error: BaseException) -> str:
    return f"{item} failed: {type(error).__name__}"


def test_a_worker_that_dies_fails_only_its_own_item() -> None:
    results = list(
        parallel_map(_double_or_die, range(16), jobs=2, chunk_size=3, on_error=_as_failure)
    )
    expected: list[object] = [i * 2 for i in range(16)]
    expected[7] = "7 failed: BrokenProcessPool"
    expected[11] = "11 failed: ValueError"
    assert results == expected


def test_progress_counts_every_item_even_failures() -> None:
    counted: list[int] = []
    list(
        parallel_map(
            _double_or_die, range(8, 14), jobs=1, progress=counted.append, on_error=_as_failure
        )
    )
    assert sum(counted) == 6  # item 11 failed, and is counted too


def test_parse_takes_a_quoted_pattern(tmp_path: Path) -> None:
    forms = sorted((SAMPLES / "completed-rhi").glob("*.docx"))
    assert forms
    result = run("parse", str(SAMPLES / "completed-rhi" / "*.docx"), "--json", "-q")
    report = json.loads(result.stdout)
    assert report["parsed"] + report["failed"] == len(forms)
    assert list(report)[-3:] == ["written", "problems", "warnings"]


def test_an_input_that_cannot_be_opened_is_one_problem(
    three: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Simulated (tests run as root, where permissions do not stop reading)."""
    real_open = Path.open

    def guarded_open(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self.name == "a.yaml":
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", guarded_open)
    result = run("validate", str(three[0]), str(three[2]))
    assert result.exit_code == 1
    assert (
        f"✗ {three[0]}: could not be read: permission denied (ask whoever owns the file to "
        "share it with you)"
    ) in result.output.splitlines()
    assert "1 of 1 episode valid in 2 files; 1 file could not be read." in result.output

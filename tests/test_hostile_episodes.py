"""Issue 10: no episode file, however broken or hostile, gives a traceback or stops a batch.

The corpus (``tests/hostile/episodes.py``) is generated at test time. Each file goes through
``formkit validate`` alone and between two good files: exit 1 with its own words (0 where it is
usable), never a traceback, and the good files around it are still read.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hostile.episodes import GOOD, Case, cases
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.corpus import sampled

from formkit.cli import cli
from formkit.errors import FormkitError
from formkit.load import SUFFIXES, iter_episodes

CASES = cases()


def run(*args: str, input: bytes | None = None) -> Result:
    result = CliRunner().invoke(cli, list(args), input=input)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


@pytest.mark.parametrize("case", sampled(CASES, every=2, ids=lambda c: c.id))
def test_each_hostile_file_alone(tmp_path: Path, case: Case) -> None:
    path = tmp_path / case.name
    path.write_bytes(case.content)
    result = run("validate", str(path))
    assert result.exit_code == case.exit_code, result.output[-2000:]
    assert case.words in result.output, result.output[-2000:]
    assert len(result.output) < 20_000  # one message per fault, never a flood


@pytest.mark.slow
@pytest.mark.parametrize(
    "case", [c for c in CASES if c.exit_code == 1], ids=[c.id for c in CASES if c.exit_code == 1]
)
def test_each_hostile_file_between_two_good_ones(tmp_path: Path, case: Case) -> None:
    first, last = tmp_path / "a-good.json", tmp_path / "z-good.json"
    first.write_text(json.dumps(GOOD))
    last.write_text(json.dumps(GOOD).replace("REF-1", "REF-9"))
    bad = tmp_path / f"m-{case.name}"
    bad.write_bytes(case.content)
    result = run("validate", str(first), str(bad), str(last), "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["files"] == 3
    assert report["valid"] >= 2
    assert {p["file"] for p in report["problems"]} == {str(bad)}
    for problem in report["problems"]:
        assert list(problem) == ["file", "row", "reference", "field", "message"]


def test_a_million_bad_lines_give_one_message(tmp_path: Path) -> None:
    path = tmp_path / "huge.jsonl"
    path.write_bytes(b"not json at all, just words\n" * 1_000_000)
    result = run("validate", str(path))
    assert result.exit_code == 1
    problems = [line for line in result.output.splitlines() if line.startswith("✗")]
    assert problems == [
        f"✗ {path}: this does not look like a JSON Lines file: its first 20 records cannot be "
        "read (line 1 is not valid JSON: expecting value at column 1)"
    ]


def test_stdin_deep_json_is_refused(tmp_path: Path) -> None:
    result = run("validate", "-", input=b"[" * 5000 + b"]" * 5000)
    assert result.exit_code == 1
    assert "-: is nested more than 64 levels deep" in result.output


def test_unreadable_start_needs_all_twenty(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(json.dumps(GOOD).encode() + b"\n" + b"junk\n" * 50)
    result = run("validate", str(path), "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["valid"] == 1 and len(report["problems"]) == 50


@pytest.mark.slow
@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    suffix=st.sampled_from(sorted(SUFFIXES)),
    data=st.one_of(
        st.binary(max_size=2000),
        st.text(max_size=2000).map(lambda t: t.encode("utf-8", "surrogatepass")),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
            lambda inner: (
                st.lists(inner, max_size=4)
                | st.dictionaries(st.text(max_size=8), inner, max_size=4)
            ),
            max_leaves=30,
        ).map(lambda v: json.dumps(v).encode()),
    ),
)
def test_fuzz_any_bytes_give_a_result_or_a_formkit_error(
    tmp_path: Path, suffix: str, data: bytes
) -> None:
    """Any bytes in → records (each valid or with problems) or a FormkitError, nothing else."""
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    try:
        for loaded in iter_episodes(path):
            assert loaded.ok or loaded.problems
    except FormkitError:
        pass


@settings(max_examples=60, deadline=None)
@given(
    lines=st.lists(
        st.one_of(
            st.just(json.dumps(GOOD)),
            st.text(max_size=200).filter(lambda t: "\n" not in t and "\r" not in t),
            st.integers(min_value=1, max_value=3000).map(lambda n: "[" * n + "]" * n),
            st.integers(min_value=30, max_value=6000).map(lambda n: "9" * n),
        ),
        max_size=30,
    )
)
def test_fuzz_json_lines_through_the_cli(lines: list[str]) -> None:
    """Any mix of good, junk, deep and huge-number lines: exit 0 or 1, no traceback."""
    data = ("\n".join(lines) + "\n").encode("utf-8", "surrogatepass")
    result = run("validate", "-", input=data)
    assert result.exit_code in (0, 1)


def test_recursion_limit_is_untouched() -> None:
    # The readers refuse deep input by their own limit, not by raising Python's.
    assert sys.getrecursionlimit() <= 10_000


BAD = [c for c in CASES if c.exit_code == 1]


@pytest.mark.slow
@pytest.mark.parametrize("case", BAD, ids=[c.id for c in BAD])
def test_each_hostile_file_in_a_plan_batch(tmp_path: Path, case: Case) -> None:
    good = tmp_path / "good.json"
    good.write_text(json.dumps(GOOD))
    bad = tmp_path / case.name
    bad.write_bytes(case.content)
    result = run("plan", str(bad), str(good), "--now", "2026-11-01T09:00", "--json", "-q")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert "REF-1" in [p["reference"] for p in report["plans"]]  # the good file is planned
    assert {p["file"] for p in report["problems"]} == {str(bad)}


@pytest.mark.parametrize("case", BAD[::4], ids=[c.id for c in BAD[::4]])
def test_hostile_files_in_a_tracker_update(tmp_path: Path, case: Case) -> None:
    tracker = tmp_path / "tracker.xlsx"
    assert run("tracker", "init", str(tracker)).exit_code == 0
    good = tmp_path / "good.json"
    good.write_text(json.dumps(GOOD))
    bad = tmp_path / case.name
    bad.write_bytes(case.content)
    result = run("tracker", "update", str(tracker), str(bad), str(good), "--json", "-q")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["inserted"] == 1
    assert {p["file"] for p in report["problems"]} == {str(bad)}

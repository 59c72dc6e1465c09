"""Forms reach the right tracker row: by reference, police reference, or child and dates; an
ambiguous or unmatched form is listed with its candidates and never becomes a new row."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from support.episodes import tracker_episode, write_json, write_jsonl
from test_tracker_helpers import table_rows

from formkit.cli import cli
from formkit.model import LONDON
from formkit.tracker import create_tracker, update_tracker
from formkit.tracker.match import Identity, find_episode

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=LONDON)


@pytest.fixture
def tracker(tmp_path: Path) -> Path:
    path = create_tracker(tmp_path / "tracker.xlsx")
    episodes = [
        tracker_episode("TST-1", episode__police_reference="MP/2026/004417"),
        tracker_episode(
            "TST-2",
            episode__last_seen_at="2026-10-20T18:00",
            episode__ended_at="2026-10-21T08:00",
            episode__police_reference="MP/2026/004990",
        ),
        tracker_episode(
            "OTH-1",
            child__id="TST-0002",
            child__first_name="Sam",
            child__last_name="Other",
            child__date_of_birth="2010-01-01",
        ),  # fmt: skip
    ]
    update_tracker(path, [write_json(tmp_path / "episodes.json", episodes)], now=NOW)
    return path


def _form(data: dict[str, Any], interviewer: str = "Jo Tester") -> dict[str, Any]:
    data = {**data, "return_interview": {"interviewer": interviewer}}
    return {"file": "provider-form.docx", "data": data, "report": {}}


def _rhi_by(tracker: Path) -> dict[str, Any]:
    return {r["Episode reference"]: r["RHI by"] for r in table_rows(tracker)}


def test_a_police_reference_finds_its_episode(tracker: Path, tmp_path: Path) -> None:
    form = _form({"episode": {"police_reference": "MP/2026/004417"}})
    result = update_tracker(tracker, [write_jsonl(tmp_path / "p.jsonl", [form])], now=NOW)
    assert result.problems == []
    assert result.matched == [("provider-form.docx", "TST-1", "police reference")]
    assert _rhi_by(tracker)["TST-1"] == "Jo Tester"


def test_the_child_and_the_dates_find_the_episode(tracker: Path, tmp_path: Path) -> None:
    child = {"first_name": "Robin", "last_name": "Testcase", "date_of_birth": "2011-04-02"}
    form = _form({"child": child, "episode": {"ended_at": "2026-10-21T09:00:00+01:00"}})
    result = update_tracker(tracker, [write_jsonl(tmp_path / "c.jsonl", [form])], now=NOW)
    assert result.problems == []
    assert result.matched == [("provider-form.docx", "TST-2", "child and dates")]
    assert _rhi_by(tracker) == {"TST-1": None, "TST-2": "Jo Tester", "OTH-1": None}


def test_an_ambiguous_form_is_listed_with_candidates_and_settled_by_match(
    tracker: Path, tmp_path: Path
) -> None:
    child = {"first_name": "Robin", "last_name": "Testcase", "date_of_birth": "2011-04-02"}
    source = write_jsonl(tmp_path / "a.jsonl", [_form({"child": child})])
    before = tracker.read_bytes()
    run = CliRunner().invoke(cli, ["tracker", "update", str(tracker), str(source), "--json"])
    assert run.exit_code == 1
    report = json.loads(run.stdout)
    assert report["inserted"] == 0 and report["updated"] == 0
    (unmatched,) = report["unmatched"]
    assert {c["reference"] for c in unmatched["candidates"]} == {"TST-1", "TST-2"}
    assert tracker.read_bytes() == before  # never a new row
    assert "run again with --match REFERENCE" in report["problems"][0]["message"]
    settled = CliRunner().invoke(
        cli, ["tracker", "update", str(tracker), str(source), "--match", "TST-1"]
    )
    assert settled.exit_code == 0, settled.output
    assert "provider-form.docx: matched to episode TST-1 by --match" in settled.output
    assert _rhi_by(tracker)["TST-1"] == "Jo Tester"


def test_an_unmatched_form_is_never_a_new_row(tracker: Path, tmp_path: Path) -> None:
    form = _form({"episode": {"police_reference": "MP/2026/999999"}})
    result = update_tracker(tracker, [write_jsonl(tmp_path / "u.jsonl", [form])], now=NOW)
    assert result.inserted == 0 and result.updated == 0
    (problem,) = result.problems
    assert problem.message.startswith(
        "could not tell which episode this form is about (police reference MP/2026/999999)"
    )
    assert len(table_rows(tracker)) == 3


def test_match_needs_exactly_one_form(tracker: Path, tmp_path: Path) -> None:
    forms = [_form({"episode": {"police_reference": "X"}})] * 2
    run = CliRunner().invoke(
        cli,
        ["tracker", "update", str(tracker), str(write_jsonl(tmp_path / "two.jsonl", forms)),
         "--match", "TST-1"],
    )  # fmt: skip
    assert run.exit_code == 1
    assert "--match names the episode of one form, but 2 forms were given" in run.output


def test_dates_pick_one_of_a_childs_episodes() -> None:
    rows = [
        {"reference": "A", "child_id": "C1", "last_seen": datetime(2026, 1, 1, 10)},
        {"reference": "B", "child_id": "C1", "last_seen": datetime(2026, 3, 1, 10)},
    ]
    near_b = Identity(child_id="C1", last_seen=datetime(2026, 3, 2, 9))
    assert find_episode(near_b, rows).reference == "B"
    far = Identity(child_id="C1", last_seen=datetime(2026, 6, 1, 9))
    found = find_episode(far, rows)
    assert found.reference is None and {c.reference for c in found.candidates} == {"A", "B"}


def test_a_persons_choice_settles_each_ambiguous_form_of_a_batch(
    tracker: Path, tmp_path: Path
) -> None:
    child = {"first_name": "Robin", "last_name": "Testcase", "date_of_birth": "2011-04-02"}
    one = {**_form({"child": child}, "Jo Tester"), "file": "first.docx"}
    two = {**_form({"child": child}, "Al Second"), "file": "second.docx"}
    source = write_jsonl(tmp_path / "two.jsonl", [one, two])
    result = update_tracker(
        tracker, [source], now=NOW, matches={"first.docx": "TST-2", "second.docx": "TST-1"}
    )
    assert result.problems == [] and result.unmatched == []
    assert result.matched == [
        ("first.docx", "TST-2", "a person's choice"),
        ("second.docx", "TST-1", "a person's choice"),
    ]
    assert _rhi_by(tracker) == {"TST-1": "Al Second", "TST-2": "Jo Tester", "OTH-1": None}


def test_forms_read_already_update_as_the_files_would(tracker: Path, tmp_path: Path) -> None:
    from formkit.parse.result import ParseResult
    from formkit.tracker.sources import read_forms

    child = {"first_name": "Robin", "last_name": "Testcase", "date_of_birth": "2011-04-02"}
    data = {"child": child, "episode": {"ended_at": "2026-10-21T09:00:00+01:00"}}
    data["return_interview"] = {"interviewer": "Jo Tester"}
    stored = str(tmp_path / "upload-1.docx")
    read = read_forms([ParseResult(file=stored, data=data)], {stored: "from the provider.docx"})
    assert read.problems == []
    result = update_tracker(tracker, [], now=NOW, changes=read.changes)
    assert result.matched == [("from the provider.docx", "TST-2", "child and dates")]
    rows = {r["Episode reference"]: r for r in table_rows(tracker)}
    assert rows["TST-2"]["RHI by"] == "Jo Tester"
    assert rows["TST-2"]["Source file"] == "from the provider.docx"
    empty = read_forms([ParseResult(file=stored, data={"return_interview": {}})])
    assert [p.message for p in empty.problems] == [
        "the form has no episode reference, police reference or child's details, so it "
        "cannot be matched to an episode"
    ]
    assert empty.problems[0].file == "upload-1.docx"

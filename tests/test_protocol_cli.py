"""``formkit plan`` on the command line: table, JSON, exit codes and exact messages."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from support.episodes import episode

from formkit.cli import cli


def write(tmp_path: Path, name: str, **facts: object) -> Path:
    record = episode(**facts)  # type: ignore[arg-type]
    path = tmp_path / name
    path.write_text(record.model_dump_json(exclude_none=True), encoding="utf-8")
    return path


def test_table_for_an_episode(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "e.json",
        la="bexley",
        legal="looked_after",
        ref="BX-1",
        last_seen="2026-11-06T09:00",
        reported="2026-11-06T10:00",
        ended="2026-11-07T19:30",
    )
    result = CliRunner().invoke(cli, ["plan", str(path), "--now", "09/11/2026 12:00"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Episode BX-1 · profile bexley · as of Mon 09/11/2026 12:00"
    assert any(
        line.split()
        == [
            "OVERDUE",
            "Fri",
            "06/11/2026",
            "17:00",
            "Missing",
            "profile",
            "for",
            "the",
            "police",
            "missing-profile",
        ]
        for line in lines
    ), result.stdout
    assert lines[-1] == (
        "  Documents: missing-profile, strategy-meeting, serious-incident-notification, rhi-form"
    )
    assert "Test" not in result.output  # never the child's name
    assert "1 episode planned; 1 overdue obligation." in result.stderr


def test_json_and_profile_override(tmp_path: Path) -> None:
    path = write(
        tmp_path, "e.json", la="bexley", last_seen="2026-11-02T10:00", ended="2026-11-02T12:00"
    )
    result = CliRunner().invoke(
        cli, ["plan", str(path), "--profile", "statutory", "--now", "2026-11-03T09:00", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["problems"] == []
    (only,) = data["plans"]
    assert only["profile"] == "statutory"
    rhi = next(o for o in only["obligations"] if o["id"] == "rhi")
    assert rhi["status"] == "due" and rhi["due_at"] == "2026-11-05T12:00:00+00:00"


def test_episodes_of_one_child_given_together_count_as_history(tmp_path: Path) -> None:
    files = [
        write(tmp_path, f"e{i}.json", la="buckinghamshire", ref=f"BK-{i}", last_seen=seen)
        for i, seen in enumerate(["2026-09-01T10:00", "2026-10-01T10:00", "2026-11-01T10:00"])
    ]
    result = CliRunner().invoke(
        cli, ["plan", *map(str, files), "--now", "2026-11-02T09:00", "--json"]
    )
    plans = {p["reference"]: p for p in json.loads(result.stdout)["plans"]}
    hub = {
        ref: next(o["status"] for o in p["obligations"] if o["id"] == "hub-consultation")
        for ref, p in plans.items()
    }
    assert hub == {"BK-0": "not_required", "BK-1": "not_required", "BK-2": "consider"}


def test_malformed_profile_exits_1_naming_file_rule_and_field(tmp_path: Path) -> None:
    path = write(tmp_path, "e.json")
    bad = tmp_path / "ours.yaml"
    bad.write_text(
        "id: ours\nname: Ours\nsource: Our protocol\nrules:\n"
        "  - {id: rhi, kind: interview, title: RHI, source: s2,"
        " due: {from: returned, within: 72 hrs}}\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["plan", str(path), "--profile", str(bad)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {bad}: rule 'rhi': due.within: '72 hrs' is not a duration; write it like "
        "'72 hours', '3 days', '5 working days', '1 week', '1 month' or 'same working day'\n"
    )


def test_unknown_local_authority_is_reported_and_the_batch_goes_on(tmp_path: Path) -> None:
    good = write(tmp_path, "a.json", la="rutland", ref="R-1")
    odd = write(tmp_path, "b.json", la="atlantis", ref="A-1")
    result = CliRunner().invoke(cli, ["plan", str(odd), str(good), "--now", "2026-11-03T09:00"])
    assert result.exit_code == 1
    assert "Episode R-1 · profile rutland" in result.stdout
    assert (
        f"error: {odd}: record 1 (A-1): local_authority: there is no profile 'atlantis' (bundled: bedford, "
        "bexley, buckinghamshire, kent-medway, rutland, statutory; or give a path to a YAML file)"
    ) in result.stderr
    assert "1 episode could not be planned." in result.stderr


def test_bad_now_is_a_usage_error(tmp_path: Path) -> None:
    path = write(tmp_path, "e.json")
    result = CliRunner().invoke(cli, ["plan", str(path), "--now", "next tuesday"])
    assert result.exit_code == 2
    assert "'next tuesday' is not a date and time; write it as 2026-11-03T14:30" in result.stderr


def test_samples_print_a_readable_table(sample_episode_files: list[Path]) -> None:
    args = ["plan", *map(str, sample_episode_files), "--now", "2026-12-01T09:00", "--quiet"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert result.stdout.count("Episode ") == len(sample_episode_files)
    assert result.stderr == ""
    for line in result.stdout.splitlines():
        assert len(line) <= 150


def test_help_has_an_example() -> None:
    result = CliRunner().invoke(cli, ["plan", "--help"])
    assert result.exit_code == 0
    assert "formkit plan samples/episodes/*.yaml" in result.output

"""Every ``--now`` reads a date and time the same way, and refuses nonsense as a usage error."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from formkit.cli import cli

SAMPLE = str(
    Path(__file__).resolve().parent.parent / "samples" / "episodes" / "rutland-absent.yaml"
)


@pytest.mark.parametrize(
    "command",
    [["plan", SAMPLE], ["pack", SAMPLE, "-o", "out"], ["tracker", "update", "t.xlsx", SAMPLE],
     ["report", "t.xlsx", "--month", "2026-11"]],
    ids=["plan", "pack", "tracker update", "report"],
)  # fmt: skip
def test_now_refuses_nonsense_as_a_usage_error(tmp_path: Path, command: list[str]) -> None:
    tracker = tmp_path / "t.xlsx"
    tracker.write_bytes(b"")
    args = [str(tmp_path / a) if a in ("t.xlsx", "out") else a for a in command]
    result = CliRunner().invoke(cli, [*args, "--now", "next tuesday"])
    assert result.exit_code == 2
    assert "'next tuesday' is not a date and time; write it as 2026-11-03T14:30" in result.output


def test_now_takes_the_uk_format_everywhere(tmp_path: Path) -> None:
    runner = CliRunner()
    tracker = tmp_path / "tracker.xlsx"
    assert runner.invoke(cli, ["tracker", "init", str(tracker)]).exit_code == 0
    uk = runner.invoke(
        cli, ["tracker", "update", str(tracker), SAMPLE, "--now", "25/11/2026 09:00", "-q"]
    )
    assert uk.exit_code == 0, uk.output
    iso = runner.invoke(
        cli, ["tracker", "update", str(tracker), SAMPLE, "--now", "2026-11-25T09:00", "--dry-run"]
    )
    assert iso.exit_code == 0
    assert "0 inserted, 0 updated, 1 unchanged" in iso.output

"""tracker export: CSV, the DfE SSDA903 Missing table (with its rules) and Annex A list 8."""

from __future__ import annotations

import csv
import io
import re
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_tracker_helpers import episode, write_json

from formkit.cli import cli
from formkit.load import load_episodes
from formkit.model import LONDON, LegalStatus
from formkit.tracker import create_tracker, update_tracker
from formkit.tracker.export import ssda903_problems

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=LONDON)


@pytest.fixture
def sample_tracker(tmp_path: Path, sample_episode_files: list[Path]) -> Path:
    tracker = create_tracker(tmp_path / "tracker.xlsx")
    update_tracker(tracker, sample_episode_files, now=NOW)
    return tracker


def test_ssda903_export_of_the_samples(
    sample_tracker: Path, sample_episode_files: list[Path]
) -> None:
    result = CliRunner().invoke(
        cli, ["tracker", "export", str(sample_tracker), "--format", "ssda903"]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "CHILD,DOB,MISSING,MIS_START,MIS_END"
    records = [r for f in sample_episode_files for r in load_episodes(f)]
    looked_after = [r for r in records if r.child.legal_status == LegalStatus.looked_after]
    assert len(lines) - 1 == len(looked_after) > 0
    uk = re.compile(r"^\d{2}/\d{2}/\d{4}$")
    for row in csv.reader(lines[1:]):
        child, dob, kind, start, end = row
        assert uk.match(dob) and uk.match(start) and (end == "" or uk.match(end))
        assert kind in {"M", "A"}
        record = next(r for r in looked_after if r.child.id == child and
                      r.episode.last_seen_at.strftime("%d/%m/%Y") == start)  # fmt: skip
        assert dob == record.child.date_of_birth.strftime("%d/%m/%Y")
        assert kind == ("M" if record.episode.status == "missing" else "A")
        assert end == (
            record.episode.ended_at.strftime("%d/%m/%Y") if record.episode.ended_at else ""
        )


def test_ssda903_refuses_rows_that_break_dfe_rules(tmp_path: Path) -> None:
    tracker = create_tracker(tmp_path / "t.xlsx")
    open_one = episode("TST-1", episode__ended_at=None, episode__end_reason=None)
    open_one["episode"].pop("ended_at")
    open_one["episode"].pop("end_reason")
    later = episode(
        "TST-2", episode__last_seen_at="2026-10-08T10:00", episode__ended_at="2026-10-09T10:00"
    )
    update_tracker(tracker, [write_json(tmp_path / "e.json", [open_one, later])], now=NOW)
    out = tmp_path / "missing.csv"
    result = CliRunner().invoke(
        cli, ["tracker", "export", str(tracker), "--format", "ssda903", "-o", str(out)]
    )
    assert result.exit_code == 1
    assert "rule 574: starts while TST-1 is still open" in result.output
    assert "TST-2 (child TST-0001)" in result.output
    assert not out.exists()


@pytest.mark.parametrize(
    ("row", "rule"),
    [
        ({"last_seen": datetime(2026, 10, 5), "returned": datetime(2026, 10, 4)}, "rule 567"),
        ({"last_seen": None}, "rule 1004"),
        ({"returned": "31/02/2026"}, "rule 1005"),
        ({"status": "runaway"}, "rule 1006"),
        ({"date_of_birth": datetime(2026, 10, 10)}, "rule 586"),
    ],
)
def test_each_dfe_rule_is_checked(row: dict[str, object], rule: str) -> None:
    base: dict[str, object] = {
        "reference": "R1", "child_id": "C1", "status": "missing", "date_of_birth": datetime(2010, 1, 1),
        "last_seen": datetime(2026, 10, 5), "returned": datetime(2026, 10, 6),
    }  # fmt: skip
    problems = ssda903_problems([{**base, **row}])
    assert len(problems) == 1 and rule in problems[0]


def test_overlapping_closed_periods_break_rule_574() -> None:
    rows: list[dict[str, object]] = [
        {"reference": "R1", "child_id": "C1", "status": "missing",
         "last_seen": datetime(2026, 6, 2), "returned": datetime(2026, 6, 4)},
        {"reference": "R2", "child_id": "C1", "status": "missing",
         "last_seen": datetime(2026, 6, 3), "returned": datetime(2026, 6, 9)},
        {"reference": "R3", "child_id": "C2", "status": "missing",
         "last_seen": datetime(2026, 6, 3), "returned": datetime(2026, 6, 4)},
        {"reference": "R4", "child_id": "C2", "status": "missing",
         "last_seen": datetime(2026, 6, 4), "returned": None},
    ]  # fmt: skip
    assert ssda903_problems(rows) == ["R2 (child C1): rule 574: overlaps R1, which ended later"]


def test_annex_a_counts_the_last_twelve_months(tmp_path: Path) -> None:
    tracker = create_tracker(tmp_path / "t.xlsx")
    records = [
        episode("A-1", episode__last_seen_at="2025-06-01T10:00", episode__ended_at="2025-06-02T10:00"),
        episode("A-2"),
        episode("A-3", episode__status="away_without_authorisation",
                episode__last_seen_at="2026-09-01T10:00", episode__ended_at="2026-09-01T20:00"),
        episode("A-4", episode__last_seen_at="2026-10-20T10:00", episode__ended_at="2026-10-20T22:00",
                return_interview={"offered_at": "2026-10-21T09:00", "accepted": False,
                                  "declined_reason": "Did not want to"}),
    ]  # fmt: skip
    update_tracker(tracker, [write_json(tmp_path / "e.json", records)], now=NOW)
    result = CliRunner().invoke(
        cli, ["tracker", "export", str(tracker), "--format", "annex-a", "--now", "2026-11-01T12:00"]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.output)))
    assert len(rows[0]) == 5
    assert rows[1:] == [["TST-0001", "2", "1", "Y", "N"]]


def test_csv_export_neutralises_formulas(tmp_path: Path) -> None:
    tracker = create_tracker(tmp_path / "t.xlsx")
    data = episode("TST-1", episode__where_found='=HYPERLINK("http://x")')
    update_tracker(tracker, [write_json(tmp_path / "e.json", [data])], now=NOW)
    result = CliRunner().invoke(cli, ["tracker", "export", str(tracker)])
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert rows[0]["Where found"] == '\'=HYPERLINK("http://x")'
    assert rows[0]["Last seen"] == "2026-10-05T18:00"


def test_libreoffice_opens_the_tracker(
    sample_tracker: Path, soffice: str, tmp_path: Path, sample_episode_files: list[Path]
) -> None:
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "csv",
         "--outdir", str(tmp_path / "lo"), str(sample_tracker)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    text = (tmp_path / "lo" / "tracker.csv").read_text(encoding="utf-8", errors="replace")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "Episode reference" and rows[0][-1] == "Source file"
    assert len(rows) - 1 >= 12
    references = {r.reference for f in sample_episode_files for r in load_episodes(f)}
    assert {row[0] for row in rows[1:]} == references

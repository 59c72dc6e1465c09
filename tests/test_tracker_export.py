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
from support.episodes import tracker_episode, write_json

from formkit.cli import cli
from formkit.load import load_episodes
from formkit.model import LONDON, LegalStatus
from formkit.protocol import load_profile
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
        cli,
        ["tracker", "export", str(sample_tracker), "--format", "ssda903", "--year", "2026-27"],
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "CHILD,DOB,MISSING,MIS_START,MIS_END"
    records = [r for f in sample_episode_files for r in load_episodes(f)]
    # Independently: looked-after children each sample's own council is responsible for (the
    # statutory profile names no council, so it cannot tell and keeps its children).
    ours = [
        r
        for r in records
        if r.child.legal_status == LegalStatus.looked_after
        and (
            r.local_authority == "statutory"
            or load_profile(r.local_authority).is_own_authority(r.child.responsible_authority)
        )
    ]
    assert any(
        r.child.legal_status == LegalStatus.looked_after and r not in ours for r in records
    ), "the samples include another council's child, which the export must leave out"
    assert len(lines) - 1 == len(ours) > 0
    uk = re.compile(r"^\d{2}/\d{2}/\d{4}$")
    for row in csv.reader(lines[1:]):
        child, dob, kind, start, end = row
        assert uk.match(dob) and uk.match(start) and (end == "" or uk.match(end))
        record = next(r for r in ours if r.child.id == child and
                      r.episode.last_seen_at.strftime("%d/%m/%Y") == start)  # fmt: skip
        assert dob == record.child.date_of_birth.strftime("%d/%m/%Y")
        known = record.episode.whereabouts_known
        if known is None:
            known = record.episode.status == "away_without_authorisation"
        assert kind == ("A" if known else "M")
        assert end == (
            record.episode.ended_at.strftime("%d/%m/%Y") if record.episode.ended_at else ""
        )


def test_ssda903_refuses_rows_that_break_dfe_rules(tmp_path: Path) -> None:
    tracker = create_tracker(tmp_path / "t.xlsx")
    open_one = tracker_episode("TST-1", episode__ended_at=None, episode__end_reason=None)
    open_one["episode"].pop("ended_at")
    open_one["episode"].pop("end_reason")
    later = tracker_episode(
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


OFSTED_LIST_8_HEADINGS = [
    "Number of Episodes the Child has been \u2018Missing\u2019 from their Placement in the last "
    "12 months",
    "Number of Episodes the Child has been \u2018Absent\u2019 from their Placement in the last "
    "12 months",
    "Was the child offered a Return Interview after their last missing episode (Y/N)?",
    "Did the child accept a Return Interview after their last missing episode (Y/N)?",
]


def test_annex_a_has_ofsteds_headings_and_counts_history(tmp_path: Path) -> None:
    tracker = create_tracker(tmp_path / "t.xlsx")
    history = [
        {"started_at": "2026-03-01T10:00", "ended_at": "2026-03-02T10:00"},  # missing: counts
        {"started_at": "2025-10-01T10:00"},  # before the 12 months
        # A-3 again, as a history entry: counted once (the row wins)
        {"started_at": "2026-09-01T10:00", "ended_at": "2026-09-01T20:00", "status": "absent"},
        # police "absent" but whereabouts known: DfE's away without authorisation, 'Absent'
        {"started_at": "2026-07-01T10:00", "status": "absent", "whereabouts_known": True},
    ]
    records = [
        tracker_episode("A-1", episode__last_seen_at="2025-06-01T10:00", episode__ended_at="2025-06-02T10:00"),
        tracker_episode("A-2"),
        tracker_episode("A-3", episode__status="away_without_authorisation",
                episode__last_seen_at="2026-09-01T10:00", episode__ended_at="2026-09-01T20:00"),
        tracker_episode("A-4", episode__last_seen_at="2026-10-20T10:00", episode__ended_at="2026-10-20T22:00",
                history=history,
                return_interview={"offered_at": "2026-10-21T09:00", "accepted": False,
                                  "declined_reason": "Did not want to"}),
        # police "absent", whereabouts not recorded: DfE 'M', a missing episode
        tracker_episode("B-1", child__id="TST-0002", episode__status="absent",
                episode__last_seen_at="2026-10-10T10:00", episode__ended_at="2026-10-10T20:00",
                return_interview={"held_at": "2026-10-12T10:00"}),
        # another council's child placed in Bexley: Kent's list, not Bexley's
        tracker_episode("C-1", child__id="TST-0003", child__responsible_authority="Kent County Council"),
        # still missing at the as-at date: the interview questions are not answered yet
        tracker_episode("E-1", child__id="TST-0005", episode__last_seen_at="2026-10-30T10:00",
                episode__ended_at=None, episode__end_reason=None, episode__where_found=None),
        # not looked after
        tracker_episode("D-1", child__id="TST-0004", child__legal_status="child_in_need",
                child__responsible_authority=None, child__placement={"type": "home"},
                episode__missing_from="home"),
    ]  # fmt: skip
    for record in records:  # an open episode has no end fields at all
        record["episode"] = {k: v for k, v in record["episode"].items() if v is not None}
    update_tracker(tracker, [write_json(tmp_path / "e.json", records)], now=NOW)
    result = CliRunner().invoke(
        cli, ["tracker", "export", str(tracker), "--format", "annex-a", "--as-at", "2026-11-01"]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.output)))
    assert rows[0] == [
        "Child Unique ID",
        "Date of Birth",
        "Age of Child (Years)",
        *OFSTED_LIST_8_HEADINGS,
    ]
    assert rows[1:] == [
        ["TST-0001", "02/04/2011", "15", "3", "2", "Y", "N"],
        ["TST-0002", "02/04/2011", "15", "1", "0", "Y", "Y"],
        ["TST-0005", "02/04/2011", "15", "1", "0", "", ""],
    ]
    # 12 months to the end of 1 September 2026: missing in October 2025 and March 2026 (both known
    # only from history, so the interview answers are blank); absent on 1 July and A-3 that day.
    earlier = CliRunner().invoke(
        cli, ["tracker", "export", str(tracker), "--format", "annex-a", "--as-at", "2026-09-01"]
    )
    assert list(csv.reader(io.StringIO(earlier.output)))[1:] == [
        ["TST-0001", "02/04/2011", "15", "2", "2", "", ""],
    ]


def test_csv_export_neutralises_formulas(tmp_path: Path) -> None:
    tracker = create_tracker(tmp_path / "t.xlsx")
    data = tracker_episode("TST-1", episode__where_found='=HYPERLINK("http://x")')
    update_tracker(tracker, [write_json(tmp_path / "e.json", [data])], now=NOW)
    result = CliRunner().invoke(cli, ["tracker", "export", str(tracker)])
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert rows[0]["Where found"] == '\'=HYPERLINK("http://x")'
    assert rows[0]["Last seen"] == "2026-10-05T18:00"


@pytest.mark.libreoffice
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
    assert rows[0][0] == "Episode reference" and rows[0][-1] == "Needs review"
    assert len(rows) - 1 >= 12
    references = {r.reference for f in sample_episode_files for r in load_episodes(f)}
    assert {row[0] for row in rows[1:]} == references

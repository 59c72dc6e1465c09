"""Each figure of the monthly report equals an independent count from the tracker's rows.

The rows are read back with openpyxl (not formkit's reader) and every figure is counted again
here by brute force, from the written definitions: once on a hand-made month whose answers were
worked out by hand (an episode open at month end for 26 hours, a child missing since March, a
24.5-hour episode across the October clock change, an episode known only from a file's
history), and once on a generated set.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from support.episodes import tracker_episode, write_json
from test_tracker_helpers import table_rows

from formkit.model import LONDON
from formkit.model.values import EndReason
from formkit.synthetic import iter_episodes
from formkit.tracker import create_tracker, update_tracker
from formkit.tracker.export import read_rows
from formkit.tracker.report import FIGURES, compute
from formkit.words import code_for

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=LONDON)
STAMP = re.compile(r"(\d\d/\d\d/\d{4} \d\d:\d\d)(?: to (\d\d/\d\d/\d{4} \d\d:\d\d))?")


def _hours(start: datetime, end: datetime) -> float:
    def utc(moment: datetime) -> datetime:
        return moment.replace(tzinfo=LONDON).astimezone(UTC)

    return (utc(end) - utc(start)).total_seconds() / 3600


def independent(rows: list[dict[str, Any]], month: str, now: datetime) -> dict[str, Any]:
    """Every figure, counted from header-keyed rows without formkit's code."""
    first = datetime.strptime(month, "%Y-%m")
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    as_at = min(now.astimezone(LONDON).replace(tzinfo=None), following - timedelta(seconds=1))
    episodes: dict[tuple[str, datetime], dict[str, Any]] = {}
    for row in rows:
        key = (str(row["Child ID"]), row["Last seen"].replace(second=0))
        episodes[key] = {
            "child": key[0],
            "start": row["Last seen"],
            "end": row["Returned"],
            "row": row,
        }
    for row in rows:
        for start, end in STAMP.findall(row.get("Previous episodes") or ""):
            began = datetime.strptime(start, "%d/%m/%Y %H:%M")
            ended = datetime.strptime(end, "%d/%m/%Y %H:%M") if end else None
            key = (str(row["Child ID"]), began)
            episodes.setdefault(key, {"child": key[0], "start": began, "end": ended, "row": None})

    def back(e: dict[str, Any]) -> bool:
        return e["end"] is not None and e["end"] <= as_at

    def lasted(e: dict[str, Any]) -> float:
        return _hours(e["start"], e["end"] if back(e) else as_at)

    def by(value: Any) -> bool:
        return isinstance(value, datetime) and value <= as_at

    known = [e for e in episodes.values() if e["start"] <= as_at]
    month_eps = [
        e for e in known if (e["start"].year, e["start"].month) == (first.year, first.month)
    ]
    month_rows = [e["row"] for e in month_eps if e["row"] is not None]
    found = [r for r in month_rows if by(r["Returned"])]
    long = [e for e in month_eps if lasted(e) >= 24]
    latest: dict[str, dict[str, Any]] = {}
    for row in sorted(rows, key=lambda r: r["Last seen"]):
        if row["Last seen"] <= as_at:
            latest[str(row["Child ID"])] = row
    children = {e["child"] for e in month_eps}
    figures = {
        "Missing episodes": len(month_eps),
        "Children who went missing": len(children),
        "Episodes of 24 hours or more": len(long),
        "Children with an episode of 24 hours or more": len({e["child"] for e in long}),
        "Children found who were offered a return interview": len(
            {str(r["Child ID"]) for r in found if r["RHI offered"] == "Y"}
        ),
        "Children found who received a return interview": len(
            {str(r["Child ID"]) for r in found if by(r["RHI held"])}
        ),
        "Missing children in residential placements": sum(
            1
            for c in children
            if latest.get(c, {}).get("Placement type") == "Residential"  # the cell shows words
        ),
        "Missing children placed out of borough": sum(
            1 for c in children if latest.get(c, {}).get("In area") == "N"
        ),
        "Strategy meetings held": sum(1 for r in month_rows if by(r["Strategy meeting held"])),
        "Risk assessments completed": sum(
            1 for r in month_rows if by(r["Risk assessment completed"])
        ),
        "Serious incident notifications sent": sum(1 for r in month_rows if by(r["SIN sent"])),
        "Director's letters sent": sum(1 for r in month_rows if by(r["Director's letter sent"])),
        "Children missing at the end of the month": len({e["child"] for e in known if not back(e)}),
    }
    within = sum(
        1 for r in found if by(r["RHI held"]) and _hours(r["Returned"], r["RHI held"]) <= 72
    )
    late = sum(1 for r in found if by(r["RHI held"]) and _hours(r["Returned"], r["RHI held"]) > 72)
    declined = sum(1 for r in found if not by(r["RHI held"]) and r["RHI accepted"] == "N")
    overdue = sum(
        1
        for r in found
        if not by(r["RHI held"])
        and r["RHI accepted"] != "N"
        and by(r["RHI due"])
        and r["RHI due"] < as_at
    )
    six_months_ago = as_at - timedelta(days=183)
    current = {e["child"] for e in known if e["start"] >= six_months_ago or not back(e)}
    return {
        "figures": figures,
        "rhi": {"Within 72 hours": within, "Late": late, "Overdue, not yet held": overdue,
                "Declined": declined},
        # Cells show words (older trackers codes): counted as codes, as the export reads them.
        "where_found": dict(
            Counter(code_for(EndReason, r["End reason"]) for r in found if r["End reason"])
        ),
        "per_child": sorted(
            (c, sum(1 for e in month_eps if e["child"] == c),
             sum(1 for e in long if e["child"] == c))
            for c in children
        ),
        "current": {
            c: (
                "Y" if any(not back(e) for e in known if e["child"] == c) else "N",
                sum(1 for e in known if e["child"] == c and e["start"] >= six_months_ago),
            )
            for c in current
        },
        "weeks_total": len(month_eps),
    }  # fmt: skip


def formkit_figures(tracker: Path, month: str, now: datetime) -> dict[str, Any]:
    result = compute(read_rows(tracker), month, now=now)
    return {
        "figures": dict(result.figures),
        "rhi": dict(result.rhi_timeliness),
        # The report shows words; compared as the codes the rows hold.
        "where_found": {code_for(EndReason, k): n for k, n in result.where_found},
        "per_child": result.per_child,
        "current": {line[0]: (line[2], line[3]) for line in result.current},
        "weeks_total": sum(count for _, count in result.weeks),
    }


@pytest.fixture
def hand_made(tmp_path: Path) -> Path:
    tracker = create_tracker(tmp_path / "t.xlsx")
    records = [
        tracker_episode("A-1", return_interview={"held_at": "2026-10-07T10:00"},
                risk_assessment={"completed_at": "2026-10-08T10:00"}),
        tracker_episode("A-2", episode__last_seen_at="2026-10-12T20:00", episode__ended_at="2026-10-14T08:00",
                return_interview={"held_at": "2026-10-20T10:00"},
                history=[{"started_at": "2026-10-01T10:00", "ended_at": "2026-10-01T15:00"},
                         {"started_at": "2026-03-01T10:00", "ended_at": "2026-03-01T12:00"}]),
        tracker_episode("B-1", child__id="TST-0002", child__placement={"type": "foster", "in_area": True},
                episode__last_seen_at="2026-10-30T22:00", episode__ended_at=None,
                episode__end_reason=None, episode__where_found=None,
                meetings=[{"kind": "strategy", "held_at": "2026-11-01T10:00"}]),
        tracker_episode("C-1", child__id="TST-0003", episode__last_seen_at="2026-03-15T10:00",
                episode__ended_at=None, episode__end_reason=None, episode__where_found=None),
        tracker_episode("D-1", child__id="TST-0004", child__placement={"type": "residential", "in_area": True},
                episode__last_seen_at="2026-10-25T00:30", episode__ended_at="2026-10-26T00:00",
                return_interview={"offered_at": "2026-10-26T09:00", "accepted": False,
                                  "declined_reason": "No"},
                meetings=[{"kind": "strategy", "held_at": "2026-10-25T12:00"}],
                notifications=[{"kind": "sin", "sent_at": "2026-10-26T10:00"}]),
        tracker_episode("D-2", child__id="TST-0004", child__placement={"type": "residential", "in_area": True},
                episode__last_seen_at="2026-10-31T20:00", episode__ended_at="2026-11-01T09:00"),
        tracker_episode("E-1", child__id="TST-0005", episode__last_seen_at="2026-09-12T20:00",
                episode__ended_at="2026-09-13T08:00"),
        tracker_episode("F-1", child__id="TST-0006", child__placement={"type": "foster", "in_area": False},
                episode__last_seen_at="2026-10-02T10:00", episode__ended_at="2026-10-02T20:00"),
    ]  # fmt: skip
    for record in records:  # an open episode has no end fields at all
        record["episode"] = {k: v for k, v in record["episode"].items() if v is not None}
    update_tracker(tracker, [write_json(tmp_path / "e.json", records)], now=NOW)
    return tracker


def test_each_figure_equals_the_hand_count_and_the_independent_count(hand_made: Path) -> None:
    mine = formkit_figures(hand_made, "2026-10", NOW)
    again = independent(table_rows(hand_made), "2026-10", NOW)
    assert mine == again
    assert mine["figures"] == {
        "Missing episodes": 7,  # A's 1 October (history only), B-1, D-1, D-2, F-1
        "Children who went missing": 4,
        "Episodes of 24 hours or more": 3,  # A-2 36 h, B-1 open 26 h, D-1 24.5 real hours
        "Children with an episode of 24 hours or more": 3,
        "Children found who were offered a return interview": 2,  # A (held), D (declined)
        "Children found who received a return interview": 1,
        "Missing children in residential placements": 2,  # A, D
        "Missing children placed out of borough": 2,  # A, F
        "Strategy meetings held": 1,  # D-1; B-1's is after the month
        "Risk assessments completed": 1,
        "Serious incident notifications sent": 1,
        "Director's letters sent": 0,
        "Children missing at the end of the month": 3,  # B, C (since March), D (D-2)
    }
    assert mine["rhi"] == {
        "Within 72 hours": 1,
        "Late": 1,
        "Overdue, not yet held": 1,  # F-1
        "Declined": 1,
    }
    assert mine["current"]["TST-0003"] == ("Y", 0)  # missing since before the six months
    assert mine["current"]["TST-0001"] == ("N", 3)  # and 1 October; March is older


def test_every_figure_is_defined_once_with_a_docstring() -> None:
    labels = [label for label, _ in FIGURES]
    assert len(labels) == len(set(labels))
    for _, figure in FIGURES:
        assert figure.__doc__ and len(figure.__doc__.split()) >= 6, figure.__name__


@pytest.mark.slow
def test_each_figure_equals_the_independent_count_on_a_generated_set(tmp_path: Path) -> None:
    records = [r.model_dump(mode="json") for r in iter_episodes(600, seed=14)]
    tracker = create_tracker(tmp_path / "t.xlsx")
    now = datetime(2026, 11, 20, 12, 0, tzinfo=LONDON)
    update_tracker(tracker, [write_json(tmp_path / "e.json", records)], now=now)
    rows = table_rows(tracker)
    for month in ("2026-10", "2026-11"):
        mine = formkit_figures(tracker, month, now)
        assert mine == independent(rows, month, now), month
        assert mine["figures"]["Missing episodes"] > 20

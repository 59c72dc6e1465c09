"""Hand-computed plans across the six profiles: one row, one obligation, one expected answer.

Each row says the profile, the episode facts, the moment of planning, the obligation id and the
status and due time worked out by hand from the protocol and a calendar (dates in 2026-27; bank
holidays of England; October clock change on 25 October 2026).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pytest
from protocol_helpers import assert_obligation
from support.episodes import episode

from formkit.model import LONDON
from formkit.protocol import plan


@dataclass
class Case:
    name: str
    profile: str
    facts: dict[str, Any]
    now: str
    obligation: str
    status: str
    due: str | None = None  # London wall-clock "YYYY-MM-DDTHH:MM", None when no deadline
    others: list[dict[str, Any]] = field(default_factory=list)


OLA = {"legal": "looked_after", "responsible": "Kent County Council", "host": "Bexley"}
RETURNED_FRIDAY = {"last_seen": "2026-11-06T09:00", "ended": "2026-11-06T19:30"}

CASES = [
    # --- statutory: 72 h RHI across the October clock change -----------------------------------
    Case(
        "RHI due across clock change",
        "statutory",
        {"last_seen": "2026-10-24T08:00", "ended": "2026-10-24T22:00"},
        "2026-10-26T12:00",
        "rhi",
        "due",
        "2026-10-27T21:00",
    ),
    Case(
        "RHI overdue after 72 real hours",
        "statutory",
        {"last_seen": "2026-10-24T08:00", "ended": "2026-10-24T22:00"},
        "2026-10-27T21:30",
        "rhi",
        "overdue",
        "2026-10-27T21:00",
    ),
    Case(
        "RHI not yet overdue at 21:00 wall clock minus a minute",
        "statutory",
        {"last_seen": "2026-10-24T08:00", "ended": "2026-10-24T22:00"},
        "2026-10-27T20:59",
        "rhi",
        "due",
        "2026-10-27T21:00",
    ),
    Case(
        "RHI held is done",
        "statutory",
        {
            "last_seen": "2026-10-24T08:00",
            "ended": "2026-10-24T22:00",
            "interview": {"held_at": "2026-10-26T10:00"},
        },
        "2026-11-01T12:00",
        "rhi",
        "done",
        "2026-10-27T21:00",
    ),
    Case(
        "RHI declined counts as done",
        "statutory",
        {
            "last_seen": "2026-10-24T08:00",
            "ended": "2026-10-24T22:00",
            "interview": {"accepted": False, "offered_at": "2026-10-25T10:00"},
        },
        "2026-11-01T12:00",
        "rhi",
        "done",
        "2026-10-27T21:00",
    ),
    Case(
        "RHI waits while the child is missing",
        "statutory",
        {"last_seen": "2026-10-24T08:00"},
        "2026-10-26T12:00",
        "rhi",
        "not_required",
    ),
    Case(
        "statutory OLA notification, Friday evening report",
        "statutory",
        {
            "legal": "looked_after",
            "responsible": "Kent County Council",
            "host": "Rutland",
            "last_seen": "2026-11-06T18:00",
            "reported": "2026-11-06T19:30",
        },
        "2026-11-07T09:00",
        "ola-notification",
        "due",
        "2026-11-09T17:00",
    ),
    Case(
        "statutory OLA not required in own area",
        "statutory",
        {"legal": "looked_after", "responsible": "Rutland", "host": "Rutland"},
        "2026-11-03T09:00",
        "ola-notification",
        "not_required",
    ),
    Case(
        "missing profile reported on the August bank holiday",
        "statutory",
        {"last_seen": "2026-08-31T07:00", "reported": "2026-08-31T10:00"},
        "2026-08-31T12:00",
        "missing-profile",
        "due",
        "2026-09-01T17:00",
    ),
    # --- Bexley: SIN for looked-after vs not-known child, 20 h vs 25 h --------------------------
    Case(
        "Bexley SIN looked after, missing 20 h",
        "bexley",
        {
            "legal": "looked_after",
            "last_seen": "2026-11-03T08:00",
            "reported": "2026-11-03T10:00",
            "ended": "2026-11-04T04:00",
        },
        "2026-11-04T12:00",
        "sin",
        "due",
        "2026-11-04T17:00",
    ),
    Case(
        "Bexley SIN not known, missing 20 h",
        "bexley",
        {
            "last_seen": "2026-11-03T08:00",
            "reported": "2026-11-03T10:00",
            "ended": "2026-11-04T04:00",
        },
        "2026-11-04T12:00",
        "sin",
        "not_required",
    ),
    Case(
        "Bexley SIN not known, missing 25 h",
        "bexley",
        {
            "last_seen": "2026-11-03T08:00",
            "reported": "2026-11-03T10:00",
            "ended": "2026-11-04T09:00",
        },
        "2026-11-04T12:00",
        "sin",
        "due",
        "2026-11-04T17:00",
    ),
    Case(
        "Bexley SIN looked after, missing 25 h",
        "bexley",
        {
            "legal": "looked_after",
            "last_seen": "2026-11-03T08:00",
            "reported": "2026-11-03T10:00",
            "ended": "2026-11-04T09:00",
        },
        "2026-11-05T18:00",
        "sin",
        "overdue",
        "2026-11-04T17:00",
    ),
    Case(
        "Bexley SIN not known, still missing at 25 h",
        "bexley",
        {"last_seen": "2026-11-03T08:00", "reported": "2026-11-03T10:00"},
        "2026-11-04T09:00",
        "sin",
        "due",
        "2026-11-04T17:00",
    ),
    Case(
        "Bexley SIN not known, 24 h only 23 on the clock (October change)",
        "bexley",
        {
            "last_seen": "2026-10-24T12:00",
            "reported": "2026-10-24T13:00",
            "ended": "2026-10-25T11:00",
        },
        "2026-10-26T09:00",
        "sin",
        "due",
        "2026-10-26T17:00",
    ),
    Case(
        "Bexley SIN sent",
        "bexley",
        {
            "legal": "child_protection",
            "last_seen": "2026-11-03T08:00",
            "reported": "2026-11-03T10:00",
            "notifications": (("sin", "2026-11-03T16:00"),),
        },
        "2026-11-05T09:00",
        "sin",
        "done",
        "2026-11-04T17:00",
    ),
    Case(
        "Bexley SIN is the home authority's job for an OLA child",
        "bexley",
        {**OLA, "last_seen": "2026-11-03T08:00", "ended": "2026-11-04T09:00"},
        "2026-11-04T12:00",
        "sin",
        "not_required",
    ),
    # --- Bexley: director's letter on the 4th OLA notification ----------------------------------
    Case(
        "Bexley 4th OLA notification: director's letter, bank holiday",
        "bexley",
        {**OLA, "ola": 4, "last_seen": "2026-08-31T01:00", "reported": "2026-08-31T11:00"},
        "2026-08-31T12:00",
        "director-letter",
        "due",
        "2026-09-01T17:00",
    ),
    Case(
        "Bexley 3rd OLA notification: no letter",
        "bexley",
        {**OLA, "ola": 3, "reported": "2026-11-02T11:00"},
        "2026-11-02T12:00",
        "director-letter",
        "not_required",
    ),
    Case(
        "Bexley 3rd notification but CSE risk: letter",
        "bexley",
        {**OLA, "ola": 3, "risks": ("cse",), "reported": "2026-11-02T11:00"},
        "2026-11-02T12:00",
        "director-letter",
        "due",
        "2026-11-02T17:00",
    ),
    Case(
        "Bexley 4th counted from history",
        "bexley",
        {
            **OLA,
            "reported": "2026-11-02T11:00",
            "history": ("2026-06-01T10:00", "2026-08-01T10:00", "2026-10-01T10:00"),
        },
        "2026-11-02T18:00",
        "director-letter",
        "overdue",
        "2026-11-02T17:00",
    ),
    Case(
        "Bexley director's letter signed and sent",
        "bexley",
        {
            **OLA,
            "ola": 5,
            "reported": "2026-11-02T11:00",
            "notifications": (("director_letter", "2026-11-02T16:00"),),
        },
        "2026-11-03T09:00",
        "director-letter",
        "done",
        "2026-11-02T17:00",
    ),
    Case(
        "Bexley letter not for a Bexley child",
        "bexley",
        {"legal": "looked_after", "responsible": "London Borough of Bexley", "ola": 6},
        "2026-11-02T12:00",
        "director-letter",
        "not_required",
    ),
    Case(
        "Bexley NYAS request within 24 h of a Friday-evening return",
        "bexley",
        {"legal": "looked_after", **RETURNED_FRIDAY, "interview": {"independent_requested": True}},
        "2026-11-07T09:00",
        "nyas-referral",
        "due",
        "2026-11-07T19:30",
    ),
    Case(
        "Bexley NYAS chased 72 h after referral",
        "bexley",
        {
            "legal": "looked_after",
            **RETURNED_FRIDAY,
            "interview": {"independent_requested": True, "referred_at": "2026-11-07T10:00"},
        },
        "2026-11-10T11:00",
        "nyas-follow-up",
        "overdue",
        "2026-11-10T10:00",
    ),
    Case(
        "Bexley strategy meeting at 24 h, next working day",
        "bexley",
        {"last_seen": "2026-11-06T09:00", "reported": "2026-11-06T19:30"},
        "2026-11-07T10:00",
        "strategy-meeting",
        "due",
        "2026-11-09T17:00",
    ),
    # --- Buckinghamshire: 3 episodes in 90 days → Hub consultation ------------------------------
    Case(
        "Bucks 3 in 90 days: Hub consultation",
        "buckinghamshire",
        {
            "last_seen": "2026-11-02T10:00",
            "reported": "2026-11-02T11:00",
            "history": ("2026-08-10T10:00", "2026-10-01T22:00"),
        },
        "2026-11-03T09:00",
        "hub-consultation",
        "consider",
        "2026-11-09T17:00",
    ),
    Case(
        "Bucks 3 episodes but one 100 days ago: none",
        "buckinghamshire",
        {"last_seen": "2026-11-02T10:00", "history": ("2026-07-25T10:00", "2026-10-01T22:00")},
        "2026-11-03T09:00",
        "hub-consultation",
        "not_required",
    ),
    Case(
        "Bucks 3 in 90 days counting another file of the same child",
        "buckinghamshire",
        {
            "last_seen": "2026-11-02T10:00",
            "reported": "2026-11-02T11:00",
            "history": ("2026-10-01T22:00",),
        },
        "2026-11-03T09:00",
        "hub-consultation",
        "consider",
        "2026-11-09T17:00",
        others=[{"last_seen": "2026-09-15T10:00", "ended": "2026-09-15T20:00", "ref": "T-0"}],
    ),
    Case(
        "Bucks strategy meeting lapses when back within a day",
        "buckinghamshire",
        {"last_seen": "2026-11-02T10:00", "ended": "2026-11-02T20:00"},
        "2026-11-09T09:00",
        "strategy-meeting",
        "not_required",
    ),
    # --- Buckinghamshire: still missing → the repeating reviews due so far ----------------------
    *[
        Case(
            f"Bucks still missing: {oid}",
            "buckinghamshire",
            {
                "last_seen": "2026-11-02T10:00",
                "meetings": (
                    ("strategy", "2026-11-03T14:00"),
                    ("multi_agency", "2026-11-05T10:00"),
                    ("review", "2026-11-12T11:00"),
                ),
            },
            "2026-11-23T12:00",
            oid,
            status,
            due,
        )
        for oid, status, due in [
            ("strategy-meeting", "done", "2026-11-05T10:00"),
            ("strategy-review-1", "overdue", "2026-11-10T14:00"),
            ("strategy-review-3", "due", "2026-11-24T14:00"),
            ("multi-agency-meeting", "done", "2026-11-09T17:00"),
            ("review-1", "done", "2026-11-12T17:00"),
            ("review-2", "overdue", "2026-11-19T17:00"),
            ("review-3", "due", "2026-11-26T17:00"),
        ]
    ],
    # --- Kent & Medway ----------------------------------------------------------------------
    Case(
        "Kent missing-from-care meeting within 3 days",
        "kent-medway",
        {"legal": "looked_after", "last_seen": "2026-11-01T10:00"},
        "2026-11-02T12:00",
        "missing-from-care-meeting",
        "due",
        "2026-11-04T10:00",
    ),
    Case(
        "Kent monthly review after the first meeting",
        "kent-medway",
        {
            "legal": "looked_after",
            "last_seen": "2026-11-01T10:00",
            "meetings": (("missing_from_care", "2026-11-03T15:00"),),
        },
        "2026-12-02T12:00",
        "missing-from-care-review-1",
        "due",
        "2026-12-03T15:00",
    ),
    Case(
        "Kent Assistant Director within 3 days",
        "kent-medway",
        {"legal": "looked_after", "last_seen": "2026-11-01T10:00"},
        "2026-12-02T12:00",
        "assistant-director",
        "overdue",
        "2026-11-04T10:00",
    ),
    Case(
        "Kent Lead Member within 7 days",
        "kent-medway",
        {
            "legal": "looked_after",
            "last_seen": "2026-11-01T10:00",
            "notifications": (("lead_member", "2026-11-06T09:00"),),
        },
        "2026-12-02T12:00",
        "lead-member",
        "done",
        "2026-11-08T10:00",
    ),
    Case(
        "Kent CP strategy meeting not needed after return",
        "kent-medway",
        {"legal": "child_protection", "last_seen": "2026-11-01T10:00", "ended": "2026-11-03T10:00"},
        "2026-11-10T12:00",
        "strategy-meeting",
        "not_required",
    ),
    Case(
        "Kent CP strategy meeting within 7 days",
        "kent-medway",
        {
            "legal": "child_protection",
            "last_seen": "2026-11-01T10:00",
            "reported": "2026-11-01T12:00",
        },
        "2026-11-03T12:00",
        "strategy-meeting",
        "due",
        "2026-11-08T12:00",
    ),
    # --- Rutland: every 3 days while missing ------------------------------------------------
    *[
        Case(
            f"Rutland still missing: {oid}",
            "rutland",
            {
                "legal": "looked_after",
                "last_seen": "2026-11-01T08:00",
                "reported": "2026-11-01T09:00",
                "meetings": (
                    ("urgent_case_review", "2026-11-03T16:00"),
                    ("review", "2026-11-06T11:00"),
                ),
            },
            "2026-11-10T12:00",
            oid,
            status,
            due,
        )
        for oid, status, due in [
            ("head-of-service", "overdue", "2026-11-01T10:00"),
            ("urgent-case-review", "done", "2026-11-04T08:00"),
            ("case-review-1", "done", "2026-11-06T16:00"),
            ("case-review-2", "overdue", "2026-11-09T11:00"),
            ("case-review-3", "due", "2026-11-12T11:00"),
            ("dcs-briefing", "overdue", "2026-11-05T08:00"),
        ]
    ],
    Case(
        "Rutland Youth Service turnaround: 72 h from the referral",
        "rutland",
        {**RETURNED_FRIDAY, "interview": {"referred_at": "2026-11-09T10:00"}},
        "2026-11-10T12:00",
        "rhi-youth-service",
        "due",
        "2026-11-12T10:00",
    ),
    Case(
        "Rutland RHI from return until referred",
        "rutland",
        RETURNED_FRIDAY,
        "2026-11-10T12:00",
        "rhi",
        "overdue",
        "2026-11-09T19:30",
    ),
    Case(
        "Rutland no DCS briefing after 2 days",
        "rutland",
        {"last_seen": "2026-11-01T08:00", "ended": "2026-11-03T08:00"},
        "2026-11-10T12:00",
        "dcs-briefing",
        "not_required",
    ),
    # --- Bedford ----------------------------------------------------------------------------
    Case(
        "Bedford strategy meeting after 30 h",
        "bedford",
        {
            "last_seen": "2026-11-02T08:00",
            "reported": "2026-11-02T10:00",
            "ended": "2026-11-03T14:00",
        },
        "2026-11-03T15:00",
        "strategy-meeting",
        "due",
        "2026-11-04T10:00",
    ),
    Case(
        "Bedford no strategy meeting at 10 h",
        "bedford",
        {"last_seen": "2026-11-02T08:00", "ended": "2026-11-02T18:00"},
        "2026-11-03T15:00",
        "strategy-meeting",
        "not_required",
    ),
    Case(
        "Bedford strategy meeting for CSE risk at 10 h",
        "bedford",
        {
            "last_seen": "2026-11-02T08:00",
            "reported": "2026-11-02T09:00",
            "ended": "2026-11-02T18:00",
            "risks": ("cse",),
        },
        "2026-11-03T15:00",
        "strategy-meeting",
        "due",
        "2026-11-04T09:00",
    ),
    Case(
        "Bedford third episode: strategy meeting to consider",
        "bedford",
        {
            "last_seen": "2026-11-02T08:00",
            "reported": "2026-11-02T09:00",
            "ended": "2026-11-02T18:00",
            "history": ("2026-01-05T10:00", "2026-05-05T10:00"),
        },
        "2026-11-03T15:00",
        "repeat-episodes-consider",
        "consider",
    ),
    Case(
        "Bedford very young child: within hours",
        "bedford",
        {"dob": "2023-06-01", "last_seen": "2026-11-02T08:00", "reported": "2026-11-02T09:00"},
        "2026-11-02T14:00",
        "strategy-meeting-urgent",
        "overdue",
        "2026-11-02T13:00",
    ),
    Case(
        "Bedford NYAS referral for looked-after child who asked",
        "bedford",
        {"legal": "looked_after", **RETURNED_FRIDAY, "interview": {"independent_requested": True}},
        "2026-11-07T09:00",
        "nyas-referral",
        "due",
        "2026-11-07T19:30",
    ),
    Case(
        "Bedford no NYAS referral when not asked",
        "bedford",
        {"legal": "looked_after", **RETURNED_FRIDAY},
        "2026-11-07T09:00",
        "nyas-referral",
        "not_required",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hand_computed_plan(case: Case) -> None:
    record = episode(case.profile, **case.facts)
    others = [episode(case.profile, **o) for o in case.others]
    now = datetime.fromisoformat(case.now).replace(tzinfo=LONDON)
    result = plan(record, now=now, others=others)
    assert result.profile == case.profile
    assert_obligation(result, case.obligation, case.status, case.due)


def test_there_are_at_least_forty_cases_across_all_six_profiles() -> None:
    assert len(CASES) >= 40
    assert {c.profile for c in CASES} == {
        "statutory",
        "bedford",
        "bexley",
        "buckinghamshire",
        "kent-medway",
        "rutland",
    }

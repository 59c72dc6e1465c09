"""More hand-computed plans, each with the sentence of the seed protocol it rests on.

Every row was worked out by hand before running ``formkit plan``: the profile, the episode
facts, the moment of planning, the obligation, its expected status and its due time (London wall
clock). Calendar facts used: bank holidays of England 2026-27 (31 August, 25 and 28 December
2026, 1 January, 26 and 29 March 2027), the October clock change (25 October 2026, 02:00 BST
becomes 01:00 GMT) and the spring one (28 March 2027, 01:00 GMT becomes 02:00 BST). Hours are
real elapsed hours; "days" keep the wall-clock time; "same working day" is 17:00 that day, or the
next working day when the event falls after 17:00 or on a day off.

Seeds (in ../shared/seeds): 000 Bedford, 001 Kent and Medway, 002 Bexley, 003 Buckinghamshire,
004 Rutland; "DfE 2014" is the statutory guidance the statutory profile follows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from protocol_helpers import assert_obligation
from support.episodes import episode

from formkit.cli import cli
from formkit.model import LONDON
from formkit.protocol import plan


@dataclass
class Case:
    name: str
    profile: str
    seed: str  # the protocol's own words the expected answer rests on
    facts: dict[str, Any]
    now: str
    obligation: str
    status: str
    due: str | None = None  # London wall clock "YYYY-MM-DDTHH:MM"; None: no deadline
    others: list[dict[str, Any]] = field(default_factory=list)


RUTLAND_STEP_6 = (
    "004 step 6: Statutory Guidance states that when a child returns from being missing, they "
    "must be offered an Independent Return Interview to take place within 72 hours of return"
)
RUTLAND_STEP_7 = (
    "004 step 7: Independent interviews are carried out by Rutland County Council Youth Service "
    "within 72 hours of the referral to social care"
)
RUTLAND_STEP_6_REFERRAL = (
    "004 step 6: Once a young person has been located the allocated Social Worker (or Duty "
    "Social Worker) makes contact with the Youth team and requests an Independent Return "
    "Interview"
)
KENT_CARE_LEAVERS = (
    "001: for the purposes of this guidance, the response to a missing care leaver age 16 and "
    "17 year old should be the same"
)
KENT_IRO = (
    "001: Independent Reviewing Officers (IROs) should be informed about missing/ absent episodes"
)
KENT_RESPONSIBLE = (
    "001: The responsible local authority should ensure the return review interview takes "
    "place, working closely with the host authority where appropriate"
)
BEXLEY_2_6 = (
    "002 2.6: If the child or young person requests an independent person, this request must "
    "be made to the National Youth Advocacy Service (NYAS) within 24 hours"
)
BEXLEY_4_1 = (
    "002 4.1-4.2: MASH will inform the home authority ... Where the home authority decides to "
    "convene a strategy meeting ... there should be good cooperation"
)
BEXLEY_1_7 = (
    "002 1.7: Strategy meetings must be conducted whenever a child or young person has been "
    "deemed missing for 24 hours or longer"
)
BUCKS_OLA = (
    "003: If a child from another local authority is placed in Buckinghamshire ... The relevant "
    "local authority will be notified and liaised with"
)
BUCKS_IRO = (
    "003: When a child goes missing, there is an expectation that the IRO is informed and are "
    "actively involved"
)
BUCKS_HUB = (
    "003: All children who go missing 3 times or more within 90 days will need to have a "
    "consultation considered with the Missing & Exploitation Hub"
)
BEDFORD_YOUNG = (
    "000: For very young children who have gone missing, the Strategy Meeting should be held "
    "urgently, within hours of notification"
)
BEDFORD_CONSIDER = (
    "000: If there are more than two missing episodes ... then a Single Assessment and a "
    "Strategy Meeting should be considered"
)
BEDFORD_HOST = (
    "000: When a looked after child is placed in a host authority, the responsible authority "
    "should ensure the independent review interview takes place, working closely with the host "
    "authority"
)
BEDFORD_OLA = (
    "000: If a child from another Local Authority is placed in Bedford and goes missing ... MASH "
    "will contact the Home Authority"
)
BEDFORD_OLA_MEETING = (
    "000: There may be occasions when MASH will instigate a Strategy Meeting on these children "
    "if immediate safeguarding measures are required"
)
BEDFORD_REG_44 = (
    "000: When a child or young person goes missing from a Residential placement, the "
    "Placements Manager should be notified who will then request a regulation 44 report"
)
DFE_RHI = (
    "DfE 2014 (quoted in 000): An independent return interview should be offered when a "
    "missing looked after child is found; 000: The return interview should take place within "
    "seventy-two hours of the child returning"
)

RETURNED_FRIDAY = {"last_seen": "2026-11-06T09:00", "ended": "2026-11-06T19:30"}
CARE_LEAVER_17 = {"legal": "care_leaver", "dob": "2009-03-01"}
IN_KENT_FROM_BEXLEY = {
    "legal": "looked_after",
    "responsible": "London Borough of Bexley",
    "host": "Kent County Council",
}
IN_BEXLEY_FROM_KENT = {
    "legal": "looked_after",
    "responsible": "Kent County Council",
    "host": "London Borough of Bexley",
}
IN_BUCKS_FROM_KENT = {
    "legal": "looked_after",
    "responsible": "Kent County Council",
    "host": "Buckinghamshire Council",
}
IN_BEDFORD_FROM_LUTON = {
    "legal": "looked_after",
    "responsible": "Luton Borough Council",
    "host": "Bedford Borough Council",
}

CASES = [
    # --- Rutland: the return deadline is 72 h from return; a late referral is late ------------
    Case(
        "Rutland RHI 72 h from a Saturday return",
        "rutland",
        RUTLAND_STEP_6,
        {"last_seen": "2026-11-13T20:00", "ended": "2026-11-14T11:00"},
        "2026-11-16T09:00",
        "rhi",
        "due",
        "2026-11-17T11:00",
    ),
    Case(
        "Rutland late referral does not move the return deadline",
        "rutland",
        RUTLAND_STEP_6,
        {**RETURNED_FRIDAY, "interview": {"referred_at": "2026-11-10T10:00"}},
        "2026-11-10T12:00",
        "rhi",
        "overdue",
        "2026-11-09T19:30",
    ),
    Case(
        "Rutland referral made on Tuesday after a Friday-evening return is late",
        "rutland",
        RUTLAND_STEP_6_REFERRAL,
        {**RETURNED_FRIDAY, "interview": {"referred_at": "2026-11-10T10:00"}},
        "2026-11-10T12:00",
        "rhi-referral",
        "late",
        "2026-11-09T17:00",
    ),
    Case(
        "Rutland referral the same working day is done",
        "rutland",
        RUTLAND_STEP_6_REFERRAL,
        {
            "last_seen": "2026-11-08T22:00",
            "ended": "2026-11-09T09:00",
            "interview": {"referred_at": "2026-11-09T15:00"},
        },
        "2026-11-10T09:00",
        "rhi-referral",
        "done",
        "2026-11-09T17:00",
    ),
    Case(
        "Rutland interview inside the Youth Service's 72 h but after the return deadline: late",
        "rutland",
        RUTLAND_STEP_6,
        {
            **RETURNED_FRIDAY,
            "interview": {"referred_at": "2026-11-09T10:00", "held_at": "2026-11-11T15:00"},
        },
        "2026-11-12T09:00",
        "rhi",
        "late",
        "2026-11-09T19:30",
    ),
    Case(
        "Rutland Youth Service met its own 72 h from the referral",
        "rutland",
        RUTLAND_STEP_7,
        {
            **RETURNED_FRIDAY,
            "interview": {"referred_at": "2026-11-09T10:00", "held_at": "2026-11-11T15:00"},
        },
        "2026-11-12T09:00",
        "rhi-youth-service",
        "done",
        "2026-11-12T10:00",
    ),
    Case(
        "Rutland RHI across the spring clock change: 72 real hours",
        "rutland",
        RUTLAND_STEP_6,
        {"last_seen": "2027-03-27T20:00", "ended": "2027-03-28T00:30"},
        "2027-03-30T12:00",
        "rhi",
        "due",
        "2027-03-31T01:30",
    ),
    Case(
        "Rutland looked-after child on Christmas Day: head of service within the hour",
        "rutland",
        "004 step 1: any incident of absent or missing should immediately upon notification be "
        "escalated to the head of service for safeguarding, in all situations",
        {"legal": "looked_after", "last_seen": "2026-12-25T08:00", "reported": "2026-12-25T10:00"},
        "2026-12-25T12:00",
        "head-of-service",
        "overdue",
        "2026-12-25T11:00",
    ),
    # --- Kent and Medway: care leavers of 16 and 17; IRO; host and responsible -----------------
    Case(
        "Kent care leaver aged 17: missing from care meeting within 3 days",
        "kent-medway",
        KENT_CARE_LEAVERS,
        {**CARE_LEAVER_17, "last_seen": "2026-11-02T22:00"},
        "2026-11-04T09:00",
        "missing-from-care-meeting",
        "due",
        "2026-11-05T22:00",
    ),
    Case(
        "Kent care leaver aged 17: Assistant Director within 3 days",
        "kent-medway",
        KENT_CARE_LEAVERS,
        {**CARE_LEAVER_17, "last_seen": "2026-11-02T22:00"},
        "2026-11-06T09:00",
        "assistant-director",
        "overdue",
        "2026-11-05T22:00",
    ),
    Case(
        "Kent care leaver aged 17: Lead Member 7 days, same clock time across October change",
        "kent-medway",
        KENT_CARE_LEAVERS + "; the Lead Member and Corporate Parenting Board within 7 days",
        {**CARE_LEAVER_17, "last_seen": "2026-10-20T15:00"},
        "2026-10-28T09:00",
        "lead-member",
        "overdue",
        "2026-10-27T15:00",
    ),
    Case(
        "Kent care leaver aged 18: not the children-in-care actions",
        "kent-medway",
        KENT_CARE_LEAVERS,
        {"legal": "care_leaver", "dob": "2008-03-01", "last_seen": "2026-11-02T22:00"},
        "2026-11-04T09:00",
        "missing-from-care-meeting",
        "not_required",
    ),
    Case(
        "Kent IRO told: reported on a Saturday, due Monday close of business",
        "kent-medway",
        KENT_IRO,
        {"legal": "looked_after", "last_seen": "2026-11-07T14:00", "reported": "2026-11-07T15:00"},
        "2026-11-08T10:00",
        "iro",
        "due",
        "2026-11-09T17:00",
    ),
    Case(
        "Kent host tells the responsible authority the same working day",
        "kent-medway",
        "001: The individuals and agencies who should be contacted when a child is missing ... The "
        "authority responsible for the child's placement",
        {**IN_KENT_FROM_BEXLEY, "last_seen": "2026-11-03T08:00", "reported": "2026-11-03T10:00"},
        "2026-11-03T18:00",
        "ola-notification",
        "overdue",
        "2026-11-03T17:00",
    ),
    Case(
        "Kent host: the return interview is the responsible authority's",
        "kent-medway",
        KENT_RESPONSIBLE,
        {**IN_KENT_FROM_BEXLEY, **RETURNED_FRIDAY},
        "2026-11-07T09:00",
        "rhi",
        "not_required",
    ),
    Case(
        "Kent's own child placed in Bexley returns on Christmas Eve: Kent's RHI",
        "kent-medway",
        KENT_RESPONSIBLE,
        {
            "legal": "looked_after",
            "responsible": "Kent County Council",
            "host": "London Borough of Bexley",
            "last_seen": "2026-12-23T10:00",
            "ended": "2026-12-24T18:00",
        },
        "2026-12-28T09:00",
        "rhi",
        "overdue",
        "2026-12-27T18:00",
    ),
    # --- Bexley: NYAS 24 h from the request; strategy meetings of other councils' children ---
    Case(
        "Bexley NYAS request 24 h from the child's request",
        "bexley",
        BEXLEY_2_6,
        {
            "legal": "looked_after",
            **RETURNED_FRIDAY,
            "requested": "2026-11-09T11:00",
        },
        "2026-11-09T12:00",
        "nyas-referral",
        "due",
        "2026-11-10T11:00",
    ),
    Case(
        "Bexley NYAS request made after the 24 hours is late",
        "bexley",
        BEXLEY_2_6,
        {
            "legal": "looked_after",
            **RETURNED_FRIDAY,
            "requested": "2026-11-09T11:00",
            "interview": {
                "referred_at": "2026-11-10T16:00",
            },
        },
        "2026-11-11T09:00",
        "nyas-referral",
        "late",
        "2026-11-10T11:00",
    ),
    Case(
        "Bexley NYAS request time not recorded: counted from the return",
        "bexley",
        BEXLEY_2_6,
        {"legal": "looked_after", **RETURNED_FRIDAY, "interview": {"independent_requested": True}},
        "2026-11-08T09:00",
        "nyas-referral",
        "overdue",
        "2026-11-07T19:30",
    ),
    Case(
        "Bexley: another council's child missing 30 h, strategy meeting left to the home council",
        "bexley",
        BEXLEY_4_1,
        {**IN_BEXLEY_FROM_KENT, "last_seen": "2026-11-02T08:00", "reported": "2026-11-02T09:00"},
        "2026-11-03T14:00",
        "strategy-meeting",
        "not_required",
    ),
    Case(
        "Bexley child missing 26 h before Easter: meeting by the Tuesday after Easter Monday",
        "bexley",
        BEXLEY_1_7,
        {"last_seen": "2027-03-25T08:00", "reported": "2027-03-25T09:00"},
        "2027-03-26T10:00",
        "strategy-meeting",
        "due",
        "2027-03-30T17:00",
    ),
    Case(
        "Bexley's own child placed in Kent: Bexley holds the strategy meeting",
        "bexley",
        "002 4.5: the responsibility for completing any strategy meetings, risk assessments, or "
        "return home interviews for our children is the responsibility of Bexley",
        {
            "legal": "looked_after",
            "responsible": "London Borough of Bexley",
            "host": "Kent County Council",
            "last_seen": "2026-11-02T10:00",
            "reported": "2026-11-02T11:00",
        },
        "2026-11-03T11:00",
        "strategy-meeting",
        "due",
        "2026-11-03T17:00",
    ),
    Case(
        "Bexley NYAS follow-up 72 h after the referral",
        "bexley",
        "002 2.9: If after 72 hours the social worker has not received a response from NYAS, "
        "they must follow up with them",
        {
            "legal": "looked_after",
            **RETURNED_FRIDAY,
            "requested": "2026-11-08T12:00",
            "interview": {
                "referred_at": "2026-11-09T10:00",
            },
        },
        "2026-11-12T11:00",
        "nyas-follow-up",
        "overdue",
        "2026-11-12T10:00",
    ),
    # --- Buckinghamshire: notice to the responsible authority; IRO; Hub a consideration ------
    Case(
        "Bucks host tells the responsible authority: Friday-evening report, due Monday",
        "buckinghamshire",
        BUCKS_OLA,
        {**IN_BUCKS_FROM_KENT, "last_seen": "2026-11-06T16:00", "reported": "2026-11-06T18:00"},
        "2026-11-07T09:00",
        "ola-notification",
        "due",
        "2026-11-09T17:00",
    ),
    Case(
        "Bucks IRO told on Christmas Eve before close of business",
        "buckinghamshire",
        BUCKS_IRO,
        {"legal": "looked_after", "last_seen": "2026-12-24T14:00", "reported": "2026-12-24T16:00"},
        "2026-12-24T18:00",
        "iro",
        "overdue",
        "2026-12-24T17:00",
    ),
    Case(
        "Bucks IRO after hours on Christmas Eve: due after Christmas and the Boxing Day holiday",
        "buckinghamshire",
        BUCKS_IRO,
        {"legal": "looked_after", "last_seen": "2026-12-24T16:00", "reported": "2026-12-24T17:30"},
        "2026-12-27T10:00",
        "iro",
        "due",
        "2026-12-29T17:00",
    ),
    Case(
        "Bucks: another council's child has that council's IRO",
        "buckinghamshire",
        BUCKS_IRO,
        {**IN_BUCKS_FROM_KENT, "last_seen": "2026-11-06T16:00", "reported": "2026-11-06T18:00"},
        "2026-11-07T09:00",
        "iro",
        "not_required",
    ),
    Case(
        "Bucks Hub consultation is a consideration: never overdue",
        "buckinghamshire",
        BUCKS_HUB,
        {
            "last_seen": "2026-11-02T10:00",
            "reported": "2026-11-02T11:00",
            "ended": "2026-11-02T20:00",
            "history": ("2026-08-10T10:00", "2026-10-01T22:00"),
        },
        "2026-12-01T09:00",
        "hub-consultation",
        "consider",
        "2026-11-09T17:00",
    ),
    Case(
        "Bucks Hub consultation after the suggested date is done, not late",
        "buckinghamshire",
        BUCKS_HUB,
        {
            "last_seen": "2026-11-02T10:00",
            "reported": "2026-11-02T11:00",
            "history": ("2026-08-10T10:00", "2026-10-01T22:00"),
            "notifications": (("hub_consultation", "2026-11-12T10:00"),),
        },
        "2026-11-13T09:00",
        "hub-consultation",
        "done",
        "2026-11-09T17:00",
    ),
    Case(
        "Bucks multi-agency meeting 5 working days across Christmas and New Year",
        "buckinghamshire",
        "003 LCS guide: no later than 5 working days from when the child goes missing",
        {"last_seen": "2026-12-23T10:00"},
        "2026-12-30T09:00",
        "multi-agency-meeting",
        "due",
        "2027-01-04T17:00",
    ),
    # --- Bedford: under-fives; considerations; host/responsible split; residential ------------
    Case(
        "Bedford under-five missing on a Saturday: meeting within hours",
        "bedford",
        BEDFORD_YOUNG,
        {"dob": "2023-01-01", "last_seen": "2026-11-07T09:00", "reported": "2026-11-07T10:00"},
        "2026-11-07T13:00",
        "strategy-meeting-urgent",
        "due",
        "2026-11-07T14:00",
    ),
    Case(
        "Bedford under-five: the urgent meeting, not the 48-hour one",
        "bedford",
        BEDFORD_YOUNG,
        {"dob": "2023-01-01", "last_seen": "2026-11-07T09:00", "reported": "2026-11-07T10:00"},
        "2026-11-08T16:00",
        "strategy-meeting",
        "not_required",
    ),
    Case(
        "Bedford third episode: a consideration stays a prompt weeks later",
        "bedford",
        BEDFORD_CONSIDER,
        {
            "last_seen": "2026-11-02T08:00",
            "reported": "2026-11-02T09:00",
            "ended": "2026-11-02T18:00",
            "history": ("2026-01-05T10:00", "2026-05-05T10:00"),
        },
        "2027-01-15T09:00",
        "repeat-episodes-consider",
        "consider",
    ),
    Case(
        "Bedford third episode: the consideration is done once a strategy meeting is held",
        "bedford",
        BEDFORD_CONSIDER,
        {
            "last_seen": "2026-11-02T08:00",
            "reported": "2026-11-02T09:00",
            "ended": "2026-11-02T18:00",
            "history": ("2026-01-05T10:00", "2026-05-05T10:00"),
            "meetings": (("strategy", "2026-11-03T10:00"),),
        },
        "2026-11-04T09:00",
        "repeat-episodes-consider",
        "done",
    ),
    Case(
        "Bedford second episode: nothing to consider yet",
        "bedford",
        BEDFORD_CONSIDER,
        {"last_seen": "2026-11-02T08:00", "history": ("2026-05-05T10:00",)},
        "2026-11-02T12:00",
        "repeat-episodes-consider",
        "not_required",
    ),
    Case(
        "Bedford host: another council's child's return interview is that council's",
        "bedford",
        BEDFORD_HOST,
        {**IN_BEDFORD_FROM_LUTON, **RETURNED_FRIDAY},
        "2026-11-07T09:00",
        "rhi",
        "not_required",
    ),
    Case(
        "Bedford host tells the home authority: Sunday report, due Monday",
        "bedford",
        BEDFORD_OLA,
        {**IN_BEDFORD_FROM_LUTON, "last_seen": "2026-11-08T06:00", "reported": "2026-11-08T08:00"},
        "2026-11-08T09:00",
        "ola-notification",
        "due",
        "2026-11-09T17:00",
    ),
    Case(
        "Bedford host: strategy meeting for another council's child is a consideration",
        "bedford",
        BEDFORD_OLA_MEETING,
        {**IN_BEDFORD_FROM_LUTON, "last_seen": "2026-11-02T08:00", "reported": "2026-11-02T09:00"},
        "2026-11-03T14:00",
        "strategy-meeting-ola",
        "consider",
    ),
    Case(
        "Bedford's own child placed in Luton: Bedford's RHI across the October change",
        "bedford",
        BEDFORD_HOST,
        {
            "legal": "looked_after",
            "responsible": "Bedford Borough Council",
            "host": "Luton Borough Council",
            "last_seen": "2026-10-24T10:00",
            "ended": "2026-10-24T22:00",
        },
        "2026-10-26T09:00",
        "rhi",
        "due",
        "2026-10-27T21:00",
    ),
    Case(
        "Bedford residential placement on the August bank holiday: Placements Manager Tuesday",
        "bedford",
        BEDFORD_REG_44,
        {
            "legal": "looked_after",
            "placement": "residential",
            "last_seen": "2026-08-31T07:00",
            "reported": "2026-08-31T10:00",
        },
        "2026-08-31T12:00",
        "placements-manager",
        "due",
        "2026-09-01T17:00",
    ),
    Case(
        "Bedford: another council's residential placement is that council's to follow up",
        "bedford",
        BEDFORD_REG_44,
        {**IN_BEDFORD_FROM_LUTON, "placement": "residential", "last_seen": "2026-11-02T08:00"},
        "2026-11-02T12:00",
        "placements-manager",
        "not_required",
    ),
    Case(
        "Bedford NYAS referral 24 h from the child's request, made in time",
        "bedford",
        "000: the return interview should be completed by a person independent of the child's "
        "placement either via a referral to NYAS or by the social worker",
        {
            "legal": "looked_after",
            **RETURNED_FRIDAY,
            "requested": "2026-11-08T10:00",
            "interview": {
                "referred_at": "2026-11-09T09:00",
            },
        },
        "2026-11-09T12:00",
        "nyas-referral",
        "done",
        "2026-11-09T10:00",
    ),
    # --- statutory ----------------------------------------------------------------------------
    Case(
        "statutory RHI held after 72 hours is late",
        "statutory",
        DFE_RHI,
        {
            "last_seen": "2026-11-01T20:00",
            "ended": "2026-11-02T12:00",
            "interview": {"held_at": "2026-11-06T10:00"},
        },
        "2026-11-07T09:00",
        "rhi",
        "late",
        "2026-11-05T12:00",
    ),
    Case(
        "statutory: responsible authority told, reported on New Year's Day",
        "statutory",
        "DfE 2014: the responsible and host authorities share information as soon as an "
        "out-of-area child goes missing",
        {
            "legal": "looked_after",
            "responsible": "Kent County Council",
            "host": "Rutland",
            "last_seen": "2027-01-01T09:00",
            "reported": "2027-01-01T11:00",
        },
        "2027-01-01T12:00",
        "ola-notification",
        "due",
        "2027-01-04T17:00",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hand_computed_plan_with_its_seed_sentence(case: Case) -> None:
    assert case.seed.strip(), "every case quotes the protocol it rests on"
    record = episode(case.profile, **case.facts)
    others = [episode(case.profile, **o) for o in case.others]
    now = datetime.fromisoformat(case.now).replace(tzinfo=LONDON)
    result = plan(record, now=now, others=others)
    assert_obligation(result, case.obligation, case.status, case.due)


def test_at_least_thirty_cases_across_all_six_profiles() -> None:
    assert len(CASES) >= 30
    assert {c.profile for c in CASES} == {
        "statutory",
        "bedford",
        "bexley",
        "buckinghamshire",
        "kent-medway",
        "rutland",
    }
    assert {"late", "consider", "not_required", "due", "overdue", "done"} <= {
        c.status for c in CASES
    }


def test_a_consideration_is_never_overdue_and_needs_no_document() -> None:
    record = episode(
        "bedford",
        last_seen="2026-11-02T08:00",
        ended="2026-11-02T18:00",
        history=("2026-01-05T10:00", "2026-05-05T10:00"),
    )
    result = plan(record, now=datetime(2027, 6, 1, 9, 0, tzinfo=LONDON))
    assert result.by_status("overdue") == [
        o for o in result.obligations if o.id in {"rhi", "missing-profile"}
    ]
    consider = result.get("repeat-episodes-consider")
    assert consider is not None and consider.status == "consider"
    assert "strategy-meeting" not in result.documents_due()


def test_plan_output_shows_consider_and_late(tmp_path: Path) -> None:
    record = episode(
        "rutland",
        **RETURNED_FRIDAY,
        interview={"referred_at": "2026-11-10T10:00"},
        history=("2026-09-01T10:00", "2026-10-01T10:00"),
    )
    path = tmp_path / "e.json"
    path.write_text(record.model_dump_json(), encoding="utf-8")
    table = CliRunner().invoke(cli, ["plan", str(path), "--now", "2026-11-10T12:00"])
    assert table.exit_code == 0, table.output
    line = next(x for x in table.output.splitlines() if "Request an independent return" in x)
    assert line.split()[0] == "LATE"
    record = episode("buckinghamshire", history=("2026-08-10T10:00", "2026-10-01T22:00"))
    path.write_text(record.model_dump_json(), encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["plan", str(path), "--now", "2026-12-01T09:00", "--json", "--quiet"]
    )
    assert result.exit_code == 0, result.output
    (only,) = json.loads(result.stdout)["plans"]
    hub = next(o for o in only["obligations"] if o["id"] == "hub-consultation")
    assert hub["status"] == "consider"
    assert hub["note"].startswith('"Considered" makes it a prompt')
    table = CliRunner().invoke(cli, ["plan", str(path), "--now", "2026-12-01T09:00"])
    line = next(x for x in table.output.splitlines() if "consultation with the Missing" in x)
    assert line.split()[0] == "consider"

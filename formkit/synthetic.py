"""Deterministic synthetic episodes for benchmarks, load tests and property tests.

Every person is invented from short name lists; the same ``(count, seed)`` always gives the
same episodes, and every episode passes validation.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO

from formkit.batch import BatchResult, Progress, no_progress
from formkit.model import (
    LONDON,
    EpisodeRecord,
    EpisodeStatus,
    InterviewService,
    LegalStatus,
    MeetingKind,
    PlacementType,
    PushPullFactor,
    ReferralService,
    RiskType,
    SafeguardingConcern,
)

PROFILES = ["bedford", "bexley", "buckinghamshire", "kent-medway", "rutland", "statutory"]
FIRST_NAMES = [
    "Amara", "Tomasz", "Zoë", "Kian", "Leah", "Ştefan", "Maya", "Oisín", "Priya", "Jayden",
    "Nia", "Bartek", "Chloe", "Idris", "Freya", "Yusuf", "Ellie", "Mateus", "Keira", "Ronan",
]  # fmt: skip
LAST_NAMES = [
    "Okafor", "Nowak", "O'Brien", "Hughes", "Patel", "Popescu", "Clarke", "Murphy", "Ahmed",
    "Fletcher", "Łukasik", "Bennett", "Osei", "Walsh", "Kaur", "Doyle", "Mensah", "Price",
]  # fmt: skip
PLACES = [
    "Queensway shopping centre", "a friend's flat on Mill Lane", "the railway station",
    "Riverside park", "an address in Luton", "a hotel near the motorway services",
    "the seafront arcades", "a relative's house in Croydon",
]  # fmt: skip
AUTHORITIES = ["Bedford Borough", "London Borough of Bexley", "Buckinghamshire", "Kent", "Rutland"]
PROFILE_AUTHORITY = dict(zip(PROFILES, [*AUTHORITIES, "Kent"], strict=True))
BASE = datetime(2026, 11, 20, 9, 0, tzinfo=LONDON)


def generate_episodes(count: int, seed: int = 0) -> list[EpisodeRecord]:
    """``count`` valid episodes, the same for the same seed."""
    return list(iter_episodes(count, seed))


def iter_episodes(count: int, seed: int = 0) -> Iterator[EpisodeRecord]:
    """Like :func:`generate_episodes`, one at a time (flat memory for large counts)."""
    for index in range(count):
        yield EpisodeRecord.model_validate(episode_data(index, seed))


def write_samples(
    count: int,
    seed: int = 0,
    output: str | Path | IO[str] = "-",
    *,
    progress: Progress = no_progress,
) -> BatchResult:
    """Write ``count`` synthetic episodes as JSON Lines to the file ``output`` (atomically;
    it is then ``written``) or to the open text stream ``output``."""
    from formkit.fileio import write_text_out

    lines = []
    for index in range(count):
        lines.append(json.dumps(episode_data(index, seed), ensure_ascii=False))
        progress(1)
    text = "\n".join(lines) + "\n"
    return BatchResult(written=write_text_out(output, text))


def episode_data(index: int, seed: int = 0) -> dict[str, object]:
    """The raw data of synthetic episode ``index``: plain JSON-ready values."""
    rng = random.Random(f"{seed}:{index}")
    profile = rng.choice(PROFILES)
    authority = PROFILE_AUTHORITY[profile]
    legal = rng.choice(list(LegalStatus))
    age = rng.randint(17, 22) if legal == LegalStatus.care_leaver else rng.randint(8, 17)
    last_seen = BASE - timedelta(days=rng.randint(0, 360), minutes=rng.randint(0, 24 * 60))
    birthday = last_seen.date() - timedelta(days=age * 365 + rng.randint(10, 300))
    rng.randint(100000, 999999)  # was the child id; drawn still, so the other values stay the same
    # One invented child per index: random ids collided (two children, one id, overlapping
    # episodes), which no real case record allows. 7919 is coprime with 900,000, so the ids
    # of the first 900,000 episodes of a seed are all different.
    child_id = f"C{100000 + (index * 7919 + seed) % 900000}"
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    looked_after = legal in (LegalStatus.looked_after, LegalStatus.care_leaver)
    placed_by_other = looked_after and rng.random() < 0.3
    responsible = (
        rng.choice([a for a in AUTHORITIES if a != authority]) if placed_by_other else authority
    )
    status = rng.choices(list(EpisodeStatus), weights=[7, 2, 1])[0]
    if status == EpisodeStatus.away_without_authorisation and not looked_after:
        status = EpisodeStatus.absent
    closed = rng.random() < 0.8
    hours = rng.choice([3, 6, 11, 20, 25, 30, 49, 80, 150, 340])
    ended = last_seen + timedelta(hours=hours, minutes=rng.randint(0, 59)) if closed else None
    if ended is not None and ended > BASE:
        ended = None
    reference = f"MP-{seed % 1000:03d}-{index:06d}"
    data: dict[str, object] = {
        "local_authority": profile,
        "child": {
            "id": child_id,
            "first_name": first,
            "last_name": last,
            "date_of_birth": birthday.isoformat(),
            "gender": rng.choice(["female", "male", "other", "not_stated"]),
            "ethnicity": rng.choice(
                ["White British", "Black African", "Mixed", "Asian British", "Gypsy/Roma"]
            ),
            "legal_status": legal.value,
            "responsible_authority": responsible if looked_after else None,
            "host_authority": authority,
            "home_address": f"{rng.randint(1, 120)} {rng.choice(['Orchard', 'Station', 'Church'])} Road",
            "placement": {
                "type": rng.choice([p.value for p in PlacementType if p != PlacementType.home]),
                "provider": "Oakfield Care Ltd",
                "in_area": not placed_by_other,
            }
            if looked_after
            else {"type": "home"},
            "phones": [f"07700 9{rng.randint(10000, 99999)}"],
            "description": {
                "height": f"{rng.randint(130, 185)} cm",
                "build": "slim",
                "hair": "dark brown",
            },
            "school": {
                "name": rng.choice(["Hillcrest Academy", "St Anne's School", "Northfield College"])
            },
        },
        "episode": {
            "reference": reference,
            "status": status.value,
            "missing_from": "placement"
            if looked_after
            else rng.choice(["home", "school", "other"]),
            "last_seen_at": last_seen.isoformat(),
            "last_seen_location": rng.choice(PLACES),
            "reported_at": (last_seen + timedelta(minutes=rng.randint(20, 240))).isoformat(),
            "police_reference": f"TV-{rng.randint(10000000, 99999999)}",
            "police_risk_level": rng.choice(["high", "medium", "low"]),
            "reason": "Left after an argument about contact arrangements.",
            "clothing": "Black puffer jacket, grey joggers, white trainers",
        },
        "history": _history(rng, last_seen),
        "risks": [
            {
                "type": t.value,
                "level": rng.choice(["known", "potential"]),
                "details": "Noted by the allocated worker.",
            }
            for t in rng.sample(list(RiskType), rng.randint(0, 3))
        ],
        "people": {
            "social_worker": {
                "name": f"{rng.choice(FIRST_NAMES)} Harper",
                "role": "Social worker",
                "phone": "01234 567890",
            },
            "team_manager": {"name": "Sam Whitfield", "role": "Team manager"},
            "family": [
                {
                    "name": f"{rng.choice(FIRST_NAMES)} {last}",
                    "relationship": "mother",
                    "phone": "07700 900123",
                }
            ],
        },
        "ola_notification_count": rng.randint(1, 6) if placed_by_other else None,
    }
    episode = data["episode"]
    assert isinstance(episode, dict)
    if ended is not None:
        episode["ended_at"] = ended.isoformat()
        episode["end_reason"] = rng.choice(
            ["returned_by_self", "returned_by_police_or_agency", "found_by_family_or_carers"]
        )
        episode["where_found"] = rng.choice(PLACES)
        data["return_interview"] = _interview(rng, ended)
    if hours >= 24 and rng.random() < 0.6:
        held = last_seen + timedelta(hours=rng.randint(20, 40))
        if held < BASE:
            data["meetings"] = [
                {
                    "kind": MeetingKind.strategy.value,
                    "held_at": held.isoformat(),
                    "chair": "Sam Whitfield",
                    "attendees": [
                        {
                            "name": "PC Dana Reid",
                            "role": "Missing person coordinator",
                            "agency": "Police",
                        }
                    ],
                    "actions": [
                        {
                            "action": "Visit known addresses",
                            "owner": "Police",
                            "due": (held.date() + timedelta(days=2)).isoformat(),
                        }
                    ],
                }
            ]
    cleaned = _drop_none(data)
    assert isinstance(cleaned, dict)
    return cleaned


def _history(rng: random.Random, before: datetime) -> list[dict[str, object]]:
    rows = []
    start = before
    for _ in range(rng.choice([0, 0, 1, 2, 3, 5])):
        start = start - timedelta(days=rng.randint(5, 60), hours=rng.randint(0, 23))
        rows.append(
            {
                "started_at": start.isoformat(),
                "ended_at": (start + timedelta(hours=rng.randint(2, 72))).isoformat(),
                "where_located": rng.choice(PLACES),
                "arrested": rng.random() < 0.1,
            }
        )
    return rows


def _interview(rng: random.Random, ended: datetime) -> dict[str, object]:
    offered = ended + timedelta(hours=rng.randint(1, 30))
    if offered > BASE:
        return {}
    outcome = rng.random()
    interview: dict[str, object] = {
        "offered_at": offered.isoformat(),
        "offered_by": "Business support",
        "service": rng.choice([s.value for s in InterviewService]),
    }
    if outcome < 0.15:
        interview.update(accepted=False, declined_reason="Did not want to talk about it.")
    elif outcome < 0.85:
        held = ended + timedelta(hours=rng.randint(20, 110))
        if held < BASE:
            interview.update(
                accepted=True,
                consent=True,
                held_at=held.isoformat(),
                location=rng.choice(["Placement", "School", "Family home", "Youth centre"]),
                interviewer="Robin Ashdown",
                interviewer_role="Return interview worker",
                engagement=rng.choice(["standard", "low", "video_or_phone", "adjusted"]),
                answers={
                    "why_went_missing": "Wanted to see friends after being grounded.",
                    "while_missing": "Stayed with an older friend; went to the park.",
                    "mental_health_score": rng.randint(1, 5),
                    "likelihood_missing_again": rng.randint(1, 5),
                },
                push_pull_factors=[
                    f.value for f in rng.sample(list(PushPullFactor)[:-1], rng.randint(0, 3))
                ],
                safeguarding_concerns=[
                    c.value for c in rng.sample(list(SafeguardingConcern)[1:-1], rng.randint(0, 3))
                ],
                worker_summary="Engaged well; agreed a safety plan with carers.",
                referrals={
                    "services": {
                        s.value: {"signposted": True}
                        for s in rng.sample(list(ReferralService), rng.randint(0, 2))
                    }
                },
            )
    return interview


def _drop_none(value: object) -> object:
    if isinstance(value, dict):
        return {k: _drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_none(v) for v in value]
    return value

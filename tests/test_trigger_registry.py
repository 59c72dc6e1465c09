"""Triggers are a table (name → compiler), the one list of what a profile's ``when`` may name:
the "did you mean" hint, the protocol docs and the compilers cannot drift apart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from formkit.protocol.triggers import (
    COMPILERS,
    TRIGGERS,
    Facts,
    TriggerSyntaxError,
    compile_trigger,
)

PROTOCOL_DOCS = Path(__file__).resolve().parent.parent / "docs" / "protocol.md"
NOW = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)
FACTS = Facts(
    now=NOW,
    last_seen_at=NOW - timedelta(hours=30),
    missing_for=timedelta(hours=30),
    returned=False,
    age=14,
    legal_status="looked_after",
    risk_types=frozenset({"cse"}),
    police_risk="high",
    status="missing",
    missing_from="placement",
    placement_type="residential",
    independent_requested=True,
    placed_by_other_authority=False,
    ola_notifications=3,
    episode_starts=(NOW - timedelta(days=100), NOW - timedelta(days=20), NOW - timedelta(hours=30)),
)

# Each trigger with a value, the words it explains itself with, and whether FACTS meet it.
CASES: dict[str, tuple[Any, str, bool]] = {
    "legal_status": (["looked_after"], "legal status looked after", True),
    "status": ("absent", "reported as absent", False),
    "missing_from": (["home", "placement"], "missing from home or placement", True),
    "placement_type": ("residential", "placement residential", True),
    "police_risk": ("high", "police risk high", True),
    "risks": (["cce", "cse"], "a risk of cce or cse", True),
    "missing_at_least": ("24 hours", "missing 24 hours or more", True),
    "missing_more_than": ("3 days", "missing more than 3 days", False),
    "missing_less_than": ("48 hours", "missing less than 48 hours", True),
    "age_under": (16, "aged under 16", True),
    "age_at_least": (16, "aged 16 or over", False),
    "returned": (False, "the child is still missing", True),
    "independent_requested": (True, "asked for an independent interviewer", True),
    "placed_by_other_authority": (True, "placed here by another authority", False),
    "ola_notifications_at_least": (3, "3 or more missing notifications about this child", True),
    "episodes_at_least": (4, "4 or more missing episodes", False),
    "episodes_in_window": (
        {"at_least": 2, "within": "90 days"},
        "2 or more missing episodes within 90 days",
        True,
    ),
    "any": (
        [{"age_under": 10}, {"returned": False}],
        "(aged under 10, or the child is still missing)",
        True,
    ),
    "all": (
        [{"age_under": 10}, {"returned": False}],
        "aged under 10 and the child is still missing",
        False,
    ),
    "not": ({"returned": True}, "not (the child has returned)", True),
}


def test_every_trigger_has_a_case_here() -> None:
    assert set(CASES) == set(TRIGGERS) == set(COMPILERS)


@pytest.mark.parametrize("name", TRIGGERS)
def test_each_trigger_compiles_explains_and_tests(name: str) -> None:
    value, words, met = CASES[name]
    trigger = compile_trigger({name: value})
    assert trigger.text == words
    assert trigger.test(FACTS) is met


@pytest.mark.parametrize("name", TRIGGERS)
def test_the_protocol_docs_name_every_trigger(name: str) -> None:
    assert f"`{name}" in PROTOCOL_DOCS.read_text(encoding="utf-8")


def test_unknown_trigger_hints_from_the_table() -> None:
    with pytest.raises(TriggerSyntaxError) as caught:
        compile_trigger({"episodes_in_windw": {"at_least": 2, "within": "90 days"}})
    assert (
        caught.value.message
        == "unknown trigger 'episodes_in_windw'; did you mean 'episodes_in_window'?"
    )
    with pytest.raises(TriggerSyntaxError) as caught:
        compile_trigger({"zzz": 1})
    assert caught.value.message == f"unknown trigger 'zzz' (known: {', '.join(TRIGGERS)})"


@pytest.mark.parametrize(
    ("when", "field", "message"),
    [
        ({"age_under": "ten"}, "age_under", "must be a whole number, not 'ten'"),
        ({"returned": "yes"}, "returned", "must be true or false, not 'yes'"),
        (
            {"missing_at_least": "2 months"},
            "missing_at_least",
            "must be in hours, days or weeks, not 2 months",
        ),
        ({"any": []}, "any", "must be a list of trigger mappings"),
        ({"all": [{"age_under": -1}]}, "all.0.age_under", "must be a whole number, not -1"),
        ({"not": {"nope": 1}}, "not.nope", None),
    ],
)
def test_bad_values_name_the_field(when: dict[str, Any], field: str, message: str | None) -> None:
    with pytest.raises(TriggerSyntaxError) as caught:
        compile_trigger(when)
    assert caught.value.field == field
    if message is not None:
        assert caught.value.message == message

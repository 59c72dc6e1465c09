"""Answers on a completed form that contradict each other: kept, parked and reported in words.

An interviewer who ticks "Declined" and also types the date the interview was held has given two
answers the model cannot hold together. Refusing the whole form would lose every other answer,
so each contradiction below names the fields in words, keeps the answer the evidence favours,
and parks the other in the report's ``unmapped`` list (with the reason) for a person to settle.
The rules are a table, so a new contradiction is one more row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from formkit.parse.result import ParseResult
from formkit.words import read_yes_no

# What people type in a box that does not apply to them ("n/a" in "If declined, why").
NO_ANSWER = frozenset(
    {"n/a", "na", "n.a.", "n a", "none", "nil", "-", "--", "—", "not applicable", "no", "x"}
)
Interview = dict[str, Any]


def is_no_answer(value: Any) -> bool:
    return isinstance(value, str) and value.strip().lower() in NO_ANSWER


@dataclass(frozen=True)
class Contradiction:
    """``applies`` says whether the interview holds it; ``park`` names the field set aside."""

    fields: tuple[str, ...]
    words: str
    park: str
    applies: Callable[[Interview], bool]


def _flag(value: Any) -> bool | None:
    """A yes/no as the form gave it: a bool, or the word a drop-down stores ("no")."""
    if isinstance(value, bool) or value is None:
        return value
    return read_yes_no(str(value))


def _declined(ri: Interview) -> bool:
    return _flag(ri.get("accepted")) is False


def _concerns(ri: Interview) -> list[Any]:
    value = ri.get("safeguarding_concerns")
    return value if isinstance(value, list) else []


CONTRADICTIONS: tuple[Contradiction, ...] = (
    Contradiction(
        ("accepted", "held_at"),
        "the form says the interview was declined but also gives the date it was held",
        "accepted",
        lambda ri: _declined(ri) and ri.get("held_at") not in (None, ""),
    ),
    Contradiction(
        ("declined_reason", "accepted"),
        "the form gives a reason the interview was declined but also says it was accepted",
        "declined_reason",
        lambda ri: bool(ri.get("declined_reason")) and _flag(ri.get("accepted")) is True,
    ),
    Contradiction(
        ("declined_reason", "held_at"),
        "the form gives a reason the interview was declined but also gives the date it was held",
        "declined_reason",
        lambda ri: bool(ri.get("declined_reason")) and ri.get("held_at") not in (None, ""),
    ),
    Contradiction(
        ("safeguarding_concerns",),
        "the form ticks 'no known safeguarding concerns' and also ticks other concerns",
        "safeguarding_concerns=none_known",
        lambda ri: "none_known" in _concerns(ri) and len(_concerns(ri)) > 1,
    ),
)


def park(
    result: ParseResult,
    path: str,
    value: Any,
    reason: str,
    labels: dict[str, str] | None = None,
    *,
    was_read: bool = True,
) -> None:
    """Set a value aside in ``unmapped`` with the reason, so nothing typed is lost."""
    label = (labels or {}).get(path) or path
    result.unmapped.append({"label": label, "key": path, "value": value, "reason": reason})
    if was_read and path in result.fields_read:
        result.fields_read.remove(path)


def settle_interview(
    interview: Interview, result: ParseResult, *, prefix: str, labels: dict[str, str] | None = None
) -> None:
    """Resolve the contradictions in a parsed return interview in place, reporting each."""
    reason = interview.get("declined_reason")
    if is_no_answer(reason):
        path = f"{prefix}.declined_reason"
        park(result, path, reason, "reads as 'no answer'", labels)
        del interview["declined_reason"]
    for rule in CONTRADICTIONS:
        if not rule.applies(interview):
            continue
        named = ", ".join(f"{prefix}.{name}" for name in rule.fields)
        base, _, choice = rule.park.partition("=")
        path = f"{prefix}.{rule.park}"
        if choice:
            interview[base] = [v for v in interview[base] if v != choice]
            park(result, path, True, rule.words, labels)
        else:
            park(result, path, interview.pop(base), rule.words, labels)
        result.warnings.append(f"{named}: {rule.words}; kept the rest, see unmapped")
    if interview.get("declined_reason") and _flag(interview.get("accepted")) is None:
        interview["accepted"] = False
        result.warnings.append(
            f"{prefix}.accepted: the form gives a reason the interview was declined but does not "
            "say it was declined; read as declined"
        )

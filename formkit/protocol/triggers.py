"""Triggers: the conditions in a profile rule, compiled once into fast predicates.

A rule's ``when`` is a mapping of trigger names to values; every entry must hold (``all`` of
them). ``any``, ``all`` and ``not`` combine nested mappings. Each trigger also describes itself
in plain English, so a plan can say *why* an obligation is due. Triggers read :class:`Facts`,
which are worked out once per episode, so evaluating a rule is a few comparisons.
"""

from __future__ import annotations

import bisect
import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from formkit.model.values import (
    Choice,
    EpisodeStatus,
    LegalStatus,
    MissingFrom,
    PlacementType,
    PoliceRisk,
    RiskType,
)
from formkit.protocol.calendar import Duration, subtract_window


@dataclass(frozen=True)
class Facts:
    """What the triggers need to know about one episode, at one moment."""

    now: datetime
    last_seen_at: datetime
    missing_for: timedelta
    returned: bool
    age: int
    legal_status: str
    risk_types: frozenset[str]
    police_risk: str | None
    status: str
    missing_from: str
    placement_type: str | None
    independent_requested: bool
    placed_by_other_authority: bool
    ola_notifications: int
    episode_starts: tuple[datetime, ...]  # sorted; this episode and the earlier ones of the child

    def episodes_since(self, start: datetime) -> int:
        """Episodes that began from ``start`` up to and including this one."""
        return len(self.episode_starts) - bisect.bisect_left(self.episode_starts, start)


Predicate = Callable[[Facts], bool]


@dataclass(frozen=True)
class Trigger:
    """A compiled condition: ``test(facts)`` and a plain-English ``text``."""

    test: Predicate
    text: str


class TriggerSyntaxError(ValueError):
    """A trigger is unknown or its value is wrong; ``field`` is the path inside ``when``."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _words(value: str) -> str:
    return value.replace("_", " ")


def _choices(name: str, value: Any, allowed: type[Choice]) -> frozenset[str]:
    items = value if isinstance(value, list) else [value]
    words = {m.value for m in allowed}
    out = set()
    for item in items:
        try:  # the model's own forgiving lookup: "Looked after" is looked_after
            word = allowed(str(item)).value
        except ValueError:
            close = difflib.get_close_matches(str(item), sorted(words), n=1)
            hint = (
                f"; did you mean '{close[0]}'?"
                if close
                else f" (one of {', '.join(sorted(words))})"
            )
            raise TriggerSyntaxError(
                name, f"'{item}' is not a {name.replace('_', ' ')}{hint}"
            ) from None
        out.add(word)
    if not out:
        raise TriggerSyntaxError(name, "needs at least one value")
    return frozenset(out)


def _count(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise TriggerSyntaxError(name, f"must be a whole number, not {value!r}")
    return value


def _flag(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise TriggerSyntaxError(name, f"must be true or false, not {value!r}")
    return value


def _elapsed(name: str, value: Any) -> timedelta:
    try:
        duration = Duration.parse(value)
    except ValueError as exc:
        raise TriggerSyntaxError(name, str(exc)) from None
    if duration.fixed is None:
        raise TriggerSyntaxError(name, f"must be in hours, days or weeks, not {duration}")
    return duration.fixed


def _hours_text(span: timedelta) -> str:
    hours = span.total_seconds() / 3600
    return f"{hours:g} hours" if hours < 72 or hours % 24 else f"{hours / 24:g} days"


def _one_of(label: str, values: frozenset[str]) -> str:
    return f"{label} {' or '.join(_words(v) for v in sorted(values))}"


# Triggers that test one fact against a list of choices: (choice list, fact, words for "why").
_CHOICE_FACTS: dict[str, tuple[type[Choice], str, str]] = {
    "legal_status": (LegalStatus, "legal_status", "legal status"),
    "status": (EpisodeStatus, "status", "reported as"),
    "missing_from": (MissingFrom, "missing_from", "missing from"),
    "placement_type": (PlacementType, "placement_type", "placement"),
    "police_risk": (PoliceRisk, "police_risk", "police risk"),
    "risks": (RiskType, "risk_types", "a risk of"),
}


def _compile_entry(name: str, value: Any) -> Trigger:
    if name in _CHOICE_FACTS:
        allowed, fact, label = _CHOICE_FACTS[name]
        chosen = _choices(name, value, allowed)
        if name == "risks":  # a set of risk types: any one of those named will do
            return Trigger(lambda f: not chosen.isdisjoint(f.risk_types), _one_of(label, chosen))
        return Trigger(lambda f: getattr(f, fact) in chosen, _one_of(label, chosen))
    if name == "missing_at_least":
        span = _elapsed(name, value)
        return Trigger(lambda f: f.missing_for >= span, f"missing {_hours_text(span)} or more")
    if name == "missing_more_than":
        span = _elapsed(name, value)
        return Trigger(lambda f: f.missing_for > span, f"missing more than {_hours_text(span)}")
    if name == "missing_less_than":
        span = _elapsed(name, value)
        return Trigger(lambda f: f.missing_for < span, f"missing less than {_hours_text(span)}")
    if name == "age_under":
        years = _count(name, value)
        return Trigger(lambda f: f.age < years, f"aged under {years}")
    if name == "age_at_least":
        years = _count(name, value)
        return Trigger(lambda f: f.age >= years, f"aged {years} or over")
    if name == "returned":
        flag = _flag(name, value)
        return Trigger(
            lambda f: f.returned is flag,
            "the child has returned" if flag else "the child is still missing",
        )
    if name == "independent_requested":
        flag = _flag(name, value)
        text = "asked for an independent interviewer"
        return Trigger(
            lambda f: f.independent_requested is flag, text if flag else f"has not {text}"
        )
    if name == "placed_by_other_authority":
        flag = _flag(name, value)
        text = "placed here by another authority"
        return Trigger(
            lambda f: f.placed_by_other_authority is flag, text if flag else f"not {text}"
        )
    if name == "ola_notifications_at_least":
        times = _count(name, value)
        return Trigger(
            lambda f: f.ola_notifications >= times,
            f"{times} or more missing notifications about this child",
        )
    if name == "episodes_at_least":
        times = _count(name, value)
        return Trigger(
            lambda f: len(f.episode_starts) >= times, f"{times} or more missing episodes"
        )
    if name == "episodes_in_window":
        return _episodes_in_window(value)
    if name in {"any", "all"}:
        if not isinstance(value, list) or not value:
            raise TriggerSyntaxError(name, "must be a list of trigger mappings")
        parts = [compile_trigger(item, f"{name}.{i}") for i, item in enumerate(value)]
        tests = [p.test for p in parts]
        if name == "any":
            return Trigger(
                lambda f: any(t(f) for t in tests), "(" + ", or ".join(p.text for p in parts) + ")"
            )
        return Trigger(lambda f: all(t(f) for t in tests), " and ".join(p.text for p in parts))
    if name == "not":
        inner = compile_trigger(value, "not")
        return Trigger(lambda f: not inner.test(f), f"not ({inner.text})")
    close = difflib.get_close_matches(name, TRIGGERS, n=1, cutoff=0.5)
    hint = f"; did you mean '{close[0]}'?" if close else f" (known: {', '.join(TRIGGERS)})"
    raise TriggerSyntaxError(name, f"unknown trigger '{name}'{hint}")


def _episodes_in_window(value: Any) -> Trigger:
    name = "episodes_in_window"
    if not isinstance(value, Mapping) or set(value) != {"at_least", "within"}:
        raise TriggerSyntaxError(
            name, "must be a mapping with 'at_least' (a number) and 'within' (e.g. '90 days')"
        )
    times = _count(f"{name}.at_least", value["at_least"])
    try:
        window = Duration.parse(value["within"])
    except ValueError as exc:
        raise TriggerSyntaxError(f"{name}.within", str(exc)) from None
    if window.unit not in {"days", "weeks", "months"}:
        raise TriggerSyntaxError(f"{name}.within", f"must be days, weeks or months, not {window}")

    def test(f: Facts) -> bool:
        return f.episodes_since(subtract_window(f.last_seen_at, window)) >= times

    return Trigger(test, f"{times} or more missing episodes within {window}")


TRIGGERS = (
    "legal_status",
    "status",
    "missing_from",
    "placement_type",
    "police_risk",
    "risks",
    "missing_at_least",
    "missing_more_than",
    "missing_less_than",
    "age_under",
    "age_at_least",
    "returned",
    "independent_requested",
    "placed_by_other_authority",
    "ola_notifications_at_least",
    "episodes_at_least",
    "episodes_in_window",
    "any",
    "all",
    "not",
)

ALWAYS = Trigger(lambda f: True, "every episode")


def compile_trigger(when: Any, where: str = "") -> Trigger:
    """Compile a ``when`` mapping; raise :class:`TriggerSyntaxError` naming the bad entry."""
    if when is None or when == {}:
        return ALWAYS
    if not isinstance(when, Mapping):
        raise TriggerSyntaxError(where or "when", "must be a mapping of triggers")
    parts = []
    for name, value in when.items():
        try:
            parts.append(_compile_entry(str(name), value))
        except TriggerSyntaxError as exc:
            field = f"{where}.{exc.field}" if where else exc.field
            raise TriggerSyntaxError(field, exc.message) from None
    if len(parts) == 1:
        return parts[0]
    tests = [p.test for p in parts]
    return Trigger(lambda f: all(t(f) for t in tests), " and ".join(p.text for p in parts))

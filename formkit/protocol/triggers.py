"""Triggers: the conditions in a profile rule, compiled once into fast predicates.

A rule's ``when`` is a mapping of trigger names to values; every entry must hold (``all`` of
them). ``any``, ``all`` and ``not`` combine nested mappings. Each trigger also describes itself
in plain English, so a plan can say *why* an obligation is due. Triggers read :class:`Facts`,
which are worked out once per episode, so evaluating a rule is a few comparisons.
"""

from __future__ import annotations

import difflib
import operator
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
from formkit.protocol.calendar import Duration
from formkit.protocol.episodes import episodes_within


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

    def episodes_within(self, window: Duration) -> int:
        """Episodes that began in the ``window`` up to and including this one."""
        return episodes_within(self.episode_starts, self.last_seen_at, window)


Predicate = Callable[[Facts], bool]


def _age(f: Facts) -> int:
    return f.age


def _ola_notifications(f: Facts) -> int:
    return f.ola_notifications


def _episode_count(f: Facts) -> int:
    return len(f.episode_starts)


@dataclass(frozen=True)
class Trigger:
    """A compiled condition: ``test(facts)`` and a plain-English ``text``."""

    test: Predicate
    text: str


Compiler = Callable[[Any], "Trigger"]


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


def _choice_trigger(name: str) -> Compiler:
    allowed, fact, label = _CHOICE_FACTS[name]

    def compile_choice(value: Any) -> Trigger:
        chosen = _choices(name, value, allowed)
        if name == "risks":  # a set of risk types: any one of those named will do
            return Trigger(lambda f: not chosen.isdisjoint(f.risk_types), _one_of(label, chosen))
        return Trigger(lambda f: getattr(f, fact) in chosen, _one_of(label, chosen))

    return compile_choice


def _span_trigger(
    name: str, compare: Callable[[timedelta, timedelta], bool], words: str
) -> Compiler:
    """``missing_...``: how long the child has been missing against a span; ``words`` has {span}."""

    def compile_span(value: Any) -> Trigger:
        span = _elapsed(name, value)
        return Trigger(lambda f: compare(f.missing_for, span), words.format(span=_hours_text(span)))

    return compile_span


def _count_trigger(
    name: str, measure: Callable[[Facts], int], compare: Callable[[int, int], bool], words: str
) -> Compiler:
    """A whole number compared with a count from the facts; ``words`` has {n}."""

    def compile_count(value: Any) -> Trigger:
        number = _count(name, value)
        return Trigger(lambda f: compare(measure(f), number), words.format(n=number))

    return compile_count


def _flag_trigger(name: str, fact: str, yes: str, no: str) -> Compiler:
    """true or false, tested against a yes/no fact."""

    def compile_flag(value: Any) -> Trigger:
        flag = _flag(name, value)
        return Trigger(lambda f: getattr(f, fact) is flag, yes if flag else no)

    return compile_flag


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
        return f.episodes_within(window) >= times

    return Trigger(test, f"{times} or more missing episodes within {window}")


def _parts(name: str, value: Any) -> list[Trigger]:
    if not isinstance(value, list) or not value:
        raise TriggerSyntaxError(name, "must be a list of trigger mappings")
    return [compile_trigger(item, f"{name}.{i}") for i, item in enumerate(value)]


def _any(value: Any) -> Trigger:
    parts = _parts("any", value)
    tests = [p.test for p in parts]
    return Trigger(
        lambda f: any(t(f) for t in tests), "(" + ", or ".join(p.text for p in parts) + ")"
    )


def _all(value: Any) -> Trigger:
    parts = _parts("all", value)
    tests = [p.test for p in parts]
    return Trigger(lambda f: all(t(f) for t in tests), " and ".join(p.text for p in parts))


def _not(value: Any) -> Trigger:
    inner = compile_trigger(value, "not")
    return Trigger(lambda f: not inner.test(f), f"not ({inner.text})")


_INDEPENDENT = "asked for an independent interviewer"
_PLACED = "placed here by another authority"

# Every trigger a profile's ``when`` may name, and how its value is compiled: the one list
# (the "known:" hint and the documentation test read it too).
COMPILERS: dict[str, Compiler] = {
    **{name: _choice_trigger(name) for name in _CHOICE_FACTS},
    "missing_at_least": _span_trigger("missing_at_least", operator.ge, "missing {span} or more"),
    "missing_more_than": _span_trigger(
        "missing_more_than", operator.gt, "missing more than {span}"
    ),
    "missing_less_than": _span_trigger(
        "missing_less_than", operator.lt, "missing less than {span}"
    ),
    "age_under": _count_trigger("age_under", _age, operator.lt, "aged under {n}"),
    "age_at_least": _count_trigger("age_at_least", _age, operator.ge, "aged {n} or over"),
    "returned": _flag_trigger(
        "returned", "returned", "the child has returned", "the child is still missing"
    ),
    "independent_requested": _flag_trigger(
        "independent_requested", "independent_requested", _INDEPENDENT, f"has not {_INDEPENDENT}"
    ),
    "placed_by_other_authority": _flag_trigger(
        "placed_by_other_authority", "placed_by_other_authority", _PLACED, f"not {_PLACED}"
    ),
    "ola_notifications_at_least": _count_trigger(
        "ola_notifications_at_least",
        _ola_notifications,
        operator.ge,
        "{n} or more missing notifications about this child",
    ),
    "episodes_at_least": _count_trigger(
        "episodes_at_least", _episode_count, operator.ge, "{n} or more missing episodes"
    ),
    "episodes_in_window": _episodes_in_window,
    "any": _any,
    "all": _all,
    "not": _not,
}
TRIGGERS = tuple(COMPILERS)


def _compile_entry(name: str, value: Any) -> Trigger:
    compiler = COMPILERS.get(name)
    if compiler is not None:
        return compiler(value)
    close = difflib.get_close_matches(name, TRIGGERS, n=1, cutoff=0.5)
    hint = f"; did you mean '{close[0]}'?" if close else f" (known: {', '.join(TRIGGERS)})"
    raise TriggerSyntaxError(name, f"unknown trigger '{name}'{hint}")


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

"""Jinja filters for UK documents: dates and times the way English councils write them, ages,
durations, labels for choice values and tick boxes.

Every filter accepts ``None`` (or an undefined value) and returns "" for it, so a template can
print an optional field without an ``if``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from enum import Enum
from typing import Any

from jinja2 import Undefined

from formkit.model.values import LONDON
from formkit.render.labels import label as _label

CHECKED = "\u2612"
UNCHECKED = "\u2610"


def _absent(value: Any) -> bool:
    return value is None or isinstance(value, Undefined) or value == ""


def _london(value: datetime) -> datetime:
    return value.astimezone(LONDON) if value.tzinfo else value


def uk_date(value: Any) -> str:
    """03/11/2026"""
    if _absent(value):
        return ""
    if isinstance(value, datetime):
        value = _london(value)
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def uk_datetime(value: Any) -> str:
    """03/11/2026 14:30 (London time)"""
    if _absent(value):
        return ""
    if isinstance(value, datetime):
        return _london(value).strftime("%d/%m/%Y %H:%M")
    return uk_date(value)


def long_date(value: Any) -> str:
    """Tuesday 3 November 2026"""
    if _absent(value):
        return ""
    if isinstance(value, datetime):
        value = _london(value)
    if isinstance(value, date):
        return f"{value:%A} {value.day} {value:%B %Y}"
    return str(value)


def long_datetime(value: Any) -> str:
    """Tuesday 3 November 2026 at 14:30"""
    if _absent(value):
        return ""
    if isinstance(value, datetime):
        return f"{long_date(value)} at {_london(value):%H:%M}"
    return long_date(value)


def time_of_day(value: Any) -> str:
    """14:30"""
    if _absent(value):
        return ""
    if isinstance(value, datetime):
        return _london(value).strftime("%H:%M")
    return str(value)


def duration(value: Any) -> str:
    """A timedelta in words: "2 days 4 hours", "45 minutes", "1 day"."""
    if _absent(value):
        return ""
    if not isinstance(value, timedelta):
        return str(value)
    minutes = max(0, int(value.total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = [(days, "day"), (hours, "hour")] if days else [(hours, "hour"), (mins, "minute")]
    words = [f"{n} {unit}{'' if n == 1 else 's'}" for n, unit in parts if n]
    return " ".join(words) or "less than a minute"


def label(value: Any) -> str:
    """The words for a choice value (``looked_after`` → "Looked after"); lists are joined."""
    if _absent(value):
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(label(item) for item in value)
    return _label(value)


def yesno(value: Any, answers: str = "Yes,No,Not known") -> str:
    """True → "Yes", False → "No", None → "Not known" (or the three words given)."""
    words = answers.split(",")
    if isinstance(value, Undefined) or value is None:
        return words[2] if len(words) > 2 else ""
    return words[0] if value else words[1]


def tick(value: Any, choice: Any = None) -> str:
    """☒ when ``value`` is true (or, given ``choice``, when ``choice`` is in the list), else ☐."""
    if choice is not None:
        items: Iterable[Any] = value if isinstance(value, list | tuple | set) else ()
        wanted = choice.value if isinstance(choice, Enum) else str(choice)
        on = any((i.value if isinstance(i, Enum) else str(i)) == wanted for i in items)
        return CHECKED if on else UNCHECKED
    return CHECKED if value and not isinstance(value, Undefined) else UNCHECKED


FILTERS: dict[str, Callable[..., str]] = {
    "uk_date": uk_date,
    "uk_datetime": uk_datetime,
    "long_date": long_date,
    "long_datetime": long_datetime,
    "time": time_of_day,
    "duration": duration,
    "label": label,
    "yesno": yesno,
    "tick": tick,
}

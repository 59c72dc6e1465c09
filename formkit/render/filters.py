"""Jinja filters for UK documents: dates and times the way English councils write them, ages,
durations, labels for choice values and tick boxes, and the blank-safe helpers every template
gets (``joined``, ``plural``, ``phrase``, ``known``; the rules are in docs/templates.md).

Every filter accepts ``None`` (or an undefined value) and returns "" for it, so a template can
print an optional field without an ``if``. The words come from :mod:`formkit.words`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from enum import Enum
from typing import Any

from jinja2 import Undefined

from formkit import words
from formkit.words import label as _label

CHECKED = "\u2612"
UNCHECKED = "\u2610"


def _absent(value: Any) -> bool:
    return value is None or isinstance(value, Undefined) or value == ""


def uk_date(value: Any) -> str:
    """03/11/2026"""
    if _absent(value):
        return ""
    if isinstance(value, date):
        return words.table_date(value)
    return str(value)


def uk_datetime(value: Any) -> str:
    """03/11/2026 14:30 (London time)"""
    if _absent(value):
        return ""
    if isinstance(value, datetime):
        return words.table_datetime(value)
    return uk_date(value)


def long_date(value: Any) -> str:
    """Tuesday 3 November 2026"""
    if _absent(value):
        return ""
    if isinstance(value, date):
        return words.long_date(value)
    return str(value)


def long_datetime(value: Any) -> str:
    """Tuesday 3 November 2026 at 14:30"""
    if _absent(value):
        return ""
    if isinstance(value, date):
        return words.long_datetime(value)
    return str(value)


def time_of_day(value: Any) -> str:
    """14:30"""
    if _absent(value):
        return ""
    if isinstance(value, datetime):
        return words.clock(value)
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
    said = [words.plural(n, unit) for n, unit in parts if n]
    return " ".join(said) or "less than a minute"


def label(value: Any) -> str:
    """The words for a choice value (``looked_after`` → "Looked after"); lists are joined."""
    if _absent(value):
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(label(item) for item in value)
    return _label(value)


def yesno(value: Any, answers: str = "Yes,No,Not known") -> str:
    """True → "Yes", False → "No", None → "Not known" (or the three words given)."""
    said = answers.split(",")
    if isinstance(value, Undefined) or value is None:
        return said[2] if len(said) > 2 else ""
    return said[0] if value else said[1]


def tick(value: Any, choice: Any = None) -> str:
    """☒ when ``value`` is true (or, given ``choice``, when ``choice`` is in the list), else ☐."""
    if choice is not None:
        items: Iterable[Any] = value if isinstance(value, list | tuple | set) else ()
        wanted = choice.value if isinstance(choice, Enum) else str(choice)
        on = any((i.value if isinstance(i, Enum) else str(i)) == wanted for i in items)
        return CHECKED if on else UNCHECKED
    return CHECKED if value and not isinstance(value, Undefined) else UNCHECKED


def _text(value: Any) -> str:
    """One part of a phrase as words: dates in tables style, choices in words, lists joined."""
    if _absent(value):
        return ""
    return words.words_of(value).strip()


def joined(values: Any, sep: str = ", ") -> str:
    """The parts that have a value, joined: ``[name, role, phone]|joined(" · ")`` never
    gives "Name, ," or "Home ·"."""
    if _absent(values):
        return ""
    items = values if isinstance(values, list | tuple) else [values]
    return sep.join(t for t in (_text(v) for v in items) if t)


def plural(count: Any, singular: str, plural_form: str | None = None) -> str:
    """``1|plural("episode")`` → "1 episode", ``2|plural("child", "children")`` → "2 children";
    a list counts its items."""
    if _absent(count):
        count = 0
    if isinstance(count, list | tuple | set | dict):
        count = len(count)
    return words.plural(int(count), singular, plural_form)


def phrase(value: Any, pattern: str) -> str:
    """``place|phrase("at {}")`` → "at Mill Street", or "" when there is no place: no
    dangling "at", "on" or "by"."""
    text = _text(value)
    return pattern.replace("{}", text) if text else ""


_ENDS_SENTENCE = re.compile(r"[.!?…][\"'”’)\]]*\s*$")


def sentence(value: Any) -> str:
    """Text as a whole sentence: a full stop added unless it already ends one, so a reason typed
    with its own full stop never prints "deal".." ("" stays "")."""
    text = _text(value).rstrip()
    if not text or _ENDS_SENTENCE.search(text):
        return text
    return text + "."


def known(value: Any, otherwise: str = words.NOT_KNOWN) -> str:
    """The value in words, or "Not known" when the record does not hold it."""
    return _text(value) or otherwise


def listed(values: Any, sep: str = ", ", otherwise: str = words.NONE_RECORDED) -> str:
    """A list in words, or "None recorded" when it is empty."""
    return joined(values, sep) or otherwise


FILTERS: dict[str, Callable[..., str]] = {
    "joined": joined,
    "plural": plural,
    "phrase": phrase,
    "sentence": sentence,
    "known": known,
    "listed": listed,
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

"""The one source of words formkit shows people: choice values, dates, yes/no.

Word documents, PDF forms, the tracker (cells and drop-downs), the report, CLI messages and
validation suggestions all take their words from here, so "Child protection plan" reads the
same everywhere. Codes (``looked_after``) stay in JSON files, content-control tags, SSDA903 and
CSV exports; :func:`code_for` reads either back.

Words for choice values live in ``words.yaml`` beside this module; a value not listed there is
shown with its underscores as spaces and a capital first letter.

Dates: prose uses :func:`long_date` ("Tuesday 3 November 2026"), tables and cells
:func:`table_datetime` ("03/11/2026 14:30"), always in London time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from enum import Enum
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from formkit.resources import bundled

LONDON = ZoneInfo("Europe/London")
MARKING = "OFFICIAL-SENSITIVE"
"""The Government Security Classification every document, form and report carries."""
NOT_KNOWN = "Not known"
NONE_RECORDED = "None recorded"
YES, NO = "Yes", "No"

_FILE = bundled("words.yaml")


@cache
def _words() -> dict[str, str]:
    with _FILE.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    return {str(key): str(value) for key, value in data.items()}


def label(value: object) -> str:
    """``looked_after`` → "Looked after"; an enum member or its code."""
    code = value.value if isinstance(value, Enum) else str(value)
    found = _words().get(code)
    if found is not None:
        return found
    text = code.replace("_", " ")
    return text[:1].upper() + text[1:]


def labels(values: Iterable[object], sep: str = ", ") -> str:
    """Several choices in words, joined (empty parts dropped)."""
    return sep.join(label(v) for v in values if v is not None and str(v) != "")


def choices(enum_cls: type[Enum]) -> list[tuple[str, str]]:
    """(code, words) for every member of a choice list, in the list's order."""
    return [(str(member.value), label(member)) for member in enum_cls]


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


@cache
def _reverse(enum_cls: type[Enum]) -> dict[str, str]:
    found: dict[str, str] = {}
    for member in enum_cls:
        code = str(member.value)
        found[_key(label(member))] = code
        found[_key(code)] = code
    return found


def code_for(enum_cls: type[Enum], text: object) -> str | None:
    """The code of ``text`` in ``enum_cls`` when it is the code or its words (any case); None
    when it is neither."""
    if isinstance(text, Enum):
        return str(text.value)
    if text is None:
        return None
    return _reverse(enum_cls).get(_key(str(text)))


# Words a person writes for yes and for no (a typed answer, a ticked choice, a tracker cell).
YES_WORDS = frozenset({"yes", "y", "true", "1", "on", "x", "ticked", "agreed", "accepted"})
NO_WORDS = frozenset({"no", "n", "false", "0", "off", "declined", "refused", "not accepted"})


def read_yes_no(value: Any) -> bool | None:
    """What a person's yes or no says ("Yes", "Y", "x", "declined"…); None when it is neither."""
    if isinstance(value, bool) or value is None:
        return value
    word = str(value).strip().lower().rstrip(".")
    if word in YES_WORDS:
        return True
    if word in NO_WORDS:
        return False
    return None


_UK_DATE = re.compile(
    r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})(?:[ ,T]+(\d{1,2})[:.](\d{2}))?\s*$"
)
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?")


def read_shown_date(text: str) -> tuple[date, tuple[int, int] | None] | None:
    """A date as a person writes it, the UK way (03/11/2026, 3.11.26, 03/11/2026 14:30) or ISO,
    with its time of day when one is given; None if unreadable."""
    try:
        match = _UK_DATE.match(text)
        if match:
            day, month, year = int(match[1]), int(match[2]), int(match[3])
            when = date(year + 2000 if year < 100 else year, month, day)
            return when, ((int(match[4]), int(match[5])) if match[4] else None)
        iso = _ISO_DATE.match(text)
        if iso:
            when = date(int(iso[1]), int(iso[2]), int(iso[3]))
            return when, ((int(iso[4]), int(iso[5])) if iso[4] else None)
    except ValueError:
        return None
    return None


def yes_no(value: Any, words: tuple[str, str, str] = (YES, NO, NOT_KNOWN)) -> str:
    """True → "Yes", False → "No", None → "Not known"."""
    if value is None:
        return words[2]
    return words[0] if value else words[1]


def _london(value: datetime) -> datetime:
    return value.astimezone(LONDON) if value.tzinfo else value


def long_date(value: date | datetime) -> str:
    """Tuesday 3 November 2026 (London date of a time)."""
    if isinstance(value, datetime):
        value = _london(value)
    return f"{value:%A} {value.day} {value:%B %Y}"


def long_datetime(value: date | datetime) -> str:
    """Tuesday 3 November 2026 at 14:30"""
    if isinstance(value, datetime):
        return f"{long_date(value)} at {_london(value):%H:%M}"
    return long_date(value)


def table_date(value: date | datetime) -> str:
    """03/11/2026"""
    if isinstance(value, datetime):
        value = _london(value)
    return f"{value:%d/%m/%Y}"


def table_datetime(value: date | datetime, *, seconds: bool = False, weekday: bool = False) -> str:
    """03/11/2026 14:30 (London time); a date alone is 03/11/2026. ``seconds`` adds them
    (03/11/2026 14:30:05), ``weekday`` puts the day first (Tue 03/11/2026 14:30)."""
    if not isinstance(value, datetime):
        return f"{value:%a} {table_date(value)}" if weekday else table_date(value)
    local = _london(value)
    text = f"{local:%d/%m/%Y %H:%M:%S}" if seconds else f"{local:%d/%m/%Y %H:%M}"
    return f"{local:%a} {text}" if weekday else text


def clock(value: datetime) -> str:
    """14:30 (London time)"""
    return f"{_london(value):%H:%M}"


def day_month(value: date | datetime) -> str:
    """03/11 (a week's first day in a short table)"""
    if isinstance(value, datetime):
        value = _london(value)
    return f"{value:%d/%m}"


def ordinal(number: int) -> str:
    """ "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st"."""
    if 10 <= number % 100 <= 20:
        return f"{number}th"
    return f"{number}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(number % 10, 'th') }"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """ "1 episode", "2 episodes", "3 children" (with ``plural_form``), "1,204 cells"."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count:,} {word}"


def words_of(value: Any) -> str:
    """Any model value as a person reads it in a table: dates UK style, choices in words,
    yes/no, lists joined; None is ""."""
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return table_datetime(value)
    if isinstance(value, Enum):
        return label(value)
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, list | tuple):
        return ", ".join(t for t in (words_of(item) for item in value) if t)
    return str(value)

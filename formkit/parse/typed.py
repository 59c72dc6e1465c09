"""Values as people type them into other providers' forms, read into what the model stores.

A date box on a charity's form may hold "23/11/2026 16:00", "Tuesday 3 November 2026 at
14:30", "3rd Nov 2026 4pm" or "12/03/2012 (14)"; a yes/no may say "Y" or "Agreed"; a scale
"3 - okay". These readers are forgiving and return None when they cannot read the text, so the
caller keeps the text as typed and the model reports it.
"""

from __future__ import annotations

import re
from datetime import date

from formkit.words import read_shown_date

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_NUMERIC = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})\b")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_WORDS = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([a-z]{3,9})\.?,?\s+(\d{4})\b", re.I)
_CLOCK = re.compile(r"\b(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?\b", re.I)


def _clock(rest: str) -> tuple[int, int] | None:
    """A time of day in the text after a date ("at 14:30", "4pm", "16.00")."""
    for match in _CLOCK.finditer(rest):
        hour, minute, half = int(match[1]), int(match[2] or 0), (match[3] or "").lower()
        if not match[2] and not half:
            continue  # a bare number is not a time
        if half == "pm" and hour < 12:
            hour += 12
        elif half == "am" and hour == 12:
            hour = 0
        if 0 <= hour < 24 and 0 <= minute < 60:
            return hour, minute
    return None


def read_date(text: str, *, with_time: bool = True) -> str | None:
    """An ISO date, or naive ISO date-time when a time is typed; None when no date is found."""
    shown = read_shown_date(text)
    if shown is not None:
        day, clock = shown
        rest = ""
    else:
        day = None
        clock = None
        for pattern in (_NUMERIC, _ISO, _WORDS):
            match = pattern.search(text)
            if match is None:
                continue
            try:
                if pattern is _NUMERIC:
                    year = int(match[3]) + (2000 if len(match[3]) == 2 else 0)
                    day = date(year, int(match[2]), int(match[1]))
                elif pattern is _ISO:
                    day = date(int(match[1]), int(match[2]), int(match[3]))
                else:
                    month = _MONTHS.get(match[2].lower())
                    if month is None:
                        continue
                    day = date(int(match[3]), month, int(match[1]))
            except ValueError:
                continue
            rest = text[match.end() :]
            break
        if day is None:
            return None
        clock = _clock(rest)
    assert day is not None
    if clock is None or not with_time:
        return day.isoformat()
    return f"{day.isoformat()}T{clock[0]:02d}:{clock[1]:02d}"


def read_scale(text: str) -> int | None:
    """The first whole number 1 to 5 in "3 - okay" or "4/5"."""
    match = re.search(r"\b([1-5])\b", text)
    return int(match[1]) if match else None


def split_name(full: str) -> tuple[str, str] | None:
    """("Ann Marie", "Smith") from "Ann Marie Smith"; "Smith, Ann" reads surname first."""
    text = " ".join(full.split())
    if "," in text:
        last, _, first = text.partition(",")
        first, last = first.strip(), last.strip()
    else:
        first, _, last = text.rpartition(" ")
    if not first or not last:
        return None
    return first, last

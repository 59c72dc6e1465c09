"""Clock arithmetic for protocol deadlines, in Europe/London.

Protocols mix three kinds of time: *elapsed hours* ("within 72 hours of return" is 72 real hours,
even across a clock change), *calendar days* ("within 3 days" keeps the wall-clock time) and
*working days* (weekends and the bank holidays of England are skipped). A working-day deadline
falls at the end of the working day (the profile says when that is, 17:00 by default), because
"within 5 working days" means "by close of business on the fifth working day".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

import holidays

from formkit.model.values import LONDON

UNITS = ("hours", "days", "working days", "weeks", "months", "same working day")

_DURATION = re.compile(
    r"^\s*(\d{1,4})\s*(h|hours?|d|days?|working\s+days?|weeks?|months?)\s*$", re.IGNORECASE
)
_UNIT_NAMES = {
    "h": "hours",
    "hour": "hours",
    "hours": "hours",
    "d": "days",
    "day": "days",
    "days": "days",
    "week": "weeks",
    "weeks": "weeks",
    "month": "months",
    "months": "months",
    "working day": "working days",
    "working days": "working days",
}
DEFAULT_END_OF_WORKING_DAY = time(17, 0)


@dataclass(frozen=True)
class Duration:
    """An amount of protocol time: ``72 hours``, ``3 days``, ``5 working days``, ``same working day``."""

    amount: int
    unit: str

    @classmethod
    def parse(cls, text: str) -> Duration:
        """Read a duration as a profile writes it; raise ``ValueError`` with a hint otherwise."""
        if not isinstance(text, str):
            raise ValueError(f"expected a duration such as '72 hours', not {text!r}")
        if text.strip().lower() == "same working day":
            return cls(0, "same working day")
        match = _DURATION.match(text)
        if not match:
            raise ValueError(
                f"'{text}' is not a duration; write it like '72 hours', '3 days', "
                "'5 working days', '1 week', '1 month' or 'same working day'"
            )
        unit = _UNIT_NAMES[re.sub(r"\s+", " ", match.group(2).lower())]
        return cls(int(match.group(1)), unit)

    def __str__(self) -> str:
        if self.unit == "same working day":
            return "the same working day"
        unit = self.unit[:-1] if self.amount == 1 else self.unit
        return f"{self.amount} {unit}"

    @property
    def fixed(self) -> timedelta | None:
        """The exact length when it does not depend on the calendar (hours, days, weeks)."""
        if self.unit == "hours":
            return timedelta(hours=self.amount)
        if self.unit == "days":
            return timedelta(days=self.amount)
        if self.unit == "weeks":
            return timedelta(weeks=self.amount)
        return None


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    # Built once per year: constructing a holidays object is slow compared with a set lookup.
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_bank_holiday(day: date) -> bool:
    """True on a bank holiday in England (including substitute days)."""
    return day in _bank_holidays(day.year)


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a bank holiday in England."""
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def next_working_day(day: date) -> date:
    """The first working day strictly after ``day``."""
    day += timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def london(moment: datetime) -> datetime:
    """``moment`` as a London time; a naive time is read as London wall-clock time."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=LONDON)
    return moment.astimezone(LONDON)


def _wall_clock(day: date, clock: time) -> datetime:
    """A London wall-clock time, normalised (a time skipped by the spring change moves on)."""
    return datetime.combine(day, clock, tzinfo=LONDON).astimezone(UTC).astimezone(LONDON)


def add_hours(start: datetime, hours: float) -> datetime:
    """Real elapsed hours: 72 hours across the October change is 72 hours, not 73 on the clock."""
    return (start.astimezone(UTC) + timedelta(hours=hours)).astimezone(LONDON)


def add_days(start: datetime, days: int) -> datetime:
    """Calendar days: the same wall-clock time ``days`` later."""
    local = london(start)
    return _wall_clock(local.date() + timedelta(days=days), local.time())


def add_months(start: datetime, months: int) -> datetime:
    """Calendar months, the day clamped to the month's end (31 January + 1 month = 28/29 Feb)."""
    local = london(start)
    month_index = local.month - 1 + months
    year, month = local.year + month_index // 12, month_index % 12 + 1
    last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    day = date(year, month, min(local.day, last))
    return _wall_clock(day, local.time())


def same_working_day(start: datetime, end_of_day: time = DEFAULT_END_OF_WORKING_DAY) -> datetime:
    """Close of business on the day of ``start``; after hours or on a day off, the next working day."""
    local = london(start)
    day = local.date()
    if not is_working_day(day) or local.time() >= end_of_day:
        day = next_working_day(day)
    return _wall_clock(day, end_of_day)


def add_working_days(
    start: datetime, count: int, end_of_day: time = DEFAULT_END_OF_WORKING_DAY
) -> datetime:
    """Close of business on the ``count``-th working day after the day of ``start``.

    The day of the event itself is never counted, whether or not it is a working day, so a
    return on Friday evening with "3 working days" is due on Wednesday at close of business.
    """
    if count <= 0:
        return same_working_day(start, end_of_day)
    day = london(start).date()
    for _ in range(count):
        day = next_working_day(day)
    return _wall_clock(day, end_of_day)


def add_duration(
    start: datetime, duration: Duration, end_of_day: time = DEFAULT_END_OF_WORKING_DAY
) -> datetime:
    """``start`` plus a protocol duration, as a London time."""
    if duration.unit == "hours":
        return add_hours(start, duration.amount)
    if duration.unit == "days":
        return add_days(start, duration.amount)
    if duration.unit == "weeks":
        return add_days(start, 7 * duration.amount)
    if duration.unit == "months":
        return add_months(start, duration.amount)
    if duration.unit == "working days":
        return add_working_days(start, duration.amount, end_of_day)
    return same_working_day(start, end_of_day)


def subtract_window(end: datetime, duration: Duration) -> datetime:
    """The start of a look-back window (``90 days``, ``6 months``) that ends at ``end``."""
    if duration.unit == "months":
        return add_months(end, -duration.amount)
    fixed = duration.fixed
    if fixed is None:
        raise ValueError(f"a look-back window cannot be {duration}")
    return end - fixed

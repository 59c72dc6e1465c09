"""Deadline arithmetic in Europe/London, each case worked out by hand on a calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from formkit.model import LONDON
from formkit.protocol.calendar import (
    Duration,
    add_days,
    add_duration,
    add_hours,
    add_months,
    add_working_days,
    is_working_day,
    same_working_day,
)


def ldn(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


CASES = [
    # 72 real hours across the October 2026 change (25 Oct, 02:00 BST -> 01:00 GMT).
    ("hours across October change", "2026-10-24T22:00", "72 hours", "2026-10-27T21:00", "+00:00"),
    # 72 real hours across the March 2027 change (28 Mar, 01:00 GMT -> 02:00 BST).
    ("hours across March change", "2027-03-27T12:00", "72 hours", "2027-03-30T13:00", "+01:00"),
    # Calendar days keep the wall clock, so this is 73 real hours.
    ("days keep the wall clock", "2026-10-24T22:00", "3 days", "2026-10-27T22:00", "+00:00"),
    # Christmas 2026: Fri 25 and Mon 28 (Boxing Day, observed) are bank holidays.
    ("3 wd across Christmas", "2026-12-23T10:00", "3 working days", "2026-12-30T17:00", "+00:00"),
    ("1 wd from Christmas Eve", "2026-12-24T10:00", "1 working day", "2026-12-29T17:00", "+00:00"),
    ("5 wd from 21 Dec", "2026-12-21T09:00", "5 working days", "2026-12-30T17:00", "+00:00"),
    # Easter 2027: Good Friday 26 March and Easter Monday 29 March.
    ("1 wd over Easter", "2027-03-25T15:00", "1 working day", "2027-03-30T17:00", "+01:00"),
    ("3 wd over Easter", "2027-03-24T11:00", "3 working days", "2027-03-31T17:00", "+01:00"),
    # A Friday-evening return: the Friday itself is never counted.
    ("Friday evening 3 wd", "2026-11-06T19:30", "3 working days", "2026-11-11T17:00", "+00:00"),
    (
        "Friday evening same wd",
        "2026-11-06T19:30",
        "same working day",
        "2026-11-09T17:00",
        "+00:00",
    ),
    # Same working day on the August bank holiday moves to Tuesday.
    (
        "same wd on bank holiday",
        "2026-08-31T10:00",
        "same working day",
        "2026-09-01T17:00",
        "+01:00",
    ),
    ("same wd Christmas Day", "2026-12-25T09:00", "same working day", "2026-12-29T17:00", "+00:00"),
    ("same wd in hours", "2026-11-03T10:00", "same working day", "2026-11-03T17:00", "+00:00"),
    ("one month clamps", "2027-01-31T10:00", "1 month", "2027-02-28T10:00", "+00:00"),
    ("one week", "2026-10-20T14:00", "1 week", "2026-10-27T14:00", "+00:00"),
]


@pytest.mark.parametrize(("name", "start", "duration", "expected", "offset"), CASES)
def test_deadline_by_hand(name: str, start: str, duration: str, expected: str, offset: str) -> None:
    due = add_duration(ldn(start), Duration.parse(duration))
    assert due.isoformat() == f"{expected}:00{offset}", name


def test_72_hours_is_72_real_hours_not_wall_clock() -> None:
    # Subtract in UTC: Python subtracts two times of the same zone by their wall clocks.
    start = ldn("2026-10-24T22:00").astimezone(UTC)
    assert add_hours(start, 72).astimezone(UTC) - start == timedelta(hours=72)
    assert add_days(start, 3).astimezone(UTC) - start == timedelta(hours=73)


def test_a_time_the_spring_change_skips_moves_forward() -> None:
    # 01:30 on 28 March 2027 does not exist in London: it becomes 02:30 BST.
    assert add_days(ldn("2027-03-27T01:30"), 1).isoformat() == "2027-03-28T02:30:00+01:00"


def test_bank_holidays_of_england() -> None:
    assert not is_working_day(date(2026, 12, 28))  # Boxing Day (observed)
    assert not is_working_day(date(2027, 3, 29))  # Easter Monday
    assert not is_working_day(date(2026, 11, 7))  # a Saturday
    assert is_working_day(date(2026, 12, 29))


def test_close_of_business_is_configurable() -> None:
    from datetime import time

    due = same_working_day(ldn("2026-11-03T10:00"), time(16, 30))
    assert due.isoformat() == "2026-11-03T16:30:00+00:00"
    late = same_working_day(ldn("2026-11-03T16:45"), time(16, 30))
    assert late.isoformat() == "2026-11-04T16:30:00+00:00"


@pytest.mark.parametrize(
    ("text", "amount", "unit"),
    [
        ("72 hours", 72, "hours"),
        ("72h", 72, "hours"),
        ("1 hour", 1, "hours"),
        ("3 days", 3, "days"),
        ("5 working days", 5, "working days"),
        ("1 Working Day", 1, "working days"),
        ("same working day", 0, "same working day"),
        ("1 month", 1, "months"),
    ],
)
def test_duration_parse(text: str, amount: int, unit: str) -> None:
    assert Duration.parse(text) == Duration(amount, unit)


@pytest.mark.parametrize("text", ["72 hrs", "three days", "5 business days", "", "-3 days"])
def test_duration_refuses_unclear_text(text: str) -> None:
    with pytest.raises(ValueError, match="is not a duration; write it like '72 hours'"):
        Duration.parse(text)


moments = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC)
)


@given(moments, st.integers(0, 30))
def test_working_day_deadline_is_a_working_day_after_the_start(start: datetime, n: int) -> None:
    due = add_working_days(start, n)
    local_start = start.astimezone(LONDON)
    assert is_working_day(due.date())
    assert due.hour == 17 and due.minute == 0
    assert due.date() >= local_start.date()
    # Exactly n working days lie strictly between the start's day and the due day, inclusive of it.
    days = [
        local_start.date() + timedelta(days=i)
        for i in range(1, (due.date() - local_start.date()).days + 1)
    ]
    if n:
        assert sum(is_working_day(d) for d in days) == n


@given(moments, st.integers(0, 500))
def test_hours_are_real_elapsed_time(start: datetime, hours: int) -> None:
    assert add_hours(start, hours).astimezone(UTC) - start == timedelta(hours=hours)


@given(moments, st.integers(-24, 24))
def test_months_land_in_the_right_month(start: datetime, months: int) -> None:
    result = add_months(start, months)
    local = start.astimezone(LONDON)
    assert (result.year * 12 + result.month) - (local.year * 12 + local.month) == months
    assert result.day <= local.day

"""One count of a child's episodes in a window: the protocol's ``episodes_in_window`` trigger,
the tracker's *Episodes in 90 days* column and the report's *Episodes in last 6 months* count
the same episodes, each once however often it is listed."""

from __future__ import annotations

from datetime import datetime

import pytest
from support.episodes import episode

from formkit.model import LONDON
from formkit.protocol.episodes import episode_key, episode_starts, episodes_within, unique_starts
from formkit.protocol.triggers import compile_trigger
from formkit.tracker.rows import episodes_in_90_days

THIS = "2026-11-02T10:00"


def _trigger_fires(record, at_least: int) -> bool:
    from formkit.protocol.evaluate import facts_for
    from formkit.protocol.profile import load_profile

    trigger = compile_trigger({"episodes_in_window": {"at_least": at_least, "within": "90 days"}})
    facts = facts_for(record, load_profile("statutory"), datetime(2026, 11, 3, tzinfo=LONDON))
    return trigger.test(facts)


@pytest.mark.parametrize(
    ("history", "expected"),
    [
        ((), 1),
        # 90 days before to the minute is inside the window; a minute earlier is not
        (("2026-08-04T10:00",), 2),
        (("2026-08-04T09:59",), 1),
        # one earlier episode listed twice, to the minute and to the second: counted once
        (("2026-10-01T08:15", "2026-10-01T08:15:40"), 2),
        # an episode after this one does not count towards it
        (("2026-10-01T08:15", "2026-11-02T12:00"), 2),
    ],
)
def test_tracker_column_and_trigger_count_alike(history: tuple[str, ...], expected: int) -> None:
    record = episode(last_seen=THIS, history=history)
    assert episodes_in_90_days(record) == expected
    assert _trigger_fires(record, expected)
    assert not _trigger_fires(record, expected + 1)


def test_other_files_listing_the_same_episode_count_it_once() -> None:
    record = episode(last_seen=THIS, history=("2026-10-01T08:15",), ref="T-2")
    other = episode(last_seen="2026-10-01T08:15:30", ref="T-1")
    starts = episode_starts(record, [other])
    assert len(starts) == 2
    assert episodes_within(starts, record.episode.last_seen_at, "90 days") == 2


def test_same_minute_in_london_is_the_same_episode_with_or_without_a_zone() -> None:
    aware = datetime(2026, 7, 1, 13, 5, 59, tzinfo=LONDON)
    naive = datetime(2026, 7, 1, 13, 5)  # the tracker holds London wall-clock times
    assert episode_key(aware) == episode_key(naive)
    assert unique_starts([naive, naive.replace(second=30)]) == [naive.replace(second=30)]


def test_month_windows_are_calendar_months() -> None:
    end = datetime(2026, 8, 31, 12, 0)
    starts = [datetime(2026, 2, 28, 12, 0), datetime(2026, 3, 1, 12, 0), end]
    assert episodes_within(starts, end, "6 months") == 3
    assert episodes_within(starts, end, "5 months") == 1


def test_documents_count_each_earlier_episode_once() -> None:
    from formkit.render.context import build_context

    record = episode(last_seen=THIS, history=("2026-10-01T08:15", "2026-10-01T08:15:40"))
    context = build_context(record, now=datetime(2026, 11, 3, tzinfo=LONDON))
    assert context["episode_count"] == 2

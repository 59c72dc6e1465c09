"""The Today page's list: cached by the workbook's modification time, paged by child."""

from __future__ import annotations

import os
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from support.trackers import samples_tracker

from formkit.model import LONDON
from formkit.tracker.today import today
from formkit.web.app import create_app
from formkit.web.config import Settings
from formkit.web.pages import today as today_page
from formkit.web.today import TodayCache, today_for

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=LONDON)


@pytest.fixture(scope="module")
def tracker(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return samples_tracker(tmp_path_factory.mktemp("today") / "tracker.xlsx", now=NOW)


def test_the_page_lists_what_formkit_today_lists(tracker: Path) -> None:
    made = today_for(TodayCache(), tracker, now=NOW)
    assert made.listing.as_dict() == today(tracker, now=NOW).as_dict()
    children = made.children
    assert children[0].child == "BX-133019"  # missing now comes first
    assert [m.reference for m in children[0].missing] == ["BX-2026-0431"]
    listed = sum(len(c.overdue) + len(c.due) for c in children)
    assert listed == len(made.listing.items) == 29


def test_rows_are_read_again_only_when_the_workbook_changes(
    tracker: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from formkit.web import today as module

    reads: list[Path] = []
    real = module.tracker_rows
    monkeypatch.setattr(module, "tracker_rows", lambda path: reads.append(path) or real(path))
    cache = TodayCache()
    first = today_for(cache, tracker, now=NOW)
    assert today_for(cache, tracker, now=NOW) is first
    assert len(reads) == 1
    stat = tracker.stat()
    os.utime(tracker, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    again = today_for(cache, tracker, now=NOW)
    assert len(reads) == 2 and again is not first


def test_a_new_minute_answers_from_the_last_list_while_a_fresh_one_is_made(tracker: Path) -> None:
    cache = TodayCache()
    first = today_for(cache, tracker, now=NOW)
    later = NOW + timedelta(minutes=1)
    assert today_for(cache, tracker, now=later) is first  # at once, saying it is as of 09:00
    deadline = time.monotonic() + 30
    while (fresh := today_for(cache, tracker, now=later)) is first:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert fresh.listing.now == later


def test_a_long_day_is_shown_a_page_of_children_at_a_time(
    tracker: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(today_page, "PER_PAGE", 5)
    with TestClient(create_app(Settings(tracker=tracker, now=NOW))) as client:
        first = client.get("/")
        last = client.get("/?page=3")
        beyond = client.get("/?page=99")
    assert "Children 1 to 5 of 13" in first.text
    assert first.text.count('class="govuk-summary-card app-child"') == 5
    assert 'href="/?page=2" rel="next"' in first.text
    assert "Children 11 to 13 of 13" in last.text
    assert 'rel="next"' not in last.text and 'href="/?page=2" rel="prev"' in last.text
    assert "Children 11 to 13 of 13" in beyond.text


def test_a_tracker_that_is_not_there_is_said_in_words(tmp_path: Path) -> None:
    with TestClient(create_app(Settings(tracker=tmp_path / "gone.xlsx"))) as client:
        response = client.get("/")
    assert response.status_code == 422
    assert f"{tmp_path / 'gone.xlsx'}: the tracker workbook cannot be found" in response.text

"""The Today page's list, kept per tracker until the workbook changes on disk.

Reading a 20,000-row tracker takes seconds; its rows are kept, keyed by the workbook's
modification time and size, so the page answers at once until someone saves the tracker. The
list itself is the library's (:func:`formkit.tracker.today.today_from_rows`), made again when
the minute changes (obligations fall due as time passes).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import Any

from formkit.errors import TrackerError
from formkit.model import LONDON
from formkit.tracker.today import (
    MissingNow,
    TodayItem,
    TodayList,
    missing_now,
    today_from_rows,
    tracker_rows,
)

Rows = list[tuple[str, dict[str, Any]]]


@dataclass(frozen=True)
class ChildToday:
    """One child's part of the day: episodes missing now, obligations overdue and due."""

    child: str
    missing: list[MissingNow]
    overdue: list[TodayItem]
    due: list[TodayItem]

    @property
    def references(self) -> list[str]:
        """The child's episodes on the list, in order, each once."""
        seen: dict[str, None] = {}
        for reference in [m.reference for m in self.missing] + [
            i.reference for i in self.overdue + self.due
        ]:
            seen.setdefault(reference, None)
        return list(seen)


@dataclass(frozen=True)
class Today:
    """The page's content: the library's list, who is missing now, and both by child."""

    listing: TodayList
    missing: list[MissingNow]

    @cached_property
    def children(self) -> list[ChildToday]:
        """Children missing now first (longest first), then by earliest deadline."""
        missing_by_child: dict[str, list[MissingNow]] = {}
        for episode in self.missing:
            missing_by_child.setdefault(episode.child, []).append(episode)
        groups = dict(self.listing.by_child())
        order = list(missing_by_child) + [c for c in groups if c not in missing_by_child]
        return [
            ChildToday(
                child=child,
                missing=missing_by_child.get(child, []),
                overdue=[i for i in groups.get(child, []) if i.status == "overdue"],
                due=[i for i in groups.get(child, []) if i.status == "due"],
            )
            for child in order
        ]

    def as_dict(self) -> dict[str, Any]:
        """``formkit today --json``'s keys, and ``missing_now``."""
        return {**self.listing.as_dict(), "missing_now": [m.as_dict() for m in self.missing]}


@dataclass
class TodayCache:
    """The tracker's rows, per workbook version, and the last day's list made from them.

    When the minute changes, the page is answered at once from the last list (which shows the
    time it was made for) while a fresh one is made in the background; a changed workbook is
    always read before answering.
    """

    _lock: threading.Lock = field(default_factory=threading.Lock)
    _stamp: tuple[str, int, int] | None = None
    _rows: Rows = field(default_factory=list)
    _today: tuple[datetime, Today] | None = None
    _refreshing: bool = False

    def rows(self, tracker: Path) -> Rows:
        """The tracker's rows, read again only when the workbook changed on disk."""
        try:
            stat = tracker.stat()
        except OSError as error:
            raise TrackerError("the tracker workbook cannot be found", file=tracker) from error
        stamp = (str(tracker.resolve()), stat.st_mtime_ns, stat.st_size)
        with self._lock:
            if stamp != self._stamp:
                self._rows = tracker_rows(tracker)
                self._stamp = stamp
                self._today = None
            return self._rows

    def _make(self, rows: Rows, tracker: Path, now: datetime, minute: datetime) -> Today:
        made = Today(today_from_rows(rows, now=now, file=tracker), missing_now(rows, now=now))
        with self._lock:
            if self._today is None or self._today[0] <= minute:
                self._today = (minute, made)
            self._refreshing = False
        return made

    def today(self, tracker: Path, now: datetime) -> Today:
        rows = self.rows(tracker)
        minute = now.replace(second=0, microsecond=0)
        with self._lock:
            cached = self._today
            if cached is not None and cached[0] == minute:
                return cached[1]
            if cached is not None and cached[0] < minute:
                if not self._refreshing:
                    self._refreshing = True
                    threading.Thread(
                        target=self._make, args=(rows, tracker, now, minute), daemon=True
                    ).start()
                return cached[1]
        return self._make(rows, tracker, now, minute)


def today_for(cache: TodayCache, tracker: Path, *, now: datetime | None = None) -> Today:
    """The day's list for ``tracker`` at ``now`` (London time; default: this minute)."""
    moment = now or datetime.now(LONDON)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LONDON)
    return cache.today(tracker, moment)

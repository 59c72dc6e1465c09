"""The Today page's list, kept per tracker until the workbook changes on disk.

Reading a 20,000-row tracker takes seconds; the rows are kept, keyed by the workbook's
modification time and size, so the page answers at once until someone saves the tracker.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from formkit.model import LONDON
from formkit.tracker.today import TodayList, today_from_rows, tracker_rows


@dataclass
class TodayCache:
    """The tracker's rows and the last list made from them, per workbook version."""

    _lock: threading.Lock = field(default_factory=threading.Lock)
    _stamp: tuple[str, int, int] | None = None
    _rows: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    _listing: tuple[datetime, TodayList] | None = None

    def rows(self, tracker: Path) -> list[tuple[str, dict[str, Any]]]:
        stat = tracker.stat()
        stamp = (str(tracker.resolve()), stat.st_mtime_ns, stat.st_size)
        with self._lock:
            if stamp != self._stamp:
                self._rows = tracker_rows(tracker)
                self._stamp = stamp
                self._listing = None
            return self._rows

    def listing(self, tracker: Path, now: datetime) -> TodayList:
        rows = self.rows(tracker)
        # The list depends on the minute too: obligations fall due as time passes.
        minute = now.replace(second=0, microsecond=0)
        with self._lock:
            if self._listing is not None and self._listing[0] == minute:
                return self._listing[1]
        listing = today_from_rows(rows, now=now, file=tracker)
        with self._lock:
            self._listing = (minute, listing)
        return listing


def today_for(cache: TodayCache, tracker: Path, *, now: datetime | None = None) -> TodayList:
    """The day's list for ``tracker`` at ``now`` (London time; default: this minute)."""
    moment = now or datetime.now(LONDON)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LONDON)
    return cache.listing(tracker, moment)

"""A child's episodes over time: which are the same episode, and how many fall in a window.

Protocol triggers ("3 or more episodes within 90 days"), the tracker's *Episodes in 90 days*
column and the monthly report's *Episodes in last 6 months* all count with these functions, so
they agree on what counts:

- the same episode is often listed several times (in the row, in another row's *Previous
  episodes*, in another file's history), to the minute or to the second: episodes are the same
  when they start in the same London minute (:func:`episode_key`);
- a window ``90 days`` or ``6 months`` ends at a moment and includes both ends
  (:func:`window_start`, :func:`episodes_within`).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from datetime import datetime

from formkit.model import EpisodeRecord
from formkit.protocol.calendar import Duration, subtract_window
from formkit.words import LONDON


def episode_key(start: datetime) -> datetime:
    """The London wall-clock minute an episode began in: two listings of one episode share it.
    A time without a zone is taken as a London wall-clock time (as the tracker holds them)."""
    if start.tzinfo is not None:
        start = start.astimezone(LONDON).replace(tzinfo=None)
    return start.replace(second=0, microsecond=0)


def unique_starts(starts: Iterable[datetime]) -> list[datetime]:
    """Start times with the listings of one episode kept once (the latest listed), sorted."""
    by_minute = {episode_key(start): start for start in starts}
    return sorted(by_minute.values())


def window_start(end: datetime, window: Duration | str) -> datetime:
    """The first moment of a look-back window (``90 days``, ``6 months``) that ends at ``end``;
    a time without a zone (the tracker's) is a London wall-clock time, and so is the answer."""
    duration = Duration.parse(window) if isinstance(window, str) else window
    if end.tzinfo is None:
        return subtract_window(end.replace(tzinfo=LONDON), duration).replace(tzinfo=None)
    return subtract_window(end, duration)


def in_window(start: datetime, end: datetime, window: Duration | str) -> bool:
    """Did an episode that began at ``start`` begin in the window ending at ``end``?"""
    return window_start(end, window) <= start <= end


def episodes_within(starts: Sequence[datetime], end: datetime, window: Duration | str) -> int:
    """How many of ``starts`` (sorted, one per episode) began in the window ending at ``end``,
    both ends included."""
    since = window_start(end, window)
    return bisect.bisect_right(starts, end) - bisect.bisect_left(starts, since)


def _same_child(record: EpisodeRecord, other: EpisodeRecord) -> bool:
    return other.child.id == record.child.id and other is not record


def episode_starts(record: EpisodeRecord, others: Iterable[EpisodeRecord] = ()) -> list[datetime]:
    """Start times of this episode and the child's earlier ones (history and ``others``), unique."""
    this = record.episode.last_seen_at
    starts = {this, *(h.started_at for h in record.history)}
    for other in others:
        if _same_child(record, other):
            starts.add(other.episode.last_seen_at)
            starts.update(h.started_at for h in other.history)
    # The same episode may be listed in several histories, to the minute or to the second.
    return [s for s in unique_starts(starts) if s <= this]

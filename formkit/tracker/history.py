"""Every episode the tracker knows of: its rows and the earlier episodes each row's file lists.

An episode file carries the child's earlier episodes (``history``), which may never have been
rows of their own. The tracker keeps them in the *Previous episodes* column as text a person can
read and formkit can read back::

    05/03/2026 10:00 to 06/03/2026 08:00 missing; 01/07/2026 22:15 absent, whereabouts known

Annex A, the SSDA903 year and the report count from :func:`known_episodes`, which merges the rows
with those earlier episodes, once each (the same child's episode starting in the same minute is
one episode; the row wins, since it has the most detail).

DfE's SSDA903 code is decided here, in one place, by :func:`missing_code`: ``A`` (away from
placement without authorisation) when the child's whereabouts were known, ``M`` (missing) when
they were not. When whereabouts were not recorded, the police category decides:
``away_without_authorisation`` is ``A`` (known by definition); ``missing`` and ``absent`` are
``M`` (the police "absent" category means "not where expected", which says nothing about
whereabouts being known).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from formkit.model import LONDON, EpisodeRecord
from formkit.model.values import Choice, EpisodeStatus, LegalStatus, PlacementType
from formkit.protocol.episodes import episode_key
from formkit.words import code_for, read_yes_no, table_datetime

Row = dict[str, Any]
_ITEM = re.compile(
    r"^\s*(?P<start>\d{2}/\d{2}/\d{4} \d{2}:\d{2})"
    r"(?: to (?P<end>\d{2}/\d{2}/\d{4} \d{2}:\d{2}))?"
    r"\s+(?P<status>[a-z ]+?)"
    r"(?:, whereabouts (?P<known>known|not known))?\s*$",
    re.IGNORECASE,
)


def _wall(moment: datetime) -> datetime:
    return moment.astimezone(LONDON).replace(tzinfo=None) if moment.tzinfo else moment


def history_text(record: EpisodeRecord) -> str | None:
    """The *Previous episodes* cell for ``record``: its history, earliest first."""
    parts = []
    for earlier in sorted(record.history, key=lambda h: h.started_at):
        text = table_datetime(earlier.started_at)
        if earlier.ended_at is not None:
            text += " to " + table_datetime(earlier.ended_at)
        text += " " + earlier.status.value.replace("_", " ")
        if earlier.whereabouts_known is not None:
            text += ", whereabouts " + ("known" if earlier.whereabouts_known else "not known")
        parts.append(text)
    return "; ".join(parts) or None


@dataclass(frozen=True)
class KnownEpisode:
    """One episode of a child, from a tracker row or from a row's *Previous episodes*."""

    child_id: str
    start: datetime  # London wall clock, no zone (as the tracker stores times)
    end: datetime | None
    status: str | None  # EpisodeStatus value, None when the cell is not a known status
    whereabouts_known: bool | None
    row: Row | None = None  # the tracker row, None for an episode known only from history

    @property
    def code(self) -> str | None:
        return missing_code(self.status, self.whereabouts_known)

    def lasted_at(self, moment: datetime) -> float:
        """Real hours missing by ``moment`` (to the return when it came first), so an episode
        across a clock change is counted in elapsed time, not by the wall clock."""
        end = self.end if self.end is not None and self.end <= moment else moment
        wall = (end - self.start).total_seconds() / 3600
        return max(wall - (_offset_hours(end) - _offset_hours(self.start)), 0.0)

    def open_at(self, moment: datetime) -> bool:
        """Missing at ``moment``: began by then and not yet back."""
        return self.start <= moment and (self.end is None or self.end > moment)


def _choice(enum_cls: type[Choice], value: Any) -> str | None:
    """The code of a choice cell holding its code or its words, in any case."""
    if value is None or value == "":
        return None
    return _choice_text(enum_cls, str(value))


@lru_cache(maxsize=512)
def _choice_text(enum_cls: type[Choice], text: str) -> str | None:
    try:
        return enum_cls(text).value
    except ValueError:
        return code_for(enum_cls, text)


def _stamp(text: str) -> datetime:
    """'05/03/2026 10:00' (checked by the pattern) as a datetime; strptime is slow in bulk."""
    return datetime(
        int(text[6:10]), int(text[3:5]), int(text[:2]), int(text[11:13]), int(text[14:16])
    )


def _offset_hours(moment: datetime) -> float:
    """London's offset from UTC, in hours, at a wall-clock time (cached by the hour)."""
    return _offset_at(moment.year, moment.month, moment.day, moment.hour)


@lru_cache(maxsize=4096)
def _offset_at(year: int, month: int, day: int, hour: int) -> float:
    offset = datetime(year, month, day, hour, tzinfo=LONDON).utcoffset()
    return offset.total_seconds() / 3600 if offset is not None else 0.0


def status_of(value: Any) -> str | None:
    """An episode status from a cell: its code or its words ("Away without authorisation")."""
    return _choice(EpisodeStatus, value)


def legal_status_of(value: Any) -> str | None:
    """A legal status from a cell: its code or its words ("Looked after")."""
    return _choice(LegalStatus, value)


def placement_of(value: Any) -> str | None:
    """A placement type from a cell: its code or its words ("Residential")."""
    return _choice(PlacementType, value)


def yes_no(value: Any) -> bool | None:
    """A tracker cell's Y/N (or Yes, No, TRUE…) as True, False or None."""
    return read_yes_no(value)


def missing_code(status: str | None, whereabouts_known: bool | None) -> str | None:
    """DfE SSDA903 ``MISSING``: ``A`` whereabouts known, ``M`` not known (see the module doc)."""
    if whereabouts_known is not None:
        return "A" if whereabouts_known else "M"
    if status == EpisodeStatus.away_without_authorisation.value:
        return "A"
    if status in {EpisodeStatus.missing.value, EpisodeStatus.absent.value}:
        return "M"
    return None


def parse_history(text: Any, child_id: str) -> list[KnownEpisode]:
    """The earlier episodes in a *Previous episodes* cell; items that do not read are skipped."""
    if not isinstance(text, str) or not text.strip():
        return []
    found = []
    for item in text.split(";"):
        match = _ITEM.match(item)
        if match is None:
            continue
        known = match.group("known")
        try:
            start = _stamp(match.group("start"))
            end = _stamp(match.group("end")) if match.group("end") else None
        except ValueError:  # a date that does not exist, such as 31/02
            continue
        found.append(
            KnownEpisode(
                child_id=child_id,
                start=start,
                end=end,
                status=status_of(match.group("status")),
                whereabouts_known=None if known is None else known.lower() == "known",
            )
        )
    return found


def row_episode(row: Row) -> KnownEpisode | None:
    """The episode of one tracker row, None when it has no child or no *Last seen* time."""
    start, child = row.get("last_seen"), row.get("child_id")
    if not isinstance(start, datetime) or child in (None, ""):
        return None
    end = row.get("returned")
    return KnownEpisode(
        child_id=str(child),
        start=start,
        end=end if isinstance(end, datetime) else None,
        status=status_of(row.get("status")),
        whereabouts_known=yes_no(row.get("whereabouts_known")),
        row=row,
    )


def known_episodes(rows: Iterable[Row]) -> list[KnownEpisode]:
    """The rows' episodes and their earlier ones, each once, by child and start time."""
    rows = list(rows)
    seen: dict[tuple[str, datetime], KnownEpisode] = {}
    for row in rows:
        episode = row_episode(row)
        if episode is not None:
            seen[(episode.child_id, episode_key(episode.start))] = episode
    for row in rows:
        child = row.get("child_id")
        if child in (None, ""):
            continue
        for earlier in parse_history(row.get("previous_episodes"), str(child)):
            seen.setdefault((earlier.child_id, episode_key(earlier.start)), earlier)
    return sorted(seen.values(), key=lambda e: (e.child_id, e.start))

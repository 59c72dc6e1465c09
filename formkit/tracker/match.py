"""Finding the episode a completed form is about, among the tracker's rows.

Providers' forms often carry the police missing-report number instead of the council's episode
reference, or a reference typed wrong. A form is matched, in order: by its episode reference; by
the police reference; by the child (case id, or name and date of birth) and the dates (last seen
or returned within a tolerance, or an interview held soon after the return). A form that matches
no row, or more than one, is never made into a new row: it is reported with its best candidates
for a person to choose (``tracker update --match REF``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from formkit.model import LONDON

DATE_TOLERANCE = timedelta(days=2)
INTERVIEW_WINDOW = timedelta(days=30)  # an interview is held within weeks of the return
Row = Mapping[str, Any]


@dataclass(frozen=True)
class Identity:
    """What a form says about its episode, besides the interview itself."""

    reference: str | None = None
    police_reference: str | None = None
    child_id: str | None = None
    child_name: str | None = None
    date_of_birth: date | None = None
    last_seen: datetime | None = None
    returned: datetime | None = None
    held: datetime | None = None

    @property
    def described(self) -> str:
        """How the form names itself in messages (never the child's name)."""
        if self.reference:
            return f"reference {self.reference}"
        if self.police_reference:
            return f"police reference {self.police_reference}"
        return "no reference"


@dataclass(frozen=True)
class Candidate:
    reference: str
    score: float
    reasons: tuple[str, ...]
    last_seen: datetime | None = None  # the row's, so a person choosing can tell episodes apart

    def __str__(self) -> str:
        return f"{self.reference} ({', '.join(self.reasons)})" if self.reasons else self.reference


@dataclass
class Match:
    """The row found (``reference``) and how, or None with the best candidates."""

    reference: str | None
    how: str = ""
    candidates: list[Candidate] = field(default_factory=list)


def _text(value: Any) -> str | None:
    return str(value).strip() if value not in (None, "") else None


def _when(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value.astimezone(LONDON).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, str) and value.strip():
        try:
            return _when(datetime.fromisoformat(value.strip().replace("Z", "+00:00")))
        except ValueError:
            return None
    return None


def _day(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def identity_of(data: Mapping[str, Any]) -> Identity:
    """The identifying details of an episode-shaped parsed form."""
    episode = data.get("episode") or {}
    child = data.get("child") or {}
    interview = data.get("return_interview") or {}
    first, last = _text(child.get("first_name")), _text(child.get("last_name"))
    return Identity(
        reference=_text(episode.get("reference")),
        police_reference=_text(episode.get("police_reference")),
        child_id=_text(child.get("id")),
        child_name=f"{first} {last}" if first and last else None,
        date_of_birth=_day(child.get("date_of_birth")),
        last_seen=_when(episode.get("last_seen_at")),
        returned=_when(episode.get("ended_at")),
        held=_when(interview.get("held_at")) if isinstance(interview, Mapping) else None,
    )


def _fold(text: Any) -> str:
    return re.sub(r"[^a-z0-9]+", "", str(text).casefold()) if text is not None else ""


def _near(a: datetime | None, b: Any, tolerance: timedelta) -> bool:
    other = _when(b)
    return a is not None and other is not None and abs(a - other) <= tolerance


def _dates_agree(form: Identity, row: Row, tolerance: timedelta) -> bool:
    if _near(form.last_seen, row.get("last_seen"), tolerance):
        return True
    if _near(form.returned, row.get("returned"), tolerance):
        return True
    returned = _when(row.get("returned"))
    if form.held is not None and returned is not None:
        return returned - tolerance <= form.held <= returned + INTERVIEW_WINDOW
    return False


def _same_child(form: Identity, row: Row) -> list[str]:
    reasons = []
    if form.child_id and _fold(form.child_id) == _fold(row.get("child_id")):
        reasons.append("same child ID")
    name_ok = form.child_name and _fold(form.child_name) == _fold(row.get("child_name"))
    dob_ok = form.date_of_birth is not None and form.date_of_birth == _day(row.get("date_of_birth"))
    if name_ok and dob_ok:
        reasons.append("same name and date of birth")
    elif name_ok:
        reasons.append("same name")
    elif dob_ok:
        reasons.append("same date of birth")
    return reasons


def _score(form: Identity, row: Row, tolerance: timedelta) -> Candidate:
    reasons: list[str] = []
    score = 0.0
    if form.police_reference and _fold(form.police_reference) == _fold(row.get("police_reference")):
        reasons.append("same police reference")
        score += 4
    child = _same_child(form, row)
    reasons += child
    score += sum(2 if "and" in r or "ID" in r else 1 for r in child)
    if _dates_agree(form, row, tolerance):
        reasons.append("dates agree")
        score += 1.5
    return Candidate(str(row.get("reference")), score, tuple(reasons), _when(row.get("last_seen")))


def find_episode(
    form: Identity, rows: Iterable[Row], *, tolerance: timedelta = DATE_TOLERANCE
) -> Match:
    """The tracker row ``form`` is about; see the module docstring for the order of tests."""
    table = [row for row in rows if _text(row.get("reference"))]
    if form.reference and any(str(r["reference"]).strip() == form.reference for r in table):
        return Match(form.reference, "episode reference")
    if form.police_reference:
        same = [
            r for r in table if _fold(r.get("police_reference")) == _fold(form.police_reference)
        ]
        if len(same) == 1:
            return Match(str(same[0]["reference"]), "police reference")
    by_child = [r for r in table if any("ID" in c or "and" in c for c in _same_child(form, r))]
    dated = [r for r in by_child if _dates_agree(form, r, tolerance)]
    if len(dated) == 1:
        return Match(str(dated[0]["reference"]), "child and dates")
    no_dates = form.last_seen is None and form.returned is None and form.held is None
    if len(by_child) == 1 and no_dates:
        return Match(str(by_child[0]["reference"]), "child (their only episode)")
    scored = sorted(
        (c for c in (_score(form, r, tolerance) for r in table) if c.score > 0),
        key=lambda c: -c.score,
    )
    return Match(None, candidates=scored[:3])

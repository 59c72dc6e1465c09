"""The tracker as the day's list: what is overdue, and what falls due in the next 48 hours.

Each row of the ``MissingEpisodes`` table is turned back into enough of an episode to run the
protocol plan (:func:`record_from_row`), and the done columns (missing profile sent, meetings
held, notifications sent, the return interview held or declined) mark obligations done, so a
date typed into the tracker takes the obligation off the list.

What a row must hold to be planned: Episode reference, Child ID, Date of birth, Legal status,
Protocol (a profile id such as ``bexley``), Missing from and Last seen. The rest is optional and
makes the plan more exact (Returned, Status, Police risk, Placement type, Contextual risks,
Responsible authority and every done column). The tracker keeps no history of earlier episodes
beyond its own rows: other rows of the same Child ID count as the child's earlier episodes.

``formkit today``, ``formkit plan TRACKER`` and the tracker's ``Today`` sheet all use
:func:`today`.
"""

from __future__ import annotations

import re
import textwrap
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import Enum
from pathlib import Path
from typing import Any, Literal

from pydantic import TypeAdapter, ValidationError

from formkit.batch import BatchResult
from formkit.errors import FormkitError, Problem, TrackerError
from formkit.model import LONDON, EpisodeRecord
from formkit.model import values as choices
from formkit.protocol import Obligation, Plan, plan
from formkit.tracker.columns import TABLE_NAME, by_key
from formkit.tracker.rows import DONE_MEETINGS, DONE_NOTIFICATIONS, LISTED_MEETINGS
from formkit.words import code_for, plural, table_datetime

WINDOW = timedelta(hours=48)
# Overdue obligations that fell due longer ago than this are not listed (``--since``).
SINCE = timedelta(days=60)
# A row whose episode ended this long before the start of SINCE owes nothing in it.
AFTER_RETURN = timedelta(days=30)
WIDTH = 80
# The columns a row cannot be planned without.
REQUIRED = (
    "reference",
    "child_id",
    "date_of_birth",
    "legal_status",
    "protocol",
    "missing_from",
    "last_seen",
)
# Every column episode_data and the list read (the rest of a row is never needed).
PLANNED_COLUMNS = frozenset(
    {
        *REQUIRED,
        "child_name",
        "responsible_authority",
        "placement_type",
        "in_area",
        "status",
        "returned",
        "end_reason",
        "police_risk",
        "police_reference",
        "risks",
        "rhi_offered_at",
        "rhi_referred",
        "rhi_accepted",
        "rhi_declined_reason",
        "rhi_held",
        "risk_assessment_completed",
        "other_actions_done",
        "documents_made",
        *DONE_MEETINGS,
        *DONE_NOTIFICATIONS,
        *LISTED_MEETINGS,
    }
)
Row = Mapping[str, Any]
_WHEN: TypeAdapter[datetime] = TypeAdapter(choices.LondonDateTime)
_ENTRY = re.compile(
    r"^(?P<words>.*?)\s*(?P<when>\d{1,2}/\d{1,2}/\d{4}(?:[ T]+\d{1,2}[:.]\d{2})?"
    r"|\d{4}-\d{2}-\d{2}(?:[ T]+\d{1,2}:\d{2})?)$"
)


@dataclass(frozen=True)
class TodayItem:
    """One obligation on the day's list."""

    child: str
    reference: str
    obligation: str
    title: str
    status: Literal["overdue", "due"]
    due_at: datetime
    document: str | None = None
    note: str | None = None

    @property
    def key(self) -> str:
        """Unique per obligation: the key of the Today table's rows."""
        return f"{self.reference} {self.obligation}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "child": self.child,
            "reference": self.reference,
            "obligation": self.obligation,
            "title": self.title,
            "status": self.status,
            "due_at": self.due_at.isoformat(),
            "document": self.document,
            "note": self.note,
        }


@dataclass(kw_only=True)
class TodayList(BatchResult):
    """What is overdue and what falls due within ``window`` of ``now``, for every row;
    ``problems`` are the rows that could not be planned, ``written`` the tracker when its
    Today sheet was rewritten."""

    now: datetime
    window: timedelta = WINDOW
    items: list[TodayItem] = field(default_factory=list)
    rows: int = 0
    since: timedelta = SINCE
    older: int = 0  # overdue obligations not listed: they fell due before ``now - since``

    @property
    def overdue(self) -> list[TodayItem]:
        return [item for item in self.items if item.status == "overdue"]

    @property
    def due(self) -> list[TodayItem]:
        return [item for item in self.items if item.status == "due"]

    def by_child(self) -> list[tuple[str, list[TodayItem]]]:
        """The items grouped by child, the child with the earliest deadline first."""
        return _by_child(self.items)

    def as_dict(self) -> dict[str, Any]:
        return {
            "now": self.now.isoformat(),
            "within_hours": self.window.total_seconds() / 3600,
            "since_days": self.since.days,
            "older_not_listed": self.older,
            "rows": self.rows,
            "overdue": len(self.overdue),
            "due": len(self.due),
            "items": [item.as_dict() for item in self.items],
            **super().as_dict(),
        }

    def as_text(self, width: int = WIDTH) -> str:
        """The list for a person: overdue first, then due soon, each grouped by child.

        Every line fits ``width`` columns; long titles wrap between words, never inside one.
        """
        hours = round(self.window.total_seconds() / 3600)
        lines = [
            *_wrap(
                f"As of {_when(self.now)}: {plural(len(self.overdue), 'overdue obligation')}, "
                f"{len(self.due)} due in the next {hours} hours.",
                width,
                "",
            )
        ]
        sections = (
            ("Overdue", "since", self.overdue),
            (f"Due in the next {hours} hours", "by", self.due),
        )
        for heading, word, items in sections:
            if not items:
                continue
            lines += ["", f"{heading} ({len(items)})"]
            for child, group in _by_child(items):
                lines.append(f"  Child {child}")
                for item in group:
                    lines += _item_lines(item, word, width)
        if not self.items:
            lines += ["", "Nothing is overdue or due soon."]
        if self.older:
            lines += [
                "",
                *_wrap(
                    f"{plural(self.older, 'older overdue obligation')} (due before "
                    f"{_when(self.now - self.since)}) not listed; --since DAYS lists them.",
                    width,
                    "",
                ),
            ]
        return "\n".join(lines)


def _when(moment: datetime) -> str:
    return table_datetime(moment, weekday=True)


def _by_child(items: list[TodayItem]) -> list[tuple[str, list[TodayItem]]]:
    groups: dict[str, list[TodayItem]] = defaultdict(list)
    for item in items:
        groups[item.child].append(item)
    ordered = sorted(groups.items(), key=lambda pair: (min(i.due_at for i in pair[1]), pair[0]))
    return [(child, sorted(group, key=lambda i: (i.due_at, i.key))) for child, group in ordered]


def _wrap(text: str, width: int, indent: str, first: str | None = None) -> list[str]:
    lead = indent if first is None else first
    room = width - len(indent)
    if any(len(word) > room for word in text.split()):
        indent = lead = " " * 4 if first is None else indent  # a very long reference: less margin
    return textwrap.wrap(
        text,
        width=width,
        initial_indent=lead,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [lead.rstrip()]


def _item_lines(item: TodayItem, word: str, width: int) -> list[str]:
    when = f"    {word} {_when(item.due_at)}"
    text = f"{item.reference}: {item.title}"
    if item.document:
        text += f" [{item.document}]"
    if item.note:
        text += f" ({item.note})"
    margin = " " * (len(when) + 2)
    if any(len(part) > width - len(margin) for part in text.split()):
        return [when, *_wrap(text, width, " " * 6)]
    return _wrap(text, width, margin, first=when + "  ")


# -- from a row back to an episode ---------------------------------------------------------


def _choice(kind: type[Enum], value: Any) -> Any:
    """A choice cell as the model takes it: its code, from the code or the words shown for it."""
    if value is None or not isinstance(value, str):
        return value
    return code_for(kind, value) or value


def _choices(kind: type[Enum], value: Any) -> list[Any]:
    if not isinstance(value, str):
        return []
    return [_choice(kind, part) for part in value.split(";") if part.strip()]


def _flag(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip():
        return value.strip().upper().startswith("Y")
    return None


def _moment(value: Any) -> Any:
    """A cell holding a date or date and time, as the model takes it (London wall time)."""
    if isinstance(value, datetime | date) or value is None:
        return value
    return str(value).strip() or None


def _entries(value: Any, *, header: str) -> list[tuple[str, datetime]]:
    """``"Head of service 03/11/2026 10:00; 04/11/2026"`` -> [(words, time), ...]."""
    if isinstance(value, datetime):
        return [("", value)]
    if not isinstance(value, str):
        return []
    found = []
    for part in value.split(";"):
        text = part.strip()
        if not text:
            continue
        match = _ENTRY.match(text)
        try:
            if match is None:
                raise ValueError(text)
            moment = _WHEN.validate_python(match["when"].replace(".", ":"))
        except (ValueError, ValidationError) as exc:
            raise TrackerError(
                f"'{text}' in {header!r} has no date and time; write each as words and a date "
                "like 'Head of service 03/11/2026 10:00', separated by ';'"
            ) from exc
        found.append((match["words"].strip(), moment))
    return found


def _kind_of(words: str) -> tuple[str, str] | None:
    """("meeting" | "notification", value) for the words of a meeting or notification kind."""
    for name, kind in (
        ("meeting", choices.MeetingKind),
        ("notification", choices.NotificationKind),
    ):
        value = _choice(kind, words)
        try:
            return name, str(kind(value).value)
        except ValueError:
            continue
    return None


def episode_data(row: Row) -> dict[str, Any]:
    """The episode-shaped data a tracker row holds (what :func:`record_from_row` validates)."""
    spec = by_key()
    name = str(row.get("child_name") or "").split(None, 1)
    placement = _choice(choices.PlacementType, row.get("placement_type"))
    held = _moment(row.get("rhi_held"))
    accepted = None if held else _flag(row.get("rhi_accepted"))
    meetings: list[dict[str, Any]] = [
        {"kind": kind.value, "held_at": _moment(row.get(key))}
        for key, kind in DONE_MEETINGS.items()
        if row.get(key)
    ]
    notifications: list[dict[str, Any]] = [
        {"kind": kind.value, "sent_at": _moment(row.get(key))}
        for key, kind in DONE_NOTIFICATIONS.items()
        if row.get(key)
    ]
    for key, kind in LISTED_MEETINGS.items():
        for _, moment in _entries(row.get(key), header=spec[key].header):
            meetings.append({"kind": kind.value, "held_at": moment})
    header = spec["other_actions_done"].header
    for words, moment in _entries(row.get("other_actions_done"), header=header):
        found = _kind_of(words)
        if found is None:
            raise TrackerError(
                f"'{words}' in {header!r} is not a kind of meeting or notification formkit "
                "knows (such as Head of service, Urgent case review, Lead member)"
            )
        if found[0] == "meeting":
            meetings.append({"kind": found[1], "held_at": moment})
        else:
            notifications.append({"kind": found[1], "sent_at": moment})
    completed = _moment(row.get("risk_assessment_completed"))
    return {
        "local_authority": str(row.get("protocol") or "").strip().lower(),
        "child": {
            "id": str(row.get("child_id") or ""),
            "first_name": name[0] if name else "-",
            "last_name": name[1] if len(name) > 1 else "-",
            "date_of_birth": row.get("date_of_birth"),
            "legal_status": _choice(choices.LegalStatus, row.get("legal_status")),
            "responsible_authority": row.get("responsible_authority"),
            "placement": (
                {"type": placement, "in_area": _flag(row.get("in_area"))} if placement else None
            ),
        },
        "episode": {
            "reference": row.get("reference"),
            "status": _choice(choices.EpisodeStatus, row.get("status")) or "missing",
            "missing_from": _choice(choices.MissingFrom, row.get("missing_from")),
            "last_seen_at": _moment(row.get("last_seen")),
            "ended_at": _moment(row.get("returned")),
            "end_reason": _choice(choices.EndReason, row.get("end_reason")),
            "police_risk_level": _choice(choices.PoliceRisk, row.get("police_risk")),
            "police_reference": row.get("police_reference"),
        },
        "risks": [{"type": t} for t in _choices(choices.RiskType, row.get("risks"))],
        "return_interview": {
            "offered_at": _moment(row.get("rhi_offered_at")),
            "referred_at": _moment(row.get("rhi_referred")),
            "accepted": accepted,
            "declined_reason": row.get("rhi_declined_reason") if accepted is False else None,
            "held_at": held,
        },
        "meetings": meetings,
        "notifications": notifications,
        "risk_assessment": {"completed_at": completed} if completed else None,
    }


# Data path of the model -> tracker column, so a fault is reported under the header people see.
_PATH_COLUMN = {
    "local_authority": "protocol",
    "child.id": "child_id",
    "child.date_of_birth": "date_of_birth",
    "child.legal_status": "legal_status",
    "child.placement.type": "placement_type",
    "episode.reference": "reference",
    "episode.status": "status",
    "episode.missing_from": "missing_from",
    "episode.last_seen_at": "last_seen",
    "episode.ended_at": "returned",
    "episode.end_reason": "end_reason",
    "episode.police_risk_level": "police_risk",
    "return_interview.held_at": "rhi_held",
}


def record_from_row(row: Row, *, file: str | Path = "", label: str = "") -> EpisodeRecord:
    """Rebuild the episode a tracker row describes; a :class:`TrackerError` says what is missing.

    ``row`` maps tracker column keys (see ``columns.yaml``) to cell values.
    """
    spec = by_key()
    where: dict[str, Any] = {"file": file or None, "record": label or None}
    blank = [spec[key].header for key in REQUIRED if row.get(key) in (None, "")]
    if blank:
        raise TrackerError(
            "cannot be planned: "
            + ", ".join(repr(h) for h in blank)
            + " "
            + ("is" if len(blank) == 1 else "are")
            + " blank",
            **where,
        )
    from formkit.validation import problems_from

    try:
        return EpisodeRecord.model_validate(episode_data(row))
    except TrackerError as error:
        raise TrackerError(error.message, **where) from error
    except ValidationError as exc:
        first = problems_from(exc, file=str(file), record=label)[0]
        column = _PATH_COLUMN.get(first.field or "")
        header = spec[column].header if column else first.field
        raise TrackerError(first.message, field=header, **where) from exc


_MADE_NOTES = {
    "document": "made, not recorded as sent",
    "notification": "made, not recorded as sent",
    "meeting": "record made, meeting not recorded as held",
    "interview": "form made, interview not recorded as held",
}


def _note(obligation: Obligation, row: Row) -> str | None:
    made = {part.strip() for part in str(row.get("documents_made") or "").split(";")}
    if obligation.document and obligation.document in made:
        return _MADE_NOTES.get(obligation.kind, "made, not recorded as done")
    return None


def iter_plans(
    rows: Iterable[tuple[str, Row]],
    problems: list[Problem],
    *,
    now: datetime,
    file: str | Path = "",
    wanted: Callable[[Row], bool] = lambda _row: True,
) -> Iterator[tuple[Row, Plan]]:
    """The protocol plan of each ``wanted`` row (``(label, row)`` pairs), one at a time; rows
    that cannot be planned go into ``problems``. Every row of a child counts as that child's
    history, wanted or not."""
    by_child: dict[str, list[tuple[str, Row]]] = defaultdict(list)
    for label, row in rows:
        by_child[str(row.get("child_id") or "")].append((label, row))
    for group in by_child.values():
        if not any(wanted(row) for _, row in group):
            continue
        records: list[tuple[Row, EpisodeRecord]] = []
        for label, row in group:
            try:
                records.append((row, record_from_row(row, file=file, label=label)))
            except FormkitError as error:
                if wanted(row):
                    problems.append(error.problem)
        history = [record for _, record in records]
        for row, record in records:
            if not wanted(row):
                continue
            try:
                yield row, plan(record, now=now, others=history)
            except FormkitError as error:
                problems.append(
                    Problem(str(file), error.message, record.reference, by_key()["protocol"].header)
                )


def plan_rows(
    rows: Iterable[tuple[str, Row]],
    *,
    now: datetime,
    file: str | Path = "",
    wanted: Callable[[Row], bool] = lambda _row: True,
) -> tuple[list[tuple[Row, Plan]], list[Problem]]:
    """Every plan of :func:`iter_plans` in a list, and the rows that cannot be planned."""
    problems: list[Problem] = []
    plans = list(iter_plans(rows, problems, now=now, file=file, wanted=wanted))
    return plans, problems


def _may_owe(row: Row, since: datetime) -> bool:
    """False for a row whose episode ended so long ago that nothing it owes can fall due after
    ``since`` (every protocol's duties after a return fall due within weeks)."""
    returned = row.get("returned")
    if not isinstance(returned, datetime):
        return True
    return returned >= (since - AFTER_RETURN).replace(tzinfo=None)


def today_from_rows(
    rows: Iterable[tuple[str, Row]],
    *,
    now: datetime,
    window: timedelta = WINDOW,
    file: str | Path = "",
    since: timedelta = SINCE,
) -> TodayList:
    """The day's list for ``(label, row)`` pairs of tracker rows: obligations overdue (that fell
    due in the last ``since``) and due within ``window``."""
    listed = list(rows)
    start = now - since
    result = TodayList(now=now, window=window, rows=len(listed), since=since)
    plans = iter_plans(  # one plan at a time: only the listed obligations are kept
        listed,
        result.problems,
        now=now,
        file=file,
        wanted=lambda row: _may_owe(row, start.astimezone(LONDON)),
    )
    horizon = now + window
    for row, result_plan in plans:
        for obligation in result_plan.obligations:
            due_at = obligation.due_at
            if due_at is None or obligation.status not in ("overdue", "due"):
                continue
            if obligation.status == "due" and due_at > horizon:
                continue
            if due_at < start:
                result.older += 1
                continue
            title = obligation.shown_title
            result.items.append(
                TodayItem(
                    child=str(row.get("child_id")),
                    reference=result_plan.reference,
                    obligation=obligation.id,
                    title=title,
                    status="overdue" if obligation.status == "overdue" else "due",
                    due_at=due_at,
                    document=obligation.document,
                    note=_note(obligation, row),
                )
            )
    result.items.sort(key=lambda i: (i.status != "overdue", i.due_at, i.child, i.key))
    return result


@dataclass(frozen=True)
class MissingNow:
    """An episode with no return time yet: the child is missing (or absent) now."""

    child: str
    reference: str
    last_seen: datetime  # London wall time, as the tracker holds it

    def as_dict(self) -> dict[str, Any]:
        return {
            "child": self.child,
            "reference": self.reference,
            "last_seen": self.last_seen.isoformat(),
        }


def missing_now(rows: Iterable[tuple[str, Row]], *, now: datetime) -> list[MissingNow]:
    """Who is missing at ``now``: rows last seen by then with no Returned time, longest first."""
    wall = now.astimezone(LONDON).replace(tzinfo=None) if now.tzinfo else now
    found = []
    for _, row in rows:
        seen = row.get("last_seen")
        if row.get("returned") is None and isinstance(seen, datetime):
            seen = seen.astimezone(LONDON).replace(tzinfo=None) if seen.tzinfo else seen
            if seen <= wall:
                found.append(MissingNow(str(row.get("child_id")), str(row.get("reference")), seen))
    return sorted(found, key=lambda m: (m.last_seen, m.reference))


def tracker_rows(path: str | Path) -> list[tuple[str, dict[str, Any]]]:
    """Every filled row of the tracker's table, labelled ``row N (REFERENCE)``."""
    from formkit.tracker.today_sheet import table_rows
    from formkit.tracker.xlsx import load_table

    return list(table_rows(load_table(path)))


def today(
    tracker: str | Path,
    *,
    now: datetime | None = None,
    window: timedelta = WINDOW,
    since: timedelta = SINCE,
    update_sheet: bool = False,
) -> TodayList:
    """What is overdue (fell due in the last ``since``, 60 days) and what falls due within
    ``window`` (48 hours), from the tracker's rows.

    With ``update_sheet`` the tracker's Today sheet is rewritten too (always the default
    window and ``since``, what Power Automate reads); the tracker is then in ``written``.
    """
    if update_sheet:
        from formkit.tracker.today_sheet import refresh_today_sheet

        listed, _backup = refresh_today_sheet(tracker, now=now)
        listed.written.append(Path(tracker))
        return listed
    moment = now or datetime.now(LONDON)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LONDON)
    return today_from_rows(
        tracker_rows(tracker), now=moment, window=window, file=Path(tracker), since=since
    )


def is_tracker(path: str | Path) -> bool:
    """True when ``path`` is an .xlsx workbook holding the tracker's table."""
    import zipfile

    target = Path(path)
    if target.suffix.lower() != ".xlsx" or not target.is_file():
        return False
    try:
        with zipfile.ZipFile(target) as package:
            for name in package.namelist():
                if name.startswith("xl/tables/") and name.endswith(".xml"):
                    head = package.read(name)[:2000]
                    if f'displayName="{TABLE_NAME}"'.encode() in head:
                        return True
    except (OSError, zipfile.BadZipFile):
        return False
    return False

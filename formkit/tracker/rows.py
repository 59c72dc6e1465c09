"""From an episode record (and its protocol plan) to the values of one tracker row.

Values are what the cells hold: text, numbers, ``Y``/``N``, and *naive* datetimes in London wall
time (Excel has no time zones; the README sheet says times are London times). Elapsed hours are
measured in real time, so a 72-hour clock across a clock change is still 72 hours.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import Any

from formkit.errors import FormkitError
from formkit.model import LONDON, EpisodeRecord, ReturnInterview
from formkit.model.values import MeetingKind, NotificationKind
from formkit.protocol.episodes import episode_starts, episodes_within
from formkit.tracker.columns import keys_in
from formkit.tracker.history import history_text
from formkit.words import label, table_datetime

RHI_WINDOW = timedelta(hours=72)
REPEAT_WINDOW = "90 days"
Row = dict[str, Any]


def wall_clock(moment: datetime | None) -> datetime | None:
    """A London wall-clock time without zone, to the second, as the tracker stores it."""
    if moment is None:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(LONDON).replace(tzinfo=None)
    return moment.replace(microsecond=0)


def real_hours(start: datetime, end: datetime) -> float:
    """Elapsed real hours between two London wall-clock (or aware) times."""

    def utc(moment: datetime) -> datetime:
        aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=LONDON)
        return aware.astimezone(UTC)

    return (utc(end) - utc(start)).total_seconds() / 3600


def _joined(values: Iterable[Any]) -> str | None:
    """Choices in the order their list defines, so a form that ticks them in another order
    gives the same cell (and a re-run changes nothing)."""
    chosen = list(dict.fromkeys(values))
    if chosen and all(isinstance(v, Enum) for v in chosen):
        kind: type[Enum] = type(chosen[0])
        members = list(kind)
        chosen.sort(key=members.index)
    words = [str(getattr(v, "value", v)) for v in chosen]
    return "; ".join(words) or None


def _yes_no(flag: bool | None) -> str | None:
    return None if flag is None else ("Y" if flag else "N")


def _first(times: Iterable[datetime | None]) -> datetime | None:
    present = [t for t in times if t is not None]
    return wall_clock(min(present)) if present else None


def plan_values(record: EpisodeRecord, now: datetime, profile: Any = None) -> Row:
    """The columns the protocol plan decides: RHI due, strategy meeting, SIN, director's letter.

    Read by each rule's ``role``; ``profile`` (a :class:`~formkit.protocol.Profile`) overrides
    the episode's own ``local_authority``."""
    from formkit.protocol import plan

    try:
        result = plan(record, profile=profile, now=now)
    except FormkitError:
        result = None
    if result is None:
        # No profile for this authority yet: only the national 72-hour RHI rule is certain.
        ended = record.episode.ended_at
        return {
            "rhi_due": wall_clock(ended + RHI_WINDOW) if ended else None,
            "strategy_meeting_due": None,
            "sin_required": None,
            "director_letter_required": None,
        }

    def owed(role: str) -> Any:
        # By the rule's role, so a council's own rule ids fill the columns too.
        obligation = result.by_role(role)
        if obligation is None or obligation.status in {"not_required", "consider"}:
            return None
        return obligation

    rhi = owed("return-interview")
    meeting = owed("strategy-meeting")
    return {
        "rhi_due": wall_clock(rhi.due_at) if rhi else None,
        "strategy_meeting_due": wall_clock(meeting.due_at) if meeting else None,
        "sin_required": "Y" if owed("serious-incident-notification") else "N",
        "director_letter_required": "Y" if owed("director-letter") else "N",
    }


def episodes_in_90_days(record: EpisodeRecord) -> int:
    """Episodes that started in the 90 days up to this one's start, counting this one (each
    episode once, however often the history lists it), as the protocol's triggers count them."""
    return episodes_within(episode_starts(record), record.episode.last_seen_at, REPEAT_WINDOW)


def episode_values(record: EpisodeRecord, *, now: datetime) -> Row:
    """The ``episode`` group of a row: everything an episode file decides."""
    child, episode = record.child, record.episode
    placement = child.placement
    ended = episode.ended_at
    hours = real_hours(episode.last_seen_at, ended) if ended else None
    row: Row = {
        "reference": episode.reference,
        "child_id": child.id,
        "child_name": child.full_name,
        "date_of_birth": child.date_of_birth,
        "age": record.age,
        "legal_status": child.legal_status.value,
        "responsible_authority": child.responsible_authority,
        "protocol": record.local_authority,
        "placement_type": placement.type.value if placement else None,
        "in_area": _yes_no(placement.in_area) if placement else None,
        "status": episode.status.value,
        "missing_from": episode.missing_from.value,
        "last_seen": wall_clock(episode.last_seen_at),
        "returned": wall_clock(ended),
        "duration_hours": round(hours, 2) if hours is not None else None,
        "over_24h": _yes_no(hours >= 24) if hours is not None else None,
        "end_reason": episode.end_reason.value if episode.end_reason else None,
        "where_found": episode.where_found,
        "police_risk": episode.police_risk_level.value if episode.police_risk_level else None,
        "police_reference": episode.police_reference,
        "open_closed": "open" if ended is None else "closed",
        "risks": _joined(risk.type for risk in record.risks),
        "episodes_90_days": episodes_in_90_days(record),
        "whereabouts_known": _yes_no(episode.whereabouts_known),
        "previous_episodes": history_text(record),
    }
    row.update(plan_values(record, now))
    missing = set(keys_in("episode")) - set(row)
    assert not missing, f"columns.yaml has episode columns rows.py does not fill: {missing}"
    return row


# The done columns with one date each: column key -> the meeting or notification kind.
DONE_MEETINGS = {
    "strategy_meeting_held": MeetingKind.strategy,
    "multi_agency_meeting_held": MeetingKind.multi_agency,
}
DONE_NOTIFICATIONS = {
    "missing_profile_sent": NotificationKind.police,
    "sin_sent": NotificationKind.sin,
    "director_letter_sent": NotificationKind.director_letter,
    "ola_notification_sent": NotificationKind.ola_notification,
}
LISTED_MEETINGS = {"review_meetings_held": MeetingKind.review}


def cell_moment(moment: datetime) -> str:
    """A time as a person types it in a text cell: ``03/11/2026 10:00``."""
    return table_datetime(moment)


def done_values(record: EpisodeRecord) -> Row:
    """The ``done`` group: meetings held, notifications sent, the risk assessment completed.

    None means "this record says nothing", so a date someone typed into the tracker stays.
    """
    row: Row = {}
    for key, meeting_kind in DONE_MEETINGS.items():
        row[key] = _first(m.held_at for m in record.meetings if m.kind == meeting_kind)
    for key, notification_kind in DONE_NOTIFICATIONS.items():
        row[key] = _first(n.sent_at for n in record.notifications if n.kind == notification_kind)
    for key, meeting_kind in LISTED_MEETINGS.items():
        held = sorted(m.held_at for m in record.meetings if m.kind == meeting_kind and m.held_at)
        row[key] = "; ".join(cell_moment(moment) for moment in held) or None
    covered = {*DONE_MEETINGS.values(), *LISTED_MEETINGS.values()}
    others: list[tuple[datetime, str]] = [
        (m.held_at, label(m.kind))
        for m in record.meetings
        if m.held_at is not None and m.kind not in covered
    ]
    others += [
        (n.sent_at, label(n.kind))
        for n in record.notifications
        if n.sent_at is not None and n.kind not in DONE_NOTIFICATIONS.values()
    ]
    row["other_actions_done"] = (
        "; ".join(f"{words} {cell_moment(moment)}" for moment, words in sorted(others)) or None
    )
    assessment = record.risk_assessment
    row["risk_assessment_outcome"] = _joined(assessment.outcomes) if assessment else None
    row["risk_assessment_completed"] = wall_clock(assessment.completed_at) if assessment else None
    missing = set(keys_in("done")) - set(row)
    assert not missing, f"columns.yaml has done columns rows.py does not fill: {missing}"
    return row


def _referrals(interview: ReturnInterview) -> str | None:
    referrals = interview.referrals
    parts = []
    for service, grid in referrals.services.items():
        flags = [
            word
            for word, on in (
                ("signposted", grid.signposted),
                ("currently engaging", grid.currently_engaging),
                ("engaged historically", grid.engaged_historically),
            )
            if on
        ]
        if flags:
            parts.append(f"{label(service)}: {', '.join(flags)}")  # words, as every cell
    if parts:
        return "; ".join(parts)
    return "No referral" if referrals.no_referral else None


def interview_values(interview: ReturnInterview) -> Row:
    """The ``interview`` group: None means "this source says nothing", never "clear the cell"."""
    offered = (
        interview.offered_at is not None
        or interview.accepted is not None
        or interview.held_at is not None
        or bool(interview.declined_reason)
    )
    accepted = True if interview.held_at is not None else interview.accepted
    return {
        "rhi_offered": "Y" if offered else None,
        "rhi_offered_at": wall_clock(interview.offered_at),
        "rhi_referred": wall_clock(interview.referred_at),
        "rhi_service": interview.service.value if interview.service else None,
        "rhi_accepted": _yes_no(accepted),
        "rhi_held": wall_clock(interview.held_at),
        "rhi_by": interview.interviewer,
        "rhi_declined_reason": interview.declined_reason,
        "push_pull_factors": _joined(interview.push_pull_factors),
        "safeguarding_concerns": _joined(interview.safeguarding_concerns),
        "referrals": _referrals(interview),
    }


def derived_values(row: Mapping[str, Any]) -> Row:
    """The ``derived`` group, computed from the row after every change."""
    returned, held = row.get("returned"), row.get("rhi_held")
    within = None
    if isinstance(returned, datetime) and isinstance(held, datetime):
        within = "Y" if real_hours(returned, held) <= RHI_WINDOW.total_seconds() / 3600 else "N"
    return {"rhi_within_72h": within}


def merge(current: Mapping[str, Any], episode: Row | None, interview: Row | None) -> Row:
    """The row after applying an episode's values and/or an interview's values to ``current``.

    Episode values replace their columns outright (a blank clears); interview values (and the
    done and made columns, which travel with them) only fill or change cells (a blank says
    nothing), so an RHI form parsed before or after the episode
    file is re-read is never lost.
    """
    row = dict(current)
    if episode is not None:
        row.update(episode)
    if interview is not None:
        row.update({key: value for key, value in interview.items() if value is not None})
    row.update(derived_values(row))
    return row

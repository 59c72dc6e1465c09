"""What a template can use: the record's own fields plus values worked out for documents.

Top-level names are the record's fields (``child``, ``episode``, ``people``, ``meetings`` …) and
``record`` itself. Computed values:

=====================  ========================================================================
``now``, ``today``     when the document is produced (London time)
``age``                the child's age when last seen
``duration``           time missing in words ("2 days 4 hours"), to now while still missing
``looked_after``       whether the child is looked after (conditional sections use it)
``episode_count``      this episode plus the previous ones in ``history``
``deadlines``          template id or obligation id → due date and time, from the protocol plan
``obligations``        the plan's obligations (id, title, status, due_at, why)
``local_authority_name``  the profile's name ("London Borough of Bexley")
``strategy_meeting`` / ``multi_agency_meeting`` / ``review_meeting``  the latest of each kind
``previous_meeting``   the meeting before the latest review (its actions are carried forward)
``next_review_by``     5 working days after the latest meeting, or after now
``return_interview_due_by``  from the plan, or 72 hours after the return
=====================  ========================================================================
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from formkit.model import EpisodeRecord, Meeting
from formkit.model.values import LONDON, LegalStatus, MeetingKind
from formkit.render.filters import duration as duration_words

RECORD_FIELDS = tuple(EpisodeRecord.model_fields)
COMPUTED_NAMES = (
    "record",
    "now",
    "today",
    "age",
    "duration",
    "looked_after",
    "episode_count",
    "deadlines",
    "obligations",
    "local_authority_name",
    "strategy_meeting",
    "multi_agency_meeting",
    "review_meeting",
    "previous_meeting",
    "next_review_by",
    "return_interview_due_by",
    "photo",
    "fk_control",
)


def _latest(meetings: list[Meeting], kind: MeetingKind) -> Meeting | None:
    found = [m for m in meetings if m.kind == kind]
    return found[-1] if found else None


def _plan_values(
    record: EpisodeRecord, now: datetime, plan: Any
) -> tuple[dict[str, Any], list[Any], str]:
    if plan is None:
        try:
            from formkit.protocol import plan as make_plan

            plan = make_plan(record, now=now)
        except Exception:  # noqa: BLE001 - an unknown profile must not stop a document
            return {}, [], record.local_authority.replace("-", " ").title()
    deadlines: dict[str, Any] = {}
    for obligation in plan.obligations:
        if obligation.status == "not_required":
            continue
        deadlines.setdefault(obligation.id, obligation.due_at)
        if obligation.document:
            deadlines.setdefault(obligation.document, obligation.due_at)
    name = record.local_authority.replace("-", " ").title()
    try:
        from formkit.protocol import load_profile

        name = load_profile(plan.profile).name
    except Exception:  # noqa: BLE001, S110 - the plain id is a fine fallback
        pass
    return deadlines, list(plan.obligations), name


def _next_review(after: datetime) -> datetime:
    from formkit.protocol import add_working_days

    return add_working_days(after, 5)


def build_context(
    record: EpisodeRecord,
    *,
    now: datetime | None = None,
    plan: Any = None,
    extras: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The Jinja context for one record (``plan`` is a :class:`formkit.protocol.Plan`, made
    here when not given; ``extras`` are added last, e.g. ``photo``)."""
    moment = (now or datetime.now(LONDON)).astimezone(LONDON)
    context: dict[str, Any] = {name: getattr(record, name) for name in RECORD_FIELDS}
    deadlines, obligations, authority = _plan_values(record, moment, plan)
    meetings = record.meetings
    latest = meetings[-1] if meetings else None
    review = _latest(meetings, MeetingKind.review)
    previous = None
    if review is not None:
        index = max(i for i, m in enumerate(meetings) if m is review)
        previous = meetings[index - 1] if index > 0 else None
    else:
        previous = latest
    anchor = (latest.held_at if latest and latest.held_at else None) or moment
    context.update(
        record=record,
        now=moment,
        today=moment.date(),
        age=record.age,
        duration=duration_words(record.episode.duration(moment)),
        looked_after=record.child.legal_status == LegalStatus.looked_after,
        episode_count=len(record.history) + 1,
        deadlines=deadlines,
        obligations=obligations,
        local_authority_name=authority,
        strategy_meeting=_latest(meetings, MeetingKind.strategy),
        multi_agency_meeting=_latest(meetings, MeetingKind.multi_agency),
        review_meeting=review,
        previous_meeting=previous,
        next_review_by=_next_review(anchor),
        return_interview_due_by=deadlines.get("rhi-form")
        or (record.episode.ended_at + timedelta(hours=72) if record.episode.ended_at else None),
        photo="",
    )
    if extras:
        context.update(extras)
    return context

"""What a template can use: the record's own fields plus values worked out for documents.

Top-level names are the record's fields (``child``, ``episode``, ``people``, ``meetings`` …) and
``record`` itself. Computed values:

=====================  ========================================================================
``now``, ``today``     when the document is produced (London time)
``age``                the child's age when last seen
``duration``           time missing in words ("2 days 4 hours"), to now while still missing
``looked_after``       whether the child is looked after (conditional sections use it)
``episode_count``      this episode plus the previous ones in ``history``, each once
``episodes_known``     those episodes, oldest first, this one last: ``started_at``, ``ended_at``,
                       ``where_located``, ``still_missing`` (this episode, not yet ended)
``deadlines``          template id or obligation id → due date and time, from the protocol plan
``obligations``        the plan's obligations (id, title, status, due_at, why)
``local_authority_name``  the council making the document: the profile's name ("London
                       Borough of Bexley"); for a profile with no authority of its own
                       (statutory) the host or responsible authority
``strategy_meeting`` / ``multi_agency_meeting`` / ``review_meeting``  the latest of each kind
``plan_when_found``    from the latest meeting that recorded one
``media_appeal`` / ``media_scope``  the decision of the latest meeting that recorded one
``sin``                the serious incident notification itself (sender ``by``, ``sent_at``)
``risk_checklist``     the missing profile's 13 risk items, each with its answer
``status_at(moment)``  the child's status in words as at ``moment`` (a meeting's date)
``due(moment)``        "by Tuesday 3 November 2026 at 14:30", or "was due by …" once passed
``previous_meeting``   the meeting before the latest review (its actions are carried forward)
``next_review_by``     5 working days after the latest meeting, or after now
``return_interview_due_by``  from the plan, or 72 hours after the return
``director``           the addressee of a letter to the home (responsible) authority's Director:
                       ``name`` (only when the record names one), ``role``, ``authority``,
                       ``address`` (one line each), ``reference`` (theirs, when known),
                       ``salutation``; from ``people.home_director``, else that council's profile
``sender_address``     the council's address on its letters, one line each: the signatory's or
                       referrer's address in the record, else the address in its profile
``unknown(what)``      prints nothing and lists ``what`` among the facts the document lacks
                       (``pack`` and ``render`` report them), for facts outside table cells:
                       ``{{ people.signatory.name or unknown("signatory's name") }}``
``done_so_far``        notifications sent and meetings held, in time order, each with ``when``,
                       ``what`` and ``details`` (to whom and by whom, the chair, notes)
=====================  ========================================================================
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from formkit.model import EpisodeRecord, Meeting, RiskCheck
from formkit.model.values import (
    LONDON,
    LegalStatus,
    MeetingKind,
    NotificationKind,
    RiskCheckAnswer,
    RiskCheckItem,
)
from formkit.protocol.episodes import episode_key
from formkit.render.filters import duration as duration_words
from formkit.render.filters import sentence
from formkit.words import label, long_datetime

RECORD_FIELDS = tuple(EpisodeRecord.model_fields)
COMPUTED_NAMES = (
    "record",
    "now",
    "today",
    "age",
    "duration",
    "looked_after",
    "episode_count",
    "episodes_known",
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
    "unknown",
    "plan_when_found",
    "media_appeal",
    "media_scope",
    "sin",
    "risk_checklist",
    "status_at",
    "due",
    "director",
    "sender_address",
    "done_so_far",
)
DIRECTOR_ROLE = "Director of Children's Services"


def _latest(meetings: list[Meeting], kind: MeetingKind) -> Meeting | None:
    found = [m for m in meetings if m.kind == kind]
    return found[-1] if found else None


def _latest_with(meetings: list[Meeting], name: str) -> Meeting | None:
    """The latest meeting (by when it was held, else by order) that recorded ``name``."""
    found = [m for m in meetings if getattr(m, name) not in (None, "")]
    return found[-1] if found else None


def plan_when_found(record: EpisodeRecord) -> str | None:
    """The plan for when the child is found, from the latest meeting that recorded one."""
    meeting = _latest_with(record.meetings, "plan_when_found")
    return meeting.plan_when_found if meeting is not None else None


# A risk recorded in ``risks`` answers its line of the checklist when the checklist does not.
_CHECK_FOR_RISK = {
    "cse": RiskCheckItem.sexual_exploitation,
    "cce": RiskCheckItem.criminal_exploitation,
    "gangs": RiskCheckItem.criminal_exploitation,
    "substance_misuse": RiskCheckItem.drugs_or_alcohol,
    "self_harm": RiskCheckItem.self_harm,
    "mental_health": RiskCheckItem.medical_condition,
    "bullying": RiskCheckItem.bullying,
    "harm_while_missing": RiskCheckItem.harmed_while_missing_before,
    "abduction": RiskCheckItem.abduction,
    "trafficking": RiskCheckItem.other,
    "radicalisation": RiskCheckItem.other,
    "other": RiskCheckItem.other,
}


def _checklist(record: EpisodeRecord) -> list[RiskCheck]:
    """The 13 lines of the missing profile's risk checklist, each answered from the checklist
    itself, else from a recorded risk or medical need, else "not known"."""
    given = {check.item: check for check in record.risk_checklist}
    for risk in record.risks:
        item = _CHECK_FOR_RISK.get(risk.type.value)
        if item is not None and item not in given:
            given[item] = RiskCheck(
                item=item,
                answer=RiskCheckAnswer.yes,
                details=risk.details or label(risk.type),
                last_identified=risk.last_identified,
            )
    medical = record.child.medical_needs
    if medical and RiskCheckItem.medical_condition not in given:
        given[RiskCheckItem.medical_condition] = RiskCheck(
            item=RiskCheckItem.medical_condition, answer=RiskCheckAnswer.yes, details=medical
        )
    return [given.get(item) or RiskCheck(item=item) for item in RiskCheckItem]


@dataclass(frozen=True)
class ListedEpisode:
    """One row of a letter's "Episodes we know of"."""

    started_at: datetime
    ended_at: datetime | None
    where_located: str | None
    still_missing: bool = False


def episodes_known(record: EpisodeRecord) -> list[ListedEpisode]:
    """The child's earlier episodes and this one, oldest first, each listed once (an earlier
    listing of this episode in ``history`` gives way to the episode itself)."""
    this = record.episode
    current = ListedEpisode(
        this.last_seen_at, this.ended_at, this.where_found, this.ended_at is None
    )
    by_minute = {
        episode_key(past.started_at): ListedEpisode(
            past.started_at, past.ended_at, past.where_located
        )
        for past in record.history
        if past.started_at <= this.last_seen_at
    }
    by_minute[episode_key(this.last_seen_at)] = current
    return [by_minute[key] for key in sorted(by_minute)]


def _council(record: EpisodeRecord, profile: Any) -> str:
    if profile is not None and profile.authority_names:
        return str(profile.name)
    child = record.child
    name = child.host_authority or child.responsible_authority or "Children's Services"
    return name.strip().rstrip(".")  # a name, printed mid-sentence: "lives in X. The most…"


@dataclass(frozen=True)
class Addressee:
    """Who a letter to another council's Director goes to, as the letter prints it."""

    role: str
    authority: str
    name: str | None = None
    address: str = ""
    """One line per line of the postal address (a newline prints as a line break)."""
    reference: str | None = None

    @property
    def salutation(self) -> str:
        return f"Dear {self.name}," if self.name else "Dear Director,"


def letter_address(address: str | None) -> str:
    """A postal address written on one line ("1 High St, Town AB1 2CD") as a letter's lines."""
    return "\n".join(p.strip() for p in re.split(r"[,\n]", address or "") if p.strip())


def home_director(record: EpisodeRecord) -> Addressee:
    """The Director of the child's home (responsible) authority: named in the record
    (``people.home_director``), else the post and address in that council's profile, else
    "The Director of Children's Services" of the authority the record names."""
    from formkit.protocol.profile import profile_of_authority

    home = record.child.responsible_authority
    profile = profile_of_authority(home)
    post = profile.director if profile is not None else None
    council_address = (post.address if post else None) or (profile.address if profile else None)
    role = post.role if post else DIRECTOR_ROLE
    authority = home or (profile.name if profile else "")
    given = record.people.home_director
    if given is not None:
        return Addressee(
            role=given.role or role,
            authority=given.organisation or authority,
            name=given.name,
            address=letter_address(given.address or council_address),
            reference=given.reference,
        )
    return Addressee(
        role=f"The {role}", authority=authority, address=letter_address(council_address)
    )


def _sender_address(record: EpisodeRecord, profile: Any) -> str:
    people = record.people
    for person in (people.signatory, people.referrer):
        if person is not None and person.address:
            return letter_address(person.address)
    return letter_address(getattr(profile, "address", None))


def _sentence(*parts: str | None) -> str:
    """Parts that are known, joined as sentences: ("Sent to Kent", None) → "Sent to Kent";
    a part typed with its own full stop keeps just that one ("Chaired by X." → "Chaired by X.
    2 actions agreed")."""
    known = [part.strip() for part in parts if part and part.strip()]
    return " ".join([*(sentence(part) for part in known[:-1]), *known[-1:]])


def done_so_far(record: EpisodeRecord) -> list[dict[str, Any]]:
    """Notifications sent and meetings held, oldest first (undated ones last), as a letter
    lists them: ``when``, ``what`` (the kind, printed as words) and ``details``."""
    rows: list[tuple[datetime | None, dict[str, Any]]] = []
    for note in record.notifications:
        sent = " ".join(
            part for part in (note.to and f"to {note.to}", note.by and f"by {note.by}") if part
        )
        details = _sentence(sent and f"Sent {sent}", note.notes)
        rows.append((note.sent_at, {"when": note.sent_at, "what": note.kind, "details": details}))
    for meeting in record.meetings:
        count = len(meeting.actions)
        actions = f"{count} action{'' if count == 1 else 's'} agreed" if count else None
        details = _sentence(meeting.chair and f"Chaired by {meeting.chair}", actions)
        rows.append(
            (meeting.held_at, {"when": meeting.held_at, "what": meeting.kind, "details": details})
        )
    last = datetime.max.replace(tzinfo=UTC)
    rows.sort(key=lambda row: (row[0] or last).astimezone(UTC))  # stable: same time keeps order
    return [row[1] for row in rows]


def status_at(record: EpisodeRecord, moment: Any) -> str:
    """The child's status in words as it was at ``moment``: a meeting held while the child was
    missing says so, even when the record now holds the return."""
    episode = record.episode
    if not isinstance(moment, datetime):
        return ""
    if episode.ended_at is not None and episode.ended_at <= moment:
        return (
            f"Returned {long_datetime(episode.ended_at)} after {duration_words(episode.duration())}"
        )
    if moment < episode.last_seen_at:
        return ""
    elapsed = moment.astimezone(UTC) - episode.last_seen_at.astimezone(UTC)
    return f"Still missing, {duration_words(elapsed)} after last seen"


def due_phrase(moment: Any, now: datetime) -> str:
    """A deadline as the document's reader needs it: still to come, or passed."""
    if not isinstance(moment, datetime):
        return ""
    return ("by " if moment >= now else "was due by ") + long_datetime(moment)


def _plan_values(
    record: EpisodeRecord, now: datetime, plan: Any
) -> tuple[dict[str, Any], list[Any], str, Any]:
    if plan is None:
        try:
            from formkit.protocol import plan as make_plan

            plan = make_plan(record, now=now)
        except Exception:  # noqa: BLE001 - an unknown profile must not stop a document
            return {}, [], _council(record, None), None
    deadlines: dict[str, Any] = {}
    for obligation in plan.obligations:
        if obligation.status == "not_required":
            continue
        deadlines.setdefault(obligation.id, obligation.due_at)
        if obligation.document:
            deadlines.setdefault(obligation.document, obligation.due_at)
    profile = None
    try:
        from formkit.protocol import load_profile

        profile = load_profile(plan.profile)
    except Exception:  # noqa: BLE001, S110 - the authority in the record is a fine fallback
        pass
    name = _council(record, profile)
    return deadlines, list(plan.obligations), name, profile


def council_name(record: EpisodeRecord, *, now: datetime | None = None, plan: Any = None) -> str:
    """The council making documents for ``record``, as its documents name it: its protocol
    profile's name, else the authority the record names (``plan`` saves planning again)."""
    moment = now or datetime.now(LONDON)
    return _plan_values(record, moment, plan)[2]


def form_shown(
    record: EpisodeRecord, *, now: datetime | None = None, plan: Any = None
) -> dict[str, str]:
    """What formkit's own PDF forms show in their read-only fields for ``record`` (see
    :data:`formkit.pdf.fields.SHOWN`): the council's name, and the plan when found from the
    latest meeting that recorded one."""
    shown = {"council": council_name(record, now=now, plan=plan)}
    planned = plan_when_found(record)
    if planned:
        shown["plan_when_found"] = planned
    return shown


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
    deadlines, obligations, authority, profile = _plan_values(record, moment, plan)
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
    known = episodes_known(record)
    context.update(
        record=record,
        now=moment,
        today=moment.date(),
        age=record.age,
        duration=duration_words(record.episode.duration(moment)),
        looked_after=record.child.legal_status == LegalStatus.looked_after,
        episode_count=len(known),  # each listed episode once
        episodes_known=known,
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
        plan_when_found=plan_when_found(record),
        media_appeal=getattr(_latest_with(meetings, "media_appeal"), "media_appeal", None),
        media_scope=getattr(_latest_with(meetings, "media_scope"), "media_scope", None),
        sin=next(
            (n for n in reversed(record.notifications) if n.kind == NotificationKind.sin), None
        ),
        risk_checklist=_checklist(record),
        status_at=lambda when: status_at(record, when),
        due=lambda when: due_phrase(when, moment),
        director=home_director(record),
        sender_address=_sender_address(record, profile),
        done_so_far=done_so_far(record),
    )
    if extras:
        context.update(extras)
    return context

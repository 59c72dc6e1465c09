"""Evaluating a profile against an episode: every obligation, its deadline and its status.

The result is a :class:`Plan`. An obligation is *done* when the episode's own data shows it
(a meeting held, a notification sent, the interview held) by its deadline, *late* when that data
shows it was done after the deadline, *overdue* when its deadline has passed and it is not done,
*due* otherwise, and *not_required* when its trigger does not hold (or waits on an event, such as
the child's return, that has not happened yet). A rule the protocol only asks to be *considered*
("should be considered") is a prompt: *consider* until done, never overdue or late. A declined
return interview counts as done: the duty is to offer the interview, and the offer was made and
refused.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from formkit.errors import ProfileError
from formkit.model import EpisodeRecord
from formkit.model.values import LONDON, NotificationKind
from formkit.protocol.calendar import add_duration, london
from formkit.protocol.episodes import episode_starts
from formkit.protocol.profile import Deadline, DoneBy, Profile, Rule, load_profile
from formkit.protocol.triggers import Facts
from formkit.words import ordinal

Status = Literal["done", "late", "due", "overdue", "consider", "not_required"]
STATUSES: tuple[Status, ...] = ("overdue", "due", "consider", "late", "done", "not_required")
# A repeating obligation while the child is missing: never list more than this many occurrences.
MAX_OCCURRENCES = 200


@dataclass(frozen=True)
class Obligation:
    """One thing owed for an episode, by when, and whether it has been done."""

    id: str
    kind: str
    title: str
    document: str | None
    status: Status
    due_at: datetime | None
    why: str
    source: str
    done_at: datetime | None = None
    rule: str = ""
    note: str | None = None
    role: str | None = None

    @property
    def shown_title(self) -> str:
        """The title as people read it: a repeating obligation says which one it is
        ("Review strategy meeting (at least weekly): the 2nd")."""
        if self.id == self.rule or not self.id.startswith(self.rule + "-"):
            return self.title
        number = self.id.rsplit("-", 1)[-1]
        return f"{self.title}: the {ordinal(int(number))}" if number.isdigit() else self.title

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("due_at", "done_at"):
            if data[key] is not None:
                data[key] = data[key].isoformat()
        return data


@dataclass
class Plan:
    """What is owed for one episode under one profile, as of ``now``."""

    reference: str
    profile: str
    now: datetime
    obligations: list[Obligation] = field(default_factory=list)

    def get(self, obligation_id: str) -> Obligation | None:
        """The obligation with this id (``"rhi"``, ``"review-2"``), or None."""
        for obligation in self.obligations:
            if obligation.id == obligation_id:
                return obligation
        return None

    def by_role(self, role: str) -> Obligation | None:
        """The (first) obligation of the rule with this role (``"return-interview"``), or None."""
        for obligation in self.obligations:
            if obligation.role == role:
                return obligation
        return None

    def documents_due(self) -> list[str]:
        """Template ids the episode's document pack needs, in the profile's rule order, once each.

        A consideration's document is left out: it is needed only once someone decides to act."""
        seen: dict[str, None] = {}
        for obligation in self.obligations:
            if obligation.document and obligation.status not in {"not_required", "consider"}:
                seen.setdefault(obligation.document, None)
        return list(seen)

    def by_status(self, status: Status) -> list[Obligation]:
        return [o for o in self.obligations if o.status == status]

    def as_dict(self) -> dict[str, Any]:
        return {
            "reference": self.reference,
            "profile": self.profile,
            "now": self.now.isoformat(),
            "documents_due": self.documents_due(),
            "obligations": [o.as_dict() for o in self.obligations],
        }

    def as_text(self, *, show_all: bool = False, why: bool = False) -> str:
        """The plan for a person: one line an obligation (status, due, title, document), with
        ``why`` the reason and source under each; ``show_all`` lists those not required too."""
        rows = [o for o in self.obligations if show_all or o.status != "not_required"]
        lines = [f"Episode {self.reference} · profile {self.profile} · as of {_when(self.now)}"]
        width = min(max(max((len(o.title) for o in rows), default=10), 10), 60)
        lines.append(f"  {'STATUS':<8} {'DUE':<20} {'OBLIGATION':<{width}}  DOCUMENT")
        for obligation in rows:
            title = obligation.shown_title
            done = f" (done {_when(obligation.done_at)})" if obligation.done_at else ""
            lines.append(
                f"  {_MARK[obligation.status]:<8} {_when(obligation.due_at):<20} "
                f"{title[:width]:<{width}}  {obligation.document or ''}{done}".rstrip()
            )
            if why:
                lines.append(f"  {'':<8} {'':<20} {obligation.why}")
                lines.append(f"  {'':<8} {'':<20} source: {obligation.source}")
        if not rows:
            lines.append("  (nothing owed)")
        documents = self.documents_due()
        lines.append(f"  Documents: {', '.join(documents) if documents else 'none'}")
        return "\n".join(lines)


# How each status shows in :meth:`Plan.as_text`: what needs doing stands out in capitals.
_MARK = {
    "overdue": "OVERDUE",
    "due": "due",
    "consider": "consider",
    "late": "LATE",
    "done": "done",
    "not_required": "-",
}


def _when(moment: datetime | None) -> str:
    from formkit.words import table_datetime

    return table_datetime(moment, weekday=True) if moment is not None else ""


def facts_for(
    record: EpisodeRecord, profile: Profile, now: datetime, others: Iterable[EpisodeRecord] = ()
) -> Facts:
    """Everything the triggers read, worked out once for the episode."""
    child, episode = record.child, record.episode
    starts = tuple(episode_starts(record, others))
    responsible, host = child.responsible_authority, child.host_authority
    if responsible is None:
        placed_elsewhere = False
    elif profile.authority_names:
        placed_elsewhere = not profile.is_own_authority(responsible) and (
            host is None or profile.is_own_authority(host)
        )
    else:
        placed_elsewhere = host is not None and responsible.strip().lower() != host.strip().lower()
    ola_count = record.ola_notification_count
    if ola_count is None:
        sent = [n.count for n in record.notifications if n.count is not None]
        ola_count = max(sent) if sent else len(starts)
    return Facts(
        now=now,
        last_seen_at=episode.last_seen_at,
        # In UTC: Python subtracts two London times by their wall clocks, an hour out across a change.
        missing_for=(episode.ended_at or now).astimezone(UTC)
        - episode.last_seen_at.astimezone(UTC),
        returned=episode.ended_at is not None and episode.ended_at <= now,
        age=record.age,
        legal_status=child.legal_status.value,
        risk_types=frozenset(r.type.value for r in record.risks),
        police_risk=episode.police_risk_level.value if episode.police_risk_level else None,
        status=episode.status.value,
        missing_from=episode.missing_from.value,
        placement_type=child.placement.type.value if child.placement else None,
        independent_requested=bool(record.return_interview.independent_requested)
        or record.episode.independent_interview_requested_at is not None,
        placed_by_other_authority=placed_elsewhere,
        ola_notifications=ola_count,
        episode_starts=starts,
    )


def _anchor_time(record: EpisodeRecord, anchor: str) -> datetime | None:
    episode = record.episode
    if anchor == "last_seen":
        return episode.last_seen_at
    if anchor == "reported":
        return episode.reported_at
    if anchor == "returned":
        return episode.ended_at
    if anchor == "independent_requested":
        return record.episode.independent_interview_requested_at
    return record.return_interview.referred_at


_ANCHOR_WORDS = {
    "last_seen": "the child was last seen",
    "reported": "the child was reported missing",
    "returned": "the child returned",
    "referral": "the referral",
    "independent_requested": "the child asked for an independent interviewer",
}


def _evidence(record: EpisodeRecord, done_by: DoneBy | None, now: datetime) -> list[datetime]:
    """When the episode's data shows the obligation was met (by ``now``), earliest first."""
    if done_by is None:
        return []
    times: list[datetime | None] = []
    if done_by.meeting:
        times += [m.held_at for m in record.meetings if m.kind in done_by.meeting]
    if done_by.notification:
        kinds: tuple[NotificationKind, ...] = done_by.notification
        times += [n.sent_at for n in record.notifications if n.kind in kinds]
    interview = record.return_interview
    if done_by.interview:
        times.append(interview.held_at)
        if done_by.interview == "held_or_declined" and interview.accepted is False:
            times.append(interview.offered_at or record.episode.ended_at)
    if done_by.referral:
        times.append(interview.referred_at)
    if done_by.risk_assessment and record.risk_assessment is not None:
        times.append(record.risk_assessment.completed_at)
    return sorted(t for t in times if t is not None and t <= now)


def _status(
    due_at: datetime | None, done_at: datetime | None, now: datetime, *, consider: bool = False
) -> Status:
    """done or late (by the deadline or after it), consider (a prompt), overdue or due."""
    if done_at is not None:
        if not consider and due_at is not None and done_at.astimezone(UTC) > due_at.astimezone(UTC):
            return "late"
        return "done"
    if consider:
        return "consider"
    if due_at is not None and due_at.astimezone(UTC) < now.astimezone(UTC):
        return "overdue"
    return "due"


def _obligation(rule: Rule, **changes: Any) -> Obligation:
    spec = rule.spec
    values: dict[str, Any] = {
        "id": spec.id,
        "kind": spec.kind,
        "title": spec.title,
        "document": spec.document,
        "source": spec.source,
        "rule": spec.id,
        "note": spec.note,
        "role": spec.role,
    }
    values.update(changes)
    return Obligation(**values)


def _start_after(earlier: list[Obligation]) -> tuple[datetime | None, str]:
    """Where a rule that follows another starts: the last occurrence held, else last due."""
    owed = [o for o in earlier if o.status != "not_required"]
    if not owed:
        return None, ""
    last = owed[-1]
    if last.done_at is not None:
        return last.done_at, f"{last.title.lower()} was held or sent"
    return last.due_at, f"{last.title.lower()} fell due"


def _clock_start(
    record: EpisodeRecord, due: Deadline, earlier: dict[str, list[Obligation]], now: datetime
) -> tuple[datetime | None, str, str]:
    """When a rule's clock started by ``now`` (None: not yet), that moment in words, and what
    the rule waits for until it starts."""
    if due.after is not None:
        start, words = _start_after(earlier.get(due.after, []))
        return (
            (start if start is not None and start <= now else None),
            words,
            (words or "the earlier step"),
        )
    assert due.from_ is not None
    waiting = " or ".join(_ANCHOR_WORDS[a] for a in due.from_)
    for anchor in due.from_:
        moment = _anchor_time(record, anchor)
        if moment is not None and moment <= now:
            return moment, _ANCHOR_WORDS[anchor], waiting
    return None, "", waiting


def _evaluate_rule(
    record: EpisodeRecord,
    rule: Rule,
    facts: Facts,
    profile: Profile,
    earlier: dict[str, list[Obligation]],
) -> list[Obligation]:
    spec, now = rule.spec, facts.now
    if not rule.trigger.test(facts):
        why = f"not required: needs {rule.trigger.text}"
        return [_obligation(rule, status="not_required", due_at=None, why=why)]
    why = f"because: {rule.trigger.text}"
    evidence = _evidence(record, spec.done_by, now)
    first_done = evidence[0] if evidence else None
    if spec.due is None:
        status = _status(None, first_done, now, consider=spec.consider)
        if status == "consider":
            why = f"{why}; to consider (a prompt, never overdue)"
        return [_obligation(rule, status=status, due_at=None, why=why, done_at=first_done)]
    start, start_words, waiting = _clock_start(record, spec.due, earlier, now)
    if start is not None and spec.due.after is not None and spec.repeat is not None:
        # Meetings held before the one this rule follows are not its occurrences.
        evidence = [t for t in evidence if t > start]
    if start is None:
        if first_done is not None:
            return [_obligation(rule, status="done", due_at=None, why=why, done_at=first_done)]
        if spec.consider:
            why = f"{why}; to consider (the protocol sets no duty)"
            return [_obligation(rule, status="consider", due_at=None, why=why)]
        why = f"not yet: due {spec.due.within} after {waiting}"
        return [_obligation(rule, status="not_required", due_at=None, why=why)]
    due_at = add_duration(start, spec.due.within, profile.end_of_working_day)
    why = f"{why}; due {spec.due.within} after {start_words}"
    if spec.repeat is not None:
        return _occurrences(record, rule, due_at, evidence, why, now, profile)
    done_at = evidence[0] if evidence else None
    ended = record.episode.ended_at
    if spec.while_missing and done_at is None and ended is not None and ended <= min(due_at, now):
        why = "not required: the child returned before it fell due"
        return [_obligation(rule, status="not_required", due_at=due_at, why=why)]
    status = _status(due_at, done_at, now, consider=spec.consider)
    if status == "late":
        why = f"{why}; done late"
    elif status == "consider":
        why = f"{why}; to consider by then (a prompt, never overdue)"
    return [_obligation(rule, status=status, due_at=due_at, why=why, done_at=done_at)]


def _occurrences(
    record: EpisodeRecord,
    rule: Rule,
    first_due: datetime,
    evidence: list[datetime],
    why: str,
    now: datetime,
    profile: Profile,
) -> list[Obligation]:
    """A repeating obligation: each occurrence is due ``every`` after the previous one was held
    (or fell due), while the child is missing; the k-th held meeting meets the k-th occurrence.
    Those due so far are listed, plus the next one if the child is still missing."""
    assert rule.spec.repeat is not None
    every = rule.spec.repeat.every
    ended = (
        record.episode.ended_at
        if record.episode.ended_at and record.episode.ended_at <= now
        else None
    )
    out: list[Obligation] = []
    due_at = first_due
    for index in range(MAX_OCCURRENCES):
        done_at = evidence[index] if index < len(evidence) else None
        if ended is not None and due_at.astimezone(UTC) > ended.astimezone(UTC) and done_at is None:
            break  # the child came back before this one fell due: it is not owed
        occurrence_why = (
            why if index == 0 else f"still missing; repeats every {every} after the last one"
        )
        out.append(
            _obligation(
                rule,
                id=f"{rule.id}-{index + 1}",
                status=_status(due_at, done_at, now),
                due_at=due_at,
                why=occurrence_why,
                done_at=done_at,
            )
        )
        if due_at.astimezone(UTC) > now.astimezone(UTC) and done_at is None:
            break  # the next one not yet due: list it and stop
        due_at = add_duration(done_at or due_at, every, profile.end_of_working_day)
    return out


def resolve_profile(record: EpisodeRecord, profile: Profile | str | None) -> Profile:
    """The profile to use: given, or the episode's own ``local_authority``."""
    if isinstance(profile, Profile):
        return profile
    return load_profile(profile or record.local_authority)


def plan(
    record: EpisodeRecord,
    profile: Profile | str | None = None,
    now: datetime | None = None,
    others: Iterable[EpisodeRecord] = (),
) -> Plan:
    """Every obligation for ``record`` under ``profile`` (default: its ``local_authority``) at ``now``.

    ``others`` are other episodes; those of the same child (by ``child.id``) count towards
    "episodes in the last 90 days" and similar triggers.
    """
    chosen = resolve_profile(record, profile)
    moment = london(now) if now is not None else datetime.now(LONDON)
    # Compare in UTC: two London times compare by wall clock, wrong in the repeated October hour.
    facts = facts_for(record, chosen, moment.astimezone(UTC), others)
    obligations: list[Obligation] = []
    earlier: dict[str, list[Obligation]] = {}
    for rule in chosen.rules:
        found = _evaluate_rule(record, rule, facts, chosen, earlier)
        earlier[rule.id] = found
        obligations.extend(found)
    return Plan(reference=record.reference, profile=chosen.id, now=moment, obligations=obligations)


__all__ = ["Obligation", "Plan", "ProfileError", "plan"]

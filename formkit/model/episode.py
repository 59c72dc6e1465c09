"""A missing episode and everything the documents, the protocol rules and the tracker need."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, model_validator

from formkit.model.base import Record, RuleBroken
from formkit.model.interview import ReturnInterview
from formkit.model.values import (
    LONDON,
    EndReason,
    EpisodeStatus,
    Gender,
    LegalStatus,
    LondonDateTime,
    MediaScope,
    MeetingKind,
    MissingFrom,
    NotificationKind,
    PlacementType,
    PoliceRisk,
    RiskCheckAnswer,
    RiskCheckItem,
    RiskLevel,
    RiskOutcome,
    RiskType,
    UKDate,
    split_list,
)

SCHEMA_VERSION: Literal["1.1"] = "1.1"
"""1.1 added optional fields the source forms ask for; files written as 1.0 still read."""
SchemaVersion = Literal["1.0", "1.1"]

Reference = Annotated[
    str,
    Field(
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$",
        description="Letters, digits, '.', '_' and '-' only: it names output files and tracker rows",
    ),
]
TextList = Annotated[list[str], BeforeValidator(split_list)]


class Placement(Record):
    type: PlacementType
    address: str | None = None
    provider: str | None = None
    in_area: bool | None = Field(None, description="Placed inside the host authority's area")
    started_on: UKDate | None = None


class PhysicalDescription(Record):
    height: str | None = None
    build: str | None = None
    hair: str | None = None
    eyes: str | None = None
    complexion: str | None = None
    distinguishing_features: str | None = None
    glasses: bool | None = Field(None, description="Wears glasses or contact lenses")
    tattoos: str | None = None
    piercings: str | None = None


class SocialMedia(Record):
    platform: str
    handle: str


class ChildProtectionPlan(Record):
    """The child-protection plan a serious incident notification reports."""

    category: str | None = Field(None, description="Category of abuse, e.g. neglect")
    started_on: UKDate | None = None
    last_conference_on: UKDate | None = None
    next_review_on: UKDate | None = None


class School(Record):
    name: str
    address: str | None = None
    contact: str | None = None
    phone: str | None = None


class Child(Record):
    id: str = Field(description="Case-record number in the case-management system")
    first_name: str
    last_name: str
    preferred_name: str | None = None
    date_of_birth: UKDate
    gender: Gender | None = None
    ethnicity: str | None = None
    legal_status: LegalStatus
    responsible_authority: str | None = Field(
        None, description="The authority that looks after the child"
    )
    host_authority: str | None = Field(None, description="The authority where the child lives")
    home_address: str | None = None
    placement: Placement | None = None
    description: PhysicalDescription = Field(default_factory=PhysicalDescription)
    phones: TextList = Field(default_factory=list)
    social_media: list[SocialMedia] = Field(default_factory=list)
    email: str | None = None
    school: School | None = None
    photo: str | None = Field(
        None, description="Path to a photograph, relative to the episode file"
    )
    photo_taken_on: UKDate | None = Field(None, description="Approximate date the photo was taken")
    passport: str | None = Field(None, description="Passport or other travel ID, with its number")
    bank_details: str | None = Field(None, description="Bank or card the child uses")
    known_groups: str | None = Field(None, description="Links to any known groups or gangs")
    child_protection: ChildProtectionPlan | None = None
    medical_needs: str | None = None
    medication: str | None = None
    medication_frequency: str | None = Field(None, description="How often the medication is taken")
    medication_next_due: LondonDateTime | None = Field(
        None, description="When the next dose is due"
    )
    medication_missed_effect: str | None = Field(
        None, description="Effects of not taking the medication"
    )
    triggers: str | None = Field(None, description="Known triggers for going missing")
    languages: str | None = None

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def known_as(self) -> str:
        return self.preferred_name or self.first_name

    def age_on(self, day: date) -> int:
        """Age in whole years on ``day`` (a 29 February birthday counts from 1 March)."""
        before_birthday = (day.month, day.day) < (self.date_of_birth.month, self.date_of_birth.day)
        return day.year - self.date_of_birth.year - before_birthday


class Episode(Record):
    """The missing episode itself: the police report, the return and the circumstances."""

    reference: Reference
    status: EpisodeStatus = EpisodeStatus.missing
    missing_from: MissingFrom
    last_seen_at: LondonDateTime
    last_seen_location: str | None = None
    reported_at: LondonDateTime | None = None
    police_reference: str | None = None
    police_risk_level: PoliceRisk | None = None
    whereabouts_known: bool | None = Field(
        None,
        description="Whether the child's whereabouts were known while away (DfE SSDA903: "
        "known is 'A', away from placement without authorisation; not known is 'M', missing)",
    )
    reason: str | None = Field(
        None, description="Reason for disappearance, from the missing report"
    )
    circumstances: str | None = None
    clothing: str | None = None
    belongings: str | None = None
    who_with: str | None = None
    ended_at: LondonDateTime | None = Field(
        None, description="When the child returned or was found"
    )
    end_reason: EndReason | None = None
    where_found: str | None = None
    found_by: str | None = None
    return_remarks: str | None = Field(None, description="Return remarks, from the missing report")
    family_aware: bool | None = Field(None, description="The family knows the child is missing")
    involved_when_found: str | None = Field(
        None, description="Who is to be involved when the child is found (SIN form)"
    )
    actions_taken: str | None = Field(
        None, description="Actions taken on return (Bedford part B notification)"
    )
    safe_and_well_at: LondonDateTime | None = Field(None, description="Police safe and well check")
    independent_interview_requested_at: LondonDateTime | None = Field(
        None,
        description="When the child asked for an independent return interviewer (Bexley 2.6: "
        "the request goes to NYAS within 24 hours of it)",
    )

    @property
    def is_open(self) -> bool:
        return self.ended_at is None

    def duration(self, now: datetime | None = None) -> timedelta:
        """Elapsed time missing: to the return, or to ``now`` while still missing."""
        end = self.ended_at or now or datetime.now(LONDON)
        # Both times share the London zone object, and Python subtracts such times by the wall
        # clock; through UTC the answer is real elapsed time across a clock change.
        return end.astimezone(UTC) - self.last_seen_at.astimezone(UTC)

    @model_validator(mode="after")
    def _times_in_order(self) -> Episode:
        if self.ended_at is not None and self.ended_at < self.last_seen_at:
            raise RuleBroken(
                "ended_at", "is before last_seen_at: a child cannot return before going missing"
            )
        if self.end_reason is not None and self.ended_at is None:
            raise RuleBroken(
                "end_reason", "is given but ended_at is not: when did the episode end?"
            )
        return self


class PreviousEpisode(Record):
    started_at: LondonDateTime
    ended_at: LondonDateTime | None = None
    status: EpisodeStatus = EpisodeStatus.missing
    whereabouts_known: bool | None = None
    where_located: str | None = None
    key_information: str | None = None
    arrested: bool | None = None
    reference: str | None = None

    @model_validator(mode="after")
    def _times_in_order(self) -> PreviousEpisode:
        if self.ended_at is not None and self.ended_at < self.started_at:
            raise RuleBroken("ended_at", "is before started_at")
        return self


class Risk(Record):
    type: RiskType
    level: RiskLevel = RiskLevel.known
    details: str | None = None
    last_identified: UKDate | None = None


class Professional(Record):
    name: str
    role: str | None = None
    team: str | None = None
    organisation: str | None = None
    phone: str | None = None
    mobile: str | None = None
    office: str | None = Field(None, description="Office or base")
    email: str | None = None
    address: str | None = Field(None, description="Postal address, for letters")
    reference: str | None = Field(None, description="Their reference for this child, for letters")


class Person(Record):
    name: str
    relationship: str | None = None
    date_of_birth: UKDate | None = None
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    notes: str | None = None


class Location(Record):
    name: str
    address: str | None = None
    details: str | None = None


class People(Record):
    social_worker: Professional | None = None
    team_manager: Professional | None = None
    iro: Professional | None = None
    out_of_hours: Professional | None = None
    referrer: Professional | None = Field(None, description="Who makes referrals and sends notices")
    professionals: list[Professional] = Field(default_factory=list)
    family: list[Person] = Field(default_factory=list)
    boyfriend_or_girlfriend: list[Person] = Field(default_factory=list)
    friends_and_associates: list[Person] = Field(default_factory=list)
    signatory: Professional | None = Field(
        None, description="Who signs letters for the council (name and role)"
    )
    home_director: Professional | None = Field(
        None,
        description="The home (responsible) authority's Director of Children's Services, "
        "to whom the director's letter is addressed",
    )
    locations_of_concern: list[Location] = Field(default_factory=list)


class Attendee(Record):
    name: str
    role: str | None = None
    agency: str | None = None


class Action(Record):
    action: str
    owner: str | None = None
    due: UKDate | None = None
    finding: str | None = Field(None, description="What a review meeting found about this action")


class Meeting(Record):
    kind: MeetingKind
    held_at: LondonDateTime | None = None
    chair: str | None = None
    attendees: list[Attendee] = Field(default_factory=list)
    hypothesis: str | None = None
    background: str | None = None
    discussion: str | None = Field(None, description="Information shared")
    risks: str | None = None
    actions: list[Action] = Field(default_factory=list)
    media_appeal: bool | None = None
    media_scope: MediaScope | None = Field(None, description="National or local media")
    recovery_order: bool | None = None
    plan_when_found: str | None = None
    next_meeting_at: LondonDateTime | None = None


class Notification(Record):
    kind: NotificationKind
    sent_at: LondonDateTime | None = None
    by: str | None = None
    to: str | None = None
    notes: str | None = None
    count: int | None = Field(
        None,
        ge=1,
        description="Which notification this is, e.g. 4 for a 4th from another authority",
    )
    updated_on: Annotated[list[UKDate], BeforeValidator(split_list)] = Field(
        default_factory=list, description="Dates the notification was updated"
    )


class RiskAssessment(Record):
    outcomes: Annotated[list[RiskOutcome], BeforeValidator(split_list)] = Field(
        default_factory=list
    )
    completed_at: LondonDateTime | None = None
    by: str | None = None
    notes: str | None = None


class RiskCheck(Record):
    """One line of the missing profile's fixed risk checklist (Buckinghamshire appendix 2)."""

    item: RiskCheckItem
    answer: RiskCheckAnswer = RiskCheckAnswer.not_known
    details: str | None = None
    last_identified: UKDate | None = None


class EpisodeRecord(Record):
    """One episode file: the child, the episode and all that surrounds it."""

    schema_version: SchemaVersion = SCHEMA_VERSION
    local_authority: str = Field(
        pattern=r"^[a-z0-9][a-z0-9-]*$", description="Protocol profile id, e.g. 'bexley'"
    )
    child: Child
    episode: Episode
    history: list[PreviousEpisode] = Field(default_factory=list)
    risks: list[Risk] = Field(default_factory=list)
    people: People = Field(default_factory=People)
    return_interview: ReturnInterview = Field(default_factory=ReturnInterview)
    meetings: list[Meeting] = Field(default_factory=list)
    notifications: list[Notification] = Field(default_factory=list)
    risk_assessment: RiskAssessment | None = None
    risk_checklist: list[RiskCheck] = Field(
        default_factory=list, description="The 13-item risk checklist of the missing profile"
    )
    ola_notification_count: int | None = Field(
        None,
        ge=0,
        description="Missing notifications received about this child placed here by another authority",
    )

    @property
    def reference(self) -> str:
        return self.episode.reference

    @property
    def age(self) -> int:
        """The child's age when last seen."""
        return self.child.age_on(self.episode.last_seen_at.astimezone(LONDON).date())

    @model_validator(mode="after")
    def _cross_checks(self) -> EpisodeRecord:
        child, episode = self.child, self.episode
        last_seen_day = episode.last_seen_at.astimezone(LONDON).date()
        if child.date_of_birth > date.today():
            raise RuleBroken("child.date_of_birth", "is in the future")
        if child.date_of_birth > last_seen_day:
            raise RuleBroken("child.date_of_birth", "is after the child was last seen")
        age = self.age
        limit = 25 if child.legal_status == LegalStatus.care_leaver else 18
        if age >= limit:
            who = "a care leaver" if limit == 25 else "a child (only care leavers may be 18 to 24)"
            raise RuleBroken(
                "child.date_of_birth", f"makes the child {age} when last seen, too old for {who}"
            )
        if child.legal_status == LegalStatus.looked_after and not child.responsible_authority:
            raise RuleBroken("child.responsible_authority", "is required for a looked-after child")
        interview = self.return_interview
        if interview.held_at is not None:
            if episode.ended_at is None:
                raise RuleBroken(
                    "return_interview.held_at",
                    "is given but the episode has not ended (no episode.ended_at)",
                )
            if interview.held_at < episode.ended_at:
                raise RuleBroken(
                    "return_interview.held_at", "is before the child returned (episode.ended_at)"
                )
        return self

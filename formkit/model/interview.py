"""The return home interview (RHI): the offer, the interview itself and the worker's summary.

Field names follow the sections of the RHI form (domain brief, Buckinghamshire appendix 3). The
``rhi-form`` template tags each content control with the data path of the field it fills, so a
completed form reads straight back into this model.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator, Field, model_validator

from formkit.model.base import Record, RuleBroken
from formkit.model.values import (
    EducationStatus,
    Engagement,
    InterviewService,
    LondonDateTime,
    MissingFrom,
    PushPullFactor,
    ReferralService,
    SafeguardingConcern,
    split_list,
)

Scale = Annotated[int, Field(ge=1, le=5)]


class InterviewAnswers(Record):
    """Part one: the young person's own answers, one field per question of the form."""

    should_have_been_reported: str | None = Field(
        None, description="Do you think you should have been reported missing?"
    )
    why_reported: str | None = Field(
        None, description="Why do you think you were reported missing?"
    )
    why_went_missing: str | None = Field(
        None, description="What happened to make you go missing? (push/pull)"
    )
    while_missing: str | None = Field(
        None, description="What happened while you were missing; who were you with?"
    )
    gifts_or_money: str | None = Field(
        None, description="Were you given gifts, money, drugs or alcohol?"
    )
    sexual_contact: str | None = Field(None, description="Any sexual contact while missing?")
    sexual_health: str | None = Field(
        None, description="Sexual health intervention offered, or why not appropriate"
    )
    feelings_on_return: str | None = Field(None, description="How did you feel about returning?")
    safety_strategies: str | None = Field(None, description="Keep-safe strategies discussed")
    online_safety: str | None = Field(None, description="Online safety strategies discussed")
    mental_health_score: Scale | None = Field(
        None, description="How are you feeling, 1 (not good) to 5 (very good)"
    )
    mental_health: str | None = Field(None, description="Mental health notes")
    someone_to_talk_to: str | None = Field(None, description="Is there anyone you can speak to?")
    support_needed: str | None = Field(None, description="Other support you feel you need")
    likelihood_missing_again: Scale | None = Field(
        None, description="Likelihood of going missing again, 1 (never) to 5 (today)"
    )
    likelihood_reason: str | None = Field(None, description="Why?")
    what_would_stop_it: str | None = Field(None, description="What needs to happen to stop it?")
    anything_else: str | None = Field(None, description="Anything else to ask or talk about")


class Education(Record):
    status: EducationStatus | None = None
    provider: str | None = Field(None, description="Name of school, college or employer")
    school_concerns: str | None = None
    attendance_concerns: str | None = None


class Intelligence(Record):
    contacts: str | None = Field(None, description="Who they had contact with")
    places: str | None = Field(None, description="Where they went")
    travel: str | None = Field(None, description="How they got there")
    vehicles: str | None = Field(None, description="Vehicles involved")


class ServiceReferral(Record):
    """One row of the referral grid: signposted or referred now, engaging now, engaged before."""

    signposted: bool = False
    currently_engaging: bool = False
    engaged_historically: bool = False


class Referrals(Record):
    no_referral: bool = Field(False, description="Section A: unwilling or no need to engage")
    no_referral_details: str | None = None
    services: dict[ReferralService, ServiceReferral] = Field(
        default_factory=dict, description="Section B: the grid, keyed by service"
    )
    details: str | None = Field(None, description="Referral dates, workers and organisations")


class ReturnInterview(Record):
    """The offer of a return interview and, once held, what it found."""

    offered_at: LondonDateTime | None = None
    offered_by: str | None = None
    service: InterviewService | None = None
    independent_requested: bool | None = Field(
        None, description="The child asked for an independent interviewer (NYAS)"
    )
    referred_at: LondonDateTime | None = Field(
        None, description="When the interview service was asked to do it"
    )
    consent: bool | None = None
    accepted: bool | None = None
    declined_reason: str | None = None
    held_at: LondonDateTime | None = None
    location: str | None = None
    missing_from: MissingFrom | None = Field(
        None, description="Where the child was missing from, as the interviewer records it"
    )
    interviewer: str | None = None
    interviewer_role: str | None = None
    others_present: str | None = None
    engagement: Engagement | None = None
    answers: InterviewAnswers = Field(default_factory=InterviewAnswers)
    push_pull_factors: Annotated[list[PushPullFactor], BeforeValidator(split_list)] = Field(
        default_factory=list
    )
    push_pull_other: str | None = None
    worker_summary: str | None = None
    education: Education = Field(default_factory=Education)
    intelligence: Intelligence = Field(default_factory=Intelligence)
    safeguarding_concerns: Annotated[list[SafeguardingConcern], BeforeValidator(split_list)] = (
        Field(default_factory=list)
    )
    safeguarding_other: str | None = None
    safeguarding_summary: str | None = None
    referrals: Referrals = Field(default_factory=Referrals)
    contact_log: str | None = Field(None, description="Contextual safeguarding and contact log")
    parent_carer_views: str | None = Field(
        None, description="The parent's or carer's views on the episode (Bexley 2.5)"
    )
    signed_by: str | None = Field(None, description="Interviewer's signature (name)")
    signed_at: LondonDateTime | None = Field(None, description="Date the interviewer signed")

    @model_validator(mode="after")
    def _consistent(self) -> ReturnInterview:
        if self.accepted is False and self.held_at is not None:
            raise RuleBroken(
                "accepted", "is false (declined) but held_at says the interview was held"
            )
        if self.declined_reason and self.accepted is not False:
            raise RuleBroken("declined_reason", "is given but accepted is not false")
        if (
            SafeguardingConcern.none_known in self.safeguarding_concerns
            and len(self.safeguarding_concerns) > 1
        ):
            raise RuleBroken(
                "safeguarding_concerns", "has 'none_known' ticked together with other concerns"
            )
        return self

    @property
    def held(self) -> bool:
        return self.held_at is not None

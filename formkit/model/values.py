"""Value types shared by the episode model: choice lists, UK-friendly dates and times.

Every choice list is an enum whose values are the stable words stored in JSON, the tracker and
content-control tags. Input is forgiving where a spreadsheet user would expect it to be
("Looked after", "looked-after" and "LOOKED_AFTER" all mean ``looked_after``), and an unknown
value is answered with a "did you mean" suggestion.
"""

from __future__ import annotations

import difflib
import re
from datetime import date, datetime, time
from enum import StrEnum
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BeforeValidator
from pydantic_core import PydanticCustomError

from formkit.words import LONDON, code_for, label

E = TypeVar("E", bound="Choice")


def _normalise_word(text: str) -> str:
    return re.sub(r"[\s\-/]+", "_", text.strip().lower()).replace("'", "")


class Choice(StrEnum):
    """A choice list that forgives case, spaces and hyphens ("Looked after" = looked_after)."""

    @classmethod
    def _missing_(cls, value: object) -> Choice | None:
        if isinstance(value, str):
            word = _normalise_word(value)
            for member in cls:
                if member.value == word:
                    return member
            # The words people see ("Returned by police or other agency") read back too.
            code = code_for(cls, value)
            if code is not None:
                return cls(code)
        return None


class LegalStatus(Choice):
    looked_after = "looked_after"
    child_protection = "child_protection"
    child_in_need = "child_in_need"
    care_leaver = "care_leaver"
    early_help = "early_help"
    not_known = "not_known"


class Gender(Choice):
    female = "female"
    male = "male"
    other = "other"
    not_stated = "not_stated"


class PlacementType(Choice):
    foster = "foster"
    residential = "residential"
    semi_independent = "semi_independent"
    kinship = "kinship"
    home = "home"
    secure = "secure"
    other = "other"


class EpisodeStatus(Choice):
    """Police categories; ``away_without_authorisation`` is the DfE's 'A' (whereabouts known)."""

    missing = "missing"
    absent = "absent"
    away_without_authorisation = "away_without_authorisation"


class MissingFrom(Choice):
    home = "home"
    placement = "placement"
    school = "school"
    other = "other"


class EndReason(Choice):
    """The seven LCS episode end reasons (Buckinghamshire LCS guide)."""

    returned_by_self = "returned_by_self"
    returned_by_police_or_agency = "returned_by_police_or_agency"
    found_by_social_care = "found_by_social_care"
    found_by_school = "found_by_school"
    found_by_family_or_carers = "found_by_family_or_carers"
    found_by_other = "found_by_other"
    deceased = "deceased"


class PoliceRisk(Choice):
    high = "high"
    medium = "medium"
    low = "low"
    no_apparent_risk = "no_apparent_risk"


class RiskType(Choice):
    cse = "cse"
    cce = "cce"
    trafficking = "trafficking"
    gangs = "gangs"
    substance_misuse = "substance_misuse"
    self_harm = "self_harm"
    mental_health = "mental_health"
    radicalisation = "radicalisation"
    bullying = "bullying"
    harm_while_missing = "harm_while_missing"
    abduction = "abduction"
    other = "other"


class RiskLevel(Choice):
    known = "known"
    potential = "potential"


class InterviewService(Choice):
    nyas = "nyas"
    barnardos = "barnardos"
    youth_service = "youth_service"
    social_worker = "social_worker"
    other = "other"


class Engagement(Choice):
    standard = "standard"
    low = "low"
    video_or_phone = "video_or_phone"
    adjusted = "adjusted"


class PushPullFactor(Choice):
    """Part two of the RHI form: the worker's push/pull tick boxes."""

    to_see_friends_or_family = "to_see_friends_or_family"
    to_contact_friends_or_family = "to_contact_friends_or_family"
    problems_with_peers_in_placement = "problems_with_peers_in_placement"
    problems_with_parent_carer_or_staff = "problems_with_parent_carer_or_staff"
    problems_at_school = "problems_at_school"
    peer_pressure_in_placement = "peer_pressure_in_placement"
    peer_pressure_outside_placement = "peer_pressure_outside_placement"
    social_network = "social_network"
    other = "other"


class SafeguardingConcern(Choice):
    """Part three of the RHI form: the safeguarding tick boxes."""

    none_known = "none_known"
    substance_misuse = "substance_misuse"
    criminal_involvement = "criminal_involvement"
    signs_of_trauma = "signs_of_trauma"
    exploitation = "exploitation"
    coerced_into_crime = "coerced_into_crime"
    repeat_missing = "repeat_missing"
    domestic_abuse = "domestic_abuse"
    child_abuse = "child_abuse"
    bullying = "bullying"
    victim_or_witness_of_crime = "victim_or_witness_of_crime"
    contact_with_risky_adult = "contact_with_risky_adult"
    contact_with_risky_peer = "contact_with_risky_peer"
    trafficking = "trafficking"
    gang_association = "gang_association"
    missing_over_24_hours = "missing_over_24_hours"
    harmed_while_missing = "harmed_while_missing"
    mental_health_or_developmental = "mental_health_or_developmental"
    suicidal_ideation = "suicidal_ideation"
    other = "other"


class ReferralService(Choice):
    """Part four of the RHI form: services a child is signposted to or engaged with."""

    social_care = "social_care"
    exploitation_hub = "exploitation_hub"
    family_support_or_youth_service = "family_support_or_youth_service"
    health = "health"
    counselling = "counselling"
    substance_misuse = "substance_misuse"
    youth_offending = "youth_offending"
    education = "education"
    camhs = "camhs"
    domestic_abuse = "domestic_abuse"
    safe_project = "safe_project"
    care_home = "care_home"
    other = "other"


class EducationStatus(Choice):
    in_school = "in_school"
    in_college = "in_college"
    alternative_provision = "alternative_provision"
    employed = "employed"
    neet = "neet"
    elective_home_education = "elective_home_education"
    not_known = "not_known"


class MeetingKind(Choice):
    strategy = "strategy"
    multi_agency = "multi_agency"
    review = "review"
    urgent_case_review = "urgent_case_review"
    missing_from_care = "missing_from_care"


class NotificationKind(Choice):
    sin = "sin"
    director_letter = "director_letter"
    ola_notification = "ola_notification"
    need_to_know = "need_to_know"
    head_of_service = "head_of_service"
    assistant_director = "assistant_director"
    dcs_briefing = "dcs_briefing"
    lead_member = "lead_member"
    police = "police"
    hub_consultation = "hub_consultation"
    iro = "iro"
    placements_manager = "placements_manager"
    other = "other"


class RiskOutcome(Choice):
    """The eight risk-assessment outcomes of Bexley's protocol (3.2)."""

    refer_to_social_care = "refer_to_social_care"
    continue_current_support = "continue_current_support"
    convene_strategy_meeting = "convene_strategy_meeting"
    convene_legal_planning_meeting = "convene_legal_planning_meeting"
    refer_to_targeted_youth_service = "refer_to_targeted_youth_service"
    refer_to_family_wellbeing = "refer_to_family_wellbeing"
    refer_to_community_service = "refer_to_community_service"
    support_declined = "support_declined"


class MediaScope(Choice):
    national = "national"
    local = "local"


class RiskCheckItem(Choice):
    """The fixed risk checklist of the missing profile (Buckinghamshire appendix 2)."""

    medical_condition = "medical_condition"
    self_harm = "self_harm"
    drugs_or_alcohol = "drugs_or_alcohol"
    sexual_exploitation = "sexual_exploitation"
    criminal_exploitation = "criminal_exploitation"
    behaviour_changes = "behaviour_changes"
    money_issues = "money_issues"
    school_issues = "school_issues"
    home_issues = "home_issues"
    bullying = "bullying"
    harmed_while_missing_before = "harmed_while_missing_before"
    abduction = "abduction"
    other = "other"


class RiskCheckAnswer(Choice):
    yes = "yes"
    no = "no"
    not_applicable = "not_applicable"
    not_known = "not_known"


def choice_of(enum_cls: type[E], value: Any) -> E:
    """Read ``value`` as a member of ``enum_cls``; an unknown value gets a "did you mean"."""
    try:
        return enum_cls(value)
    except ValueError:
        pass
    allowed = [m.value for m in enum_cls]
    raise PydanticCustomError("choice", unknown_choice(str(value), allowed), {"value": value})


def unknown_choice(value: str, allowed: list[str]) -> str:
    """The message for a value that is not one of ``allowed``: the nearest choice, and every
    choice in words."""
    listed = ", ".join(label(choice) for choice in allowed)
    close = difflib.get_close_matches(_normalise_word(value), allowed, n=1, cutoff=0.6)
    if close:
        words = label(close[0])
        said = f"'{words}' ({close[0]})" if words.lower() != close[0] else f"'{close[0]}'"
        return (
            f"'{value}' is not one of the choices; did you mean {said}? The choices are: {listed}"
        )
    return f"'{value}' is not one of the choices: {listed}"


def split_list(value: Any) -> Any:
    """A spreadsheet cell ``"a; b"`` is a list of two; real lists pass through."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(";") if part.strip()]
    return value


_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_UK_DATETIME = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?$")


def _parse_date(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str):
        text = value.strip()
        match = _UK_DATE.match(text)
        if match:
            day, month, year = (int(g) for g in match.groups())
            try:
                return date(year, month, day)
            except ValueError as exc:
                raise PydanticCustomError(
                    "date", "'{value}' is not a real date", {"value": value}
                ) from exc
        try:
            return date.fromisoformat(text)
        except ValueError as exc:
            raise PydanticCustomError(
                "date",
                "'{value}' is not a date; write it as 2026-11-03 or 03/11/2026",
                {"value": value},
            ) from exc
    return value


def _parse_datetime(value: Any) -> Any:
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime.combine(value, time(0, 0))
    if isinstance(value, str):
        text = value.strip()
        match = _UK_DATETIME.match(text)
        try:
            if match:
                day, month, year, hour, minute = (int(g) for g in match.groups()[:5])
                second = int(match.group(6) or 0)
                return datetime(year, month, day, hour, minute, second)
            if _UK_DATE.match(text):
                parsed = _parse_date(text)
                return datetime.combine(parsed, time(0, 0))
            return datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError as exc:
            raise PydanticCustomError(
                "datetime",
                "'{value}' is not a date and time; write it as 2026-11-03T14:30 or 03/11/2026 14:30",
                {"value": value},
            ) from exc
    return value


def _london(value: datetime) -> datetime:
    """Times without a zone are London wall-clock times (GMT or BST as the date requires)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=LONDON)
    return value


UKDate = Annotated[date, BeforeValidator(_parse_date)]
LondonDateTime = Annotated[datetime, BeforeValidator(_parse_datetime), AfterValidator(_london)]

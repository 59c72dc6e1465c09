"""The episode model: validated structured data for one missing episode.

Content-control tags and PDF field names in formkit's templates are *data paths* into this
model: dotted names with list indices as numbers (``child.first_name``, ``risks.0.type``,
``return_interview.referrals.services.2.signposted``). A checkbox that says whether a value is
in a multiple-choice list is tagged ``path=value``
(``return_interview.push_pull_factors=social_network``).
"""

from __future__ import annotations

from formkit.model.episode import (
    SCHEMA_VERSION,
    Action,
    Attendee,
    Child,
    Episode,
    EpisodeRecord,
    Location,
    Meeting,
    Notification,
    People,
    Person,
    PhysicalDescription,
    Placement,
    PreviousEpisode,
    Professional,
    Risk,
    RiskAssessment,
    School,
    SocialMedia,
)
from formkit.model.interview import (
    Education,
    Intelligence,
    InterviewAnswers,
    Referrals,
    ReturnInterview,
    ServiceReferral,
)
from formkit.model.values import *  # noqa: F403 - the enums are part of the model's vocabulary
from formkit.model.values import LONDON, LondonDateTime, UKDate, choice_of

__all__ = [
    "LONDON",
    "SCHEMA_VERSION",
    "Action",
    "Attendee",
    "Child",
    "Education",
    "Episode",
    "EpisodeRecord",
    "Intelligence",
    "InterviewAnswers",
    "Location",
    "LondonDateTime",
    "Meeting",
    "Notification",
    "People",
    "Person",
    "PhysicalDescription",
    "Placement",
    "PreviousEpisode",
    "Professional",
    "Referrals",
    "ReturnInterview",
    "Risk",
    "RiskAssessment",
    "School",
    "ServiceReferral",
    "SocialMedia",
    "UKDate",
    "choice_of",
]

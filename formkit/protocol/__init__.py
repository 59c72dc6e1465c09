"""Protocol profiles: what is due, by when, for each local authority.

    >>> from formkit.protocol import load_profile, plan
    >>> result = plan(record, profile="bexley")        # doctest: +SKIP
    >>> result.documents_due()                         # doctest: +SKIP
    ['missing-profile', 'serious-incident-notification', 'rhi-form']

Profiles are YAML files in ``profiles/``; :func:`load_profile` reads one (by id or path) once
and caches it. :func:`plan` evaluates a profile against one episode.
"""

from __future__ import annotations

from formkit.protocol.calendar import (
    Duration,
    add_duration,
    add_working_days,
    is_working_day,
    same_working_day,
)
from formkit.protocol.evaluate import STATUSES, Obligation, Plan, plan
from formkit.protocol.profile import Profile, bundled_profiles, load_profile

__all__ = [
    "STATUSES",
    "Duration",
    "Obligation",
    "Plan",
    "Profile",
    "add_duration",
    "add_working_days",
    "bundled_profiles",
    "is_working_day",
    "load_profile",
    "plan",
    "same_working_day",
]

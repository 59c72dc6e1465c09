"""Protocol profiles: what is due, by when, for each local authority.

    >>> from formkit.protocol import load_profile, plan
    >>> result = plan(record, profile="bexley")        # doctest: +SKIP
    >>> result.documents_due()                         # doctest: +SKIP
    ['missing-profile', 'serious-incident-notification', 'rhi-form']

Profiles are YAML files in ``profiles/``; :func:`load_profile` reads one (by id or path) once
and caches it. :func:`plan` evaluates a profile against one episode.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from formkit.lazy import lazy_names

if TYPE_CHECKING:
    from formkit.protocol.calendar import (
        Duration,
        add_duration,
        add_working_days,
        is_working_day,
        same_working_day,
    )
    from formkit.protocol.evaluate import STATUSES, Obligation, Plan, plan
    from formkit.protocol.profile import Profile, bundled_profiles, load_profile

# name -> the module it lives in, imported when the name is first used
_PUBLIC = {
    "Duration": "formkit.protocol.calendar",
    "add_duration": "formkit.protocol.calendar",
    "add_working_days": "formkit.protocol.calendar",
    "is_working_day": "formkit.protocol.calendar",
    "same_working_day": "formkit.protocol.calendar",
    "STATUSES": "formkit.protocol.evaluate",
    "Obligation": "formkit.protocol.evaluate",
    "Plan": "formkit.protocol.evaluate",
    "plan": "formkit.protocol.evaluate",
    "Profile": "formkit.protocol.profile",
    "bundled_profiles": "formkit.protocol.profile",
    "load_profile": "formkit.protocol.profile",
}
__getattr__, __dir__ = lazy_names(__name__, _PUBLIC)

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

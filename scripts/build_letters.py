"""Letters and notifications."""

from __future__ import annotations

BUILDERS: dict = {}

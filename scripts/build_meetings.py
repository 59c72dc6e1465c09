"""Meeting records."""

from __future__ import annotations

BUILDERS: dict = {}

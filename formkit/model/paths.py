"""Data paths: the dotted names that tag content controls and PDF fields (see formkit.model).

``child.first_name``, ``risks.0.type``, ``return_interview.referrals.services.health.signposted``
and, for a tick box that says whether a choice is in a list,
``return_interview.push_pull_factors=social_network``.
"""

from __future__ import annotations

import re
from enum import Enum
from typing import Any

from pydantic import BaseModel

DATA_PATH = re.compile(r"^[a-z_][a-z0-9_]*(\.[a-z0-9_]+)*(=[a-z0-9_]+)?$")

MISSING = object()
"""What :func:`resolve` returns for a path that leads nowhere (a None on the way, no such key)."""


def split_tag(tag: str) -> tuple[str, str | None]:
    """``a.b=c`` → (``a.b``, ``c``); ``a.b`` → (``a.b``, None)."""
    path, _, choice = tag.partition("=")
    return path, (choice or None)


def resolve(record: Any, path: str) -> Any:
    """The value at ``path`` in a record (models, dicts keyed by choice values, lists)."""
    node = record
    for step in path.split("."):
        if node is None:
            return MISSING
        if isinstance(node, BaseModel):
            if step not in type(node).model_fields:
                return MISSING
            node = getattr(node, step)
        elif isinstance(node, dict):
            node = node.get(step, MISSING)
            if node is MISSING:
                return MISSING
        elif isinstance(node, list | tuple):
            if not step.isdigit() or int(step) >= len(node):
                return MISSING
            node = node[int(step)]
        else:
            return MISSING
    return node


def _code(item: Any) -> str:
    return str(item.value) if isinstance(item, Enum) else str(item)


def choice_in(value: Any, choice: str) -> bool:
    """Is ``choice`` the value, or one of the values of a multiple-choice list?"""
    if isinstance(value, list | tuple | set):
        return any(_code(item) == choice for item in value)
    if value is MISSING or value is None or isinstance(value, bool):
        return False
    return _code(value) == choice

"""Human words for the model's choice values, read from ``labels.yaml`` next to this module."""

from __future__ import annotations

from enum import Enum
from functools import cache
from pathlib import Path

import yaml

_FILE = Path(__file__).with_name("labels.yaml")


@cache
def _labels() -> dict[str, str]:
    with _FILE.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    return {str(key): str(value) for key, value in data.items()}


def label(value: object) -> str:
    """``looked_after`` → "Looked after"; an enum member or its value string."""
    word = value.value if isinstance(value, Enum) else str(value)
    found = _labels().get(word)
    if found is not None:
        return found
    text = word.replace("_", " ")
    return text[:1].upper() + text[1:]

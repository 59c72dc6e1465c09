"""The base class of every part of the model."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator


class Record(BaseModel):
    """Strict about names (a misspelt field is an error, not silently dropped), forgiving about
    spreadsheet values (numbers in text fields, stray spaces)."""

    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        coerce_numbers_to_str=True,
        validate_default=False,
    )

    @model_validator(mode="before")
    @classmethod
    def _blank_is_absent(cls, data: Any) -> Any:
        # An empty cell or "" means "not given": a required field then says so plainly.
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if not (isinstance(v, str) and not v.strip())}
        return data


class RuleBroken(ValueError):
    """A cross-field rule failed; ``field`` is the path, relative to the model, it is about."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message

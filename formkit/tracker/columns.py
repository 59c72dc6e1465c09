"""The tracker's column spec, read from ``columns.yaml`` next to this module.

The spec is data so that a header can be renamed or a column added without touching code. Each
column says its Excel type (so cells are typed dates, numbers or text), its drop-down choices
(model enums become data-validation lists) and its *group*, which decides how an update treats
it (see ``columns.yaml``).
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

import yaml

from formkit import model
from formkit.errors import TrackerError
from formkit.words import code_for, label

ColumnType = Literal["text", "date", "datetime", "int", "number", "yesno", "choice"]
Group = Literal["episode", "interview", "done", "made", "derived", "meta"]

TABLE_NAME = "MissingEpisodes"
SHEET_NAME = "Episodes"
README_SHEET = "README"
KEY = "reference"
_ONE_SECOND = timedelta(seconds=1)

NUMBER_FORMATS: dict[str, str] = {
    "date": "dd/mm/yyyy",
    "datetime": "dd/mm/yyyy hh:mm",
    "int": "0",
    "number": "0.0",
    "text": "@",
}


@dataclass(frozen=True)
class Column:
    """One column of the MissingEpisodes table."""

    key: str
    header: str
    type: ColumnType
    group: Group
    width: int
    source: str
    meaning: str
    choices: tuple[str, ...] = ()
    personal: bool = False
    words: tuple[str, ...] = ()
    """What people see for each of ``choices`` (cells and drop-downs), from formkit.words."""
    list_of: builtins.type[StrEnum] | None = None
    """For a text column holding a "; "-separated list of choices: their choice list."""

    def to_cell(self, value: Any) -> Any:
        """What the cell shows for a stored value: a choice's words instead of its code."""
        if not isinstance(value, str) or not value:
            return value
        if self.type == "choice" and self.words:
            lookup = dict(zip(self.choices, self.words, strict=True))
            return lookup.get(value, value)
        if self.list_of is not None:
            return "; ".join(label(part.strip()) for part in value.split(";") if part.strip())
        return value

    def from_cell(self, value: Any) -> Any:
        """The stored code for what a cell holds: its words or its code (older trackers)."""
        if not isinstance(value, str) or not value:
            return value
        if self.type == "choice" and self.choices:
            wanted = _key(value)
            for code, words in zip(self.choices, self.words or self.choices, strict=True):
                if wanted in (_key(code), _key(words)):
                    return code
            return value
        if self.list_of is not None:
            parts = [part.strip() for part in value.split(";") if part.strip()]
            return "; ".join(code_for(self.list_of, part) or part for part in parts)
        return value

    optional: bool = False

    @property
    def number_format(self) -> str:
        return NUMBER_FORMATS.get(self.type, "General")

    def normalise(self, value: Any) -> Any:
        """The comparable form of a cell value: '' is None, dates are dates, times to the second.

        openpyxl reads a date cell back as a ``datetime`` at midnight and may round times by a
        microsecond, so both sides of a comparison go through here.
        """
        if value is None or (isinstance(value, str) and value == ""):
            return None
        value = self.from_cell(value)
        if self.type == "date" and isinstance(value, datetime):
            return value.date()
        if self.type == "datetime" and isinstance(value, datetime):
            value = value.replace(tzinfo=None)
            if value.microsecond:
                value = (
                    value.replace(microsecond=0)
                    if value.microsecond < 500_000
                    else (value.replace(microsecond=0) + _ONE_SECOND)
                )
            return value
        if self.type == "datetime" and isinstance(value, date):
            return datetime(value.year, value.month, value.day)
        if self.type == "int" and isinstance(value, float) and value.is_integer():
            return int(value)
        if self.type == "number" and isinstance(value, int | float):
            return round(float(value), 2)
        return value


def _key(text: str) -> str:
    return " ".join(text.lower().replace("_", " ").split())


def _enum(raw: Any, key: str) -> type[StrEnum] | None:
    if raw is None or isinstance(raw, list):
        return None
    enum_cls = getattr(model, str(raw), None)
    if not (isinstance(enum_cls, type) and issubclass(enum_cls, StrEnum)):
        raise TrackerError(f"columns.yaml: column {key!r} names an unknown choice list {raw!r}")
    return enum_cls


def _choices(raw: Any, key: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    if isinstance(raw, list):
        return tuple(str(item) for item in raw)
    enum_cls = getattr(model, str(raw), None)
    if not (isinstance(enum_cls, type) and issubclass(enum_cls, StrEnum)):
        raise TrackerError(f"columns.yaml: column {key!r} names an unknown choice list {raw!r}")
    return tuple(member.value for member in enum_cls)


@lru_cache(maxsize=1)
def columns() -> tuple[Column, ...]:
    """Every tracker column in order, as ``columns.yaml`` defines them."""
    text = resources.files("formkit.tracker").joinpath("columns.yaml").read_text("utf-8")
    spec = yaml.safe_load(text)
    found = []
    for item in spec["columns"]:
        found.append(
            Column(
                key=item["key"],
                header=item["header"],
                type=item["type"],
                group=item["group"],
                width=int(item.get("width", 12)),
                source=item["source"],
                meaning=item["meaning"],
                choices=_choices(item.get("choices"), item["key"]),
                personal=bool(item.get("personal", False)),
                words=tuple(label(c) for c in _choices(item.get("choices"), item["key"])),
                list_of=_enum(item.get("list_of"), item["key"]),
                optional=bool(item.get("optional", False)),
            )
        )
    headers = [c.header for c in found]
    if len(set(headers)) != len(headers) or found[0].key != KEY:
        raise TrackerError("columns.yaml: headers must be unique and the first column the key")
    return tuple(found)


def by_key() -> dict[str, Column]:
    return {column.key: column for column in columns()}


def by_header() -> dict[str, Column]:
    return {column.header: column for column in columns()}


def keys_in(group: Group) -> list[str]:
    return [column.key for column in columns() if column.group == group]

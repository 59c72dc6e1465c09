"""Episode data ↔ form values, by data path.

A form holds text, ticks and choices, so every value is shown as a string or a bool: dates as
``dd/mm/yyyy``, times as London wall-clock ``dd/mm/yyyy hh:mm`` (the model reads both back),
lists of phone numbers as ``a; b``. :func:`form_values` gives what a form should show for a
record; :func:`to_episode_dict` nests what was read from a form back into the model's shape.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from enum import Enum
from typing import Any

from formkit.model import LONDON
from formkit.model.paths import (
    MISSING,
    choice_in,
    get_at,
    lists_from_indices,
    resolve,
    set_at,
    split_tag,
)
from formkit.words import table_date, table_datetime

FormValue = str | bool


def format_datetime(value: datetime) -> str:
    """London wall-clock time; ISO with the offset when the clocks-back hour makes it ambiguous."""
    local = value.astimezone(LONDON)
    other = local.replace(fold=1 - local.fold)
    if other.utcoffset() != local.utcoffset() or local.microsecond:
        return local.isoformat()
    return table_datetime(local, seconds=bool(local.second))


def format_value(value: Any) -> FormValue | None:
    """How one model value is written into a form field (None: leave the field empty)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, date):
        return table_date(value)
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, list | tuple):
        parts = [str(format_value(item)) for item in value if item is not None]
        return "; ".join(parts) if parts else None
    text = str(value)
    return text if text.strip() else None


def lookup(record: Any, path: str) -> Any:
    """The value at a dotted data path, or None where the path leads nowhere."""
    value = resolve(record, path)
    return None if value is MISSING else value


def form_values(record: Any, paths: Iterable[str]) -> dict[str, FormValue]:
    """What each field should show for ``record``; empty fields are left out.

    ``path=value`` fields are tick boxes: True when ``value`` is in the list at ``path``.
    """
    values: dict[str, FormValue] = {}
    for path in paths:
        base, choice = split_tag(path)
        if choice is not None:
            values[path] = choice_in(resolve(record, base), choice)
            continue
        value = format_value(lookup(record, path))
        if value is not None:
            values[path] = value
    return values


def to_episode_dict(fields: Mapping[str, Any]) -> dict[str, Any]:
    """Nest ``{data_path: value}`` into the episode model's shape.

    Numeric parts become list positions (gaps closed up), ``path=value`` ticks become lists of
    the ticked values (an empty list when none is ticked), and a row of boxes with none ticked
    is left out. The result is partial: validate it
    with :class:`formkit.model.EpisodeRecord` once merged with the rest of the episode.
    """
    tree: dict[str, Any] = {}
    for tag, value in fields.items():
        path, choice = split_tag(tag)
        if choice is None:
            set_at(tree, path, value)
            continue
        ticked = get_at(tree, path)
        if not isinstance(ticked, list):
            ticked = []
            set_at(tree, path, ticked)
        if value is True:
            ticked.append(choice)
    nested: dict[str, Any] = lists_from_indices(tree, drop=_row_of_unticked_boxes)
    return nested


def _row_of_unticked_boxes(value: Any) -> bool:
    """A row of tick boxes with none ticked (a referral grid row) is the same as no row."""
    return isinstance(value, dict) and len(value) > 1 and all(v is False for v in value.values())

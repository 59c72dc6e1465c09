"""Content controls (``w:sdt``): what kind each is and the value it holds.

The value is the text in ``w:sdtContent``, except for a checkbox, whose truth is ``w14:checked``
(the ☒ glyph is decoration). A control still showing its prompt (``w:showingPlcHdr``, runs in the
PlaceholderText style, or one of Word's prompt texts) is empty.
"""

from __future__ import annotations

from datetime import date, datetime

from lxml import etree

from formkit.ooxml import (
    checkbox_state,
    choice_value,
    control_type,
    first_children,
    is_prompt,
    listing_of,
    w,
)
from formkit.parse.result import FormField, Value
from formkit.parse.wordxml import plain_text, shows_placeholder_style
from formkit.words import read_shown_date


def _val(element: etree._Element | None) -> str | None:
    return None if element is None else element.get(w("val"))


def _valid_clock(clock: tuple[int, int] | None) -> tuple[int, int] | None:
    if clock and 0 <= clock[0] < 24 and 0 <= clock[1] < 60:
        return clock
    return None


def date_value(properties: etree._Element, shown: str) -> tuple[Value, str | None]:
    """ISO date (or naive ISO date-time when the shown text or w:fullDate has a time) and an
    optional warning. ``w:fullDate`` is the truth for the day; the time comes from the shown
    text, since Word keeps a typed time there."""
    full = properties.find(w("date"))
    full_date = full.get(w("fullDate")) if full is not None else None
    parsed = read_shown_date(shown) if shown else None
    day: date | None = None
    clock: tuple[int, int] | None = None
    if full_date:
        try:
            stamp = datetime.fromisoformat(full_date.replace("Z", "+00:00"))
            day = stamp.date()
            if (stamp.hour, stamp.minute) != (0, 0):
                clock = (stamp.hour, stamp.minute)
        except ValueError:
            day = None
    if parsed is not None:
        if day is None:
            day = parsed[0]
        clock = _valid_clock(parsed[1]) or clock
    if day is None:
        return (None, f"could not read the date {shown!r}") if shown else (None, None)
    if clock is None:
        return day.isoformat(), None
    return f"{day.isoformat()}T{clock[0]:02d}:{clock[1]:02d}", None


_TAG, _ALIAS, _PLACEHOLDER = w("tag"), w("alias"), w("showingPlcHdr")


def read_control(properties: etree._Element, content: etree._Element | None) -> FormField:
    """Read one content control that holds no other controls."""
    children = first_children(properties)
    kind = control_type(properties, children)
    tag = _val(children.get(_TAG))
    alias = _val(children.get(_ALIAS))
    if kind == "checkbox":
        return FormField(kind="checkbox", value=checkbox_state(properties), tag=tag, alias=alias)
    shown = plain_text(content) if content is not None else ""
    placeholder = (
        _PLACEHOLDER in children
        or (content is not None and shows_placeholder_style(content))
        or is_prompt(shown)
    )
    if placeholder or not shown.strip():
        return FormField(kind=kind, value=None, tag=tag, alias=alias)
    warning = None
    value: Value
    if kind in ("dropdown", "combo"):
        listing = listing_of(properties, kind)
        assert listing is not None
        value = choice_value(listing, shown.strip())
    elif kind == "date":
        value, warning = date_value(properties, shown.strip())
    else:
        value = shown.strip()
    return FormField(kind=kind, value=value, tag=tag, alias=alias, warning=warning)

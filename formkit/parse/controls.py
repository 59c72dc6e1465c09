"""Content controls (``w:sdt``): what kind each is and the value it holds.

The value is the text in ``w:sdtContent``, except for a checkbox, whose truth is ``w14:checked``
(the ☒ glyph is decoration). A control still showing its prompt (``w:showingPlcHdr``, runs in the
PlaceholderText style, or one of Word's prompt texts) is empty.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from lxml import etree

from formkit.parse.result import FormField, Value
from formkit.parse.wordxml import is_prompt, plain_text, shows_placeholder_style, w, w14

_TRUE = {"1", "true", "on"}
_UK_DATE = re.compile(
    r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})(?:[ ,T]+(\d{1,2})[:.](\d{2}))?\s*$"
)
_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?")
_TYPES = ("checkbox", "date", "dropDownList", "comboBox", "text", "richText", "picture", "group")


def _val(element: etree._Element | None) -> str | None:
    return None if element is None else element.get(w("val"))


_KINDS = (
    (w14("checkbox"), "checkbox"),
    (w("date"), "date"),
    (w("dropDownList"), "dropdown"),
    (w("comboBox"), "combo"),
    (w("text"), "text"),
)


def _children(properties: etree._Element) -> dict[str, etree._Element]:
    """The first child of each tag, in one pass (a form can hold 100,000 controls)."""
    found: dict[str, etree._Element] = {}
    for child in properties:
        tag = child.tag
        if isinstance(tag, str) and tag not in found:
            found[tag] = child
    return found


def control_type(
    properties: etree._Element, children: dict[str, etree._Element] | None = None
) -> str:
    """``checkbox``, ``date``, ``dropdown``, ``combo``, ``text`` or ``rich`` (the default)."""
    found = _children(properties) if children is None else children
    for tag, kind in _KINDS:
        if tag in found:
            return kind
    return "rich"


def checkbox_state(properties: etree._Element) -> bool:
    """``w14:checked``: a bare element, or val 1/true, is checked; absent is unchecked."""
    checked = properties.find(f"{w14('checkbox')}/{w14('checked')}")
    if checked is None:
        return False
    value = checked.get(w14("val"))
    return value is None or value.strip().lower() in _TRUE


def _list_items(listing: etree._Element) -> list[tuple[str, str]]:
    """(display text, value) of each item; Word omits displayText when it equals the value."""
    items = []
    for item in listing.findall(w("listItem")):
        value = item.get(w("value")) or ""
        items.append((item.get(w("displayText")) or value, value))
    return items


def choice_value(listing: etree._Element, shown: str) -> str:
    """Map the shown text to its item's value; free text (a combo box) is kept as typed."""
    for display, value in _list_items(listing):
        if display == shown:
            return value
    folded = shown.casefold().strip()
    for display, value in _list_items(listing):
        if display.casefold().strip() == folded:
            return value
    return shown


def parse_shown_date(text: str) -> tuple[date, tuple[int, int] | None] | None:
    """A date written the UK way (03/11/2026, 03/11/2026 14:30) or ISO; None if unreadable."""
    match = _UK_DATE.match(text) or None
    try:
        if match:
            day, month, year = int(match[1]), int(match[2]), int(match[3])
            if year < 100:
                year += 2000
            when = date(year, month, day)
            clock = (int(match[4]), int(match[5])) if match[4] else None
            return when, clock
        iso = _ISO.match(text)
        if iso:
            when = date(int(iso[1]), int(iso[2]), int(iso[3]))
            clock = (int(iso[4]), int(iso[5])) if iso[4] else None
            return when, clock
    except ValueError:
        return None
    return None


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
    parsed = parse_shown_date(shown) if shown else None
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
    children = _children(properties)
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
        listing = properties.find(w("dropDownList" if kind == "dropdown" else "comboBox"))
        assert listing is not None
        value = choice_value(listing, shown.strip())
    elif kind == "date":
        value, warning = date_value(properties, shown.strip())
    else:
        value = shown.strip()
    return FormField(kind=kind, value=value, tag=tag, alias=alias, warning=warning)

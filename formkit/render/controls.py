"""Filling Word content controls (``w:sdt``) from a record, by their data-path tags.

A control tagged ``episode.reference`` shows the record's value; one tagged
``return_interview.push_pull_factors=social_network`` is ticked when that choice is in the list;
a control whose path has no value keeps what the template shows (usually Word's prompt). Each
control is compiled once per template into XML strings with slots, so filling it for a record is
a string replacement, not an XML edit.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from lxml import etree
from markupsafe import escape

from formkit.model.paths import MISSING, choice_in, resolve, split_tag
from formkit.ooxml import (
    CHOICE_KINDS,
    control_type,
    list_items,
    listing_of,
    set_checkbox,
    set_full_date,
    set_text,
    shown_text,
    w,
    word_full_date,
)
from formkit.render.environment import clean_text

_TEXT_SLOT = "FKSLOT-TEXT-7f3a"
_DATE_SLOT = "FKSLOT-DATE-7f3a"
_BREAK = '</w:t><w:br/><w:t xml:space="preserve">'


def _serialise(element: etree._Element) -> str:
    return etree.tostring(element, encoding="unicode")


def _checkbox_state(sdt: etree._Element, on: bool) -> etree._Element:
    box = copy.deepcopy(sdt)
    set_checkbox(box, on)
    return box


@dataclass
class Control:
    """One compiled content control: its tag, its kind and the XML to emit for each state."""

    tag: str
    path: str
    choice: str | None
    kind: str
    as_is: str
    filled: str = ""
    checked: str = ""
    unchecked: str = ""
    display: dict[str, str] | None = None

    @classmethod
    def compile(cls, sdt: etree._Element, tag: str) -> Control:
        path, choice = split_tag(tag)
        properties = sdt.find(w("sdtPr"))
        kind = control_type(properties)
        control = cls(tag=tag, path=path, choice=choice, kind=kind, as_is=_serialise(sdt))
        if kind == "checkbox":
            control.checked = _serialise(_checkbox_state(sdt, True))
            control.unchecked = _serialise(_checkbox_state(sdt, False))
            return control
        filled = copy.deepcopy(sdt)
        set_text(filled, _TEXT_SLOT)
        if kind == "date":
            set_full_date(filled, _DATE_SLOT)
        if kind in CHOICE_KINDS and properties is not None:
            items = list_items(listing_of(properties, kind))
            control.display = {code: display for display, code in items}
        control.filled = _serialise(filled)
        return control

    def render(self, record: Any) -> str:
        value = resolve(record, self.path)
        if self.kind == "checkbox":
            on = choice_in(value, self.choice) if self.choice else value is True
            return self.checked if on else self.unchecked
        if value is MISSING or value is None or value == "" or value == []:
            return self.as_is
        text = shown_text(self.kind, self.display or {}, value)
        body = str(escape(clean_text(text))).replace("\n", _BREAK)
        xml = self.filled.replace(_TEXT_SLOT, body)
        if self.kind == "date":
            xml = xml.replace(_DATE_SLOT, word_full_date(value))
        return xml

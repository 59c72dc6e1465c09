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
from datetime import date, datetime
from enum import Enum
from typing import Any

from lxml import etree
from markupsafe import escape

from formkit.model.paths import MISSING, choice_in, resolve, split_tag
from formkit.model.values import LONDON
from formkit.render.environment import clean_text
from formkit.render.filters import uk_datetime
from formkit.render.labels import label

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_TEXT_SLOT = "FKSLOT-TEXT-7f3a"
_DATE_SLOT = "FKSLOT-DATE-7f3a"
_BREAK = '</w:t><w:br/><w:t xml:space="preserve">'


def w(name: str) -> str:
    return f"{{{W}}}{name}"


def control_tag(sdt: etree._Element) -> str | None:
    found = sdt.find(f"{w('sdtPr')}/{w('tag')}")
    return found.get(w("val")) if found is not None else None


def control_kind(sdt: etree._Element) -> str:
    """checkbox, date, choice or text."""
    pr = sdt.find(w("sdtPr"))
    if pr is None:
        return "text"
    if pr.find(f"{{{W14}}}checkbox") is not None:
        return "checkbox"
    if pr.find(w("date")) is not None:
        return "date"
    if pr.find(w("dropDownList")) is not None or pr.find(w("comboBox")) is not None:
        return "choice"
    return "text"


def _serialise(element: etree._Element) -> str:
    return etree.tostring(element, encoding="unicode")


def _strip_placeholder_look(run: etree._Element) -> None:
    rpr = run.find(w("rPr"))
    if rpr is None:
        return
    for child in list(rpr):
        if (
            child.tag == w("rStyle")
            and "laceholder" in (child.get(w("val")) or "")
            or child.tag == w("color")
            and child.get(w("val")) == "808080"
        ):
            rpr.remove(child)


def _filled_copy(sdt: etree._Element, text: str) -> etree._Element:
    """A copy of the control showing one run whose text is ``text`` (a slot marker)."""
    filled = copy.deepcopy(sdt)
    pr = filled.find(w("sdtPr"))
    if pr is not None:
        for flag in pr.findall(w("showingPlcHdr")):
            pr.remove(flag)
    content = filled.find(w("sdtContent"))
    if content is None:
        content = etree.SubElement(filled, w("sdtContent"))
    first_t = content.find(f".//{w('t')}")
    run = first_t.getparent() if first_t is not None else None
    run = copy.deepcopy(run) if run is not None else etree.Element(w("r"))
    for child in list(run):
        if child.tag != w("rPr"):
            run.remove(child)
    _strip_placeholder_look(run)
    t = etree.SubElement(run, w("t"))
    t.set(XML_SPACE, "preserve")
    t.text = text
    paragraph = content.find(f".//{w('p')}")
    holder = paragraph if paragraph is not None else content
    for child in list(holder):
        if child.tag != w("pPr"):
            holder.remove(child)
    if holder is not content:
        # keep a block control's first paragraph (inside a cell when the control wraps one)
        keep = holder
        while keep.getparent() is not content:
            keep = keep.getparent()
        for child in list(content):
            if child is not keep:
                content.remove(child)
    holder.append(run)
    return filled


def _text_of(value: Any) -> str:
    if isinstance(value, datetime):
        return uk_datetime(value)
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Enum):
        return label(value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list | tuple):
        return ", ".join(_text_of(item) for item in value)
    return str(value)


def _choice_value(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Enum):
        return str(value.value)
    return str(value)


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
        kind = control_kind(sdt)
        control = cls(tag=tag, path=path, choice=choice, kind=kind, as_is=_serialise(sdt))
        if kind == "checkbox":
            control.checked = _serialise(_checkbox_state(sdt, True))
            control.unchecked = _serialise(_checkbox_state(sdt, False))
            return control
        filled = _filled_copy(sdt, _TEXT_SLOT)
        if kind == "date":
            date_pr = filled.find(f"{w('sdtPr')}/{w('date')}")
            if date_pr is not None:
                date_pr.set(w("fullDate"), _DATE_SLOT)
        if kind == "choice":
            control.display = {
                item.get(w("value")) or "": item.get(w("displayText")) or ""
                for item in sdt.iter(w("listItem"))
            }
        control.filled = _serialise(filled)
        return control

    def render(self, record: Any) -> str:
        value = resolve(record, self.path)
        if self.kind == "checkbox":
            on = choice_in(value, self.choice) if self.choice else value is True
            return self.checked if on else self.unchecked
        if value is MISSING or value is None or value == "" or value == []:
            return self.as_is
        if self.kind == "choice" and self.display is not None:
            text = self.display.get(_choice_value(value)) or _text_of(value)
        else:
            text = _text_of(value)
        body = str(escape(clean_text(text))).replace("\n", _BREAK)
        xml = self.filled.replace(_TEXT_SLOT, body)
        if self.kind == "date":
            xml = xml.replace(_DATE_SLOT, _full_date(value))
        return xml


def _full_date(value: Any) -> str:
    # Word stores the picked date as wall-clock time with a "Z"; formkit writes London time.
    if isinstance(value, datetime):
        local = value.astimezone(LONDON) if value.tzinfo else value
        return local.strftime("%Y-%m-%dT%H:%M:00Z")
    if isinstance(value, date):
        return value.strftime("%Y-%m-%dT00:00:00Z")
    return ""


def _checkbox_state(sdt: etree._Element, on: bool) -> etree._Element:
    """A copy of a w14 checkbox set to ``on``: ``w14:checked`` is the truth, the glyph follows."""
    box = copy.deepcopy(sdt)
    pr = box.find(w("sdtPr"))
    assert pr is not None  # a checkbox control has sdtPr by definition
    for flag in pr.findall(w("showingPlcHdr")):
        pr.remove(flag)
    checkbox = pr.find(f"{{{W14}}}checkbox")
    assert checkbox is not None
    checked = checkbox.find(f"{{{W14}}}checked")
    if checked is None:
        checked = etree.Element(f"{{{W14}}}checked")
        checkbox.insert(0, checked)
    checked.set(f"{{{W14}}}val", "1" if on else "0")
    state = checkbox.find(f"{{{W14}}}{'checkedState' if on else 'uncheckedState'}")
    code = state.get(f"{{{W14}}}val") if state is not None else None
    glyph = chr(int(code, 16)) if code else ("\u2612" if on else "\u2610")
    texts = list(box.iter(w("t")))
    if texts:
        texts[0].text = glyph
        for extra in texts[1:]:
            extra.text = ""
    return box

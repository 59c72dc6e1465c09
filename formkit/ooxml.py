"""WordprocessingML in one place: the namespaces, and content controls (``w:sdt``) read and filled.

Everything that knows how Word spells a content control lives here, so the reader
(:mod:`formkit.parse.controls`), the document writer (:mod:`formkit.render.controls`) and the
form filler used for samples and tests (``tests/support/fill.py``) cannot drift apart:

- what kind a control is (:func:`control_type`), its tag (:func:`control_tag`), its list items;
- a checkbox's truth (``w14:checked``; the ☒ glyph follows it): :func:`checkbox_state`,
  :func:`set_checkbox`;
- the text a control shows, as a person would type it: :func:`shown_text`, :func:`set_text`;
- a date picker's ``w:fullDate`` (Word keeps the wall-clock time with a ``Z``):
  :func:`word_full_date`;
- filling one control with a value: :func:`fill_control`.

Strict Open XML uses other namespace URIs for the same elements; :func:`to_transitional`
rewrites them so one reader serves both.

The layout pieces every Word document formkit makes shares, for python-docx objects (the
template builders in ``scripts/`` and the report's summary): a page-number field
(:func:`add_field`), rows kept whole with a repeating header (:func:`keep_rows_whole`) and fixed
column widths (:func:`set_widths`).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import date, datetime
from enum import Enum
from typing import Any

from lxml import etree

from formkit.words import LONDON, words_of

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
NS = {"w": W, "w14": W14, "mc": MC}
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

STRICT_NAMESPACES = {
    b"http://purl.oclc.org/ooxml/wordprocessingml/main": W.encode(),
    b"http://purl.oclc.org/ooxml/officeDocument/relationships": (
        b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    ),
    b"http://purl.oclc.org/ooxml/drawingml/main": (
        b"http://schemas.openxmlformats.org/drawingml/2006/main"
    ),
}


def w(name: str) -> str:
    """``w:name`` in Clark notation (``{namespace}name``), as lxml spells it."""
    return f"{{{W}}}{name}"


def w14(name: str) -> str:
    return f"{{{W14}}}{name}"


def is_strict(data: bytes) -> bool:
    return b"http://purl.oclc.org/ooxml/wordprocessingml/main" in data


def to_transitional(data: bytes) -> bytes:
    """Rewrite Strict OOXML namespaces to their transitional twins (the elements are the same)."""
    for strict, transitional in STRICT_NAMESPACES.items():
        data = data.replace(strict, transitional)
    return data


# The prompts Word (and formkit's templates) show in an empty control.
PROMPTS = frozenset(
    {
        "Click or tap here to enter text.",
        "Click here to enter text.",
        "Click or tap to enter a date.",
        "Click here to enter a date.",
        "Choose an item.",
        "Click here to choose an item.",
        "Choose a building block.",
    }
)
_PROMPT_KEYS = frozenset(prompt.lower().rstrip(".") for prompt in PROMPTS)


def is_prompt(text: str) -> bool:
    """Is ``text`` one of Word's prompts (any case, with or without its full stop)?"""
    return text.strip().lower().rstrip(".") in _PROMPT_KEYS


# -- what a control is --------------------------------------------------------------------------

_KINDS = (
    (w14("checkbox"), "checkbox"),
    (w("date"), "date"),
    (w("dropDownList"), "dropdown"),
    (w("comboBox"), "combo"),
    (w("text"), "text"),
)
CHOICE_KINDS = frozenset({"dropdown", "combo"})
_LISTING = {"dropdown": w("dropDownList"), "combo": w("comboBox")}


def first_children(properties: etree._Element) -> dict[str, etree._Element]:
    """The first child of each tag, in one pass (a form can hold 100,000 controls)."""
    found: dict[str, etree._Element] = {}
    for child in properties:
        tag = child.tag
        if isinstance(tag, str) and tag not in found:
            found[tag] = child
    return found


def control_type(
    properties: etree._Element | None, children: dict[str, etree._Element] | None = None
) -> str:
    """``checkbox``, ``date``, ``dropdown``, ``combo``, ``text`` or ``rich`` (the default), from
    a control's ``w:sdtPr``."""
    if properties is None:
        return "rich"
    found = first_children(properties) if children is None else children
    for tag, kind in _KINDS:
        if tag in found:
            return kind
    return "rich"


def control_tag(sdt: etree._Element) -> str | None:
    """The ``w:tag`` of a control (its data path in formkit's templates), or None."""
    found = sdt.find(f"{w('sdtPr')}/{w('tag')}")
    return found.get(w("val")) if found is not None else None


def listing_of(properties: etree._Element, kind: str) -> etree._Element | None:
    """The ``w:dropDownList`` or ``w:comboBox`` of a choice control (None for other kinds)."""
    tag = _LISTING.get(kind)
    return properties.find(tag) if tag is not None else None


def list_items(listing: etree._Element | None) -> list[tuple[str, str]]:
    """(display text, value) of each item; Word omits displayText when it equals the value."""
    if listing is None:
        return []
    items = []
    for item in listing.findall(w("listItem")):
        value = item.get(w("value")) or ""
        items.append((item.get(w("displayText")) or value, value))
    return items


def choice_code(value: Any) -> str:
    """The value a list item stores for ``value``: an enum's code, yes/no for a bool."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Enum):
        return str(value.value)
    return str(value)


# -- reading ------------------------------------------------------------------------------------


def on_off(element: etree._Element | None, attribute: str) -> bool | None:
    """An OOXML on/off flag (``w:checked``, ``w14:checked``): a bare element is on, as is
    ``1``/``true``/``on``; None when the element is absent."""
    if element is None:
        return None
    value = element.get(attribute)
    return value is None or value.strip().lower() in {"1", "true", "on"}


def checkbox_state(properties: etree._Element) -> bool:
    """``w14:checked``: a bare element, or val 1/true/on, is checked; absent is unchecked."""
    checked = properties.find(f"{w14('checkbox')}/{w14('checked')}")
    return on_off(checked, w14("val")) is True


def choice_value(listing: etree._Element, shown: str) -> str:
    """Map the shown text to its item's value; free text (a combo box) is kept as typed."""
    items = list_items(listing)
    for display, value in items:
        if display == shown:
            return value
    folded = shown.casefold().strip()
    for display, value in items:
        if display.casefold().strip() == folded:
            return value
    return shown


# -- filling ------------------------------------------------------------------------------------


def shown_text(kind: str, items: Mapping[str, str], value: Any) -> str:
    """The text a control of ``kind`` shows for ``value``, as a person would type it: a list
    item's display text (``items`` maps value → display text), dates UK style, choices in
    words, yes/no, lists joined."""
    if kind in CHOICE_KINDS:
        found = items.get(choice_code(value))
        if found:
            return found
    return words_of(value)


def word_full_date(value: Any) -> str:
    """``w:fullDate`` for a date or date-time: Word stores the picked date as wall-clock time
    with a "Z"; formkit writes London time. "" for anything else."""
    if isinstance(value, datetime):
        local = value.astimezone(LONDON) if value.tzinfo else value
        return f"{local:%Y-%m-%dT%H:%M}:00Z"
    if isinstance(value, date):
        return f"{value:%Y-%m-%d}T00:00:00Z"
    return ""


def _strip_placeholder_look(run: etree._Element) -> None:
    """Drop the grey PlaceholderText style from a run, so typed text looks typed."""
    rpr = run.find(w("rPr"))
    if rpr is None:
        return
    for child in list(rpr):
        style = child.get(w("val")) or ""
        if (child.tag == w("rStyle") and "laceholder" in style) or (
            child.tag == w("color") and style == "808080"
        ):
            rpr.remove(child)


def _drop_placeholder_flag(sdt: etree._Element) -> etree._Element | None:
    properties = sdt.find(w("sdtPr"))
    if properties is not None:
        for flag in properties.findall(w("showingPlcHdr")):
            properties.remove(flag)
    return properties


def _append_text(run: etree._Element, text: str) -> None:
    """Text into a run as Word holds it: ``w:br`` for a new line, ``w:tab`` for a tab."""
    for number, line in enumerate(text.split("\n")):
        if number:
            etree.SubElement(run, w("br"))
        for cell, piece in enumerate(line.split("\t")):
            if cell:
                etree.SubElement(run, w("tab"))
            if piece:
                t = etree.SubElement(run, w("t"))
                t.set(XML_SPACE, "preserve")
                t.text = piece


def set_text(sdt: etree._Element, text: str) -> None:
    """Make a control show ``text`` (in place): one run, formatted like the control's first run
    without the prompt's grey look, in the control's first paragraph (a block control keeps only
    that one, inside its cell when it wraps one); ``w:showingPlcHdr`` goes."""
    _drop_placeholder_flag(sdt)
    content = sdt.find(w("sdtContent"))
    if content is None:
        content = etree.SubElement(sdt, w("sdtContent"))
    first_t = content.find(f".//{w('t')}")
    model = first_t.getparent() if first_t is not None else None
    run = copy.deepcopy(model) if model is not None else etree.Element(w("r"))
    for child in list(run):
        if child.tag != w("rPr"):
            run.remove(child)
    _strip_placeholder_look(run)
    _append_text(run, text)
    paragraph = content.find(f".//{w('p')}")
    holder = paragraph if paragraph is not None else content
    for child in list(holder):
        if child.tag != w("pPr"):
            holder.remove(child)
    if holder is not content:
        keep = holder
        while keep.getparent() is not content:
            keep = keep.getparent()
        for child in list(content):
            if child is not keep:
                content.remove(child)
    holder.append(run)


def set_full_date(sdt: etree._Element, full_date: str) -> None:
    """Set the picked date (``w:date/@w:fullDate``) of a date control."""
    date_pr = sdt.find(f"{w('sdtPr')}/{w('date')}")
    if date_pr is not None:
        date_pr.set(w("fullDate"), full_date)


def set_checkbox(sdt: etree._Element, on: bool) -> None:
    """Tick or clear a ``w14`` checkbox (in place): ``w14:checked`` is the truth, the glyph
    (the control's own checked/unchecked symbol, else ☒ ☐) follows."""
    properties = _drop_placeholder_flag(sdt)
    box = properties.find(w14("checkbox")) if properties is not None else None
    if box is None:
        return
    checked = box.find(w14("checked"))
    if checked is None:
        checked = etree.Element(w14("checked"))
        box.insert(0, checked)
    checked.set(w14("val"), "1" if on else "0")
    state = box.find(w14("checkedState" if on else "uncheckedState"))
    code = state.get(w14("val")) if state is not None else None
    glyph = chr(int(code, 16)) if code else ("\u2612" if on else "\u2610")
    texts = list(sdt.iter(w("t")))
    if texts:
        texts[0].text = glyph
        for extra in texts[1:]:
            extra.text = ""


def _as_date(value: Any) -> Any:
    """An ISO string (as JSON holds dates) as a date or date-time; anything else as it is."""
    if not isinstance(value, str):
        return value
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value


def fill_control(sdt: etree._Element, value: Any) -> None:
    """Fill one control with ``value`` as an interviewer would in Word: a checkbox ticked by its
    truth, a date picked (``w:fullDate``) and shown UK style, a list item by its shown text."""
    properties = sdt.find(w("sdtPr"))
    kind = control_type(properties)
    if kind == "checkbox":
        set_checkbox(sdt, bool(value))
        return
    if kind == "date":
        value = _as_date(value)
        set_full_date(sdt, word_full_date(value))
    listing = listing_of(properties, kind) if properties is not None else None
    items = {code: display for display, code in list_items(listing)}
    set_text(sdt, shown_text(kind, items, value))


# -- layout shared by every Word document formkit makes (python-docx objects) -------------------


def add_field(paragraph: Any, code: str, shown: str = "1") -> None:
    """A Word field (``PAGE``, ``NUMPAGES``) at the end of a python-docx ``paragraph``: Word and
    LibreOffice work it out when they lay out the pages; ``shown`` stands until they do."""
    for kind in ("begin", "instr", "separate"):
        run = paragraph.add_run()._r
        if kind == "instr":
            instruction = etree.SubElement(run, w("instrText"))
            instruction.set(XML_SPACE, "preserve")
            instruction.text = f" {code} "
        else:
            etree.SubElement(run, w("fldChar")).set(w("fldCharType"), kind)
    paragraph.add_run(shown)
    etree.SubElement(paragraph.add_run()._r, w("fldChar")).set(w("fldCharType"), "end")


def keep_rows_whole(table: Any, *, header: bool = False) -> None:
    """No row of a python-docx ``table`` splits across pages; with ``header`` its first row
    repeats at the top of every page the table runs onto."""
    for index, row in enumerate(table.rows):
        properties = row._tr.get_or_add_trPr()
        etree.SubElement(properties, w("cantSplit"))
        if header and index == 0:
            etree.SubElement(properties, w("tblHeader"))


def set_widths(table: Any, widths: Any) -> None:
    """Fixed column widths (python-docx lengths) for a python-docx ``table``: the grid
    LibreOffice lays out by and each cell's own width, which Word reads."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width

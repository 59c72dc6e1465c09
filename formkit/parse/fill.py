"""Fill a form's content controls programmatically, as an interviewer would in Word.

The inverse of :func:`formkit.parse.parse_form`, used to make the completed sample forms
(``scripts/make_completed_rhis.py``), the round-trip tests and the benchmark. Values are typed
the way a person would: dates as ``03/11/2026 14:30`` with the picked date in ``w:fullDate``,
drop-downs by their shown text, checkboxes by ``w14:checked`` and their glyph.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from typing import Any

from lxml import etree

from formkit.intake import parse_xml
from formkit.model import LONDON, ReturnInterview
from formkit.parse.controls import control_type
from formkit.parse.wordxml import w, w14

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def interview_values(interview: ReturnInterview, tags: list[str]) -> dict[str, Any]:
    """For each ``tags`` entry (a data path, or ``path=choice``) the value ``interview`` gives.

    Missing values are left out, so the control keeps its prompt as an interviewer would leave
    a question unanswered.
    """
    data = {"return_interview": interview.model_dump(mode="json", exclude_none=True)}
    values: dict[str, Any] = {}
    for tag in tags:
        base, _, choice = tag.partition("=")
        node: Any = data
        for key in base.split("."):
            node = node.get(key) if isinstance(node, dict) else None
        if choice:
            values[tag] = choice in node if isinstance(node, list) else node == choice
        elif isinstance(node, bool) or node not in (None, "", [], {}):
            values[tag] = node
    return values


def _shown_date(value: Any) -> tuple[str, str]:
    """(shown text, w:fullDate) for a date or date-time; Word's fullDate is wall-clock + Z."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            value = date.fromisoformat(value)
    if isinstance(value, datetime):
        local = value.astimezone(LONDON) if value.tzinfo else value
        return local.strftime("%d/%m/%Y %H:%M"), local.strftime("%Y-%m-%dT%H:%M:00Z")
    assert isinstance(value, date)
    return value.strftime("%d/%m/%Y"), value.strftime("%Y-%m-%dT00:00:00Z")


def _choice_text(properties: etree._Element, value: Any) -> str:
    if isinstance(value, bool):
        value = "yes" if value else "no"
    for item in properties.iter(w("listItem")):
        if item.get(w("value")) == str(value):
            return item.get(w("displayText")) or str(value)
    return str(value)


def _run_with_text(template: etree._Element | None, text: str) -> etree._Element:
    run = etree.Element(w("r"))
    if template is not None:
        rpr = template.find(w("rPr"))
        if rpr is not None:
            kept = etree.SubElement(run, w("rPr"))
            for child in rpr:
                style = child.get(w("val")) or ""
                if child.tag == w("rStyle") and "laceholder" in style:
                    continue
                if child.tag == w("color") and style == "808080":
                    continue
                kept.append(etree.fromstring(etree.tostring(child)))
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
    return run


def _set_text(sdt: etree._Element, text: str) -> None:
    properties = sdt.find(w("sdtPr"))
    if properties is not None:
        for flag in properties.findall(w("showingPlcHdr")):
            properties.remove(flag)
    content = sdt.find(w("sdtContent"))
    if content is None:
        content = etree.SubElement(sdt, w("sdtContent"))
    first = content.find(f".//{w('r')}")
    paragraph = content.find(f".//{w('p')}")
    holder = paragraph if paragraph is not None else content
    for child in list(holder):
        if child.tag != w("pPr"):
            holder.remove(child)
    holder.append(_run_with_text(first, text))


def _set_checkbox(sdt: etree._Element, on: bool) -> None:
    properties = sdt.find(w("sdtPr"))
    assert properties is not None
    box = properties.find(w14("checkbox"))
    assert box is not None
    checked = box.find(w14("checked"))
    if checked is None:
        checked = etree.SubElement(box, w14("checked"))
    checked.set(w14("val"), "1" if on else "0")
    state = box.find(w14("checkedState" if on else "uncheckedState"))
    code = state.get(w14("val")) if state is not None else None
    glyph = chr(int(code, 16)) if code else ("☒" if on else "☐")
    texts = list(sdt.iter(w("t")))
    if texts:
        texts[0].text = glyph
        for extra in texts[1:]:
            extra.text = ""


def fill_document_xml(root: etree._Element, values: dict[str, Any]) -> int:
    """Fill every control whose tag is in ``values``; returns how many were filled."""
    filled = 0
    for sdt in list(root.iter(w("sdt"))):
        properties = sdt.find(w("sdtPr"))
        tag = properties.find(w("tag")) if properties is not None else None
        key = tag.get(w("val")) if tag is not None else None
        if properties is None or key not in values:
            continue
        value = values[key]
        kind = control_type(properties)
        if kind == "checkbox":
            _set_checkbox(sdt, bool(value))
        elif kind == "date":
            shown, full = _shown_date(value)
            date_pr = properties.find(w("date"))
            assert date_pr is not None
            date_pr.set(w("fullDate"), full)
            _set_text(sdt, shown)
        elif kind in ("dropdown", "combo"):
            _set_text(sdt, _choice_text(properties, value))
        else:
            _set_text(sdt, str(value))
        filled += 1
    return filled


def fill_form(docx: bytes, values: dict[str, Any]) -> bytes:
    """A copy of the .docx ``docx`` with its tagged controls filled from ``values``."""
    source = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    with source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                root = parse_xml(data, file="form", part=info.filename)
                fill_document_xml(root, values)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            target.writestr(info, data)
    return out.getvalue()

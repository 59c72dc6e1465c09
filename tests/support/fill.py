"""Fill a form's content controls programmatically, as an interviewer would in Word.

The inverse of :func:`formkit.parse.parse_form`, used to make the completed sample forms
(``tests/support/make_completed_rhis.py``), the round-trip tests and the benchmark; test support,
so it lives beside the tests and not in the package. Values are typed
the way a person would: dates as ``03/11/2026 14:30`` with the picked date in ``w:fullDate``,
drop-downs by their shown text, checkboxes by ``w14:checked`` and their glyph. How a control is
filled is :func:`formkit.ooxml.fill_control`'s, the same code that writes documents.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from lxml import etree

from formkit.intake import parse_xml
from formkit.model import ReturnInterview
from formkit.model.paths import MISSING, choice_in, resolve, split_tag
from formkit.ooxml import control_tag, fill_control, w


def interview_values(interview: ReturnInterview, tags: list[str]) -> dict[str, Any]:
    """For each ``tags`` entry (a data path, or ``path=choice``) the value ``interview`` gives.

    Missing values are left out, so the control keeps its prompt as an interviewer would leave
    a question unanswered.
    """
    data = {"return_interview": interview.model_dump(mode="json", exclude_none=True)}
    values: dict[str, Any] = {}
    for tag in tags:
        path, choice = split_tag(tag)
        node = resolve(data, path)
        if choice:
            values[tag] = choice_in(node, choice)
        elif isinstance(node, bool) or node not in (MISSING, None, "", [], {}):
            values[tag] = node
    return values


def fill_document_xml(root: etree._Element, values: dict[str, Any]) -> int:
    """Fill every control whose tag is in ``values``; returns how many were filled."""
    filled = 0
    for sdt in list(root.iter(w("sdt"))):
        key = control_tag(sdt)
        if key is None or key not in values:
            continue
        fill_control(sdt, values[key])
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

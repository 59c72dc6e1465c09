"""Word's placeholder prompts taken out of a document before it becomes a PDF.

An unanswered content control shows a prompt ("Click or tap here to enter text.", "Choose an
item.") that helps whoever fills the form in Word, but on paper it reads as an instruction,
not an answer. Before LibreOffice converts a document, every control still showing its prompt
(``w:showingPlcHdr``, or one of Word's standard prompts) is emptied; answers, ticked and
unticked boxes are left as they are. The source document is never changed: a cleaned copy is
converted.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from lxml import etree

from formkit.intake import safe_xml_parser
from formkit.ooxml import PROMPTS, is_prompt, w

__all__ = ["PROMPTS", "staged_for_pdf", "without_prompts"]

_PARTS = re.compile(r"^word/(document|header\d*|footer\d*)\.xml$")
_MARKS = (b"showingPlcHdr", b"Click or tap", b"Click here to", b"Choose an item")


def _is_prompt(sdt: etree._Element) -> bool:
    if sdt.find(f"{w('sdtPr')}/{w('showingPlcHdr')}") is not None:
        return True
    content = sdt.find(w("sdtContent"))
    text = "".join(t.text or "" for t in content.iter(w("t"))) if content is not None else ""
    return is_prompt(text)


def clear_part(xml: bytes) -> bytes | None:
    """The part with every prompt emptied, or None when it shows none."""
    if not any(mark in xml for mark in _MARKS):
        return None
    root = etree.fromstring(xml, safe_xml_parser())
    changed = False
    for sdt in root.iter(w("sdt")):
        if not _is_prompt(sdt):
            continue
        content = sdt.find(w("sdtContent"))
        if content is None:
            continue
        for text in content.iter(w("t")):
            text.text = ""
        flag = sdt.find(f"{w('sdtPr')}/{w('showingPlcHdr')}")
        if flag is not None:
            flag.getparent().remove(flag)
        changed = True
    if not changed:
        return None
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def without_prompts(data: bytes) -> bytes | None:
    """A copy of a .docx with its prompts emptied, or None when it shows none."""
    try:
        source = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return None  # not a Word package: LibreOffice says what it makes of it
    cleaned: dict[str, bytes] = {}
    with source:
        for name in source.namelist():
            if _PARTS.match(name):
                new = clear_part(source.read(name))
                if new is not None:
                    cleaned[name] = new
        if not cleaned:
            return None
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                target.writestr(info, cleaned.get(info.filename) or source.read(info.filename))
    return out.getvalue()


def staged_for_pdf(document: Path, folder: Path) -> Path:
    """``document`` itself, or a cleaned copy of the same name in ``folder`` when it shows
    prompts (the PDF is named after the file LibreOffice is given)."""
    if document.suffix.lower() not in {".docx", ".docm"}:
        return document
    try:
        cleaned = without_prompts(document.read_bytes())
    except (OSError, etree.XMLSyntaxError):
        return document
    if cleaned is None:
        return document
    folder.mkdir(parents=True, exist_ok=True)
    copy = folder / document.name
    copy.write_bytes(cleaned)
    return copy

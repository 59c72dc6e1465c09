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

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PARTS = re.compile(r"^word/(document|header\d*|footer\d*)\.xml$")
PROMPTS = frozenset(
    {
        "Click or tap here to enter text.",
        "Click or tap to enter a date.",
        "Choose an item.",
        "Click here to enter text.",
        "Click here to enter a date.",
        "Click here to choose an item.",
    }
)
_MARKS = (b"showingPlcHdr", b"Click or tap", b"Click here to", b"Choose an item")


def _is_prompt(sdt: etree._Element) -> bool:
    if sdt.find(f"{W}sdtPr/{W}showingPlcHdr") is not None:
        return True
    content = sdt.find(f"{W}sdtContent")
    text = "".join(t.text or "" for t in content.iter(f"{W}t")) if content is not None else ""
    return text.strip() in PROMPTS


def clear_part(xml: bytes) -> bytes | None:
    """The part with every prompt emptied, or None when it shows none."""
    if not any(mark in xml for mark in _MARKS):
        return None
    root = etree.fromstring(xml, safe_xml_parser())
    changed = False
    for sdt in root.iter(f"{W}sdt"):
        if not _is_prompt(sdt):
            continue
        content = sdt.find(f"{W}sdtContent")
        if content is None:
            continue
        for text in content.iter(f"{W}t"):
            text.text = ""
        flag = sdt.find(f"{W}sdtPr/{W}showingPlcHdr")
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

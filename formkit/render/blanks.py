"""Facts documents never show an empty cell: what the record lacks reads "Not known".

A *facts* document (missing profile, notifications, referrals, letters) is sent as it is, so a
value cell the template left empty is filled with "Not known" after rendering, and the label
beside it is reported so whoever makes the document can chase the fact before sending it
("no school", "no GP"). *Forms to be completed* (the RHI, meeting records) keep their empty
cells for filling in. A template says which it is in its document properties: category
``facts`` (File → Info → Properties → Category in Word).

Header rows (``w:tblHeader``) and cells holding a picture, a content control or a field are
left alone.
"""

from __future__ import annotations

import re

from lxml import etree

from formkit.intake import safe_xml_parser
from formkit.ooxml import W
from formkit.words import NOT_KNOWN

W_NS = W  # formkit.ooxml holds the namespaces
_W = f"{{{W_NS}}}"
_KEEP = {f"{_W}drawing", f"{_W}sdt", f"{_W}fldSimple", f"{_W}fldChar", f"{_W}object", f"{_W}pict"}
FACTS_CATEGORY = re.compile(r"<cp:category>\s*facts\s*</cp:category>", re.IGNORECASE)


def _text(element: etree._Element) -> str:
    return "".join(t.text or "" for t in element.iter(f"{_W}t"))


def _fillable(cell: etree._Element) -> bool:
    if _text(cell).strip():
        return False
    return not any(node.tag in _KEEP for node in cell.iter())


def _say_not_known(cell: etree._Element) -> None:
    paragraph = cell.find(f"{_W}p")
    if paragraph is None:
        paragraph = etree.SubElement(cell, f"{_W}p")
    for run in paragraph.findall(f"{_W}r"):
        paragraph.remove(run)
    run = etree.SubElement(paragraph, f"{_W}r")
    rpr = etree.SubElement(run, f"{_W}rPr")
    etree.SubElement(rpr, f"{_W}i")
    etree.SubElement(rpr, f"{_W}color").set(f"{_W}val", "595959")
    etree.SubElement(run, f"{_W}t").text = NOT_KNOWN


def missing_name(label: str) -> str:
    """ "School" → "school", "GP" stays "GP": how a label reads after "no"."""
    label = " ".join(label.split()).rstrip(":?")
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


def fill_blanks(xml: str) -> tuple[str, list[str]]:
    """``xml`` (a rendered document part) with every empty value cell saying "Not known", and
    the labels of the facts that were not known, in document order."""
    if "<w:tc" not in xml:
        return xml, []
    root = etree.fromstring(xml.encode("utf-8"), safe_xml_parser())
    missing: list[str] = []
    changed = False
    for row in root.iter(f"{_W}tr"):
        props = row.find(f"{_W}trPr")
        if props is not None and props.find(f"{_W}tblHeader") is not None:
            continue
        cells = row.findall(f"{_W}tc")
        for index, cell in enumerate(cells):
            if not _fillable(cell):
                continue
            if index == 0 and len(cells) > 1 and all(_fillable(c) for c in cells):
                break  # a wholly empty row is a spacer or a row to write in, not a fact
            _say_not_known(cell)
            changed = True
            if len(cells) == 2 and index == 1:
                label = _text(cells[0]).strip()
                if label:
                    missing.append(missing_name(label))
    if not changed:
        return xml, []
    head = xml[: xml.index("<w:document")] if "<w:document" in xml else ""
    return head + etree.tostring(root, encoding="unicode"), list(dict.fromkeys(missing))

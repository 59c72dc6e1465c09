"""Flattening: the filled form as a plain PDF that nobody can edit.

Each widget's current appearance is drawn into its page's content, the widgets are taken off
the pages and the ``/AcroForm`` is removed from the catalogue. Pages are then copied into a new
document, so objects only the form used (fields, parents, unused appearances) are left behind
rather than kept as orphans.
"""

from __future__ import annotations

import io
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    StreamObject,
)

HIDDEN = 2


def _appearance(widget: DictionaryObject) -> StreamObject | None:
    ap = widget.get("/AP")
    if ap is None or int(widget.get("/F", 0)) & HIDDEN:
        return None
    normal = ap.get_object().get("/N")
    normal = normal.get_object() if normal is not None else None
    if isinstance(normal, DictionaryObject) and not isinstance(normal, StreamObject):
        state = widget.get("/AS")
        chosen = normal.get(state) if state is not None else None
        normal = chosen.get_object() if chosen is not None else None
    return normal if isinstance(normal, StreamObject) else None


def flatten_form(data: bytes) -> bytes:
    """``data`` (a filled form) with every field drawn in place and the form removed."""
    reader = PdfReader(io.BytesIO(data))
    writer = PdfWriter()
    for page in reader.pages:
        drawn: list[tuple[StreamObject, list[float]]] = []
        kept = ArrayObject()
        for ref in page.get("/Annots", []) or []:
            annot = ref.get_object()
            if annot.get("/Subtype") != "/Widget":
                kept.append(ref)
                continue
            stream = _appearance(annot)
            if stream is not None:
                drawn.append((stream, [float(v) for v in annot["/Rect"]]))
        if kept:
            page[NameObject("/Annots")] = kept
        elif "/Annots" in page:
            del page[NameObject("/Annots")]
        new_page = writer.add_page(page)
        if not drawn:
            continue
        resources = new_page.setdefault(NameObject("/Resources"), DictionaryObject()).get_object()
        xobjects = resources.setdefault(NameObject("/XObject"), DictionaryObject()).get_object()
        ops = [b"Q"]
        for index, (stream, rect) in enumerate(drawn):
            name = NameObject(f"/FkField{index}")
            xobjects[name] = writer._add_object(stream.clone(writer))
            bbox = [
                float(v) for v in stream.get("/BBox", [0, 0, rect[2] - rect[0], rect[3] - rect[1]])
            ]
            bw, bh = (bbox[2] - bbox[0]) or 1.0, (bbox[3] - bbox[1]) or 1.0
            sx, sy = (rect[2] - rect[0]) / bw, (rect[3] - rect[1]) / bh
            ops.append(
                b"q %.4f 0 0 %.4f %.2f %.2f cm %s Do Q"
                % (sx, sy, rect[0] - bbox[0] * sx, rect[1] - bbox[1] * sy, name.encode())
            )
        opening, closing = DecodedStreamObject(), DecodedStreamObject()
        opening.set_data(b"q")
        closing.set_data(b"\n".join(ops))
        contents: Any = new_page.get("/Contents")
        if contents is None:
            parts: list[Any] = []
        elif isinstance(contents.get_object(), ArrayObject):
            parts = list(contents.get_object())
        else:
            parts = [contents]
        new_page[NameObject("/Contents")] = ArrayObject(
            [writer._add_object(opening), *parts, writer._add_object(closing)]
        )
    if reader.metadata:
        writer.add_metadata({k: str(v) for k, v in reader.metadata.items()})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()

"""Hostile and damaged completed forms, built at test time from good ones.

Mutations of a completed Word form and a completed PDF form (bit flips, truncation, damaged
XML), Word symbols that are no character, a control tagged with a parent path beside one
tagged with its child path, packages whose ``[Content_Types].xml`` is missing or garbage, and a
paragraph of 100,000 controls.
"""

from __future__ import annotations

import io
import random
import re
import zipfile
from pathlib import Path

from parse_forms import W_NS, p, r, text_sdt, write_document

REFERENCE = "BED-26-1187"


def flip_bits(data: bytes, seed: int, count: int = 8) -> bytes:
    """``data`` with ``count`` bits flipped at places chosen by ``seed`` (the header kept, so
    the file is still recognised for what it claims to be)."""
    rng = random.Random(seed)
    out = bytearray(data)
    for _ in range(count):
        index = rng.randrange(8, len(out))
        out[index] ^= 1 << rng.randrange(8)
    return bytes(out)


def damage_xml(data: bytes, seed: int, part: str = "word/document.xml") -> bytes:
    """A well-zipped package whose ``part`` has random bytes replaced: the zip is sound, the XML
    inside is not (or is, but says odd things)."""
    rng = random.Random(seed)
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == part:
                mutable = bytearray(content)
                for _ in range(rng.randint(1, 20)):
                    index = rng.randrange(len(mutable))
                    mutable[index] = rng.choice(b'<>&"/=:wx \x00\xff' + bytes(range(32, 127)))
                content = bytes(mutable)
            target.writestr(info.filename, content)
    return buffer.getvalue()


def with_content_types(data: bytes, content_types: bytes | None) -> bytes:
    """The package ``data`` with its ``[Content_Types].xml`` replaced (None: left out)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != "[Content_Types].xml":
                target.writestr(info.filename, source.read(info))
        if content_types is not None:
            target.writestr("[Content_Types].xml", content_types)
    return buffer.getvalue()


CONTENT_TYPES: dict[str, tuple[bytes | None, str]] = {
    "missing": (None, "is damaged: it has no [Content_Types].xml"),
    "garbage": (b"\x89PNG not xml at all", "its [Content_Types].xml is not a list of content"),
    "empty": (b"", "its [Content_Types].xml is not a list of content types"),
    "wrong-root": (b"<Relationships/>", "its [Content_Types].xml is not a list of content"),
    "dtd": (
        b'<?xml version="1.0"?><!DOCTYPE Types [<!ENTITY a "b">]><Types/>',
        "contains a DTD",
    ),
}


def reference_control() -> str:
    return p(r("Episode reference: "), text_sdt(REFERENCE, tag="episode.reference"))


SYMBOLS = ["FFFFFFFF", "D800", "DFFF", "110000", "0", "1F", "-1", "zz", "", "F0FE" * 20]


def symbol_form(path: Path, code: str) -> Path:
    """A form with a Word symbol whose code is ``code`` next to a typed-in control."""
    body = reference_control() + p(
        r("Symbol "), f'<w:r><w:sym w:font="Wingdings" w:char="{code}"/></w:r>', r(" here")
    )
    body += p(r("Where found: "), text_sdt("Bus station", tag="return_interview.location"))
    return write_document(path, body)


def parent_child_form(path: Path) -> Path:
    """Controls tagged ``child`` and ``child.first_name`` in one form."""
    body = reference_control()
    body += p(r("Child: "), text_sdt("Sam", tag="child"))
    body += p(r("First name: "), text_sdt("Alex", tag="child.first_name"))
    return write_document(path, body)


def many_controls(path: Path, count: int) -> Path:
    """One paragraph holding ``count`` tagged controls, each with a label."""
    control = (
        '<w:sdt><w:sdtPr><w:tag w:val="f{0}"/></w:sdtPr><w:sdtContent><w:r><w:t>v</w:t></w:r>'
        "</w:sdtContent></w:sdt><w:r><w:t>Label {0}</w:t></w:r>"
    )
    return write_document(path, p(*(control.format(i) for i in range(count))))


def parent_child_pdf(path: Path) -> Path:
    """A PDF form with fields named ``child`` and ``child.first_name``."""
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    form = canvas.acroForm
    for number, (name, value) in enumerate(
        [("episode.reference", REFERENCE), ("child", "Sam"), ("child.first_name", "Alex")]
    ):
        form.textfield(name=name, value=value, x=72, y=700 - 40 * number, width=200, height=20)
    canvas.showPage()
    canvas.save()
    path.write_bytes(buffer.getvalue())
    return path


def repairable_pdf(data: bytes) -> bytes:
    """``data`` with its ``startxref`` pointing at the wrong place: pypdf repairs it, and
    warns."""
    return re.sub(rb"startxref\s+(\d+)", lambda m: b"startxref\n" + b"7" * len(m[1]), data)


__all__ = ["W_NS"]

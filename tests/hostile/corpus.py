"""Builders for hostile files: each writes one dangerous or broken file into a folder.

Generated at test time (in ``tmp_path``) rather than committed, so the repository never holds a
zip bomb. ``build_all`` returns ``{name: (path, words the refusal message must contain)}``.
"""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    b'officedocument.wordprocessingml.document.main+xml"/></Types>'
)
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def minimal_document(body: str = "<w:p><w:r><w:t>Hello</w:t></w:r></w:p>") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'
    ).encode()


def write_docx(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", CONTENT_TYPES)
        for name, data in parts.items():
            package.writestr(name, data)
    return path


def zip_bomb(folder: Path) -> Path:
    # 20 MB of one repeated byte deflates about 1000:1: far past the 100:1 limit.
    doc = minimal_document() + b" " * (20 * 1024 * 1024)
    return write_docx(folder / "zip-bomb.docx", {"word/document.xml": doc})


def billion_laughs(folder: Path) -> Path:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    doc = (
        f'<?xml version="1.0"?><!DOCTYPE w:document [{entities}]>'
        f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>'
        f"</w:body></w:document>"
    ).encode()
    return write_docx(folder / "billion-laughs.docx", {"word/document.xml": doc})


def external_entity(folder: Path) -> Path:
    doc = (
        f'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
        f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&secret;</w:t></w:r></w:p>'
        f"</w:body></w:document>"
    ).encode()
    return write_docx(folder / "external-entity.docx", {"word/document.xml": doc})


def many_members(folder: Path, count: int = 1001) -> Path:
    """``count`` members in all, counting [Content_Types].xml and word/document.xml."""
    parts = {"word/document.xml": minimal_document()}
    parts.update({f"word/media/image{i}.xml": b"<x/>" for i in range(count - 2)})
    return write_docx(folder / "many-members.docx", parts)


def traversal_name(folder: Path) -> Path:
    return write_docx(
        folder / "traversal.docx",
        {"word/document.xml": minimal_document(), "../../evil.sh": b"echo owned"},
    )


def ole_file(path: Path, *, encrypted: bool) -> Path:
    """A compound-file header and a directory naming the streams an Office file would have."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + struct.pack("<HH", 0x3E, 3)
    header += b"\xfe\xff" + struct.pack("<H", 9) + struct.pack("<H", 6) + b"\0" * 10
    header = header.ljust(512, b"\0")
    names = (
        ["Root Entry", "EncryptionInfo", "EncryptedPackage"]
        if encrypted
        else [
            "Root Entry",
            "WordDocument",
            "1Table",
        ]
    )
    directory = b"".join(
        (name.encode("utf-16-le") + b"\0\0").ljust(64, b"\0") + b"\0" * 64 for name in names
    )
    path.write_bytes(header + directory.ljust(512, b"\0"))
    return path


def encrypted_docx(folder: Path) -> Path:
    return ole_file(folder / "encrypted.docx", encrypted=True)


def legacy_doc(folder: Path) -> Path:
    return ole_file(folder / "legacy.doc", encrypted=False)


def truncated_zip(folder: Path) -> Path:
    whole = write_docx(folder / "whole.tmp", {"word/document.xml": minimal_document() * 50})
    data = whole.read_bytes()
    whole.unlink()
    path = folder / "truncated.docx"
    path.write_bytes(data[: len(data) // 2])
    return path


def empty_file(folder: Path) -> Path:
    path = folder / "empty.docx"
    path.write_bytes(b"")
    return path


def pdf_loop(folder: Path) -> Path:
    """A PDF whose page tree and cross-reference chain point back at themselves."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] >> >>",
        b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 /Parent 2 0 R >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] /Annots [4 0 R] >>",
        b"<< /FT /Tx /T (episode.reference) /V (LOOP-1) /Kids [4 0 R] /Parent 4 0 R >>",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
        xref,
    )
    path = folder / "pdf-loop.pdf"
    path.write_bytes(bytes(out))
    return path


def falsified_size(folder: Path) -> Path:
    """A member whose headers claim fewer bytes than it holds: zipfile's CRC check catches it."""
    path = write_docx(folder / "falsified.docx", {"word/document.xml": minimal_document() * 20})
    data = bytearray(path.read_bytes())
    real = len(minimal_document() * 20)
    packed = struct.pack("<I", real)
    smaller = struct.pack("<I", real - 40)
    start = 0
    while (index := data.find(packed, start)) != -1:
        data[index : index + 4] = smaller
        start = index + 4
    path.write_bytes(bytes(data))
    return path


# name: (builder, words the refusal must contain)
HOSTILE = {
    "zip-bomb": (zip_bomb, "zip bomb"),
    "billion-laughs": (billion_laughs, "contains a DTD"),
    "external-entity": (external_entity, "contains a DTD"),
    "many-members": (many_members, "has 1,001 parts"),
    "traversal": (traversal_name, "points outside the package"),
    "encrypted": (encrypted_docx, "password-protected Office file"),
    "legacy-doc": (legacy_doc, "old Word .doc"),
    "truncated": (truncated_zip, "truncated or damaged"),
    "empty": (empty_file, "is an empty file"),
}


def build_all(folder: Path) -> dict[str, tuple[Path, str]]:
    return {name: (build(folder), words) for name, (build, words) in HOSTILE.items()}

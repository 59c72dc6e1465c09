"""Reading a .docx's members as raw compressed bytes and writing a new .docx around them.

Most of a Word package (styles, theme, fonts, settings, images) is the same for every document
rendered from a template. Copying those members' compressed bytes as they are, instead of
inflating and deflating them again for each record, is most of the speed of a batch.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from dataclasses import dataclass

_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END = struct.Struct("<IHHHHIIH")
_DOS_TIME = (9 << 11) | (0 << 5)  # 09:00:00
_DOS_DATE = ((2026 - 1980) << 9) | (1 << 5) | 1  # 2026-01-01
_UTF8 = 0x800


@dataclass(frozen=True)
class Member:
    """One zip member, stored compressed (``method`` 8) or stored (0)."""

    name: str
    method: int
    crc: int
    size: int
    data: bytes


def read_members(raw: bytes) -> list[Member]:
    """Every member of a zip held in ``raw``, with its compressed bytes untouched."""
    import io

    members: list[Member] = []
    with zipfile.ZipFile(io.BytesIO(raw)) as package:
        for info in package.infolist():
            if info.is_dir():
                continue
            header = raw[info.header_offset : info.header_offset + _LOCAL.size]
            fields = _LOCAL.unpack(header)
            start = info.header_offset + _LOCAL.size + fields[9] + fields[10]
            data = raw[start : start + info.compress_size]
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                data = _deflate(package.read(info))
                members.append(Member(info.filename, 8, info.CRC, info.file_size, data))
                continue
            members.append(
                Member(info.filename, info.compress_type, info.CRC, info.file_size, data)
            )
    return members


def _deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def member_from_bytes(name: str, data: bytes) -> Member:
    """A new member holding ``data``, deflated."""
    return Member(name, 8, zlib.crc32(data), len(data), _deflate(data))


def stored_member(name: str, data: bytes) -> Member:
    """A new member holding ``data`` as it is (images are compressed already)."""
    return Member(name, 0, zlib.crc32(data), len(data), data)


def write_zip(members: list[Member]) -> bytes:
    """A zip archive of ``members`` in order (no zip64: a Word document stays far below 4 GB)."""
    out: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for member in members:
        name = member.name.encode("utf-8")
        flags = _UTF8 if not member.name.isascii() else 0
        header = _LOCAL.pack(
            0x04034B50, 20, flags, member.method, _DOS_TIME, _DOS_DATE,
            member.crc, len(member.data), member.size, len(name), 0,
        )  # fmt: skip
        central.append(
            _CENTRAL.pack(
                0x02014B50,
                20,
                20,
                flags,
                member.method,
                _DOS_TIME,
                _DOS_DATE,
                member.crc,
                len(member.data),
                member.size,
                len(name),
                0,
                0,
                0,
                0,
                0,
                offset,
            )  # fmt: skip
            + name
        )
        out += [header, name, member.data]
        offset += len(header) + len(name) + len(member.data)
    directory = b"".join(central)
    end = _END.pack(0x06054B50, 0, 0, len(members), len(members), len(directory), offset, 0)
    return b"".join(out) + directory + end

"""The child's photograph for Word documents: found, checked and sized once per record.

``child.photo`` is a path relative to the episode file (or absolute). Only JPEG and PNG images
are accepted, recognised by their first bytes rather than their name, up to
:data:`MAX_PHOTO_BYTES`. The pixel size is read from the image header (no imaging library) and
the picture is scaled to fit :data:`BOX_EMU` keeping its shape. A photo that cannot be used is a
warning, never a failure: the document is made without it.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

from formkit.errors import Problem
from formkit.model import EpisodeRecord

MAX_PHOTO_BYTES = 10 * 1024 * 1024
"""Largest photo file embedded in a document."""

EMU_PER_CM = 360_000
BOX_EMU = (round(4.5 * EMU_PER_CM), 6 * EMU_PER_CM)
"""Width and height (EMU) the photo is scaled to fit: 4.5 cm × 6 cm, passport-like."""

FIELD = "child.photo"
_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG = b"\xff\xd8\xff"
# Start-of-frame markers carry the size; C4 (DHT), C8 (JPG) and CC (DAC) share the range.
_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


class PhotoError(ValueError):
    """Why a photo cannot be used (plain words, no path and no names)."""


@dataclass(frozen=True)
class Photo:
    """An image ready to embed: its bytes, kind and size in pixels."""

    data: bytes
    ext: str
    width: int
    height: int

    @property
    def content_type(self) -> str:
        return f"image/{self.ext}"

    def extent(self, box: tuple[int, int] = BOX_EMU) -> tuple[int, int]:
        """Width and height in EMU, as large as fits ``box`` with the image's shape."""
        scale = min(box[0] / self.width, box[1] / self.height)
        return max(1, round(self.width * scale)), max(1, round(self.height * scale))


def _png_size(data: bytes) -> tuple[int, int]:
    if len(data) < 24 or data[12:16] != b"IHDR":
        raise PhotoError("the PNG image is damaged (no header)")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def _jpeg_size(data: bytes) -> tuple[int, int]:
    position = 2
    while position + 4 <= len(data):
        if data[position] != 0xFF:
            raise PhotoError("the JPEG image is damaged")
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker in (0x01, *range(0xD0, 0xD8)):  # markers without a length
            position += 2
            continue
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        if marker in _SOF:
            if position + 9 > len(data):
                break
            height, width = struct.unpack(">HH", data[position + 5 : position + 9])
            return width, height
        if marker == 0xDA or length < 2:  # image data before any frame header
            break
        position += 2 + length
    raise PhotoError("the JPEG image is damaged (no frame header)")


def image_kind(data: bytes) -> tuple[str, int, int]:
    """``("png" | "jpeg", width, height)`` from the image's own bytes."""
    if data.startswith(_PNG):
        ext, (width, height) = "png", _png_size(data)
    elif data.startswith(_JPEG):
        ext, (width, height) = "jpeg", _jpeg_size(data)
    else:
        raise PhotoError("the file is not a JPEG or PNG image")
    if width <= 0 or height <= 0:
        raise PhotoError("the image has no width or height")
    return ext, width, height


def load_photo(path: str | Path, *, limit: int = MAX_PHOTO_BYTES) -> Photo:
    """The image at ``path``, checked; :class:`PhotoError` says why it cannot be used."""
    path = Path(path)
    try:
        if not path.is_file():
            raise PhotoError("there is no photo file at the path given")
        if path.stat().st_size > limit:
            raise PhotoError(f"the photo is larger than the {limit // (1024 * 1024)} MB limit")
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise PhotoError(f"the photo file could not be read ({exc.strerror or 'error'})") from exc
    if len(data) > limit:
        raise PhotoError(f"the photo is larger than the {limit // (1024 * 1024)} MB limit")
    ext, width, height = image_kind(data)
    return Photo(data, ext, width, height)


def photo_path(value: str, source: str | Path | None) -> Path:
    """``value`` relative to the folder of the episode file ``source`` (absolute kept as is)."""
    path = Path(value).expanduser()
    if path.is_absolute() or source is None:
        return path
    return Path(source).parent / path


def record_photo(
    record: EpisodeRecord, source: str | Path | None
) -> tuple[Photo | None, Problem | None]:
    """The record's photo, or None and a warning naming the file, record and field."""
    value = (record.child.photo or "").strip()
    if not value:
        return None, None
    try:
        return load_photo(photo_path(value, source)), None
    except PhotoError as exc:
        return None, _warning(record, source, f"{exc}; the document was made without the photo")


def check_photo(record: EpisodeRecord, source: str | Path | None) -> Problem | None:
    """A warning when the record names a photo that documents could not use (for validate)."""
    value = (record.child.photo or "").strip()
    if not value:
        return None
    try:
        load_photo(photo_path(value, source))
    except PhotoError as exc:
        return _warning(record, source, f"{exc}; documents will be made without the photo")
    return None


def _warning(record: EpisodeRecord, source: str | Path | None, message: str) -> Problem:
    return Problem(
        file=str(source) if source is not None else "-",
        record=record.reference,
        field=FIELD,
        message=message,
    )

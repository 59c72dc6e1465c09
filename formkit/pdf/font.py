"""DejaVu Sans, subset per filled form, so any European name shows as written.

The standard PDF fonts only cover Latin-1, so ``Ștefan Łukasz`` would lose letters. Each filled
form embeds a subset of DejaVu Sans holding just the characters it uses (a few kilobytes): the
subset is a simple TrueType font whose code *i* is the *i*-th character used, with a ToUnicode
map so copy-paste, search and ``pdftotext`` give back the real text. More than 255 distinct
characters are split over several subsets.

The font is read from ``$FORMKIT_PDF_FONT`` or the system's DejaVu Sans (Debian/Ubuntu package
``fonts-dejavu-core``, installed by ``make sysdeps``); without either, filling stops with a
message saying how to install it.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from reportlab.pdfbase.ttfonts import TTFontFile, makeToUnicodeCMap

from formkit.errors import RenderError

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/Library/Fonts/DejaVuSans.ttf",
)
SUBSET_SIZE = 255


def font_path() -> Path:
    """Where DejaVu Sans is, or a :class:`RenderError` that says how to get it."""
    chosen = os.environ.get("FORMKIT_PDF_FONT")
    if chosen:
        if Path(chosen).is_file():
            return Path(chosen)
        raise RenderError(f"FORMKIT_PDF_FONT names '{chosen}', which is not a file")
    for candidate in FONT_CANDIDATES:
        if Path(candidate).is_file():
            return Path(candidate)
    raise RenderError(
        "the DejaVu Sans font is needed to fill PDF forms and was not found; install it with "
        "'sudo apt-get install fonts-dejavu-core' (or 'make sysdeps'), or set FORMKIT_PDF_FONT "
        "to a DejaVuSans.ttf file"
    )


def face() -> TTFontFile:
    """The parsed font, loaded once per process (again only if FORMKIT_PDF_FONT changes)."""
    return _face(os.environ.get("FORMKIT_PDF_FONT"))


@cache
def _face(chosen: str | None) -> TTFontFile:
    # ``chosen`` is FORMKIT_PDF_FONT as it was: the cache key, so a new setting is read afresh.
    return TTFontFile(str(font_path()))


def text_width(text: str, size: float) -> float:
    """Width of ``text`` in points at ``size``."""
    ttf = face()
    widths, default = ttf.charWidths, ttf.defaultWidth
    return sum(widths.get(ord(c), default) for c in text) * size / 1000.0


@dataclass
class FontSet:
    """The subsets for one filled form: which subset and code show each character."""

    chars: list[str]
    codes: dict[str, tuple[int, int]] = field(default_factory=dict)

    @classmethod
    def for_texts(cls, texts: Iterable[str]) -> FontSet:
        chars = sorted({c for text in texts for c in text if c >= " "})
        fonts = cls(chars)
        for i, char in enumerate(chars):
            fonts.codes[char] = (i // SUBSET_SIZE, i % SUBSET_SIZE)
        return fonts

    @property
    def subsets(self) -> list[list[str]]:
        return [self.chars[i : i + SUBSET_SIZE] for i in range(0, len(self.chars), SUBSET_SIZE)]

    @staticmethod
    def resource_name(index: int) -> str:
        return f"FkU{index}"

    def runs(self, text: str) -> list[tuple[int, bytes]]:
        """``text`` as (subset, codes) runs, ready for ``Tj`` operators."""
        runs: list[tuple[int, bytearray]] = []
        for char in text:
            found = self.codes.get(char)
            if found is None:
                continue
            subset, code = found
            if not runs or runs[-1][0] != subset:
                runs.append((subset, bytearray()))
            runs[-1][1].append(code)
        return [(subset, bytes(codes)) for subset, codes in runs]

    def pdf_objects(self, first_id: int) -> tuple[list[bytes], dict[int, int]]:
        """Bodies of the font objects, numbered from ``first_id``; and subset → font object id."""
        ttf = face()
        bodies: list[bytes] = []
        font_ids: dict[int, int] = {}
        for index, subset in enumerate(self.subsets):
            codepoints = [ord(c) for c in subset]
            base = f"FK{chr(65 + index % 26)}{chr(65 + index // 26 % 26)}AA+".encode() + ttf.name
            program = ttf.makeSubset(codepoints)
            packed = zlib.compress(program, 6)
            file_id = first_id + len(bodies)
            bodies.append(
                b"<< /Length %d /Length1 %d /Filter /FlateDecode >>\nstream\n%s\nendstream"
                % (len(packed), len(program), packed)
            )
            flags = (ttf.flags & ~32) | 4  # symbolic: codes are our own, not a standard encoding
            descriptor_id = first_id + len(bodies)
            bbox = " ".join(str(int(v)) for v in ttf.bbox)
            bodies.append(
                b"<< /Type /FontDescriptor /FontName /%s /Flags %d /FontBBox [%s] /ItalicAngle %d"
                b" /Ascent %d /Descent %d /CapHeight %d /StemV %d /MissingWidth %d"
                b" /FontFile2 %d 0 R >>"
                % (
                    base,
                    flags,
                    bbox.encode(),
                    int(ttf.italicAngle),
                    int(ttf.ascent),
                    int(ttf.descent),
                    int(ttf.capHeight),
                    int(ttf.stemV),
                    int(ttf.defaultWidth),
                    file_id,
                )
            )
            cmap = zlib.compress(makeToUnicodeCMap(base.decode(), codepoints).encode("latin-1"))
            cmap_id = first_id + len(bodies)
            bodies.append(
                b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(cmap), cmap)
            )
            widths = " ".join(
                str(int(ttf.charWidths.get(cp, ttf.defaultWidth))) for cp in codepoints
            )
            font_ids[index] = first_id + len(bodies)
            bodies.append(
                b"<< /Type /Font /Subtype /TrueType /BaseFont /%s /FirstChar 0 /LastChar %d"
                b" /Widths [%s] /FontDescriptor %d 0 R /ToUnicode %d 0 R >>"
                % (base, len(subset) - 1, widths.encode(), descriptor_id, cmap_id)
            )
        return bodies, font_ids

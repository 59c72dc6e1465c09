"""Appearance streams: what a filled field looks like, drawn by formkit rather than the viewer.

A value in ``/V`` alone shows nothing in many viewers, in print, or in ``pdftotext``; setting
``/NeedAppearances`` asks each viewer to draw it, and they differ. So every text field and
drop-down gets its own appearance stream: the box (background and border, as the template drew
it), then the text in DejaVu Sans, wrapped on word boundaries for multi-line fields.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from formkit.pdf.font import FontSet, face, text_width

PADDING = 2.0
LEADING = 1.18
MIN_SIZE = 6.0
DEFAULT_SIZE = 9.0
OVERFLOW_NOTE = "… continued on the addendum page"


def _colour(values: Any, stroke: bool) -> bytes:
    numbers = [float(v) for v in values or []]
    text = " ".join(f"{n:.3f}" for n in numbers).encode()
    if len(numbers) == 1:
        return text + (b" G" if stroke else b" g")
    if len(numbers) == 3:
        return text + (b" RG" if stroke else b" rg")
    if len(numbers) == 4:
        return text + (b" K" if stroke else b" k")
    return b""


def box_stream(width: float, height: float, widget: Mapping[str, Any]) -> bytes:
    """Background and border of a widget, from its ``/MK`` and ``/BS`` entries."""
    mk = widget.get("/MK", {})
    mk = mk.get_object() if hasattr(mk, "get_object") else mk
    ops: list[bytes] = []
    background = _colour(mk.get("/BG"), stroke=False)
    if background:
        ops.append(background + b" 0 0 %.2f %.2f re f" % (width, height))
    border = _colour(mk.get("/BC"), stroke=True)
    bs = widget.get("/BS", {})
    line = float(bs.get("/W", 1)) if bs else 1.0
    if border and line > 0:
        half = line / 2
        ops.append(
            border
            + b" %.2f w %.2f %.2f %.2f %.2f re S" % (line, half, half, width - line, height - line)
        )
    return b"\n".join(ops) + b"\n"


def font_size(widget: Mapping[str, Any]) -> float:
    """The size in the field's ``/DA`` string (0 means 'fit', which we read as the default)."""
    match = re.search(r"([\d.]+)\s+Tf", str(widget.get("/DA", "")))
    size = float(match.group(1)) if match else 0.0
    return size if size > 0 else DEFAULT_SIZE


def wrap(text: str, size: float, width: float) -> list[str]:
    """Break ``text`` into lines no wider than ``width``: on spaces, or inside a long word."""
    lines: list[str] = []
    for paragraph in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        current = ""
        for word in paragraph.split(" "):
            candidate = f"{current} {word}" if current else word
            if text_width(candidate, size) <= width:
                current = candidate
                continue
            if current:
                lines.append(current)
            current = word
            while text_width(current, size) > width and len(current) > 1:
                cut = len(current) - 1
                while cut > 1 and text_width(current[:cut], size) > width:
                    cut -= 1
                lines.append(current[:cut])
                current = current[cut:]
        lines.append(current)
    return lines


def fit_text(
    text: str, width: float, height: float, size: float, multiline: bool
) -> tuple[list[str], float, bool]:
    """Lines to show, the font size, and whether the text did not fit (overflow)."""
    inner_w = width - 2 * PADDING - 1
    if not multiline:
        line = " ".join(text.split())
        while text_width(line, size) > inner_w and size > MIN_SIZE:
            size = max(MIN_SIZE, size - 0.5)
        if text_width(line, size) <= inner_w:
            return [line], size, False
        note = " " + OVERFLOW_NOTE
        cut = len(line)
        while cut > 0 and text_width(line[:cut] + note, size) > inner_w:
            cut -= 1
        return [line[:cut].rstrip() + note], size, True
    capacity = max(1, int((height - 2 * PADDING) // (size * LEADING)))
    lines = wrap(text, size, inner_w)
    if len(lines) <= capacity:
        return lines, size, False
    return [*lines[: capacity - 1], OVERFLOW_NOTE], size, True


def text_stream(
    fonts: FontSet,
    lines: list[str],
    size: float,
    width: float,
    height: float,
    widget: Mapping[str, Any],
    multiline: bool,
) -> bytes:
    """The appearance content for a text field or drop-down showing ``lines``."""
    ttf = face()
    ascent, descent = ttf.ascent * size / 1000, ttf.descent * size / 1000
    # Multi-line text starts at the top; a single line sits in the middle of its box.
    y = height - PADDING - ascent if multiline else (height - (ascent + descent)) / 2
    quadding = int(widget.get("/Q", 0))
    out = [box_stream(width, height, widget), b"/Tx BMC q"]
    out.append(b"1 1 %.2f %.2f re W n BT 0 g" % (width - 2, height - 2))
    for line in lines:
        x = PADDING + 1
        if quadding in (1, 2):
            free = width - 2 * (PADDING + 1) - text_width(line, size)
            x += free / 2 if quadding == 1 else free
        out.append(b"1 0 0 1 %.2f %.2f Tm" % (x, y))
        for subset, codes in fonts.runs(line):
            out.append(
                b"/%s %.2f Tf <%s> Tj"
                % (fonts.resource_name(subset).encode(), size, codes.hex().encode())
            )
        y -= size * LEADING
    out.append(b"ET Q EMC")
    return b"\n".join(out)

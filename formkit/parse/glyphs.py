"""Typed glyph checkboxes: ☐ ☑ ☒ (or their Wingdings ``w:sym`` twins) typed into plain text.

A glyph is paired with the label next to it. When a paragraph starts with a box, or with a
question ending in ":" or "?" followed by boxes each with words after it, the label follows each
box ("☒ Home ☐ School", "Missing from: ☒ Home ☐ School"); otherwise it precedes it ("HOME ☐
SCHOOL ☐"). A leading "Question:" becomes the context of every box in the paragraph.
"""

from __future__ import annotations

import re

from formkit.parse.wordxml import CHECKED_GLYPHS, GLYPHS

_SPLIT = re.compile(f"([{''.join(sorted(GLYPHS))}])")


def split_glyphs(text: str) -> list[str | bool]:
    """Text pieces and boxes in order: a box is True (ticked) or False (empty)."""
    pieces: list[str | bool] = []
    for piece in _SPLIT.split(text):
        if len(piece) == 1 and piece in GLYPHS:
            pieces.append(piece in CHECKED_GLYPHS)
        elif piece:
            pieces.append(piece)
    return pieces


def clean_label(text: str) -> str:
    return " ".join(text.replace("\t", " ").split()).strip(" :;,-")


def pair_labels(pieces: list[object]) -> list[tuple[int, str, str | None]]:
    """For each box in ``pieces`` (a bool entry) its index, its label and a paragraph context.

    Other entries are text (str) or anything else (a control), which separates labels.
    """
    boxes = [i for i, piece in enumerate(pieces) if isinstance(piece, bool)]
    if not boxes:
        return []
    texts = [p if isinstance(p, str) else None for p in pieces]
    lead = "".join(t or "" for t in texts[: boxes[0]]).strip()
    tail = "".join(t or "" for t in texts[boxes[-1] + 1 :]).strip()
    # "Missing from: ☐ Home ☐ Care": a question, then each box before its label.
    asked = lead.endswith((":", "?")) and bool(tail)
    starts_with_box = not lead or asked
    paired: list[tuple[int, str, str | None]] = []
    context: str | None = clean_label(lead) or None if asked else None
    for number, index in enumerate(boxes):
        if starts_with_box:
            end = boxes[number + 1] if number + 1 < len(boxes) else len(pieces)
            label = "".join(t or "" for t in texts[index + 1 : end])
        else:
            start = boxes[number - 1] + 1 if number else 0
            label = "".join(t or "" for t in texts[start:index])
            if number == 0 and ":" in label:
                head, _, label = label.rpartition(":")
                context = clean_label(head) or None
        paired.append((index, clean_label(label), context))
    return paired

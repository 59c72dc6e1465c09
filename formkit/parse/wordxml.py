"""The text of WordprocessingML as the Word readers see it: runs, symbols, glyph boxes and the
grey placeholder look. Namespaces and content controls are :mod:`formkit.ooxml`'s.
"""

from __future__ import annotations

from lxml import etree

from formkit.ooxml import MC, W, w

# Typed and Wingdings glyph boxes. In Wingdings, F0A8 and F06F are empty boxes, F0FE a ticked
# box, F0FD and F078 crossed boxes.
CHECKED_GLYPHS = frozenset("☑☒")
UNCHECKED_GLYPHS = frozenset("☐")
GLYPHS = CHECKED_GLYPHS | UNCHECKED_GLYPHS
WINGDINGS = {0xFE: "☑", 0xFD: "☒", 0x78: "☒", 0xA8: "☐", 0x6F: "☐"}


def sym_text(element: etree._Element) -> str:
    """A ``w:sym`` as text: Wingdings boxes become ☐ ☑ ☒, other symbols keep their code point;
    a code that is no character (``FFFFFFFF``, a surrogate, not hex) gives nothing."""
    font = (element.get(w("font")) or "").lower()
    try:
        code = int((element.get(w("char")) or "").strip()[:8], 16)
    except ValueError:
        return ""
    if not 0x20 <= code <= 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return ""  # not a character at all (a damaged or hostile file): show nothing
    if (
        font.startswith("wingdings")
        and (code & 0xFF) in WINGDINGS
        and code in (code & 0xFF, 0xF000 | (code & 0xFF))
    ):
        return WINGDINGS[code & 0xFF]
    return chr(code)


_T, _TAB, _PTAB, _BR, _CR, _NBH, _SYM = (
    f"{{{W}}}{n}" for n in ("t", "tab", "ptab", "br", "cr", "noBreakHyphen", "sym")
)


def run_piece(element: etree._Element) -> str | None:
    """The text one child of a run contributes, or None when it contributes nothing."""
    tag = element.tag
    if tag == _T:
        return element.text or ""
    if tag in (_TAB, _PTAB):
        return "\t"
    if tag in (_BR, _CR):
        return "\n"
    if tag == _NBH:
        return "\u2011"
    if tag == _SYM:
        return sym_text(element)
    return None


_P, _FALLBACK = w("p"), f"{{{MC}}}Fallback"
_NOT_TEXT = frozenset(w(n) for n in ("delText", "instrText", "rPr", "pPr", "sdtPr"))


def plain_text(element: etree._Element) -> str:
    """All visible text under ``element``: paragraphs joined by newlines, tabs and breaks kept,
    the ``mc:Fallback`` copy of text boxes skipped."""
    paragraphs: list[str] = []
    current: list[str] = []

    def visit(node: etree._Element) -> None:
        for child in node:
            tag = child.tag
            if not isinstance(tag, str) or tag == _FALLBACK:
                continue
            if tag == _P:
                visit(child)
                paragraphs.append("".join(current))
                current.clear()
                continue
            if tag in _NOT_TEXT:
                continue
            piece = run_piece(child)
            if piece is not None:
                current.append(piece)
            else:
                visit(child)

    visit(element)
    if current:
        paragraphs.append("".join(current))
    return "\n".join(paragraphs)


def shows_placeholder_style(content: etree._Element) -> bool:
    """True when every run with text is styled PlaceholderText (the grey prompt)."""
    runs = [r for r in content.iter(w("r")) if any(True for _ in r.iter(w("t")))]
    if not runs:
        return False
    for run in runs:
        style = run.find(f"{w('rPr')}/{w('rStyle')}")
        if style is None or style.get(w("val")) != "PlaceholderText":
            return False
    return True

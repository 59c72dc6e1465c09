"""Facts documents never show an empty cell: what the record lacks reads "Not known".

A *facts* document (missing profile, notifications, referrals, letters) is sent as it is, so a
value cell the template left empty is filled with "Not known" after rendering, and the label
beside it is reported so whoever makes the document can chase the fact before sending it
("no school", "no GP"). *Forms to be completed* (the RHI, meeting records) keep their empty
cells for filling in. A template says which it is in its document properties: category
``facts`` (File → Info → Properties → Category in Word).

Header rows (``w:tblHeader``) and cells holding a picture, a content control or a field are
left alone, and so is a wholly empty row (a spacer, or a row to write in).

The pass works on the rendered part as text: it finds the rows and cells, tests each cell's
span for text with one search, and edits only the cells it fills. The part is not parsed into a
tree and written out again for every document (that took longer than rendering it); the
rendered part is well-formed WordprocessingML, which is what makes this enough.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from html import unescape
from typing import NamedTuple

from formkit.ooxml import W
from formkit.words import NOT_KNOWN

FACTS_CATEGORY = re.compile(r"<cp:category>\s*facts\s*</cp:category>", re.IGNORECASE)

_PREFIX = re.compile(r"xmlns:([A-Za-z_][\w.-]*)=[\"']" + re.escape(W) + "[\"']")
# The elements in a cell whose names start "tc", and in a row whose names start "tr".
_CELL_PARTS = ("tcPr", "tcW", "tcBorders", "tcMar", "tcFitText", "tcHideMark")
_ROW_PARTS = ("trPr", "trHeight")
_ANY_TAG = re.compile(r"<(/?)([^\s/>!?]+)[^>]*?(/?)>")


@dataclass(frozen=True)
class _Patterns:
    """The searches for one namespace prefix (Word writes ``w:``; nothing requires it)."""

    prefix: str
    structure: re.Pattern[str]  # rows and cells, opening and closing
    text_found: re.Pattern[str]  # a text element with more than spaces in it
    keep: tuple[str, ...]  # the start of a picture, a content control or a field
    whole_run: re.Pattern[str]  # a run and the spaces after it
    run_holder: re.Pattern[str]  # an element a paragraph's runs can be inside
    text: re.Pattern[str]
    paragraph: re.Pattern[str]
    wrapper: re.Pattern[str]  # what can stand between a row and its cells, or a cell and its text
    header: str
    run: str  # "Not known", in grey italics


@lru_cache(maxsize=8)
def _patterns(prefix: str) -> _Patterns:
    w = re.escape(prefix)
    keep = "drawing|sdt|fldSimple|fldChar|object|pict"
    return _Patterns(
        prefix=prefix,
        structure=re.compile(rf"<(/?){w}t([rc])\b([^>]*?)(/?)>"),
        text_found=re.compile(rf"<{w}t(?:\s[^>]*)?>[^<]*?[^\s<]"),
        keep=tuple(f"<{prefix}{name}" for name in keep.split("|")),
        whole_run=re.compile(rf"<{w}r(?:\s[^>]*)?(?:/>|>.*?</{w}r>)\s*", re.DOTALL),
        run_holder=re.compile(
            rf"<{w}(?:hyperlink|ins|del|moveFrom|moveTo|smartTag|customXml|dir|bdo|ruby)\b"
        ),
        text=re.compile(rf"<{w}t(?:\s[^>]*)?>([^<]*)<"),
        paragraph=re.compile(rf"<{w}p[\s/>]"),
        wrapper=re.compile(rf"<(/?){w}(sdtContent|customXml|tbl)\b[^>]*?(/?)>"),
        header=f"<{prefix}tblHeader",
        run=(
            f'<{prefix}r><{prefix}rPr><{prefix}i/><{prefix}color {prefix}val="595959"/>'
            f"</{prefix}rPr><{prefix}t>{NOT_KNOWN}</{prefix}t></{prefix}r>"
        ),
    )


Cell = tuple[int, int]
"""Where a cell starts and where its end tag starts (-1 for an empty element, ``<w:tc/>``)."""


class _Row(NamedTuple):
    header: bool
    cells: list[Cell]


def missing_name(label: str) -> str:
    """ "School" → "school", "GP" stays "GP": how a label reads after "no"."""
    label = " ".join(label.split()).rstrip(":?")
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


def _rows(xml: str, p: _Patterns) -> list[_Row]:
    """Every table row of ``xml`` with its own cells, in document order (outer before inner)."""
    return _flat_rows(xml, p) or _nested_rows(xml, p)


def _starts(xml: str, *needles: str) -> list[int]:
    """Where each of ``needles`` is found in ``xml``, in order."""
    found: list[int] = []
    find = xml.find
    for needle in needles:
        at = find(needle)
        while at >= 0:
            found.append(at)
            at = find(needle, at + len(needle))
    return sorted(found) if len(needles) > 1 else found


def _flat_rows(xml: str, p: _Patterns) -> list[_Row] | None:
    """The rows when no cell holds a table or is wrapped (in a content control…) and none is an
    empty element: the usual case, found with string searches of the whole part. None
    otherwise."""
    # Word writes <w:tc> and <w:tc w:…>; a start tag written otherwise (<w:tc/>, a line
    # break after the name) leaves the counts unequal, and the general path reads the part.
    w = p.prefix
    opens = _starts(xml, f"<{w}tc>", f"<{w}tc ")
    closes = _starts(xml, f"</{w}tc>")
    others = sum(xml.count(f"<{w}{name}") for name in _CELL_PARTS)
    if xml.count(f"<{w}tc") != len(opens) + others or len(closes) != len(opens):
        return None  # a cell written another way
    if any(c > o for c, o in zip(closes, opens[1:], strict=False)):
        return None  # a table inside a cell
    starts = _starts(xml, f"<{w}tr>", f"<{w}tr ")
    others = sum(xml.count(f"<{w}{name}") for name in _ROW_PARTS)
    if xml.count(f"<{w}tr") != len(starts) + others:
        return None  # a row written another way
    wrappers = (f"<{w}{name}{after}" for name in ("sdtContent", "customXml") for after in "> ")
    for at in _starts(xml, *wrappers):
        index = bisect_right(opens, at)
        if index and at < closes[index - 1]:
            continue  # inside a cell: part of its content
        if index < len(opens):
            row = bisect_right(starts, at)
            if row == len(starts) or starts[row] > opens[index]:
                return None  # around cells of a row
    cells = list(zip(opens, closes, strict=True))
    rows: list[_Row] = []
    for begun, following in zip(starts, [*starts[1:], len(xml)], strict=True):
        first, last = bisect_right(opens, begun), bisect_right(opens, following)
        if first < last:
            rows.append(_Row(xml.find(p.header, begun, opens[first]) >= 0, cells[first:last]))
    return rows


@dataclass
class _OpenRow:
    header: bool = False
    cells: list[list[int]] = field(default_factory=list)
    wrapped: int = 0  # how many wrappers (a content control…) are open between row and cells


def _nested_rows(xml: str, p: _Patterns) -> list[_Row]:
    """The rows of any part, tables in cells and wrapped cells included."""
    rows: list[_OpenRow] = []
    stack: list[_OpenRow | list[int]] = []
    last = 0
    for match in p.structure.finditer(xml):
        closing, kind, _, empty = match.groups()
        top = stack[-1] if stack else None
        if isinstance(top, _OpenRow):
            # Between a row's own tags: its properties, or a wrapper around some of its cells.
            gap = xml[last : match.start()]
            if p.header in gap and not top.cells:
                top.header = True
            for wrap in p.wrapper.finditer(gap):
                if not wrap.group(3):
                    top.wrapped += -1 if wrap.group(1) else 1
        last = match.end()
        if closing:
            if kind == "r" and isinstance(top, _OpenRow):
                stack.pop()
            elif kind == "c" and isinstance(top, list):
                stack.pop()
                top[1] = match.start()
            continue
        if kind == "r":
            row = _OpenRow()
            rows.append(row)
            if not empty:
                stack.append(row)
            continue
        cell = [match.start(), -1]
        if isinstance(top, _OpenRow) and not top.wrapped:
            top.cells.append(cell)
        if not empty:
            stack.append(cell)
    return [_Row(r.header, [(c[0], c[1]) for c in r.cells]) for r in rows if r.cells]


def _texts(xml: str, p: _Patterns) -> list[int]:
    """Where each text element with more than spaces in it starts."""
    found: list[int] = []
    for match in p.text_found.finditer(xml):
        if "&" in match.group():  # spaces may be written as character references
            text = p.text.match(xml, match.start())
            if text is not None and not unescape(text[1]).strip():
                continue
        found.append(match.start())
    return found


def _is_empty(xml: str, cell: Cell, texts: list[int], p: _Patterns) -> bool:
    """Whether the cell holds no text (its own or a table's inside it), picture, control or
    field."""
    start, close = cell
    if close < 0:
        return True
    index = bisect_right(texts, start)
    if index < len(texts) and texts[index] < close:
        return False
    return not any(xml.find(tag, start, close) >= 0 for tag in p.keep)


def _label(xml: str, cell: Cell, p: _Patterns) -> str:
    start, close = cell
    if close < 0:
        return ""
    pieces = p.text.findall(xml, start, close + 1)
    return "".join(unescape(t) if "&" in t else t for t in pieces).strip()


def _own_paragraph(xml: str, start: int, close: int, p: _Patterns) -> int:
    """Where the cell's first paragraph of its own starts (not one in a table or wrapper inside
    the cell), or -1."""
    found = p.paragraph.search(xml, start, close)
    if found is None:
        return -1
    if p.wrapper.search(xml, start, found.start()) is None:
        return found.start()
    depth = 0
    for tag in _ANY_TAG.finditer(xml, xml.index(">", start) + 1, close):
        closing, name, empty = tag.groups()
        if closing:
            depth -= 1
        elif depth == 0 and name == f"{p.prefix}p":
            return tag.start()
        elif not empty:
            depth += 1
    return -1


def _without_runs(content: str, p: _Patterns) -> str:
    """A paragraph's content without its own runs (a run's trailing whitespace goes with it,
    as it does when a tree drops an element)."""
    prefix = p.prefix
    if f"<{prefix}r" not in content:
        return content
    if p.run_holder.search(content) is None:
        return p.whole_run.sub("", content)  # every run is the paragraph's own
    out: list[str] = []
    depth, keep_from, dropping = 0, 0, False
    run = f"{prefix}r"
    for match in _ANY_TAG.finditer(content):
        closing, name, empty = match.groups()
        if closing:
            depth -= 1
            if depth == 0 and dropping:
                dropping = False
                keep_from = _after_space(content, match.end())
            continue
        if depth == 0 and name == run and not dropping:
            out.append(content[keep_from : match.start()])
            if empty:
                keep_from = _after_space(content, match.end())
                continue
            dropping = True
        if not empty:
            depth += 1
    out.append(content[keep_from:])
    return "".join(out)


def _after_space(text: str, index: int) -> int:
    while index < len(text) and text[index] in " \t\r\n":
        index += 1
    return index


def _open_tag(xml: str, start: int, end: int) -> str:
    """An empty element's start tag (``<w:p w:rsidR="1"/>``) as an opening tag."""
    return xml[start:end].rstrip(">").rstrip().rstrip("/").rstrip() + ">"


def _edit(xml: str, cell: Cell, p: _Patterns) -> tuple[int, int, str]:
    """The span of ``xml`` to replace so ``cell`` says "Not known", and what goes there."""
    w, run = p.prefix, p.run
    start, close = cell
    if close < 0:
        end = xml.index(">", start) + 1
        return start, end, f"{_open_tag(xml, start, end)}<{w}p>{run}</{w}p></{w}tc>"
    paragraph = _own_paragraph(xml, start, close, p)
    if paragraph < 0:
        return close, close, f"<{w}p>{run}</{w}p>"
    end = xml.index(">", paragraph) + 1
    if xml[end - 2] == "/":
        return paragraph, end, f"{_open_tag(xml, paragraph, end)}{run}</{w}p>"
    close = xml.index(f"</{w}p>", end)
    return end, close, _without_runs(xml[end:close], p) + run


def fill_blanks(xml: str) -> tuple[str, list[str]]:
    """``xml`` (a rendered document part) with every empty value cell saying "Not known", and
    the labels of the facts that were not known, in document order."""
    if ":tc" not in xml:
        return xml, []
    found = _PREFIX.search(xml)
    if found is None:
        return xml, []
    p = _patterns(found.group(1) + ":")
    edits: list[tuple[int, int, str]] = []
    missing: list[str] = []
    texts = _texts(xml, p)
    for row in _rows(xml, p):
        cells = row.cells
        if row.header or not cells:
            continue
        empty = [_is_empty(xml, cell, texts, p) for cell in cells]
        if len(cells) > 1 and all(empty):
            continue  # a wholly empty row is a spacer or a row to write in, not a fact
        for index, cell in enumerate(cells):
            if not empty[index]:
                continue
            edits.append(_edit(xml, cell, p))
            if len(cells) == 2 and index == 1:
                label = _label(xml, cells[0], p)
                if label:
                    missing.append(missing_name(label))
    if not edits:
        return xml, []
    edits.sort(key=lambda edit: edit[0])
    out: list[str] = []
    position = 0
    for start, end, text in edits:
        out += [xml[position:start], text]
        position = end
    out.append(xml[position:])
    return "".join(out), list(dict.fromkeys(missing))


LONG_ROW = 1200
"""Characters of text from which a table row may run over a page break. Rows are kept whole so
a short fact never parts from its label, but a row taller than a page cannot be kept whole:
LibreOffice cuts it off at the foot of the page, and a long answer would be lost."""

_LONG_TEXT = re.compile(r">[^<]{300,}<")


def let_long_rows_split(xml: str) -> str:
    """``xml`` with "keep this row on one page" taken off each row holding :data:`LONG_ROW` or
    more characters of text (the rest keep it). Cheap when no text is long, as usual."""
    if _LONG_TEXT.search(xml) is None:
        return xml
    found = _PREFIX.search(xml)
    if found is None:
        return xml
    w = found.group(1) + ":"
    text = _patterns(w).text
    tags = re.compile(rf"<(/?){re.escape(w)}tr[\s>]")
    open_rows: list[int] = []
    long_rows: list[int] = []
    for tag in tags.finditer(xml):
        if not tag.group(1):
            open_rows.append(tag.start())
        elif open_rows:
            start = open_rows.pop()
            if sum(len(t) for t in text.findall(xml, start, tag.start())) >= LONG_ROW:
                long_rows.append(start)
    if not long_rows:
        return xml
    keep = re.compile(rf"<{re.escape(w)}cantSplit(?:\s[^>]*)?/>")
    pieces: list[str] = []
    at = 0
    for start in sorted(long_rows):
        properties_end = xml.find(f"</{w}trPr>", start)
        first_cell = xml.find(f"<{w}tc", start)
        if properties_end < 0 or 0 <= first_cell < properties_end:
            continue  # the row has no properties of its own: nothing keeps it whole
        pieces.append(xml[at:start])
        pieces.append(keep.sub("", xml[start:properties_end]))
        at = properties_end
    pieces.append(xml[at:])
    return "".join(pieces)

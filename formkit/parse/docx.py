"""Read every fillable thing in a Word form, in document order, with the label beside it.

python-docx does not see content controls, so this walks the XML itself: the body, then headers
and footers; controls at run, paragraph, cell and row level, nested, in tables and in text boxes
(read once: the ``mc:Fallback`` copy is skipped); legacy form fields; typed glyph boxes. A first
pass turns the XML into a flat stream of tokens, a second pairs each field with its label.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from formkit.errors import FormParseError, InputError
from formkit.intake import open_office_zip, parse_xml, read_part
from formkit.limits import Messages
from formkit.ooxml import MC, control_type, is_strict, to_transitional, w
from formkit.parse.controls import read_control
from formkit.parse.glyphs import clean_label, pair_labels, split_glyphs
from formkit.parse.legacy import OpenField
from formkit.parse.result import FormField
from formkit.parse.wordxml import run_piece

_SKIP = {
    w(name)
    for name in (
        "pPr", "rPr", "sdtPr", "sdtEndPr", "tblPr", "trPr", "tcPr", "tblGrid", "sectPr",
        "del", "moveFrom", "instrText", "delText", "bookmarkStart", "bookmarkEnd",
    )
}  # fmt: skip
_FALLBACK = f"{{{MC}}}Fallback"
_SDT = w("sdt")
_P = w("p")
_TC = w("tc")
_TR = w("tr")
_TXBX = w("txbxContent")
_R = w("r")
_FLDCHAR = w("fldChar")
_TBL = w("tbl")
_SDTPR = w("sdtPr")
_SDTCONTENT = w("sdtContent")
_PART = re.compile(r"^word/(header|footer)\d*\.xml$")
MAX_LABEL = 200


@dataclass
class WordForm:
    """The fields of one Word file, plus two-cell text rows ("Reference number | MR-1")."""

    fields: list[FormField] = field(default_factory=list)
    rows: list[tuple[str, str]] = field(default_factory=list)
    strict: bool = False


Token = tuple[str, object]


class _Tokens:
    """Pass one: XML to a flat stream of text, fields, glyph boxes and structure markers."""

    def __init__(self) -> None:
        self.out: list[Token] = []
        self.open_fields: list[OpenField] = []

    def walk(self, node: etree._Element) -> None:
        for child in node:
            tag = child.tag
            if not isinstance(tag, str) or tag == _FALLBACK or tag in _SKIP:
                continue
            if tag == _SDT:
                self.sdt(child, node)
            elif tag == _P:
                self.walk(child)
                self.out.append(("para", None))
            elif tag == _TC:
                self.out.append(("cell", None))
                self.walk(child)
                self.out.append(("cell_end", None))
            elif tag == _TR:
                self.out.append(("row", None))
                self.walk(child)
                self.out.append(("row_end", None))
            elif tag == _TXBX:
                self.out.append(("box", None))
                self.walk(child)
                self.out.append(("box_end", None))
            elif tag == _R:
                self.run(child)
            else:
                self.walk(child)

    def run(self, run: etree._Element) -> None:
        for child in run:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP:
                continue
            if tag == _FLDCHAR:
                self.field_char(child)
                continue
            piece = run_piece(child)
            if piece is None:
                self.walk(child)  # drawings hold text boxes
            else:
                self.text(piece)

    def field_char(self, element: etree._Element) -> None:
        kind = element.get(w("fldCharType"))
        if kind == "begin":
            self.open_fields.append(OpenField(element.find(w("ffData"))))
        elif kind == "separate" and self.open_fields:
            self.open_fields[-1].separated = True
        elif kind == "end" and self.open_fields:
            found = self.open_fields.pop().finish()
            if found is not None:
                self.out.append(("field", found))

    def text(self, piece: str) -> None:
        if self.open_fields:
            top = self.open_fields[-1]
            if not top.separated:
                return  # a field's instruction, not visible text
            if top.form_data is not None:
                top.result.append(piece)
                return
        for part in split_glyphs(piece):
            self.out.append(("glyph", part) if isinstance(part, bool) else ("text", part))

    def sdt(self, sdt: etree._Element, parent: etree._Element) -> None:
        properties = content = None
        for child in sdt:  # one pass, not two searches: a form can hold 100,000 controls
            if child.tag == _SDTPR and properties is None:
                properties = child
            elif child.tag == _SDTCONTENT and content is None:
                content = child
        if properties is None:
            properties = etree.Element(_SDTPR)
        block = parent.tag != _P
        nested = content is not None and any(True for _ in content.iter(_SDT))
        if nested and control_type(properties) in ("rich", "text"):
            # A container (or LibreOffice's wrapper round a checkbox): read what is inside; a
            # lone inner control without a name takes the wrapper's tag and alias.
            start = len(self.out)
            assert content is not None
            self.walk(content)
            inner = [t for t in self.out[start:] if t[0] == "field"]
            if len(inner) == 1:
                only = inner[0][1]
                assert isinstance(only, FormField)
                outer = read_control(properties, None)
                if not only.tag and not only.alias:
                    only.tag, only.alias = outer.tag, outer.alias
            return
        self.out.append(("field", read_control(properties, content)))
        if block and parent.tag not in (_TR, _TBL):
            self.out.append(("para", None))


def _box_state(item: object) -> object:
    """A tick box's state (for label pairing), or the item itself when it is not a box."""
    if isinstance(item, FormField) and item.kind in ("checkbox", "legacy-checkbox"):
        return bool(item.value)
    return item


def _first_line(text: str) -> str:
    line = next((ln for ln in text.split("\n") if ln.strip()), "")
    return clean_label(line)[:MAX_LABEL]


class _Labeller:
    """Pass two: pair every field and glyph box with its label and context."""

    def __init__(self, part: str) -> None:
        self.part = part
        self.fields: list[FormField] = []
        self.rows: list[tuple[str, str]] = []
        self.paragraphs: list[list[object]] = [[]]
        self.cell_paras: list[list[str]] = [[]]
        self.row_cells: list[list[str]] = [[]]
        self.row_has_field: list[bool] = [False]
        self.last_para = ""

    def fallback(self) -> str:
        """The nearest text before: earlier in this cell, the previous cell, the last paragraph."""
        if len(self.cell_paras) == 1:
            return self.last_para  # outside tables only the paragraph just before counts
        for text in reversed(self.cell_paras[-1]):
            if text:
                return text
        for text in reversed(self.row_cells[-1]):
            if text:
                return _first_line(text)
        return self.last_para

    def feed(self, tokens: list[Token]) -> None:
        for kind, value in tokens:
            if kind in ("text", "glyph", "field"):
                self.paragraphs[-1].append(value)
                if kind != "text":
                    self.row_has_field[-1] = True
            elif kind == "para":
                self.end_paragraph()
            elif kind == "box":
                self.paragraphs.append([])
            elif kind == "box_end":
                self.end_paragraph()
                self.paragraphs.pop()
            elif kind == "cell":
                self.end_paragraph()
                self.cell_paras.append([])
            elif kind == "cell_end":
                self.end_paragraph()
                text = "\n".join(t for t in self.cell_paras.pop() if t)
                self.row_cells[-1].append(text)
            elif kind == "row":
                self.row_cells.append([])
                self.row_has_field.append(False)
            elif kind == "row_end":
                cells = self.row_cells.pop()
                had_field = self.row_has_field.pop()
                if self.row_has_field:
                    self.row_has_field[-1] = self.row_has_field[-1] or had_field
                if len(cells) == 2 and not had_field and cells[0].strip():
                    self.rows.append((clean_label(cells[0]), cells[1].strip()))
        self.end_paragraph()

    def end_paragraph(self) -> None:
        items = self.paragraphs[-1]
        if not items:
            self.last_para = ""
            return
        self.paragraphs[-1] = []
        fallback = self.fallback()
        # Checkbox controls and legacy checkboxes pair with their labels as typed boxes do
        # ("[x] Home [ ] Care" labels each box by the word after it).
        boxes = [_box_state(item) for item in items]
        labels = {index: (label, context) for index, label, context in pair_labels(boxes)}
        near = _texts_near(items)
        for index, item in enumerate(items):
            if isinstance(boxes[index], bool):
                label, context = labels[index]
                if not label:  # a box alone in its cell: the label is in the cell before
                    label, context = fallback, None
                found = (
                    item
                    if isinstance(item, FormField)
                    else FormField(kind="glyph", value=bool(item))
                )
                self.add(found, label, context or fallback)
            elif isinstance(item, FormField):
                label = near.get(index, "")
                self.add(item, label or fallback, fallback if label else None)
        # A paragraph with fields in it labels its own fields only; an empty one breaks the
        # link between a label paragraph and a control further down.
        has_fields = any(not isinstance(i, str) for i in items)
        text = clean_label("".join(i for i in items if isinstance(i, str)))[:MAX_LABEL]
        if text and not has_fields:
            self.cell_paras[-1].append(text)
        self.last_para = "" if has_fields else text

    def add(self, found: FormField, label: str, context: str | None) -> None:
        found.label = label or None
        found.context = context or None
        found.part = self.part
        self.fields.append(found)


def _texts_near(items: list[object]) -> dict[int, str]:
    """For each field in ``items`` (anything not text), its label: the text before it back to
    the previous field, else the text after it up to the next one.

    One pass over the paragraph, each stretch of text joined and cleaned once, so a paragraph
    of 100,000 controls takes no longer per control than one of two.
    """
    stretches: list[tuple[int, int, str]] = []  # (first index, last index + 1, cleaned text)
    start: int | None = None
    for index, item in enumerate([*items, None]):
        if isinstance(item, str):
            if start is None:
                start = index
        elif start is not None:
            joined = "".join(str(i) for i in items[start:index])
            stretches.append((start, index, clean_label(joined)[:MAX_LABEL]))
            start = None
    ending = {end: text for _, end, text in stretches}
    beginning = {first: text for first, _, text in stretches}
    return {
        index: ending.get(index, "") or beginning.get(index + 1, "")
        for index, item in enumerate(items)
        if not isinstance(item, str)
    }


def _assign_keys(fields: list[FormField]) -> None:
    """Key = tag, else alias, else label, else kind and number; repeats get " (2)", " (3)"."""
    seen: dict[str, int] = {}
    for number, found in enumerate(fields, start=1):
        base = found.tag or found.alias or found.label or f"{found.kind} {number}"
        seen[base] = seen.get(base, 0) + 1
        found.key = base if seen[base] == 1 else f"{base} ({seen[base]})"


def _parts(package: zipfile.ZipFile) -> list[str]:
    names = package.namelist()
    others = sorted(n for n in names if _PART.match(n))
    return ["word/document.xml", *others]


def read_word_form(path: str | Path) -> WordForm:
    """All fields of a .docx (after the intake safety checks), in document order."""
    path = Path(path)
    form = WordForm()
    with open_office_zip(path, kind="docx") as package:
        for part in _parts(package):
            data = read_part(package, part, file=path)
            if is_strict(data):
                form.strict = True
                data = to_transitional(data)
            root = parse_xml(data, file=path, part=part)
            if part == "word/document.xml" and root.find(w("body")) is None:
                raise InputError(
                    "is not a Word document this version can read (no document body found)",
                    file=path,
                )
            tokens = _Tokens()
            tokens.walk(root)
            labeller = _Labeller(part)
            labeller.feed(tokens.out)
            form.fields.extend(labeller.fields)
            form.rows.extend(labeller.rows)
    _assign_keys(form.fields)
    return form


WORD_MESSAGES = Messages(
    timeout=(
        "reading the Word form took longer than {seconds}, so it was stopped; the "
        "file may be damaged or built to hang readers"
    ),
    memory=(
        "reading the Word form needed more than {megabytes:,} MB of memory, so it was stopped; "
        "the file may be damaged or built to exhaust readers"
    ),
    crash="the Word form is damaged and cannot be read",
    error=FormParseError,
)
"""How the Word form reader's worker reports a file it had to stop."""

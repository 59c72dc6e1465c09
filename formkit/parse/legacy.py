"""Legacy form fields (Word 97–2003 style): FORMTEXT, FORMCHECKBOX and FORMDROPDOWN.

Each is a complex field: a run with ``w:fldChar begin`` holding ``w:ffData`` (name and type),
the instruction, ``separate``, the shown result, then ``end``. Fields nest, so the walker keeps a
stack of :class:`OpenField` and feeds each the text between ``separate`` and ``end``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from formkit.ooxml import on_off, w
from formkit.parse.result import FormField

# Word shows five en-spaces (U+2002) in an empty FORMTEXT.
EMPTY_FORMTEXT = "\u2002" * 5


def _flag(element: etree._Element | None) -> bool | None:
    """A ``w:checked``/``w:default`` flag: a bare element is true; 0/1/true/false otherwise."""
    return on_off(element, w("val"))


@dataclass
class OpenField:
    """A complex field between its begin and end; ``form_data`` is None for non-form fields
    (PAGE, HYPERLINK…), whose shown result stays ordinary text."""

    form_data: etree._Element | None
    separated: bool = False
    result: list[str] = field(default_factory=list)

    def finish(self) -> FormField | None:
        if self.form_data is None:
            return None
        data = self.form_data
        name_element = data.find(w("name"))
        name = name_element.get(w("val")) if name_element is not None else None
        name = name or None
        checkbox = data.find(w("checkBox"))
        if checkbox is not None:
            checked = _flag(checkbox.find(w("checked")))
            if checked is None:
                checked = bool(_flag(checkbox.find(w("default"))))
            return FormField(kind="legacy-checkbox", value=checked, tag=name)
        listing = data.find(w("ddList"))
        if listing is not None:
            entries = [e.get(w("val")) or "" for e in listing.findall(w("listEntry"))]
            result = listing.find(w("result"))
            try:
                index = int(result.get(w("val")) or 0) if result is not None else 0
            except ValueError:
                index = 0
            chosen = entries[index] if 0 <= index < len(entries) else None
            return FormField(kind="legacy-dropdown", value=chosen or None, tag=name)
        text = "".join(self.result)
        if not text.strip() or text == EMPTY_FORMTEXT or set(text) <= {"\u2002", " "}:
            return FormField(kind="legacy-text", value=None, tag=name)
        return FormField(kind="legacy-text", value=text.strip(), tag=name)

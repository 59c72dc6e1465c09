"""Turning a Word XML part into Jinja source.

Word splits text into runs wherever formatting, spell-checking or editing history changes, so a
tag typed as ``{{ child.first_name }}`` may arrive as ``{{ child.`` + ``first_name }}``. This
module merges each tag back into one run, turns docxtpl-style block tags (``{%p if … %}``,
``{%tr for … %}``, ``{%tc … %}``, ``{%r … %}``) into Jinja around the whole paragraph, table row,
cell or run, and replaces each content control tagged with a data path by a call that fills it.
The result is text that Jinja compiles once per batch.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from formkit.model.paths import DATA_PATH
from formkit.ooxml import W, control_tag, w
from formkit.render.controls import Control

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
JINJA_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
BLOCK_TAG = re.compile(r"\{%(p|tr|tc|r)\s+(.*?)\s*%\}", re.DOTALL)
_OPENERS = ("{{", "{%", "{#")
_BLOCK_PARENT = {"p": "p", "tr": "tr", "tc": "tc", "r": "r"}
_PI = "fkjinja"
_PI_PATTERN = re.compile(r"<\?fkjinja (.*?)\?>", re.DOTALL)
_IN_TAG = re.compile(r"\{\{[^<]*?\}\}|\{%[^<]*?%\}")
_SMART = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
_ENTITIES = (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&apos;", "'"), ("&amp;", "&"))
_NEW_PARAGRAPH = re.compile(r"(<w:(?:p|tr)[ >]|<\?fkjinja )")
_NS_DECL = re.compile(r' xmlns:([A-Za-z0-9]+)="([^"]*)"')


@dataclass
class Prepared:
    """A part ready for Jinja, and the controls its ``fk_control(n)`` calls refer to."""

    source: str
    controls: list[Control] = field(default_factory=list)


def has_jinja(text: str) -> bool:
    return any(opener in text for opener in _OPENERS)


def merge_split_tags(root: etree._Element) -> None:
    """Move every Jinja tag that Word spread over several runs of a paragraph into its first run."""
    for paragraph in root.iter(w("p")):
        texts = [t for t in paragraph.iter(w("t")) if t.text]
        if len(texts) < 2:
            for t in texts:
                if has_jinja(t.text or ""):
                    t.set(XML_SPACE, "preserve")
            continue
        joined = "".join(t.text or "" for t in texts)
        if not has_jinja(joined):
            continue
        owner: list[int] = []
        for index, t in enumerate(texts):
            owner.extend([index] * len(t.text or ""))
        new_texts = ["" for _ in texts]
        position = 0
        for match in JINJA_TAG.finditer(joined):
            for i in range(position, match.start()):
                new_texts[owner[i]] += joined[i]
            new_texts[owner[match.start()]] += match.group(0)
            position = match.end()
        for i in range(position, len(joined)):
            new_texts[owner[i]] += joined[i]
        for t, text in zip(texts, new_texts, strict=True):
            if t.text != text:
                t.text = text
            if has_jinja(text) or text != text.strip():
                t.set(XML_SPACE, "preserve")


def _ancestor(element: etree._Element, local: str) -> etree._Element | None:
    node = element.getparent()
    while node is not None and node.tag != w(local):
        node = node.getparent()
    return node


def replace_block_tags(root: etree._Element) -> None:
    """``{%p if x %}`` alone in a paragraph → ``{% if x %}`` in place of the paragraph (and so on
    for ``tr`` rows, ``tc`` cells and ``r`` runs)."""
    for t in list(root.iter(w("t"))):
        match = BLOCK_TAG.search(t.text or "")
        if not match:
            continue
        kind, body = match.groups()
        target = _ancestor(t, _BLOCK_PARENT[kind])
        if target is None or target.getparent() is None:
            continue
        target.getparent().replace(target, etree.ProcessingInstruction(_PI, f"{{% {body} %}}"))


def replace_controls(root: etree._Element, controls: list[Control]) -> None:
    """Swap each content control tagged with a data path (and no Jinja inside) for a fill call."""
    replaced: set[etree._Element] = set()
    for sdt in list(root.iter(w("sdt"))):
        if any(a in replaced for a in sdt.iterancestors(w("sdt"))):
            continue
        tag = control_tag(sdt)
        if not tag or not DATA_PATH.match(tag):
            continue
        content = "".join(sdt.itertext())
        if has_jinja(content):
            continue
        controls.append(Control.compile(sdt, tag))
        parent = sdt.getparent()
        if parent is None:
            continue
        parent.replace(
            sdt, etree.ProcessingInstruction(_PI, f"{{{{ fk_control({len(controls) - 1}) }}}}")
        )
        replaced.add(sdt)


def _unescape_tag(match: re.Match[str]) -> str:
    text = match.group(0)
    for entity, char in _ENTITIES:
        text = text.replace(entity, char)
    return text.translate(_SMART)


def strip_redundant_namespaces(xml: str, nsmap: dict[str | None, str]) -> str:
    """Drop ``xmlns:x`` declarations that repeat the root's (lxml adds them to copied subtrees)."""
    declared = {prefix: uri for prefix, uri in nsmap.items() if prefix}

    def keep(match: re.Match[str]) -> str:
        return "" if declared.get(match.group(1)) == match.group(2) else match.group(0)

    return _NS_DECL.sub(keep, xml)


def prepare_part(
    data: bytes, *, parse: Callable[[bytes], etree._Element], controls: bool = True
) -> Prepared:
    """Word XML bytes → Jinja source (one paragraph or row per line, so errors have a line)."""
    root = parse(data)
    found: list[Control] = []
    merge_split_tags(root)
    replace_block_tags(root)
    if controls:
        replace_controls(root, found)
    body = etree.tostring(root, encoding="unicode")
    head, _, rest = body.partition(">")
    root_tag = head + ">"
    rest = _IN_TAG.sub(_unescape_tag, rest)
    rest = _NEW_PARAGRAPH.sub(lambda m: "\n" + m.group(1), rest)
    rest = _PI_PATTERN.sub(lambda m: m.group(1).translate(_SMART), rest)
    for control in found:
        control.as_is = strip_redundant_namespaces(control.as_is, root.nsmap)
        control.filled = strip_redundant_namespaces(control.filled, root.nsmap)
        control.checked = strip_redundant_namespaces(control.checked, root.nsmap)
        control.unchecked = strip_redundant_namespaces(control.unchecked, root.nsmap)
    declaration = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    return Prepared(source=declaration + root_tag + rest, controls=found)


__all__ = ["W", "Prepared", "has_jinja", "prepare_part"]

"""The fields of an AcroForm: fully qualified names, widgets, kinds, on-states and options.

Field names are data paths through the field hierarchy (``child`` → ``first_name`` is
``child.first_name``). Forms made by other tools sometimes use flat names with ``__`` for the
dot (``child__first_name``); :func:`data_path` reads both. The walk follows ``/Kids`` with a
visited set and a depth limit, so a form whose tree loops back on itself cannot hang it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

PUSH_BUTTON = 1 << 16
RADIO = 1 << 15
MULTILINE = 1 << 12
MAX_DEPTH = 32
SHOWN = "formkit_shown"
"""Parent of the read-only fields formkit's own forms show but never read back: worked out when
the form is filled, not a question on it. ``formkit_shown.council.p1`` (the council's name, in
each page's footer), ``formkit_shown.plan_when_found`` (from the latest meeting that recorded a
plan). The part after the prefix names the value (:func:`shown_key`)."""


def shown_key(path: str) -> str | None:
    """``council`` for ``formkit_shown.council.p1``; None for a field that is a question."""
    parts = path.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == SHOWN else None


def data_path(name: str) -> str:
    """The model data path a field name stands for."""
    if "." not in name and "__" in name:
        return name.replace("__", ".")
    return name


@dataclass
class Widget:
    ref: IndirectObject | None
    obj: DictionaryObject

    @property
    def size(self) -> tuple[float, float]:
        x1, y1, x2, y2 = (float(v) for v in self.obj.get("/Rect", [0, 0, 0, 0]))
        return abs(x2 - x1), abs(y2 - y1)

    def states(self) -> list[str]:
        """Names of the widget's normal appearances (a checkbox's on-state and /Off)."""
        ap = self.obj.get("/AP")
        normal = ap.get_object().get("/N") if ap is not None else None
        normal = normal.get_object() if normal is not None else None
        if isinstance(normal, DictionaryObject) and "/Subtype" not in normal:
            return [str(key) for key in normal]
        return []


@dataclass
class FormField:
    """One terminal field: its name, type, value and the widgets that show it."""

    name: str
    ref: IndirectObject | None
    obj: DictionaryObject
    kind: str
    flags: int
    value: Any
    label: str
    da: str
    widgets: list[Widget] = field(default_factory=list)

    @property
    def path(self) -> str:
        return data_path(self.name)

    @property
    def multiline(self) -> bool:
        return bool(self.flags & MULTILINE)

    def on_states(self) -> list[str]:
        states: list[str] = []
        for widget in self.widgets:
            states += [s for s in widget.states() if s != "/Off" and s not in states]
        return states

    def options(self) -> list[tuple[str, str]]:
        """(export value, display text) for a drop-down or list box."""
        pairs: list[tuple[str, str]] = []
        for item in self.obj.get("/Opt", []) or []:
            item = item.get_object() if hasattr(item, "get_object") else item
            if isinstance(item, ArrayObject) and len(item) >= 2:
                pairs.append((str(item[0]), str(item[1])))
            else:
                pairs.append((str(item), str(item)))
        return pairs


def _inherited(node: DictionaryObject, key: str, parents: list[DictionaryObject]) -> Any:
    if key in node:
        return node[key]
    for parent in reversed(parents):
        if key in parent:
            return parent[key]
    return None


def form_fields(reader: PdfReader) -> list[FormField] | None:
    """Every terminal field of the document's form, in order; None when it has no form."""
    root: Any = reader.trailer["/Root"].get_object()
    acroform = root.get("/AcroForm")
    if acroform is None:
        return None
    acroform = acroform.get_object()
    default_da = str(acroform.get("/DA", ""))
    found: list[FormField] = []
    seen: set[int] = set()

    def visit(ref: Any, names: list[str], parents: list[DictionaryObject]) -> None:
        if len(parents) > MAX_DEPTH:
            return
        if isinstance(ref, IndirectObject):
            if ref.idnum in seen:
                return
            seen.add(ref.idnum)
        node = ref.get_object() if hasattr(ref, "get_object") else ref
        if not isinstance(node, DictionaryObject):
            return
        own = [str(node["/T"])] if "/T" in node else []
        kids = [k for k in node.get("/Kids", []) or []]
        named_kids = [k for k in kids if "/T" in k.get_object()]
        if named_kids:
            for kid in kids:
                visit(kid, names + own, [*parents, node])
            return
        kind = _inherited(node, "/FT", parents)
        if kind is None or not (names + own):
            return
        flags = int(_inherited(node, "/Ff", parents) or 0)
        value = _inherited(node, "/V", parents)
        widgets = [
            Widget(k if isinstance(k, IndirectObject) else None, k.get_object()) for k in kids
        ]
        if not widgets:
            widgets = [Widget(ref if isinstance(ref, IndirectObject) else None, node)]
        found.append(
            FormField(
                name=".".join(names + own),
                ref=ref if isinstance(ref, IndirectObject) else None,
                obj=node,
                kind=str(kind),
                flags=flags,
                value=value.get_object() if hasattr(value, "get_object") else value,
                label=str(node.get("/TU", "")),
                da=str(_inherited(node, "/DA", parents) or default_da),
                widgets=widgets,
            )
        )

    for ref in acroform.get("/Fields", []) or []:
        visit(ref, [], [])
    return found

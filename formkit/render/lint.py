"""Template lint: what is wrong with a Word template, found before it is used on real records.

A council edits templates in Word, which can split a tag over several runs or paragraphs, and a
person can misspell a field. Lint reads every part the engine renders (body and tables, headers,
footers, notes, document properties) and reports, each with the template, the part, the
paragraph and a suggestion:

- tags Word split across paragraphs or left unclosed (``{{ child.first_``) and Jinja syntax errors
  (``{{ child.first_ name }}``, an ``{% if %}`` without ``{% endif %}``);
- data paths that are not in the episode model, checked through nested fields and loop variables
  (``{% for p in people.family %}{{ p.nmae }}``);
- unknown filters, and filters or attributes the sandbox refuses;
- content controls whose tag is not a data path of the model.
"""

from __future__ import annotations

import difflib
import typing
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from jinja2 import TemplateSyntaxError, nodes
from lxml import etree

from formkit.errors import FormkitError
from formkit.intake import check_office_zip, check_xml_bytes, safe_xml_parser
from formkit.model import EpisodeRecord, Meeting
from formkit.model.paths import (
    DATA_PATH,
    choice_problem,
    is_model,
    list_item,
    split_tag,
    trace,
    unwrap,
)
from formkit.ooxml import control_tag, w
from formkit.render.context import COMPUTED_NAMES, RECORD_FIELDS
from formkit.render.docx import _PLAIN_PART, _WORD_PART, location_of
from formkit.render.environment import REFUSED_FILTERS, make_environment
from formkit.render.preprocess import JINJA_TAG, has_jinja, prepare_part

ANY = "any"
_ENV = make_environment()
_COMPUTED_TYPES: dict[str, Any] = {
    "record": EpisodeRecord,
    "strategy_meeting": Meeting,
    "multi_agency_meeting": Meeting,
    "review_meeting": Meeting,
    "previous_meeting": Meeting,
}


@dataclass(frozen=True)
class Finding:
    """One fault in one template."""

    template: str
    part: str
    location: str
    message: str
    suggestion: str = ""

    def __str__(self) -> str:
        hint = f" — {self.suggestion}" if self.suggestion else ""
        return f"{self.template}: {self.part}: {self.location}: {self.message}{hint}"

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


# -- types of the episode model -----------------------------------------------------------------


def _attribute(kind: Any, name: str) -> tuple[Any, str | None]:
    """The type of ``kind.name`` and, when there is no such field, a message."""
    if is_model(kind):
        fields = kind.model_fields
        if name in fields:
            return unwrap(fields[name].annotation), None
        if not name.startswith("_") and hasattr(kind, name):
            return ANY, None  # a property or method such as child.full_name
        return ANY, f"'{name}' is not a field of {kind.__name__}"
    if typing.get_origin(kind) is dict:
        return unwrap(typing.get_args(kind)[1]), None
    return ANY, None


def _suggest(name: str, kind: Any) -> str:
    if is_model(kind):
        names = [
            *kind.model_fields,
            *(n for n in dir(kind) if isinstance(getattr(kind, n, None), property)),
        ]
        close = difflib.get_close_matches(name, names, n=1)
        if close:
            return f"did you mean '{close[0]}'?"
        return f"fields: {', '.join(kind.model_fields)}"
    return ""


def check_data_path(tag: str) -> str | None:
    """Why ``tag`` is not a data path of the episode model, or None when it is one."""
    if not DATA_PATH.match(tag):
        return "is not a data path (dotted lower-case names, e.g. child.first_name)"
    path, choice = split_tag(tag)
    found = trace(path)
    if found.problem is not None:
        if is_model(found.parent):
            return f"{found.problem} ({_suggest(found.step, found.parent)})"
        return found.problem
    if choice is not None:
        return choice_problem(found.kind, choice)
    if is_model(found.kind):
        return "names a whole section, not one field"
    return None


# -- walking the Jinja syntax tree --------------------------------------------------------------


class _Checker:
    """Walks a parsed template, tracking loop variables, and collects faults and paths used."""

    def __init__(self) -> None:
        self.faults: list[tuple[int, str, str]] = []
        self.paths: set[str] = set()
        self.scopes: list[dict[str, tuple[Any, str]]] = [
            {
                name: (unwrap(EpisodeRecord.model_fields[name].annotation), name)
                for name in RECORD_FIELDS
            }
            | {name: (_COMPUTED_TYPES.get(name, ANY), name) for name in COMPUTED_NAMES}
        ]

    def lookup(self, name: str) -> tuple[Any, str] | None:
        for scope in reversed(self.scopes):
            if name in scope:
                return scope[name]
        return None

    def fault(self, node: nodes.Node, message: str, suggestion: str = "") -> None:
        self.faults.append((node.lineno, message, suggestion))

    def type_of(self, node: nodes.Node) -> tuple[Any, str]:
        """The model type and dotted path of an expression (ANY when it cannot tell)."""
        if isinstance(node, nodes.Name):
            found = self.lookup(node.name)
            if found is None:
                close = difflib.get_close_matches(
                    node.name, [n for s in self.scopes for n in s], n=1
                )
                self.fault(
                    node,
                    f"unknown name '{node.name}'",
                    f"did you mean '{close[0]}'?" if close else "",
                )
                return ANY, ""
            return found
        if isinstance(node, nodes.Getattr):
            return self._member(node, node.node, node.attr)
        if isinstance(node, nodes.Getitem):
            base, path = self.type_of(node.node)
            self.visit(node.arg)
            if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
                return self._member(node, node.node, node.arg.value, base, path)
            if typing.get_origin(base) in (list, dict):
                return unwrap(typing.get_args(base)[-1]), f"{path}.*"
            return ANY, ""
        if isinstance(node, nodes.CondExpr):
            self.visit(node.test)
            kind, path = self.type_of(node.expr1)
            if node.expr2 is not None:
                self.visit(node.expr2)
            return kind, path
        self.visit(node)
        return ANY, ""

    def _member(
        self, node: nodes.Node, base_node: nodes.Node, name: str, base: Any = None, path: str = ""
    ) -> tuple[Any, str]:
        if base is None:
            base, path = self.type_of(base_node)
        if name.startswith("_"):
            self.fault(
                node, f"'{name}' is a private attribute; the sandbox refuses it", "use a field name"
            )
            return ANY, ""
        kind, problem = _attribute(base, name)
        if problem:
            self.fault(node, f"{path}.{name}: {problem}", _suggest(name, base))
            return ANY, ""
        full = f"{path}.{name}" if path else ""
        if full and not (is_model(kind)):
            self.paths.add(full)
        return kind, full

    def visit(self, node: nodes.Node) -> None:
        if isinstance(node, nodes.For):
            self.visit_for(node)
        elif isinstance(node, nodes.Name | nodes.Getattr | nodes.Getitem):
            if isinstance(node, nodes.Name) and node.ctx == "store":
                self.scopes[-1][node.name] = (ANY, "")
                return
            kind, path = self.type_of(node)
            if path and not (is_model(kind)):
                self.paths.add(path)
        elif isinstance(node, nodes.Filter):
            self.visit_filter(node)
        elif isinstance(node, nodes.Assign):
            self.visit(node.node)
            for name in node.target.find_all(nodes.Name):
                self.scopes[-1][name.name] = (ANY, "")
        elif isinstance(node, nodes.Macro | nodes.CallBlock):
            self.scopes.append({a.name: (ANY, "") for a in getattr(node, "args", [])})
            for child in node.body:
                self.visit(child)
            self.scopes.pop()
        else:
            for child in node.iter_child_nodes():
                self.visit(child)

    def visit_filter(self, node: nodes.Filter) -> None:
        if node.name in REFUSED_FILTERS:
            self.fault(node, REFUSED_FILTERS[node.name], "write the field path instead")
        elif node.name not in _ENV.filters:
            close = difflib.get_close_matches(node.name, list(_ENV.filters), n=1)
            self.fault(
                node,
                f"unknown filter '{node.name}'",
                f"did you mean '{close[0]}'?" if close else "",
            )
        for child in node.iter_child_nodes():
            self.visit(child)

    def visit_for(self, node: nodes.For) -> None:
        kind, path = self.type_of(node.iter)
        element = list_item(kind) if typing.get_origin(kind) is list else ANY
        scope: dict[str, tuple[Any, str]] = {"loop": (ANY, "")}
        if isinstance(node.target, nodes.Name):
            scope[node.target.name] = (element, f"{path}.*" if path else "")
        else:
            for name in node.target.find_all(nodes.Name):
                scope[name.name] = (ANY, "")
        self.scopes.append(scope)
        if node.test is not None:
            self.visit(node.test)
        for child in node.body:
            self.visit(child)
        self.scopes.pop()
        for child in node.else_:
            self.visit(child)


# -- reading a template -------------------------------------------------------------------------


def _parts(path: Path) -> list[tuple[str, bytes]]:
    check_office_zip(path, kind="docx")
    found = []
    with zipfile.ZipFile(path) as package:
        for name in package.namelist():
            if _WORD_PART.match(name) or _PLAIN_PART.match(name):
                data = package.read(name)
                check_xml_bytes(data, file=path, part=name)
                found.append((name, data))
    return found


def _paragraph_text(paragraph: etree._Element) -> str:
    return "".join(t.text or "" for t in paragraph.iter(w("t")))


def _split_tags(root: etree._Element) -> list[tuple[str, str]]:
    """Paragraphs whose ``{{``/``{%`` is not closed in the same paragraph (or the reverse)."""
    faults = []
    for paragraph in root.iter(w("p")):
        text = _paragraph_text(paragraph)
        rest = JINJA_TAG.sub("", text)
        if any(mark in rest for mark in ("{{", "{%", "}}", "%}")):
            faults.append(
                (" ".join(text.split())[:80], "a Jinja tag is not closed within this paragraph")
            )
    return faults


def lint_template(path: str | Path) -> list[Finding]:
    """Every fault found in the Word template at ``path`` (an empty list when it is sound)."""
    template = Path(path)
    name = template.name
    findings: list[Finding] = []
    try:
        parts = _parts(template)
    except FormkitError as exc:
        return [Finding(name, "-", "-", exc.message)]
    parser = safe_xml_parser()
    for part, data in parts:
        try:
            root = etree.fromstring(data, parser)
        except etree.XMLSyntaxError as exc:
            findings.append(Finding(name, part, "-", f"not well-formed XML: {exc}"))
            continue
        for where, message in _split_tags(root):
            findings.append(
                Finding(name, part, f"paragraph '{where}'", message,
                        "Word may have split the tag; retype it in one go or close it in the same paragraph")
            )  # fmt: skip
        for sdt in root.iter(w("sdt")):
            tag = control_tag(sdt)
            if tag is None or has_jinja("".join(sdt.itertext())):
                continue
            problem = check_data_path(tag)
            if problem:
                alias = sdt.find(f"{w('sdtPr')}/{w('alias')}")
                label = alias.get(w("val")) if alias is not None else tag
                findings.append(
                    Finding(name, part, f"content control '{label}'", f"tag '{tag}' {problem}",
                            "set the control's tag to a data path (formkit templates fields rhi-form lists them)")
                )  # fmt: skip
        text = data.decode("utf-8", errors="replace")
        if not has_jinja(text):
            continue
        source = prepare_part(data, parse=lambda blob: etree.fromstring(blob, parser)).source
        try:
            tree = _ENV.parse(source)
        except TemplateSyntaxError as exc:
            findings.append(
                Finding(name, part, location_of(source, exc.lineno or 0), f"Jinja syntax error: {exc.message}",
                        "check the tag is typed whole, e.g. {{ child.first_name }}, and every {% if %} has its {% endif %}")
            )  # fmt: skip
            continue
        checker = _Checker()
        checker.visit(tree)
        for line, message, suggestion in checker.faults:
            findings.append(Finding(name, part, location_of(source, line), message, suggestion))
    return findings


def template_fields(path: str | Path) -> dict[str, list[str]]:
    """The data paths a template reads: from Jinja (``*`` marks a list item) and control tags."""
    template = Path(path)
    parser = safe_xml_parser()
    jinja: set[str] = set()
    controls: list[str] = []
    for _part, data in _parts(template):
        root = etree.fromstring(data, parser)
        controls += [t for sdt in root.iter(w("sdt")) if (t := control_tag(sdt))]
        if has_jinja(data.decode("utf-8", errors="replace")):
            source = prepare_part(data, parse=lambda blob: etree.fromstring(blob, parser)).source
            try:
                checker = _Checker()
                checker.visit(_ENV.parse(source))
                jinja |= checker.paths
            except TemplateSyntaxError:
                continue
    return {"jinja": sorted(jinja), "controls": controls}

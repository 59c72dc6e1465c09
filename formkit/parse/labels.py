"""Naming fields by data path: our template's aliases and labels, and mappings for foreign forms.

LibreOffice drops ``w:tag`` when it re-saves a form, so the alias → path map is built from the
shipped ``formkit/templates/rhi-form.docx`` itself: a re-saved form still maps. A form that is not ours
(a charity's own RHI form) is mapped by its visible labels through a mapping file in
``formkit/parse/mappings/`` (``barnardos-rhi.yaml``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from formkit.errors import FormParseError
from formkit.parse.result import FormField
from formkit.resources import bundled

MAPPINGS_DIR = bundled("parse", "mappings")


@lru_cache(maxsize=8192)
def normalise(text: str) -> str:
    """Labels compare without case, punctuation or spacing; '&' reads as 'and'."""
    text = text.lower().replace("&", " and ").replace("’", "'")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


@dataclass(frozen=True)
class Rule:
    label: str
    path: str
    context: str | None = None
    occurrence: int | None = None  # the n-th field with this label (and context), from 1

    def matches(self, names: list[str], context: str) -> bool:
        if self.context is not None and not context.startswith(self.context):
            return False
        return self.label in names


@dataclass
class LabelMapping:
    """Label rules for one kind of form: ``fields`` match controls and boxes by the label beside
    them (and optionally the question before them), ``rows`` match two-cell text rows."""

    name: str
    title: str = ""
    fields: list[Rule] = field(default_factory=list)
    rows: dict[str, str] = field(default_factory=dict)
    file: str = ""
    printed_rows: bool = False  # two-cell text rows are the form's own print, not answers

    def __post_init__(self) -> None:
        # Rules by label; rules naming a context are more specific, so they come first.
        self._by_label: dict[str, list[Rule]] = {}
        for rule in sorted(self.fields, key=lambda r: (r.context is None, r.occurrence is None)):
            self._by_label.setdefault(rule.label, []).append(rule)

    def path_for(self, found: FormField, occurrence: int | None = None) -> str | None:
        context = normalise(found.context or "")
        for name in (found.label, found.alias, found.key):
            for rule in self._by_label.get(normalise(name), []) if name else []:
                if rule.context is not None and not context.startswith(rule.context):
                    continue
                if rule.occurrence is not None and rule.occurrence != occurrence:
                    continue
                return rule.path
        return None

    def paths_for(self, fields: list[FormField]) -> list[str | None]:
        """The path of each field in order; a rule with ``occurrence`` names only the n-th
        field with its label (three boxes all labelled "Health" in a grid row)."""
        seen: dict[tuple[str, str], int] = {}
        paths: list[str | None] = []
        for found in fields:
            key = (normalise(found.name or ""), normalise(found.context or ""))
            seen[key] = seen.get(key, 0) + 1
            paths.append(self.path_for(found, seen[key]))
        return paths

    def row_path(self, label: str) -> str | None:
        return self.rows.get(normalise(label))


def load_mapping(name_or_path: str | Path) -> LabelMapping:
    """A mapping by name (``barnardos-rhi``) or by file path; errors name the file and entry."""
    path = Path(name_or_path)
    if not path.suffix:
        path = MAPPINGS_DIR / f"{name_or_path}.yaml"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in MAPPINGS_DIR.glob("*.yaml")))
        raise FormParseError(f"no such label mapping (known: {known})", file=path)
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise FormParseError(f"is not a readable YAML mapping ({exc})", file=path) from exc
    if not isinstance(data, dict) or not isinstance(data.get("fields", []), list):
        raise FormParseError("a mapping needs a 'fields:' list", file=path)
    rules = []
    for number, item in enumerate(data.get("fields") or [], start=1):
        if not isinstance(item, dict) or not item.get("label") or "path" not in item:
            raise FormParseError(
                "each entry needs a 'label' and a 'path'", file=path, record=f"entry {number}"
            )
        if not item["path"]:
            continue  # a field a person has chosen not to read (path left blank in a draft)
        context, occurrence = item.get("context"), item.get("occurrence")
        if occurrence is not None and not (isinstance(occurrence, int) and occurrence > 0):
            raise FormParseError(
                "'occurrence' must be a whole number from 1", file=path, record=f"entry {number}"
            )
        rules.append(
            Rule(
                label=normalise(str(item["label"])),
                path=str(item["path"]),
                context=normalise(str(context)) if context else None,
                occurrence=occurrence,
            )
        )
    rows = {normalise(str(k)): str(v) for k, v in (data.get("rows") or {}).items()}
    return LabelMapping(
        name=str(data.get("name") or path.stem),
        title=str(data.get("title") or ""),
        fields=rules,
        rows=rows,
        file=str(path),
        printed_rows=bool(data.get("printed_rows", False)),
    )


@lru_cache(maxsize=8)
def _mapping_cached(name: str) -> LabelMapping:
    return load_mapping(name)


def shipped_mappings() -> list[LabelMapping]:
    """Every mapping in ``formkit/parse/mappings/`` (tried in turn on a form without our tags)."""
    return [_mapping_cached(p.stem) for p in sorted(MAPPINGS_DIR.glob("*.yaml"))]


@dataclass
class TemplateNames:
    """What our own form's controls are called: alias → path and (unique) label → path."""

    paths: frozenset[str]
    by_alias: dict[str, str]
    by_label: dict[tuple[str, str], str]

    def path_for(self, found: FormField) -> str | None:
        if found.tag and found.tag in self.paths:
            return found.tag
        if found.alias and found.alias in self.by_alias:
            return self.by_alias[found.alias]
        if found.label:
            key = (normalise(found.context or ""), normalise(found.label))
            return self.by_label.get(key) or self.by_label.get(("", key[1]))
        return None


@lru_cache(maxsize=4)
def template_names(template: Path | None = None) -> TemplateNames:
    """Read the shipped ``rhi-form.docx`` once: its tags, aliases and labels."""
    from formkit.parse.docx import read_word_form
    from formkit.render.catalog import templates_dir

    path = template or templates_dir() / "rhi-form.docx"
    if not path.is_file():
        return TemplateNames(frozenset(), {}, {})
    fields = [f for f in read_word_form(path).fields if f.tag]
    by_alias = {f.alias: f.tag for f in fields if f.alias and f.tag}
    counts: dict[str, int] = {}
    for f in fields:
        if f.label:
            counts[normalise(f.label)] = counts.get(normalise(f.label), 0) + 1
    pairs: dict[tuple[str, str], int] = {}
    for f in fields:
        if f.label and f.context:
            key = (normalise(f.context), normalise(f.label))
            pairs[key] = pairs.get(key, 0) + 1
    by_label: dict[tuple[str, str], str] = {}
    for f in fields:
        if f.label and f.tag:
            label = normalise(f.label)
            # Only a label (with its context) that names one control can name it: the three
            # boxes of a grid row all say "CAMHS".
            if f.context and pairs[(normalise(f.context), label)] == 1:
                by_label[(normalise(f.context), label)] = f.tag
            if counts[label] == 1:
                by_label[("", label)] = f.tag
    return TemplateNames(frozenset(f.tag for f in fields if f.tag), by_alias, by_label)

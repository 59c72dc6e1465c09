"""Declarative form layouts: the YAML files in ``layouts/`` say what a PDF form asks and where.

A layout lists sections of fields; each field names its *data path* in the episode model, a
label, a kind (text, multiline, date, datetime, checkbox, yesno, dropdown, scale, checklist,
grid) and its width in a six-column grid. The builder (:mod:`formkit.pdf.build`) flows the
sections down A4 pages, so a layout never spells out coordinates and stays easy to edit.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from formkit import model
from formkit.errors import TemplateError
from formkit.resources import bundled
from formkit.words import label

LAYOUTS = bundled("pdf", "layouts")
COLUMNS = 6

FieldKind = Literal[
    "text",
    "multiline",
    "date",
    "datetime",
    "checkbox",
    "yesno",
    "dropdown",
    "scale",
    "checklist",
    "grid",
    "static",
]


def readable(value: str) -> str:
    """``found_by_school`` → "Found by school": a choice's words, from :mod:`formkit.words`
    (the same words as Word documents and the tracker)."""
    return label(value)


def enum_named(name: str) -> type[StrEnum]:
    """The model's choice list called ``name`` (e.g. ``LegalStatus``)."""
    found = getattr(model, name, None)
    if not (isinstance(found, type) and issubclass(found, StrEnum)):
        raise TemplateError(f"layout names an unknown choice list '{name}'")
    return found


class FieldSpec(BaseModel):
    """One question on the form (or a group of tick boxes, for checklists and grids)."""

    model_config = ConfigDict(extra="forbid")

    path: str = ""
    label: str
    kind: FieldKind = "text"
    width: int = Field(COLUMNS, ge=1, le=COLUMNS)
    lines: int = Field(4, ge=2, le=40, description="Height of a multiline box, in lines")
    choices: str | None = Field(None, description="Model enum for dropdown/checklist/grid rows")
    columns: list[str] = Field(default_factory=list, description="Grid columns (model fields)")
    column_labels: list[str] = Field(default_factory=list)
    labels: dict[str, str] = Field(default_factory=dict, description="Display text per choice")

    @model_validator(mode="after")
    def _complete(self) -> FieldSpec:
        if self.kind != "static" and not self.path:
            raise ValueError(f"field '{self.label}' needs a data path")
        if self.kind in {"dropdown", "checklist", "grid"} and not self.choices:
            raise ValueError(f"{self.kind} field '{self.path}' needs 'choices' (a model enum)")
        if self.kind == "grid" and not self.columns:
            raise ValueError(f"grid '{self.path}' needs 'columns'")
        return self

    def options(self) -> list[tuple[str, str]]:
        """(export value, display text) pairs for dropdowns, checklists and grid rows."""
        if self.kind == "yesno":
            return [("yes", "Yes"), ("no", "No")]
        if self.kind == "scale":
            return [(str(n), str(n)) for n in range(1, 6)]
        if not self.choices:
            return []
        return [
            (m.value, self.labels.get(m.value, readable(m.value))) for m in enum_named(self.choices)
        ]

    def data_paths(self) -> list[str]:
        """Every AcroForm field this spec becomes, named by its data path."""
        if self.kind == "static":
            return []
        if self.kind == "checklist":
            return [f"{self.path}={value}" for value, _ in self.options()]
        if self.kind == "grid":
            return [f"{self.path}.{row}.{col}" for row, _ in self.options() for col in self.columns]
        return [self.path]


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid")

    heading: str
    note: str | None = None
    new_page: bool = False
    fields: list[FieldSpec]


class Layout(BaseModel):
    """A whole form: title, an introduction and its sections in order."""

    model_config = ConfigDict(extra="forbid")

    id: str
    title: str
    subtitle: str | None = None
    intro: str | None = None
    sections: list[Section]

    def specs(self) -> list[FieldSpec]:
        return [spec for section in self.sections for spec in section.fields]

    def data_paths(self) -> list[str]:
        paths = [path for spec in self.specs() for path in spec.data_paths()]
        duplicates = sorted({p for p in paths if paths.count(p) > 1})
        if duplicates:
            raise TemplateError(f"layout '{self.id}' uses a data path twice: {duplicates[0]}")
        return paths


@cache
def load_layout(name: str) -> Layout:
    """Read ``layouts/<name>.yaml`` (a form id such as ``nyas-referral``)."""
    path = LAYOUTS / f"{name}.yaml"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in LAYOUTS.glob("*.yaml")))
        raise TemplateError(f"no PDF layout called '{name}' (known: {known})")
    try:
        layout = Layout.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (yaml.YAMLError, ValidationError) as exc:
        raise TemplateError(f"layout is malformed: {exc}", file=path) from exc
    layout.data_paths()
    return layout


def layout_names() -> list[str]:
    return sorted(p.stem for p in LAYOUTS.glob("*.yaml"))

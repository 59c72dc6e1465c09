"""The templates as batches: list them, show the data paths one reads, lint them.

The batches behind ``formkit templates list|fields|lint``, each returning a
:class:`~formkit.batch.BatchResult` so a web page or a notebook gets the same shape as the
command line's ``--json``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from formkit.batch import BatchResult
from formkit.render.catalog import Catalog


@dataclass(kw_only=True)
class TemplateList(BatchResult):
    """The catalogue's templates, one dict each: id, title, format, file, profiles, output."""

    templates: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"templates": self.templates, **super().as_dict()}


def list_templates(catalog_dir: str | Path | None = None) -> TemplateList:
    """Every template of the catalogue (a council's own folder with ``catalog_dir``)."""
    return TemplateList(
        templates=[
            {
                "id": e.id,
                "title": e.title,
                "format": e.format,
                "file": str(e.path),
                "profiles": e.profiles if e.profiles == "all" else list(e.profiles),
                "output": e.output,
            }
            for e in Catalog.load(catalog_dir)
        ]
    )


@dataclass(kw_only=True)
class TemplateFields(BatchResult):
    """The data paths one template reads: from Jinja (``*`` marks a list item) and from the
    tags of its content controls."""

    template: str
    jinja: list[str] = field(default_factory=list)
    controls: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "template": self.template,
            "jinja": self.jinja,
            "controls": self.controls,
            **super().as_dict(),
        }


def template_paths(spec: str, catalog_dir: str | Path | None = None) -> TemplateFields:
    """The data paths the template ``spec`` (a catalogue id or a .docx path) reads."""
    from formkit.render.lint import template_fields
    from formkit.render.pack import resolve_template

    entry = resolve_template(spec, Catalog.load(catalog_dir))
    found = template_fields(entry.path)
    return TemplateFields(template=entry.id, jinja=found["jinja"], controls=found["controls"])


@dataclass(kw_only=True)
class LintResult(BatchResult):
    """The templates checked and each fault found (as ``problems``, and as the findings with
    their suggestion for people)."""

    checked: list[Path] = field(default_factory=list)
    findings: list[Any] = field(default_factory=list)  # formkit.render.lint.Finding

    def as_dict(self) -> dict[str, Any]:
        return {"checked": [str(p) for p in self.checked], **super().as_dict()}


def lint_templates(specs: Sequence[str] = (), catalog_dir: str | Path | None = None) -> LintResult:
    """Lint the templates ``specs`` (ids or .docx paths); none: every Word template of the
    catalogue."""
    from formkit.render.lint import lint_template
    from formkit.render.pack import resolve_template

    catalog = Catalog.load(catalog_dir)
    if specs:
        checked = [resolve_template(spec, catalog).path for spec in specs]
    else:
        checked = [e.path for e in catalog if e.format == "docx"]
    findings = [finding for path in checked for finding in lint_template(path)]
    return LintResult(checked=checked, findings=findings, problems=[f.problem for f in findings])

"""Rendering Word documents from episodes: templates compiled once, filled per record.

WordTemplate(path).render(record)        one .docx as bytes
render_files(files, out_dir, ...)        many records × templates, problems collected
Catalog.load()                           the shipped templates (``formkit/templates/catalog.yaml``)
lint_template(path)                      what is wrong with a template before it is used
convert_to_pdf(files, out_dir)           LibreOffice, up to ``jobs`` processes at once
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from formkit.lazy import lazy_names

if TYPE_CHECKING:
    from formkit.render.catalog import Catalog, CatalogEntry
    from formkit.render.convert import convert_to_pdf
    from formkit.render.docx import WordTemplate
    from formkit.render.lint import Finding, lint_template, template_fields
    from formkit.render.pack import RenderFailure, RenderResult, render_batch, render_files

# name -> the module it lives in, imported when the name is first used
_PUBLIC = {
    "Catalog": "formkit.render.catalog",
    "CatalogEntry": "formkit.render.catalog",
    "convert_to_pdf": "formkit.render.convert",
    "WordTemplate": "formkit.render.docx",
    "Finding": "formkit.render.lint",
    "lint_template": "formkit.render.lint",
    "template_fields": "formkit.render.lint",
    "RenderFailure": "formkit.render.pack",
    "RenderResult": "formkit.render.pack",
    "render_batch": "formkit.render.pack",
    "render_files": "formkit.render.pack",
}
__getattr__, __dir__ = lazy_names(__name__, _PUBLIC)

__all__ = [
    "Catalog",
    "CatalogEntry",
    "Finding",
    "RenderFailure",
    "RenderResult",
    "WordTemplate",
    "convert_to_pdf",
    "lint_template",
    "render_batch",
    "render_files",
    "template_fields",
]

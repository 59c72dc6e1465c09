"""Rendering Word documents from episodes: templates compiled once, filled per record.

WordTemplate(path).render(record)        one .docx as bytes
render_files(files, out_dir, ...)        many records × templates, problems collected
Catalog.load()                           the shipped templates (``formkit/templates/catalog.yaml``)
lint_template(path)                      what is wrong with a template before it is used
convert_to_pdf(files, out_dir)           LibreOffice, up to ``jobs`` processes at once
"""

from __future__ import annotations

from formkit.render.catalog import Catalog, CatalogEntry
from formkit.render.convert import convert_to_pdf
from formkit.render.docx import WordTemplate
from formkit.render.lint import Finding, lint_template, template_fields
from formkit.render.pack import RenderFailure, RenderResult, render_batch, render_files

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

"""Rendering Word documents from episodes: templates compiled once, filled per record.

WordTemplate(path).render(record)        one .docx as bytes
render_batch(...)                        many records × templates, failures collected
Catalog.load()                           the shipped templates (``templates/catalog.yaml``)
lint_template(path)                      what is wrong with a template before it is used
"""

from __future__ import annotations

from formkit.render.catalog import Catalog, CatalogEntry
from formkit.render.docx import WordTemplate

__all__ = [
    "Catalog",
    "CatalogEntry",
    "WordTemplate",
]

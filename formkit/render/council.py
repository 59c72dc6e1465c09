"""A council's own templates folder: a copy of the shipped set, with its edited templates.

``formkit serve --templates DIR`` (and ``FORMKIT_TEMPLATES=DIR`` for the commands) use the
catalogue in ``DIR`` when it has one. :func:`use_template` puts an edited Word template into
that folder only when :func:`~formkit.render.lint.lint_template` finds nothing wrong with it;
the first time, the shipped set is copied in so the folder is complete, and each template it
replaces is kept in ``DIR/replaced/``.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from formkit.errors import OutputError, TemplateError
from formkit.fileio import write_atomic
from formkit.render.catalog import Catalog, bundled_templates
from formkit.render.lint import Finding, lint_template

CATALOGUE = "catalog.yaml"
REPLACED = "replaced"


def catalog_folder(folder: Path | None) -> Path | None:
    """``folder`` when it holds a catalogue, else None (the shipped templates): a council's
    folder is empty until its first edited template is used."""
    if folder is not None and (folder / CATALOGUE).is_file():
        return folder
    return None


def council_catalog(folder: Path | None) -> Catalog:
    """The catalogue of ``folder`` when it holds one; otherwise the shipped templates'."""
    return Catalog.load(catalog_folder(folder) or bundled_templates())


@dataclass
class TemplateUse:
    """What :func:`use_template` did: the faults found, or where the template now is."""

    template: str
    findings: list[Finding] = field(default_factory=list)
    saved: Path | None = None
    replaced: Path | None = None  # the previous version, kept

    @property
    def ok(self) -> bool:
        return not self.findings


def _copy_shipped(folder: Path) -> None:
    try:
        shutil.copytree(bundled_templates(), folder, dirs_exist_ok=True)
    except (OSError, shutil.Error) as error:
        raise OutputError(
            f"the shipped templates could not be copied here ({error})", file=folder
        ) from error


def use_template(
    folder: Path, template_id: str, edited: Path, *, now: datetime | None = None
) -> TemplateUse:
    """Lint ``edited``; when it is sound, make it the council's ``template_id`` in ``folder``.

    Nothing is changed when lint finds a fault (they are returned). Only Word templates can be
    replaced this way.
    """
    if not (folder / CATALOGUE).is_file():
        _copy_shipped(folder)
    entry = council_catalog(folder).get(template_id)
    if entry.format != "docx":
        raise TemplateError(
            f"'{template_id}' is a PDF form; only Word templates can be replaced here"
        )
    result = TemplateUse(template_id, findings=lint_template(edited))
    if result.findings:
        return result
    if entry.path.is_file():
        stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
        kept = folder / REPLACED / f"{entry.path.stem}-{stamp}{entry.path.suffix}"
        kept.parent.mkdir(exist_ok=True)
        shutil.copy2(entry.path, kept)
        result.replaced = kept
    result.saved = write_atomic(entry.path, edited.read_bytes())
    return result

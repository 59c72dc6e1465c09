"""The template catalogue (``catalog.yaml``): which documents exist, in which format,
for which protocol profiles, and what their output files are called.

The folder is ``formkit/templates/`` inside the installed package (read with
:mod:`importlib.resources`), or a council's own edited set: the folder named by the
``FORMKIT_TEMPLATES`` environment variable, or the one passed to :meth:`Catalog.load`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml

from formkit.errors import TemplateError
from formkit.model import EpisodeRecord
from formkit.resources import bundled

_FIELD = re.compile(r"\{([a-z_.]+)\}")
Format = Literal["docx", "pdf"]


def bundled_templates() -> Path:
    """The templates shipped inside the formkit package."""
    return bundled("templates")


def templates_dir() -> Path:
    """The templates in use: ``FORMKIT_TEMPLATES`` (a council's own folder) or the shipped ones."""
    return Path(os.environ.get("FORMKIT_TEMPLATES") or bundled_templates())


@dataclass(frozen=True)
class CatalogEntry:
    id: str
    title: str
    format: Format
    path: Path
    profiles: tuple[str, ...] | Literal["all"]
    output: str

    def used_by(self, profile: str) -> bool:
        return self.profiles == "all" or profile in self.profiles

    def output_name(self, record: EpisodeRecord) -> str:
        """The output file name for ``record`` (``{episode.reference}-missing-profile.docx``)."""

        def fill(match: re.Match[str]) -> str:
            name = match.group(1)
            if name == "id":
                return self.id
            node: Any = record
            for step in name.split("."):
                node = getattr(node, step, None)
            text = str(node if node is not None else "")
            return re.sub(r"[^A-Za-z0-9._-]+", "-", text)

        return _FIELD.sub(fill, self.output)

    def output_names(self) -> list[tuple[str, str]]:
        """The names this template's documents can take, as patterns, each with what makes it:
        the document itself, and for a Word template the PDF LibreOffice makes of it."""
        name = self.output.replace("{id}", self.id)
        names = [(name, f"'{self.id}'")]
        if self.format == "docx" and name.lower().endswith(".docx"):
            names.append((name[: -len(".docx")] + ".pdf", f"'{self.id}' as PDF"))
        return names


def _check_names(entries: list[CatalogEntry], file: Path) -> None:
    """No two templates may make the same file name: in one output folder (or one episode's
    folder of a zip) the later document would silently replace the earlier one."""
    seen: dict[str, str] = {}
    for entry in entries:
        for name, maker in entry.output_names():
            other = seen.setdefault(name.lower(), maker)
            if other != maker:
                raise TemplateError(
                    f"{other} and {maker} would both make {name}, so one would replace the "
                    "other; give one of them another output (the shipped catalogue names the "
                    'fillable PDF forms "{episode.reference}-{id}.pdf")',
                    file=file,
                    record=entry.id,
                )


class Catalog:
    """The entries of one ``catalog.yaml``, by id."""

    def __init__(self, entries: list[CatalogEntry], file: Path) -> None:
        self.entries = {entry.id: entry for entry in entries}
        self.file = file

    @classmethod
    def load(cls, folder: str | Path | None = None) -> Catalog:
        base = Path(folder) if folder is not None else templates_dir()
        file = base / "catalog.yaml"
        try:
            data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
        except OSError as exc:
            raise TemplateError(
                f"cannot read the template catalogue: {exc.strerror}", file=file
            ) from exc
        except yaml.YAMLError as exc:
            raise TemplateError(
                f"the template catalogue is not valid YAML: {exc}", file=file
            ) from exc
        items = data.get("templates") if isinstance(data, dict) else None
        if not isinstance(items, list):
            raise TemplateError("the catalogue needs a 'templates:' list", file=file)
        entries = [cls._entry(item, base, file, n) for n, item in enumerate(items, start=1)]
        _check_names(entries, file)
        return cls(entries, file)

    @staticmethod
    def _entry(item: Any, base: Path, file: Path, number: int) -> CatalogEntry:
        where = f"entry {number}"
        if not isinstance(item, dict):
            raise TemplateError("each template entry must be a mapping", file=file, record=where)
        missing = [k for k in ("id", "title", "file", "output") if not item.get(k)]
        if missing:
            raise TemplateError(f"missing {', '.join(missing)}", file=file, record=where)
        fmt = item.get("format", "docx")
        if fmt not in ("docx", "pdf"):
            raise TemplateError(
                f"format must be docx or pdf, not '{fmt}'", file=file, record=item["id"]
            )
        profiles = item.get("profiles", "all")
        chosen: tuple[str, ...] | Literal["all"] = (
            "all" if profiles == "all" else tuple(str(p) for p in (profiles or []))
        )
        return CatalogEntry(
            id=str(item["id"]),
            title=str(item["title"]),
            format=fmt,
            path=base / str(item["file"]),
            profiles=chosen,
            output=str(item["output"]),
        )

    def get(self, template_id: str) -> CatalogEntry:
        try:
            return self.entries[template_id]
        except KeyError:
            import difflib

            close = difflib.get_close_matches(template_id, list(self.entries), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            known = ", ".join(sorted(self.entries))
            raise TemplateError(
                f"no template called '{template_id}'{hint} (known: {known})"
            ) from None

    def __iter__(self) -> Iterator[CatalogEntry]:
        return iter(self.entries.values())

    def __contains__(self, template_id: object) -> bool:
        return template_id in self.entries

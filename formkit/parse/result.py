"""What a parse returns: the fields found in a form, and the per-file report."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Value = str | bool | None


@dataclass
class FormField:
    """One fillable thing found in a form: a content control, a legacy field, a typed glyph box.

    ``key`` is what the form calls it (the tag, else the alias, else the label beside it);
    ``label`` is the visible text beside it and ``context`` the nearest heading-like text before
    it (a question, a table's first column), which label mappings use to tell apart two boxes
    both labelled "2".
    """

    kind: str
    value: Value
    tag: str | None = None
    alias: str | None = None
    label: str | None = None
    context: str | None = None
    part: str = "word/document.xml"
    key: str = ""
    warning: str | None = None

    @property
    def name(self) -> str:
        """The best human name for reports: label, else alias, else key."""
        return self.label or self.alias or self.key


@dataclass
class ParseResult:
    """The data read from one form and the report on it.

    ``data`` is episode-shaped (``{"episode": {"reference": …}, "return_interview": {…}}``), or
    ``{key: value}`` for every control when parsed with ``raw=True``. ``fields_read`` and
    ``empty`` list data paths (or keys in raw mode); ``unmapped`` keeps every field the parser
    could not place, with its label, so nothing typed into a form is silently dropped.
    """

    file: str
    data: dict[str, Any] = field(default_factory=dict)
    fields_read: list[str] = field(default_factory=list)
    empty: list[str] = field(default_factory=list)
    unmapped: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    complete: bool = False
    mapping: str | None = None

    @property
    def reference(self) -> str | None:
        episode = self.data.get("episode")
        if isinstance(episode, dict):
            value = episode.get("reference")
            return value if isinstance(value, str) else None
        return None

    @property
    def police_reference(self) -> str | None:
        """The police's missing-person reference, when the form gives one (``MP/2026/004417``)."""
        episode = self.data.get("episode")
        if isinstance(episode, dict):
            value = episode.get("police_reference")
            return value if isinstance(value, str) else None
        return None

    def report(self) -> dict[str, Any]:
        return {
            "fields_read": self.fields_read,
            "empty": self.empty,
            "unmapped": self.unmapped,
            "warnings": self.warnings,
            "complete": self.complete,
            "mapping": self.mapping,
        }

    def as_json(self) -> dict[str, Any]:
        """The JSONL line shape the tracker reads: ``{"file", "data", "report"}``."""
        return {"file": self.file, "data": self.data, "report": self.report()}

"""The Word engine: a .docx template compiled once, rendered for many records.

``WordTemplate(path)`` reads the package once, turns every XML part that holds Jinja or tagged
content controls (body, headers, footers, foot/endnotes, document properties) into a compiled
Jinja template, and keeps every other member's compressed bytes. ``render(record)`` fills the
compiled parts and writes a new package around the untouched members: no re-reading or
re-parsing of the .docx per record.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import Template, TemplateSyntaxError
from jinja2.exceptions import SecurityError, TemplateAssertionError, UndefinedError
from markupsafe import Markup

from formkit.errors import FormkitError, RenderError, TemplateError
from formkit.intake import check_office_zip, check_xml_bytes, safe_xml_parser
from formkit.model import EpisodeRecord
from formkit.render.context import build_context
from formkit.render.controls import Control
from formkit.render.environment import REFUSED_FILTERS, make_environment, render_capped
from formkit.render.preprocess import has_jinja, prepare_part
from formkit.render.ziparchive import Member, member_from_bytes, read_members, write_zip

_WORD_PART = re.compile(r"^word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml$")
_PLAIN_PART = re.compile(r"^docProps/(core|app)\.xml$")
_TAGS = re.compile(r"<[^>]*>")
_WORD_ENV = make_environment()
_PLAIN_ENV = make_environment(plain=True)


@dataclass
class CompiledPart:
    name: str
    template: Template
    source: str
    controls: list[Control]


def location_of(source: str, line: int) -> str:
    """The words of the paragraph on ``line`` of a prepared part, for error messages."""
    lines = source.split("\n")
    if not 0 < line <= len(lines):
        return f"line {line}"
    words = " ".join(_TAGS.sub(" ", lines[line - 1]).split())
    return f"paragraph '{words[:80]}'" if words else f"line {line}"


def _jinja_line(exc: BaseException, name: str) -> int | None:
    line = getattr(exc, "lineno", None)
    if line:
        return int(line)
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename == name and frame.lineno:
            return frame.lineno
    return None


def _refusal(exc: BaseException) -> str:
    text = str(exc)
    if isinstance(exc, SecurityError) or "unsafe" in text:
        return f"the template was refused by the sandbox: {text}"
    for name, why in REFUSED_FILTERS.items():
        if f"No filter named '{name}'" in text:
            return why
    return text


class WordTemplate:
    """A Word template compiled once; :meth:`render` makes one document per record."""

    def __init__(self, path: str | Path, *, name: str | None = None) -> None:
        self.path = Path(path)
        self.name = name or self.path.stem
        check_office_zip(self.path, kind="docx")
        raw = self.path.read_bytes()
        self.members: list[Member] = read_members(raw)
        self.parts: dict[str, CompiledPart] = {}
        import zipfile
        from io import BytesIO

        parser = safe_xml_parser()
        with zipfile.ZipFile(BytesIO(raw)) as package:
            for member in self.members:
                plain = bool(_PLAIN_PART.match(member.name))
                if not (plain or _WORD_PART.match(member.name)):
                    continue
                data = package.read(member.name)
                check_xml_bytes(data, file=self.path, part=member.name)
                text = data.decode("utf-8", errors="replace")
                if not has_jinja(text) and "<w:sdt>" not in text and "<w:sdt " not in text:
                    continue
                self.parts[member.name] = self._compile(member.name, data, plain, parser)

    def _compile(self, part: str, data: bytes, plain: bool, parser: Any) -> CompiledPart:
        from lxml import etree

        def parse(blob: bytes) -> Any:
            try:
                return etree.fromstring(blob, parser)
            except etree.XMLSyntaxError as exc:
                raise TemplateError(
                    f"{part} is not well-formed XML: {exc}", file=self.path
                ) from exc

        prepared = prepare_part(data, parse=parse, controls=not plain)
        env = _PLAIN_ENV if plain else _WORD_ENV
        label = f"{self.name}:{part}"
        try:
            code = env.compile(prepared.source, name=label, filename=label)
            template = env.template_class.from_code(env, code, env.make_globals(None), None)
        except (TemplateSyntaxError, TemplateAssertionError) as exc:
            where = location_of(prepared.source, exc.lineno or 0)
            raise TemplateError(
                f"{_refusal(exc)} (in {part}, {where})", file=self.path, field=part
            ) from exc
        return CompiledPart(part, template, prepared.source, prepared.controls)

    @property
    def control_tags(self) -> list[str]:
        return [c.tag for part in self.parts.values() for c in part.controls]

    def render(
        self,
        record: EpisodeRecord,
        context_extras: dict[str, Any] | None = None,
        *,
        now: datetime | None = None,
        plan: Any = None,
    ) -> bytes:
        """One filled-in .docx for ``record``; a :class:`RenderError` names the part and paragraph."""
        context = build_context(record, now=now, plan=plan, extras=context_extras)
        return self.render_context(record, context)

    def render_context(self, record: EpisodeRecord, context: dict[str, Any]) -> bytes:
        """Render with a ready-made context (``render_batch`` builds it once for many templates)."""
        rendered: dict[str, bytes] = {}
        for name, part in self.parts.items():
            controls = part.controls
            local = dict(context)
            local["fk_control"] = _control_filler(controls, record)
            rendered[name] = self._render_part(part, local, record).encode("utf-8")
        members = [
            member_from_bytes(m.name, rendered[m.name]) if m.name in rendered else m
            for m in self.members
        ]
        return write_zip(members)

    def _render_part(
        self, part: CompiledPart, context: dict[str, Any], record: EpisodeRecord
    ) -> str:
        try:
            return render_capped(part.template, context)
        except FormkitError as exc:
            raise RenderError(
                f"{self.name}: {exc.message}",
                file=self.path,
                record=record.reference,
                field=part.name,
            ) from exc
        except (
            SecurityError,
            UndefinedError,
            TypeError,
            ValueError,
            ArithmeticError,
            LookupError,
        ) as exc:
            line = _jinja_line(exc, f"{self.name}:{part.name}")
            where = location_of(part.source, line) if line else "somewhere in the part"
            raise RenderError(
                f"{self.name}: {_refusal(exc)} (in {part.name}, {where})",
                file=self.path,
                record=record.reference,
                field=part.name,
            ) from exc


def _control_filler(controls: list[Control], record: EpisodeRecord) -> Callable[[int], Markup]:
    def fill(index: int) -> Markup:
        return Markup(controls[index].render(record))

    return fill

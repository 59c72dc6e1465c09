"""The Word engine: a .docx template compiled once, rendered for many records.

``WordTemplate(path)`` reads the package once, turns every XML part that holds Jinja or tagged
content controls (body, headers, footers, foot/endnotes, document properties) into a compiled
Jinja template, and keeps every other member's compressed bytes. ``render(record)`` fills the
compiled parts and writes a new package around the untouched members: no re-reading or
re-parsing of the .docx per record.

A :class:`~formkit.render.photo.Photo` in the context's ``photo`` fills ``{{ photo }}`` in the
body with an inline picture; only a document that shows it gets the image member, its
relationship and its content type (worked out once per template and image kind).
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
from jinja2.exceptions import SecurityError, TemplateAssertionError
from markupsafe import Markup

from formkit.errors import FormkitError, RenderError, TemplateError
from formkit.intake import check_office_zip, check_xml_bytes, safe_xml_parser
from formkit.limits import TimeLimitReached, memory_limit_mb
from formkit.model import EpisodeRecord
from formkit.render.blanks import FACTS_CATEGORY, fill_blanks, let_long_rows_split
from formkit.render.context import build_context
from formkit.render.controls import Control
from formkit.render.environment import (
    REFUSED_FILTERS,
    REFUSED_GLOBALS,
    clean_text,
    make_environment,
    render_capped,
)
from formkit.render.photo import Photo
from formkit.render.preprocess import has_jinja, prepare_part
from formkit.render.ziparchive import (
    Member,
    member_from_bytes,
    read_members,
    stored_member,
    write_zip,
)

_WORD_PART = re.compile(r"^word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml$")
_PLAIN_PART = re.compile(r"^docProps/(core|app)\.xml$")
_TAGS = re.compile(r"<[^>]*>")
_BODY = "word/document.xml"
_RELS = "word/_rels/document.xml.rels"
_TYPES = "[Content_Types].xml"
_USES_PHOTO = re.compile(r"\bphoto\b")
_DOC_PR_ID = re.compile(r"<wp:docPr\b[^>]*?\bid=\"(\d+)\"")
_PHOTO_MARK = 'id="fk-photo" name="fk-photo"'
_IMAGE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
_EMPTY_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    "</Relationships>"
)
_DRAWING = (
    '</w:t><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing">'
    '<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
    '<wp:docPr {mark} descr="Photograph of the child"/>'
    "<wp:cNvGraphicFramePr>"
    '<a:graphicFrameLocks xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'noChangeAspect="1"/></wp:cNvGraphicFramePr>'
    '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
    '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
    '<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">'
    '<pic:nvPicPr><pic:cNvPr id="0" name="{file}"/><pic:cNvPicPr/></pic:nvPicPr>'
    '<pic:blipFill><a:blip r:embed="{rid}" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"/>'
    "<a:stretch><a:fillRect/></a:stretch></pic:blipFill>"
    '<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
    '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>'
    "</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing>"
    '<w:t xml:space="preserve">'
)
_WORD_ENV = make_environment()
_PLAIN_ENV = make_environment(plain=True)


@dataclass
class CompiledPart:
    name: str
    template: Template
    source: str
    controls: list[Control]
    scan: bool = False
    """True when the part has a ``{% filter %}`` block, the one way text reaches the output
    without the environment's finalize (which removes what XML forbids from every value)."""


def location_of(source: str, line: int) -> str:
    """The words of the paragraph on ``line`` of a prepared part, for error messages."""
    lines = source.split("\n")
    if not 0 < line <= len(lines):
        return f"line {line}"
    words = " ".join(clean_text(_TAGS.sub(" ", lines[line - 1])).split())
    return f"paragraph '{words[:80]}'" if words else f"line {line}"


def _jinja_line(exc: BaseException, name: str, template: Template | None = None) -> int | None:
    line = getattr(exc, "lineno", None)
    if line:
        return int(line)
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename == name and frame.lineno:
            if template is not None and not isinstance(exc, Exception):
                # Jinja maps tracebacks to template lines only for an Exception; the time
                # limit's signal is not one, so its line is still the compiled code's.
                return template.get_corresponding_lineno(frame.lineno)
            return frame.lineno
    return None


# Bytes XML 1.0 forbids (C0 controls but tab, newline, carriage return); U+FFFE and U+FFFF.
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 13))
_NON_CHARACTERS = ("\ufffe".encode(), "\uffff".encode())
_OPENING = re.compile(r"[(\[{]")
_FILTER_BLOCK = re.compile(r"\{%[-+]?\s*filter\b")


class RenderStopped(RenderError):
    """Rendering was stopped by the time or memory limit; the record's other documents are not
    tried (its time is used up)."""


def _refusal(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return (
            "the template goes round in circles (a macro that calls itself, or expressions "
            "nested too deeply)"
        )
    if isinstance(exc, TimeLimitReached):
        return "rendering took too long, so it was stopped (is a loop running away?)"
    if isinstance(exc, MemoryError):
        return (
            f"rendering needed more than the memory limit ({memory_limit_mb():,} MB), so it was "
            "stopped (is a loop building something huge?)"
        )
    text = str(exc)
    if isinstance(exc, SecurityError) or "unsafe" in text:
        return f"the template was refused by the sandbox: {text}"
    for name, why in REFUSED_FILTERS.items():
        if f"No filter named '{name}'" in text:
            return why
    for name in REFUSED_GLOBALS:
        if f"'{name}' is undefined" in text:
            return f"'{name}' is not available in formkit templates"
    return text


def _deepest_line(source: str) -> int:
    """The line of ``source`` with the most opening brackets (where deep nesting is likely)."""
    counts = [len(_OPENING.findall(line)) for line in source.split("\n")]
    return 1 + max(range(len(counts)), key=counts.__getitem__) if counts else 0


def xml_bytes(text: str, *, where: Callable[[int], str], scan: bool = True) -> bytes:
    """``text`` as UTF-8, with the characters XML forbids removed when ``scan``; a lone
    surrogate (which no file can hold) is refused with a :class:`ValueError` naming the place
    via ``where``."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        line = text.count("\n", 0, exc.start) + 1
        raise ValueError(
            f"the text to print holds a character that is not valid Unicode (a lone surrogate, "
            f"U+{ord(text[exc.start]):04X}) (in {where(line)})"
        ) from None
    if scan and (
        len(data.translate(None, _CONTROL_BYTES)) != len(data)
        or any(bad in data for bad in _NON_CHARACTERS)
    ):
        data = clean_text(text).encode("utf-8")
    return data


class WordTemplate:
    """A Word template compiled once; :meth:`render` makes one document per record."""

    def __init__(
        self, path: str | Path, *, name: str | None = None, facts: bool | None = None
    ) -> None:
        self.path = Path(path)
        self.name = name or self.path.stem
        # A facts document fills empty value cells with "Not known" (formkit.render.blanks);
        # unless told, the template's own Category property says whether it is one.
        self.facts = facts
        check_office_zip(self.path, kind="docx")
        raw = self.path.read_bytes()
        self.members: list[Member] = read_members(raw)
        self.parts: dict[str, CompiledPart] = {}
        import zipfile
        from io import BytesIO

        parser = safe_xml_parser()
        self._first_doc_pr = 1
        with zipfile.ZipFile(BytesIO(raw)) as package:
            for member in self.members:
                plain = bool(_PLAIN_PART.match(member.name))
                if not (plain or _WORD_PART.match(member.name)):
                    continue
                data = package.read(member.name)
                check_xml_bytes(data, file=self.path, part=member.name)
                text = data.decode("utf-8", errors="replace")
                if self.facts is None and member.name == "docProps/core.xml":
                    self.facts = bool(FACTS_CATEGORY.search(text))
                if member.name == _BODY:
                    self._first_doc_pr = 1 + max(map(int, _DOC_PR_ID.findall(text)), default=0)
                if not has_jinja(text) and "<w:sdt>" not in text and "<w:sdt " not in text:
                    continue
                self.parts[member.name] = self._compile(member.name, data, plain, parser)
            body = self.parts.get(_BODY)
            self.uses_photo = bool(body and _USES_PHOTO.search(body.source))
            self._package_text: dict[str, str] = {}
            if self.uses_photo:
                names = {m.name for m in self.members}
                for name in (_RELS, _TYPES):
                    if name in names:
                        check_xml_bytes(package.read(name), file=self.path, part=name)
                        self._package_text[name] = package.read(name).decode("utf-8")
        self._photo_members: dict[str, tuple[str, list[Member]]] = {}
        self.facts = bool(self.facts)

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
        except (RecursionError, MemoryError, SyntaxError):
            # Jinja's parser and Python's compiler give up on brackets nested thousands deep.
            where = location_of(prepared.source, _deepest_line(prepared.source))
            raise TemplateError(
                "the template has expressions nested too deeply to read (thousands of "
                f"brackets inside each other?) (in {part}, {where})",
                file=self.path,
                field=part,
            ) from None
        scan = bool(_FILTER_BLOCK.search(prepared.source))
        return CompiledPart(part, template, prepared.source, prepared.controls, scan)

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
        """Render with a ready-made context (``render_files`` builds it once for many templates)."""
        return self.render_with_gaps(record, context)[0]

    def render_with_gaps(
        self, record: EpisodeRecord, context: dict[str, Any]
    ) -> tuple[bytes, list[str]]:
        """The document and, for a facts document, the facts it had to print as "Not known"
        ("photo", "school", "GP"), so they can be chased before it is sent."""
        missing: list[str] = []
        asked: list[str] = []  # what the template itself said it lacked, with unknown(...)
        photo = context.get("photo")
        if not (self.uses_photo and isinstance(photo, Photo)):
            photo = None
        rendered: dict[str, bytes] = {}
        extra: list[Member] = []
        for name, part in self.parts.items():
            controls = part.controls
            local = dict(context)
            local["fk_control"] = _control_filler(controls, record)
            local["unknown"] = _unknown_noter(asked)
            if isinstance(context.get("photo"), Photo):
                local["photo"] = self._drawing(photo) if photo and name == _BODY else ""
            text = self._render_part(part, local, record)
            if self.facts and name == _BODY:
                text, missing = fill_blanks(text)
                if self.uses_photo and not context.get("photo"):
                    missing.insert(0, "photo")
            if photo and name == _BODY and _PHOTO_MARK in text:
                text, extra = self._place_photo(text, photo)
            if name == _BODY:
                text = let_long_rows_split(text)  # a long answer is never cut off a page
            rendered[name] = self._xml_bytes(part, text, record)
        members = [
            member_from_bytes(m.name, rendered[m.name]) if m.name in rendered else m
            for m in self.members
        ]
        if extra:
            replaced = {m.name: m for m in extra}
            members = [replaced.pop(m.name, m) for m in members] + list(replaced.values())
        return write_zip(members), list(dict.fromkeys([*asked, *missing]))

    def _photo_package(self, ext: str) -> tuple[str, list[Member]]:
        """The relationship id, media name and changed package parts for a photo of kind ``ext``
        (worked out once per template and kind; the media member itself is per document)."""
        found = self._photo_members.get(ext)
        if found is not None:
            return found
        names = {m.name for m in self.members}
        rels = self._package_text.get(_RELS, _EMPTY_RELS)
        rid, n = "rIdFkPhoto", 1
        while f'Id="{rid}"' in rels:
            n += 1
            rid = f"rIdFkPhoto{n}"
        media, n = f"word/media/photo-1.{ext}", 1
        while media in names:
            n += 1
            media = f"word/media/photo-{n}.{ext}"
        relation = (
            f'<Relationship Id="{rid}" Type="{_IMAGE_REL}" Target="{media.removeprefix("word/")}"/>'
        )
        if "</Relationships>" in rels:
            head, _, tail = rels.rpartition("</Relationships>")
            rels = head + relation + "</Relationships>" + tail
        else:
            rels = re.sub(
                r"<Relationships([^>]*)/>", rf"<Relationships\1>{relation}</Relationships>", rels
            )
        changed = [member_from_bytes(_RELS, rels.encode("utf-8"))]
        types = self._package_text.get(_TYPES, "")
        if types and not re.search(rf'<Default\b[^>]*\bExtension="{ext}"', types, re.I):
            default = f'<Default Extension="{ext}" ContentType="image/{ext}"/>'
            head, _, tail = types.rpartition("</Types>")
            changed.append(member_from_bytes(_TYPES, (head + default + "</Types>" + tail).encode()))
        found = self._photo_members[ext] = (rid, [stored_member(media, b""), *changed])
        return found

    def _drawing(self, photo: Photo) -> Markup:
        """``{{ photo }}`` in the body: the run's text closed, an inline picture, text reopened."""
        rid, members = self._photo_package(photo.ext)
        cx, cy = photo.extent()
        file = members[0].name.rpartition("/")[2]
        return Markup(_DRAWING.format(cx=cx, cy=cy, mark=_PHOTO_MARK, file=file, rid=rid))

    def _place_photo(self, text: str, photo: Photo) -> tuple[str, list[Member]]:
        """Give each placed picture its own drawing id and name; the members that carry it."""
        _, members = self._photo_package(photo.ext)
        pieces = text.split(_PHOTO_MARK)
        first = self._first_doc_pr
        out = [pieces[0]]
        for index, piece in enumerate(pieces[1:]):
            out += [f'id="{first + index}" name="Photo {index + 1}"', piece]
        media = stored_member(members[0].name, photo.data)
        return "".join(out), [media, *members[1:]]

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
        except (Exception, TimeLimitReached) as exc:
            # Whatever a user's template does wrong (a sandbox refusal, a bad filter argument,
            # a macro calling itself, a loop stopped by the time limit) is reported here with
            # the part and paragraph, and the batch goes on.
            line = _jinja_line(exc, f"{self.name}:{part.name}", part.template)
            where = location_of(part.source, line) if line else "somewhere in the part"
            stopped = isinstance(exc, TimeLimitReached | MemoryError)
            raise (RenderStopped if stopped else RenderError)(
                f"{self.name}: {_refusal(exc)} (in {part.name}, {where})",
                file=self.path,
                record=record.reference,
                field=part.name,
            ) from None

    def _xml_bytes(self, part: CompiledPart, text: str, record: EpisodeRecord) -> bytes:
        try:
            return xml_bytes(
                text,
                where=lambda line: f"{part.name}, {location_of(text, line)}",
                scan=part.scan,
            )
        except ValueError as exc:
            raise RenderError(
                f"{self.name}: {exc}", file=self.path, record=record.reference, field=part.name
            ) from None


def _unknown_noter(asked: list[str]) -> Any:
    """``unknown("signatory's name")`` in a template: prints nothing and reports the fact as
    missing for this document, for a fact that is not in a table cell (a letter's addressee)."""

    def unknown(what: object) -> str:
        asked.append(str(what))
        return ""

    return unknown


def _control_filler(controls: list[Control], record: EpisodeRecord) -> Callable[[int], Markup]:
    def fill(index: int) -> Markup:
        return Markup(controls[index].render(record))

    return fill

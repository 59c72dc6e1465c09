"""Filling a PDF form from an episode: parse the template once, fill many.

Filling writes a PDF *incremental update*, as a viewer does when you save a form: the template's
bytes stay as they are and a short section is appended with the changed field objects, their
appearance streams and the embedded font subset. No object of the template is parsed or
re-serialised per record, which is what makes a thousand referrals take seconds.

Checkboxes are set to their own on-state name, read from the widget's ``/AP /N`` (forms call it
``/Yes``, ``/On``, ``/Ja``…); text that does not fit its box is cut with a note and carried whole
onto an addendum page, while ``/V`` keeps the whole value so reading the form back loses nothing.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from formkit.errors import FormkitError, RenderError, TemplateError
from formkit.model import EpisodeRecord
from formkit.pdf.appearance import box_stream, fit_text, font_size, text_stream
from formkit.pdf.fields import PUSH_BUTTON, RADIO, FormField, Widget, form_fields, shown_key
from formkit.pdf.font import FontSet
from formkit.pdf.safety import open_pdf, pdf_limits
from formkit.pdf.values import FormValue, form_values, format_value
from formkit.words import read_yes_no

if TYPE_CHECKING:
    from formkit.render.photo import Photo

PHOTO_PIXELS = 600
"""The longest side of a photograph placed in a form (enough for 5 cm at 300 dpi)."""

_DROP = {"/V", "/AS", "/AP"}


@dataclass
class Overflow:
    """A value too long for its box: shown in full on the addendum."""

    path: str
    label: str
    text: str


@dataclass
class _Slot:
    """What is known about one field before any record is filled."""

    field: FormField
    field_prefix: bytes | None
    widget_prefixes: list[bytes]
    kind: str
    options: list[tuple[str, str]]
    on_state: bytes


def _serialise(obj: Any) -> bytes:
    buffer = io.BytesIO()
    obj.write_to_stream(buffer)
    return buffer.getvalue()


def _prefix(obj: DictionaryObject, keep_appearance: bool = False) -> bytes:
    """The dictionary without /V, /AS (and /AP), still open so new entries can be appended.

    Checkboxes keep their own /AP: only the state that selects an appearance changes.
    """
    drop = _DROP - {"/AP"} if keep_appearance else _DROP
    kept = DictionaryObject({k: v for k, v in obj.items() if k not in drop})
    text = _serialise(kept).rstrip()
    assert text.endswith(b">>")
    return text[:-2]


def _is_yes_no(options: list[tuple[str, str]]) -> bool:
    return {value for value, _ in options if value} == {"yes", "no"}


class PdfTemplate:
    """A fillable PDF form, prepared once and filled for any number of records."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            data = self.path.read_bytes()
        except OSError as exc:
            raise TemplateError(
                f"cannot read the PDF template ({exc.strerror})", file=self.path
            ) from exc
        with pdf_limits():
            try:
                reader = open_pdf(data, self.path)
                if not self._appendable(data):
                    data = self._rewritten(reader)
                    reader = open_pdf(data, self.path)
                self._prepare(data, reader)
            except FormkitError as exc:
                raise TemplateError(exc.message, file=self.path) from exc

    @staticmethod
    def _appendable(data: bytes) -> bool:
        """A classic cross-reference table, which our update can follow with /Prev."""
        match = re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", data[-1024:])
        return (
            match is not None
            and data[int(match.group(1)) :][:4] == b"xref"
            and b"/ObjStm" not in data
        )

    @staticmethod
    def _rewritten(reader: PdfReader) -> bytes:
        buffer = io.BytesIO()
        PdfWriter(clone_from=reader).write(buffer)
        return buffer.getvalue()

    def _prepare(self, data: bytes, reader: PdfReader) -> None:
        self._base = data if data.endswith(b"\n") else data + b"\n"
        match = re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", data[-1024:])
        assert match is not None
        self._prev = int(match.group(1))
        trailer: Any = reader.trailer
        self._size = int(trailer["/Size"])
        self._root = _serialise(trailer.raw_get("/Root"))
        self._info = _serialise(trailer.raw_get("/Info")) if "/Info" in trailer else None
        ident = trailer.get("/ID")
        self._id0 = bytes(ident[0].original_bytes) if ident else hashlib.md5(data).digest()
        self.page_count = len(reader.pages)
        found = form_fields(reader)
        if not found:
            raise TemplateError("the PDF has no fillable form fields", file=self.path)
        self._slots: dict[str, _Slot] = {}
        for item in found:
            if item.ref is None or item.flags & PUSH_BUTTON:
                continue
            merged = len(item.widgets) == 1 and item.widgets[0].ref == item.ref
            kind = {"/Tx": "text", "/Ch": "choice", "/Btn": "check"}.get(item.kind, "")
            if kind == "check" and item.flags & RADIO:
                kind = "radio"
            if not kind:
                continue
            on = item.on_states()
            self._slots[item.path] = _Slot(
                field=item,
                field_prefix=None if merged else _prefix(item.obj),
                widget_prefixes=[_prefix(w.obj, kind in {"check", "radio"}) for w in item.widgets],
                kind=kind,
                options=item.options(),
                on_state=_serialise(NameObject(on[0])) if on else b"/Yes",
            )
        self.fields: list[str] = list(self._slots)

    # -- filling ---------------------------------------------------------------------------

    def values_for(
        self,
        record: EpisodeRecord,
        extras: Mapping[str, Any] | None = None,
        *,
        shown: Mapping[str, str] | None = None,
    ) -> dict[str, FormValue]:
        """What each field of this form shows for ``record`` (and ``extras``, by data path);
        ``shown`` fills formkit's read-only fields by name (``council``: the name in each
        page's footer; ``plan_when_found``), see :data:`~formkit.pdf.fields.SHOWN`."""
        values = form_values(record, self.fields)
        shown = shown or {}
        for path, slot in self._slots.items():
            # An absent bool (a grid row the record leaves out) is an unticked box.
            if slot.kind == "check" and path not in values:
                values[path] = False
            key = shown_key(path)
            if key is not None and shown.get(key):
                values[path] = shown[key]
        for path, value in (extras or {}).items():
            formatted = format_value(value)
            if formatted is None:
                values.pop(path, None)
            else:
                values[path] = formatted
        return values

    def render(
        self,
        record: EpisodeRecord,
        *,
        flatten: bool = False,
        extras: Mapping[str, Any] | None = None,
        shown: Mapping[str, str] | None = None,
        photo: Photo | None = None,
    ) -> bytes:
        """The filled form for ``record`` as PDF bytes (non-editable with ``flatten=True``), its
        read-only ``shown`` fields filled (see :meth:`values_for`) and ``photo`` in its box."""
        try:
            return self.fill(
                self.values_for(record, extras, shown=shown),
                flatten=flatten,
                reference=record.reference,
                photo=photo,
            )
        except RenderError as exc:
            raise RenderError(
                exc.message, file=self.path, record=record.reference, field=exc.field
            ) from exc

    @property
    def shows_photo(self) -> bool:
        """Whether the form has a box for the child's photograph (``formkit_shown.photo``)."""
        return any(shown_key(path) == "photo" for path in self._slots)

    def fill(
        self,
        values: Mapping[str, FormValue],
        *,
        flatten: bool = False,
        reference: str = "",
        photo: Photo | None = None,
    ) -> bytes:
        """Fill fields by data path; unknown paths are ignored, absent ones left empty. A
        ``photo`` is placed in the form's photograph box, if it has one."""
        values = {k: v for k, v in values.items() if shown_key(k) != "photo"}
        texts = self._display_texts(values)
        fonts = FontSet.for_texts(texts.values())
        next_id = self._size
        font_bodies, font_ids = fonts.pdf_objects(next_id)
        next_id += len(font_bodies)
        font_resources = b" ".join(
            b"/%s %d 0 R" % (fonts.resource_name(i).encode(), ref) for i, ref in font_ids.items()
        )
        new: list[tuple[int, bytes]] = list(enumerate(font_bodies, start=self._size))
        changed: list[tuple[int, int, bytes]] = []
        overflows: list[Overflow] = []
        for path, value in values.items():
            slot = self._slots.get(path)
            if slot is None:
                continue
            field_entries, widget_entries = self._entries(
                slot, value, texts.get(path), fonts, overflows
            )
            for widget, prefix, entries in zip(
                slot.field.widgets, slot.widget_prefixes, widget_entries, strict=True
            ):
                stream = entries.pop(b"stream", None)
                if stream is not None:
                    width, height = widget.size
                    body = (
                        b"<< /Type /XObject /Subtype /Form /BBox [0 0 %.2f %.2f]"
                        b" /Resources << /Font << %s >> >> /Length %d >>\nstream\n%s\nendstream"
                        % (width, height, font_resources, len(stream), stream)
                    )
                    new.append((next_id, body))
                    entries[b"/AP"] = b"<< /N %d 0 R >>" % next_id
                    next_id += 1
                if slot.field_prefix is None:
                    entries.update(field_entries)
                assert widget.ref is not None
                changed.append((widget.ref.idnum, widget.ref.generation, _close(prefix, entries)))
            if slot.field_prefix is not None and slot.field.ref is not None:
                ref = slot.field.ref
                changed.append(
                    (ref.idnum, ref.generation, _close(slot.field_prefix, field_entries))
                )
        if photo is not None:
            next_id = self._place_photo(photo, changed, new, next_id)
        filled = self._append(changed, new, next_id)
        if overflows:
            from formkit.pdf.addendum import add_addendum

            filled = add_addendum(filled, overflows, reference=reference)
        if flatten:
            from formkit.pdf.flatten import flatten_form

            filled = flatten_form(filled)
        return filled

    def _place_photo(
        self,
        photo: Photo,
        changed: list[tuple[int, int, bytes]],
        new: list[tuple[int, bytes]],
        next_id: int,
    ) -> int:
        """The photograph as each photo box's appearance: scaled to fit, centred, its shape kept;
        returns the next free object number."""
        slot = next((s for p, s in self._slots.items() if shown_key(p) == "photo"), None)
        if slot is None:
            return next_id
        jpeg, width_px, height_px = photo_jpeg(photo)
        image_id = next_id
        new.append(
            (
                image_id,
                b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB"
                b" /BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n%s\nendstream"
                % (width_px, height_px, len(jpeg), jpeg),
            )
        )
        next_id += 1
        for widget, prefix in zip(slot.field.widgets, slot.widget_prefixes, strict=True):
            width, height = widget.size
            scale = min((width - 4) / width_px, (height - 4) / height_px)
            shown_w, shown_h = width_px * scale, height_px * scale
            stream = box_stream(width, height, widget.obj) + (
                b"q %.2f 0 0 %.2f %.2f %.2f cm /Photo Do Q"
                % (shown_w, shown_h, (width - shown_w) / 2, (height - shown_h) / 2)
            )
            new.append(
                (
                    next_id,
                    b"<< /Type /XObject /Subtype /Form /BBox [0 0 %.2f %.2f]"
                    b" /Resources << /XObject << /Photo %d 0 R >> >> /Length %d >>\nstream\n%s"
                    b"\nendstream" % (width, height, image_id, len(stream), stream),
                )
            )
            assert widget.ref is not None
            entries = {b"/AP": b"<< /N %d 0 R >>" % next_id}
            changed.append((widget.ref.idnum, widget.ref.generation, _close(prefix, entries)))
            next_id += 1
        return next_id

    def _display_texts(self, values: Mapping[str, FormValue]) -> dict[str, str]:
        texts: dict[str, str] = {}
        for path, value in values.items():
            slot = self._slots.get(path)
            if slot is None or isinstance(value, bool) and slot.kind != "choice":
                continue
            if slot.kind == "choice":
                text = _choice_export(slot, value)
                texts[path] = dict(slot.options).get(text, text)
            elif slot.kind == "text":
                texts[path] = str(value)
        texts["_note"] = "… continued on the addendum page"
        return texts

    def _entries(
        self,
        slot: _Slot,
        value: FormValue,
        display: str | None,
        fonts: FontSet,
        overflows: list[Overflow],
    ) -> tuple[dict[bytes, bytes], list[dict[bytes, Any]]]:
        if slot.kind in {"check", "radio"}:
            on = _truthy(value)
            if slot.kind == "radio" and isinstance(value, str):
                state = _serialise(NameObject("/" + value)) if value else b"/Off"
            else:
                state = slot.on_state if on else b"/Off"
            widgets: list[dict[bytes, Any]] = []
            for widget in slot.field.widgets:
                own = [_serialise(NameObject(s)) for s in widget.states()]
                widgets.append({b"/AS": state if state in own else b"/Off"})
            return {b"/V": state}, widgets
        if slot.kind == "choice":
            export = _choice_export(slot, value)
            v = _serialise(TextStringObject(export))
        else:
            v = _serialise(TextStringObject(str(value)))
        widgets = []
        for widget in slot.field.widgets:
            width, height = widget.size
            lines, size, overflow = fit_text(
                display or "",
                width,
                height,
                font_size({"/DA": slot.field.da}),
                slot.field.multiline,
            )
            if overflow and not any(o.path == slot.field.path for o in overflows):
                overflows.append(Overflow(slot.field.path, slot.field.label, str(value)))
            stream = text_stream(
                fonts, lines, size, width, height, widget.obj, slot.field.multiline
            )
            widgets.append({b"stream": stream})
        return {b"/V": v}, widgets

    def _append(
        self, changed: list[tuple[int, int, bytes]], new: list[tuple[int, bytes]], size: int
    ) -> bytes:
        out = bytearray(self._base)
        offsets: dict[int, tuple[int, int]] = {}
        for idnum, generation, body in changed:
            offsets[idnum] = (len(out), generation)
            out += b"%d %d obj\n%s\nendobj\n" % (idnum, generation, body)
        for idnum, body in new:
            offsets[idnum] = (len(out), 0)
            out += b"%d 0 obj\n%s\nendobj\n" % (idnum, body)
        xref_at = len(out)
        out += b"xref\n"
        ids = sorted(offsets)
        start = 0
        while start < len(ids):
            end = start
            while end + 1 < len(ids) and ids[end + 1] == ids[end] + 1:
                end += 1
            out += b"%d %d\n" % (ids[start], end - start + 1)
            for idnum in ids[start : end + 1]:
                offset, generation = offsets[idnum]
                out += b"%010d %05d n \n" % (offset, generation)
            start = end + 1
        digest = hashlib.md5(out[len(self._base) :]).digest()
        info = b" /Info " + self._info if self._info else b""
        out += (
            b"trailer\n<< /Size %d /Root %s%s /ID [<%s> <%s>] /Prev %d >>\nstartxref\n%d\n%%%%EOF\n"
            % (
                size,
                self._root,
                info,
                self._id0.hex().encode(),
                digest.hex().encode(),
                self._prev,
                xref_at,
            )
        )
        return bytes(out)


def _close(prefix: bytes, entries: Mapping[bytes, bytes]) -> bytes:
    return prefix + b"".join(b"%s %s\n" % (k, v) for k, v in entries.items()) + b">>"


def _truthy(value: FormValue) -> bool:
    if isinstance(value, bool):
        return value
    return read_yes_no(value) is True


def _choice_export(slot: _Slot, value: FormValue) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    for export, display in slot.options:
        if value in (export, display):
            return export
    return str(value)


def photo_jpeg(photo: Photo) -> tuple[bytes, int, int]:
    """The photograph as a baseline RGB JPEG at most :data:`PHOTO_PIXELS` on its longest side,
    turned upright as its camera recorded, with its width and height in pixels."""
    from PIL import Image, ImageOps

    try:
        with Image.open(io.BytesIO(photo.data)) as image:
            upright = ImageOps.exif_transpose(image).convert("RGB")
            upright.thumbnail((PHOTO_PIXELS, PHOTO_PIXELS))
            out = io.BytesIO()
            upright.save(out, format="JPEG", quality=85)
            return out.getvalue(), upright.width, upright.height
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise RenderError(f"the photograph could not be placed in the form ({exc})") from exc


__all__ = ["Overflow", "PdfTemplate", "Widget"]

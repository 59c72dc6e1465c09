"""The Jinja environment every formkit template runs in: sandboxed, autoescaped, size-capped.

Templates are edited by users in Word, so they are untrusted code. The sandbox refuses private
attributes (``''.__class__``) and the ``attr`` filter; autoescape keeps a name like
``Zoë O'Brien & <Co>`` from breaking the XML; values that are meant to be XML (a line break, a
filled content control) are ``markupsafe.Markup``. The sandbox does not limit size, so string
and list repetition and powers are checked before they run, and :func:`render_capped` stops a
part that grows past :data:`OUTPUT_CAP`.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import Enum
from typing import Any

from jinja2 import ChainableUndefined, Template
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from markupsafe import Markup, escape

from formkit.errors import TemplateError
from formkit.render.filters import FILTERS, label, uk_date, uk_datetime

OUTPUT_CAP = 20 * 1024 * 1024
"""Most characters one rendered part (document body, a header…) may hold."""

MAX_REPEAT = 1_000_000
"""Longest string or list a template may build with ``*``."""

REFUSED_FILTERS = {"attr": "the 'attr' filter is not allowed in formkit templates"}

# XML 1.0 forbids these characters; a value carrying one would make Word refuse the file.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_BREAK = '</w:t><w:br/><w:t xml:space="preserve">'


class FormkitSandbox(SandboxedEnvironment):
    """A sandbox that also refuses repetitions and powers that would exhaust memory."""

    intercepted_binops = frozenset(["*", "**"])

    def unsafe_undefined(self, obj: Any, attribute: str) -> Any:
        # The stock sandbox returns an Undefined that only fails when used; with chainable
        # undefined values that would print nothing, so refuse at once and say what was tried.
        raise SecurityError(
            f"access to '{attribute}' on a {type(obj).__name__} value is not allowed"
        )

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for seq, count in ((left, right), (right, left)):
                if (
                    isinstance(seq, str | list | tuple)
                    and isinstance(count, int)
                    and len(seq) * count > MAX_REPEAT
                ):
                    raise SecurityError(
                        f"the template repeats a text or list {count:,} times, which would "
                        f"pass the {MAX_REPEAT:,}-character limit"
                    )
        if (
            operator == "**"
            and isinstance(left, int | float)
            and isinstance(right, int | float)
            and abs(right) > 64
            and abs(left) > 1
        ):
            raise SecurityError("the template raises a number to a power above 64")
        return super().call_binop(context, operator, left, right)


def clean_text(text: str) -> str:
    return _XML_INVALID.sub("", text)


def _scalar_text(value: Any) -> str:
    if isinstance(value, datetime):
        return uk_datetime(value)
    if isinstance(value, date):
        return uk_date(value)
    if isinstance(value, Enum):
        return label(value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list | tuple):
        return ", ".join(_scalar_text(item) for item in value)
    return str(value)


def finalize_word(value: Any) -> Any:
    """How a ``{{ value }}`` appears in a Word run: None is blank, dates are UK style, choices
    are words, and a newline becomes a real line break."""
    if value is None or isinstance(value, ChainableUndefined):
        return ""
    if isinstance(value, Markup):
        return value
    text = clean_text(_scalar_text(value))
    if "\n" in text:
        return Markup(_BREAK).join(escape(line) for line in text.split("\n"))
    return text


def finalize_plain(value: Any) -> Any:
    """Document properties and other plain XML text: no line breaks, one line."""
    if value is None or isinstance(value, ChainableUndefined):
        return ""
    if isinstance(value, Markup):
        return value
    return clean_text(_scalar_text(value)).replace("\n", " ")


def make_environment(*, plain: bool = False) -> FormkitSandbox:
    """The environment for Word runs (``plain=False``) or for plain XML text (``plain=True``)."""
    env = FormkitSandbox(
        autoescape=True,
        undefined=ChainableUndefined,
        finalize=finalize_plain if plain else finalize_word,
        keep_trailing_newline=True,
    )
    env.filters.update(FILTERS)
    for name in REFUSED_FILTERS:
        env.filters.pop(name, None)
    return env


def render_capped(template: Template, context: dict[str, Any], *, cap: int = OUTPUT_CAP) -> str:
    """Render, stopping with a :class:`TemplateError` once the output passes ``cap`` characters."""
    pieces: list[str] = []
    size = 0
    for piece in template.generate(context):
        size += len(piece)
        if size > cap:
            raise TemplateError(
                f"the rendered document passed the size limit of {cap // (1024 * 1024)} MB; "
                "is a loop or a repeated text running away?"
            )
        pieces.append(piece)
    return "".join(pieces)

"""The Jinja environment every formkit template runs in: sandboxed, autoescaped, size-capped.

Templates are edited by users in Word, so they are untrusted code. The sandbox refuses private
attributes (``''.__class__``) and the ``attr`` filter; autoescape keeps a name like
``Zoë O'Brien & <Co>`` from breaking the XML; values that are meant to be XML (a line break, a
filled content control) are ``markupsafe.Markup``. The sandbox does not limit size, so what could
build a huge text or number is checked before it runs: string and list repetition, powers and
products of big numbers, padding (``center``, ``ljust``, ``rjust``, ``zfill``, ``indent``),
widths in ``format`` and ``%``, ``replace`` and ``join``; ``range`` is capped and ``lipsum``
is gone; :func:`render_capped` stops a part that grows past :data:`OUTPUT_CAP`. What is left (a
loop that never ends, a macro calling itself) is stopped by the time and memory limits of the
worker that renders (:mod:`formkit.render.pack`, :mod:`formkit.limits`) or by Python's
recursion limit, and reported naming the part and paragraph.
"""

from __future__ import annotations

import re
import types
from collections.abc import Callable
from datetime import date, datetime
from enum import Enum
from functools import update_wrapper
from typing import Any

from jinja2 import ChainableUndefined, Template, pass_eval_context
from jinja2 import filters as jinja_filters
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from markupsafe import Markup, escape

from formkit.errors import TemplateError
from formkit.render.filters import FILTERS, label, uk_date, uk_datetime

OUTPUT_CAP = 20 * 1024 * 1024
"""Most characters one rendered part (document body, a header…) may hold."""

MAX_REPEAT = 1_000_000
"""Longest string or list a template may build with ``*``."""

MAX_WIDTH = MAX_REPEAT
"""Widest padding or format width a template may ask for."""

MAX_RANGE = 10_000
"""Most numbers ``range`` may give (the sandbox's own cap is 100,000)."""

MAX_INT_BITS = 4096
"""Largest whole number (in bits, about 1,200 digits) a power or product may make."""

REFUSED_FILTERS = {"attr": "the 'attr' filter is not allowed in formkit templates"}
REFUSED_GLOBALS = ("lipsum",)

# XML 1.0 forbids these characters; a value carrying one would make Word refuse the file.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_BREAK = '</w:t><w:br/><w:t xml:space="preserve">'


_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?")
_FORMAT_SPEC = re.compile(r"\{[^{}]*?:([^{}]*)\}")
_NESTED_SPEC = re.compile(r"\{[^{}]*?:[^{}]*\{")
_DIGITS = re.compile(r"\d+")
_PADDING = frozenset(["center", "ljust", "rjust", "zfill"])
_GUARDED = _PADDING | {"expandtabs", "replace", "join", "format", "format_map"}


def _too_wide(width: Any, how: str) -> None:
    if isinstance(width, int) and width > MAX_WIDTH:
        raise SecurityError(
            f"the template asks for a width of {width:,} characters ({how}), past the "
            f"{MAX_WIDTH:,}-character limit"
        )


def _too_long(size: int, how: str) -> None:
    if size > MAX_REPEAT:
        raise SecurityError(
            f"the template would build a text of {size:,} characters ({how}), past the "
            f"{MAX_REPEAT:,}-character limit"
        )


def _numbers(values: Any) -> list[Any]:
    if isinstance(values, dict):
        return list(values.values())
    if isinstance(values, list | tuple):
        return list(values)
    return [values]


def check_percent(fmt: str, values: Any) -> None:
    """Refuse ``fmt % values`` when a width or precision passes :data:`MAX_WIDTH`."""
    starred = False
    for match in _PERCENT_SPEC.finditer(fmt):
        for number in match.groups():
            if number == "*":
                starred = True
            elif number:
                _too_wide(int(number), "in a % format")
    if starred:
        for value in _numbers(values):
            _too_wide(value, "in a % format")


def check_format(fmt: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Refuse ``fmt.format(...)`` when a width or precision passes :data:`MAX_WIDTH`."""
    for spec in _FORMAT_SPEC.findall(fmt):
        for number in _DIGITS.findall(spec):
            _too_wide(int(number), "in a {} format")
    if _NESTED_SPEC.search(fmt):
        for value in [*args, *kwargs.values(), *(v for a in args for v in _numbers(a))]:
            _too_wide(value, "in a {} format")


def _check_str_call(owner: str, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    if name in _PADDING:
        _too_wide(args[0] if args else kwargs.get("width"), f"'{name}'")
    elif name == "expandtabs":
        size = args[0] if args else kwargs.get("tabsize", 8)
        if isinstance(size, int):
            _too_wide(size * owner.count("\t"), "'expandtabs'")
    elif name == "replace" and len(args) >= 2 and isinstance(args[0], str):
        old, new = args[0], args[1]
        if isinstance(new, str) and len(new) > len(old):
            times = len(owner) + 1 if not old else owner.count(old)
            count = args[2] if len(args) > 2 else kwargs.get("count", -1)
            if isinstance(count, int) and count >= 0:
                times = min(times, count)
            _too_long(len(owner) + times * (len(new) - len(old)), "'replace'")
    elif name == "join" and args and isinstance(args[0], list | tuple):
        items = args[0]
        size = sum(len(i) for i in items if isinstance(i, str))
        _too_long(size + len(owner) * max(len(items) - 1, 0), "'join'")
    elif name in ("format", "format_map"):
        check_format(owner, args, kwargs)


def _guard(method: Callable[..., Any], owner: str, name: str) -> Callable[..., Any]:
    def guarded(*args: Any, **kwargs: Any) -> Any:
        _check_str_call(owner, name, args, kwargs)
        return method(*args, **kwargs)

    return update_wrapper(guarded, method)


def capped_range(*args: int) -> range:
    """``range`` for templates: at most :data:`MAX_RANGE` numbers."""
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise SecurityError(
            f"the template asks for range() of {len(numbers):,} numbers; the limit is {MAX_RANGE:,}"
        )
    return numbers


def _capped_center(value: str, width: int = 80) -> str:
    _too_wide(width, "'center'")
    return jinja_filters.do_center(value, width)


def _capped_indent(s: str, width: int | str = 4, first: bool = False, blank: bool = False) -> str:
    lines = str(s).count("\n") + 1
    if isinstance(width, int):
        _too_wide(width * lines, "'indent'")
    else:
        _too_long(len(width) * lines, "'indent'")
    return jinja_filters.do_indent(s, width, first, blank)


def _capped_format(value: str, *args: Any, **kwargs: Any) -> str:
    check_percent(str(value), kwargs or args)
    return jinja_filters.do_format(value, *args, **kwargs)


@pass_eval_context
def _capped_replace(eval_ctx: Any, s: str, old: str, new: str, count: int | None = None) -> str:
    _check_str_call(str(s), "replace", (str(old), str(new), -1 if count is None else count), {})
    return jinja_filters.do_replace(eval_ctx, s, old, new, count)


CAPPED_FILTERS: dict[str, Callable[..., Any]] = {
    "center": _capped_center,
    "indent": _capped_indent,
    "format": _capped_format,
    "replace": _capped_replace,
}


class FormkitSandbox(SandboxedEnvironment):
    """A sandbox that also refuses what would exhaust memory: big repetitions, powers and
    products, paddings and format widths (see the module's docstring)."""

    intercepted_binops = frozenset(["*", "**", "%"])

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        # Called by the sandbox on every attribute a template reads; string methods that can
        # build a huge text are wrapped here with a check of their arguments.
        if not isinstance(value, types.MethodType | types.BuiltinMethodType):
            return None
        name = value.__name__
        if name not in _GUARDED or not isinstance(value.__self__, str):
            return None
        method = super().wrap_str_format(value) or value
        return _guard(method, value.__self__, name)

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
                isinstance(left, int)
                and isinstance(right, int)
                and left.bit_length() + right.bit_length() > MAX_INT_BITS
            ):
                raise SecurityError("the template multiplies numbers into one too large to use")
        if operator == "**" and isinstance(left, int | float) and isinstance(right, int | float):
            if abs(right) > 64 and abs(left) > 1:
                raise SecurityError("the template raises a number to a power above 64")
            if isinstance(left, int) and left.bit_length() * abs(right) > MAX_INT_BITS:
                raise SecurityError("the template raises a number to a power too large to use")
        if operator == "%" and isinstance(left, str):
            check_percent(left, right)
        return super().call_binop(context, operator, left, right)


def clean_text(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids (and lone surrogates)."""
    return _UNWRITABLE.sub("", text)


def writable(text: str) -> str:
    """``text`` with the characters XML forbids removed; a lone surrogate (half of a character,
    which no file can hold) is refused with a :class:`ValueError` instead."""
    if not _UNWRITABLE.search(text):
        return text
    found = _SURROGATE.search(text)
    if found:
        raise ValueError(
            "the text to print holds a character that is not valid Unicode (a lone surrogate, "
            f"U+{ord(found.group()):04X})"
        )
    return clean_text(text)


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
        return Markup(writable(value)) if _UNWRITABLE.search(value) else value
    text = writable(_scalar_text(value))
    if "\n" in text:
        return Markup(_BREAK).join(escape(line) for line in text.split("\n"))
    return text


def finalize_plain(value: Any) -> Any:
    """Document properties and other plain XML text: no line breaks, one line."""
    if value is None or isinstance(value, ChainableUndefined):
        return ""
    if isinstance(value, Markup):
        return Markup(writable(value)) if _UNWRITABLE.search(value) else value
    return writable(_scalar_text(value)).replace("\n", " ")


def make_environment(*, plain: bool = False) -> FormkitSandbox:
    """The environment for Word runs (``plain=False``) or for plain XML text (``plain=True``)."""
    env = FormkitSandbox(
        autoescape=True,
        undefined=ChainableUndefined,
        finalize=finalize_plain if plain else finalize_word,
        keep_trailing_newline=True,
    )
    env.filters.update(CAPPED_FILTERS)
    env.filters.update(FILTERS)
    for name in REFUSED_FILTERS:
        env.filters.pop(name, None)
    for name in REFUSED_GLOBALS:
        env.globals.pop(name, None)
    env.globals["range"] = capped_range
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

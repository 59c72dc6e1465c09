"""Hostile Word templates, built at test time: each is a user-edited template that tries to
exhaust time or memory, crash the renderer or write a broken document.

``RUNTIME`` cases misbehave only for the record ``BAD`` (a guard on the episode reference), so
a batch of three records shows the other two still rendered. ``COMPILE`` cases cannot even be
compiled, so the batch stops before any record. ``USABLE`` cases must render, with the
forbidden characters removed. Each entry is ``name: (Jinja text, words the message must hold)``.
"""

from __future__ import annotations

from pathlib import Path

import docx

BAD = "BED-26-1187"
"""The reference of the record a runtime case misbehaves for (samples/episodes/bedford-…)."""

_BIG_PRODUCT = "{% set x = 2**60 %}{{ " + " * ".join(["x"] * 80) + " }}"

RUNTIME: dict[str, tuple[str, str]] = {
    "lipsum": ("{{ lipsum(n=3000000) }}", "'lipsum' is not available"),
    "center-filter": ("{{ 'x'|center(2000000000) }}", "'center'"),
    "center-method": ("{{ 'x'.center(2000000000) }}", "'center'"),
    "ljust": ("{{ ''.ljust(10**10) }}", "'ljust'"),
    "rjust": ("{{ 'a'.rjust(10**9) }}", "'rjust'"),
    "zfill": ("{{ '1'.zfill(10**9) }}", "'zfill'"),
    "expandtabs": ("{{ ('\\t' * 1000).expandtabs(100000) }}", "'expandtabs'"),
    "percent-width": ("{{ '%0999999999d' % 1 }}", "in a % format"),
    "percent-precision": ("{{ '%.999999999f' % 1.5 }}", "in a % format"),
    "percent-star": ("{{ '%*d' % (999999999, 1) }}", "in a % format"),
    "format-filter": ("{{ '%0999999999d'|format(1) }}", "in a % format"),
    "str-format": ("{{ '{:>999999999}'.format(1) }}", "in a {} format"),
    "str-format-nested": ("{{ '{:{}}'.format(1, 999999999) }}", "in a {} format"),
    "format-map": ("{{ '{x:>999999999}'.format_map({'x': 1}) }}", "in a {} format"),
    "indent": ("{{ 'a\\nb'|indent(999999999) }}", "'indent'"),
    "replace-method": ("{{ ('x' * 999999).replace('x', 'yyyyyyyyyy') }}", "'replace'"),
    "replace-filter": ("{{ ('x' * 999999)|replace('x', 'yyyyyyyyyy') }}", "'replace'"),
    "join": ("{{ ('x' * 999999).join(['a'] * 999999) }}", "'join'"),
    "repeat": ("{{ 'x' * 10**9 }}", "1,000,000-character limit"),
    "repeat-list": ("{{ [1, 2] * 10**9 }}", "1,000,000-character limit"),
    "chained-power": ("{{ 2**64**64**64**64 }}", "power"),
    "big-power": ("{{ 10**100000 }}", "power above 64"),
    "big-product": (_BIG_PRODUCT, "multiplies numbers"),
    "range": ("{% for i in range(10**9) %}{% endfor %}", "range() of 1,000,000,000 numbers"),
    "recursive-macro": (
        "{% macro m(n) %}{{ m(n) }}{% endmacro %}{{ m(1) }}",
        "goes round in circles",
    ),
    "mutual-macros": (
        "{% macro a() %}{{ b() }}{% endmacro %}{% macro b() %}{{ a() }}{% endmacro %}{{ a() }}",
        "goes round in circles",
    ),
    "surrogate": ("{{ '\\ud800' }}", "lone surrogate"),
    "surrogate-safe": ("{{ '\\udfff'|safe }}", "lone surrogate"),
    "nested-loops": (
        "{% for a in range(10000) %}{% for b in range(10000) %}{% for c in range(10000) %}"
        "{% endfor %}{% endfor %}{% endfor %}",
        "took too long",
    ),
    "growing-list": (
        "{% set l = [1] %}{% for i in l %}{{ l.append(i) or '' }}{% endfor %}",
        "took too long",
    ),
    "memory": (
        "{% set l = [] %}{% for i in range(10000) %}{% set _ = l.append('x' * 999999 ~ i) %}"
        "{% endfor %}",
        "memory limit",
    ),
    "private-attribute": ("{{ ''.__class__.__mro__ }}", "refused by the sandbox"),
    "division-by-zero": ("{{ 1 / 0 }}", "division by zero"),
    "pop-empty": ("{{ [].pop() }}", "pop from empty list"),
    "include": ("{% include 'other.docx' %}", "word/document.xml"),
}

COMPILE: dict[str, tuple[str, str]] = {
    "parentheses": ("{{ " + "(" * 3000 + "1" + ")" * 3000 + " }}", "nested too deeply"),
    "brackets": ("{{ " + "[" * 3000 + "]" * 3000 + " }}", "nested too deeply"),
    "unclosed": ("{% for x in y %}", "word/document.xml"),
}

USABLE: dict[str, str] = {
    "nul": "{{ '\\x00' }}ok",
    "nul-safe": "{{ '\\x00\\x01\\x1f'|safe }}ok",
    "non-character": "{{ '\\uffff\\ufffe' }}ok",
    "control-in-filter-block": "{% filter replace('a', '\\x0b') %}a{% endfilter %}ok",
}


def guarded(text: str) -> str:
    """``text`` run only for the record :data:`BAD`."""
    return f"{{% if episode.reference == '{BAD}' %}}{text}{{% endif %}}"


def write_template(
    path: Path, text: str, *, where: str = "body", intro: str = "Dear {{ child.first_name }}"
) -> Path:
    """A Word template with ``text`` in its body, header or title (document properties)."""
    document = docx.Document()
    document.add_paragraph(intro)
    if where == "header":
        document.sections[0].header.paragraphs[0].text = text
    elif where == "title":
        document.core_properties.title = text
    else:
        document.add_paragraph(text)
    document.save(str(path))
    return path

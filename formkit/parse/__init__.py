"""Reading completed forms back into data: ``parse_form(path) -> ParseResult``.

Word forms are walked at the XML level (:mod:`formkit.parse.docx`), PDF forms are read by field
value through :mod:`formkit.pdf`. Every file passes :mod:`formkit.intake` first.
"""

from __future__ import annotations

from formkit.parse.form import parse_form
from formkit.parse.labels import LabelMapping, load_mapping
from formkit.parse.result import FormField, ParseResult

__all__ = ["FormField", "LabelMapping", "ParseResult", "load_mapping", "parse_form"]

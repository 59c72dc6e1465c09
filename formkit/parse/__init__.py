"""Reading completed forms back into data: ``parse_form(path) -> ParseResult``.

Word forms are walked at the XML level (:mod:`formkit.parse.docx`), PDF forms are read by field
value through :mod:`formkit.pdf`. Every file passes :mod:`formkit.intake` first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from formkit.lazy import lazy_names

if TYPE_CHECKING:
    from formkit.parse.form import parse_form
    from formkit.parse.labels import LabelMapping, load_mapping
    from formkit.parse.result import FormField, ParseResult

# name -> the module it lives in, imported when the name is first used
_PUBLIC = {
    "parse_form": "formkit.parse.form",
    "LabelMapping": "formkit.parse.labels",
    "load_mapping": "formkit.parse.labels",
    "FormField": "formkit.parse.result",
    "ParseResult": "formkit.parse.result",
}
__getattr__, __dir__ = lazy_names(__name__, _PUBLIC)

__all__ = ["FormField", "LabelMapping", "ParseResult", "load_mapping", "parse_form"]

"""Fillable PDF forms: build them from layouts, fill them from episodes, read them back.

    from formkit.pdf import PdfTemplate, read_pdf_form
    from formkit.resources import bundled

    template = PdfTemplate(bundled("templates", "pdf", "nyas-referral.pdf"))   # parsed once
    data = template.render(record)                              # fill many; flatten=True to lock
    fields = read_pdf_form("completed.pdf")                     # {data_path: value}
    partial = to_episode_dict(fields)                           # nested like EpisodeRecord

Field names are the episode model's data paths, through the PDF field hierarchy (see
:mod:`formkit.pdf.build`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from formkit.lazy import lazy_names

if TYPE_CHECKING:
    from formkit.pdf.fill import PdfTemplate
    from formkit.pdf.flatten import flatten_form
    from formkit.pdf.read import read_form_bytes, read_pdf_form
    from formkit.pdf.values import form_values, to_episode_dict

# name -> the module it lives in, imported when the name is first used
_PUBLIC = {
    "PdfTemplate": "formkit.pdf.fill",
    "flatten_form": "formkit.pdf.flatten",
    "read_form_bytes": "formkit.pdf.read",
    "read_pdf_form": "formkit.pdf.read",
    "form_values": "formkit.pdf.values",
    "to_episode_dict": "formkit.pdf.values",
}
__getattr__, __dir__ = lazy_names(__name__, _PUBLIC)

__all__ = [
    "PdfTemplate",
    "flatten_form",
    "form_values",
    "read_form_bytes",
    "read_pdf_form",
    "to_episode_dict",
]

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

from formkit.pdf.fill import PdfTemplate
from formkit.pdf.flatten import flatten_form
from formkit.pdf.read import read_form_bytes, read_pdf_form
from formkit.pdf.values import form_values, to_episode_dict

__all__ = [
    "PdfTemplate",
    "flatten_form",
    "form_values",
    "read_form_bytes",
    "read_pdf_form",
    "to_episode_dict",
]

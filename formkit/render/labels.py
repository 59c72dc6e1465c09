"""Words for the model's choice values: kept for templates and scripts that import it here; the
one source is :mod:`formkit.words`."""

from __future__ import annotations

from formkit.words import choices, code_for, label

__all__ = ["choices", "code_for", "label"]

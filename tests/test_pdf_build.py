"""The committed PDF templates are what the layouts build, and every field is a model path."""

from __future__ import annotations

import subprocess
import sys
import typing

import pytest
from pdf_helpers import PDF_TEMPLATES, ROOT, TEMPLATE_NAMES
from pydantic import BaseModel
from pypdf import PdfReader

from formkit.errors import TemplateError
from formkit.model import EpisodeRecord
from formkit.pdf.build import build_form
from formkit.pdf.fields import shown_key
from formkit.pdf.layout import enum_named, layout_names, load_layout


@pytest.mark.slow
def test_committed_templates_are_up_to_date_and_reproducible() -> None:
    result = subprocess.run(
        [sys.executable, "scripts/build_pdf_templates.py", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert sorted(layout_names()) == sorted(TEMPLATE_NAMES)


def _inner(annotation: typing.Any) -> tuple[typing.Any, bool]:
    """Strip Optional, Annotated, list[...] and dict[K, X] to X; and whether a key comes first."""
    keyed = False
    while True:
        origin = typing.get_origin(annotation)
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if origin is typing.Annotated:
            annotation = args[0]
        elif origin is dict:
            keyed, annotation = True, args[-1]
        elif origin is list or (origin is not None and len(args) == 1):
            annotation = args[-1]
        else:
            return annotation, keyed


def _resolves(path: str) -> bool:
    base, _, choice = path.partition("=")
    current: typing.Any = EpisodeRecord
    keyed = False
    for part in base.split("."):
        if part.isdigit() or keyed:
            keyed = False  # a list position, or a dict key such as a referral service
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return False
        if part not in current.model_fields:
            return False
        current, keyed = _inner(current.model_fields[part].annotation)
    return not choice or (isinstance(current, type) and choice in {m.value for m in current})


@pytest.mark.parametrize("name", TEMPLATE_NAMES)
def test_every_field_is_a_data_path_of_the_model(name: str) -> None:
    fields = PdfReader(PDF_TEMPLATES / f"{name}.pdf").get_fields() or {}
    terminal = {n for n, f in fields.items() if "/FT" in f and shown_key(n) is None}
    layout = load_layout(name).data_paths()
    assert terminal == {p for p in layout if shown_key(p) is None}
    pages = len(PdfReader(PDF_TEMPLATES / f"{name}.pdf").pages)
    shown = {n for n in fields if shown_key(n) is not None and "/FT" in fields[n]}
    footers = {f"formkit_shown.council.p{n}" for n in range(1, pages + 1)}
    assert shown == footers | {p for p in layout if shown_key(p) is not None}
    assert all(int(fields[n]["/Ff"]) & 1 for n in shown)  # read-only: formkit's, not a question
    wrong = sorted(path for path in terminal if not _resolves(path))
    assert wrong == []


def test_resolver_rejects_a_misspelt_path() -> None:
    assert _resolves("child.first_name")
    assert not _resolves("child.frist_name")
    assert not _resolves("return_interview.push_pull_factors=nonsense")


def test_drop_downs_carry_the_enum_values_and_readable_labels() -> None:
    fields = PdfReader(PDF_TEMPLATES / "nyas-referral.pdf").get_fields() or {}
    options = [list(map(str, pair)) for pair in fields["episode.end_reason"]["/Opt"]]
    assert ["found_by_school", "Found by school"] in options
    assert {o[0] for o in options if o[0]} == {m.value for m in enum_named("EndReason")}


def test_a_layout_using_a_path_twice_is_refused() -> None:
    layout = load_layout("nyas-referral").model_copy(deep=True)
    layout.sections[0].fields.append(layout.sections[1].fields[0])
    with pytest.raises(TemplateError, match="uses a data path twice: people.referrer.name"):
        build_form(layout) if layout.data_paths() else None

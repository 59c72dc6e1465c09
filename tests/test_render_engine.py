"""The Word engine: content controls filled from data, autoescape, split tags, headers and
document properties, hand-edited templates, and the sandbox's refusals and size cap."""

from __future__ import annotations

import io
import typing
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import docx
import pytest
from conftest import ROOT, SAMPLES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from pydantic import BaseModel

from formkit.errors import RenderError, TemplateError
from formkit.load import load_episodes
from formkit.model import EpisodeRecord, ReturnInterview
from formkit.model.paths import is_enum, is_model, list_item, unwrap
from formkit.model.values import LONDON
from formkit.render.docx import WordTemplate

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
RHI = ROOT / "formkit" / "templates" / "rhi-form.docx"


def sample(name: str = "bexley-ola-fourth-notification.yaml") -> EpisodeRecord:
    return load_episodes(SAMPLES / "episodes" / name)[0]


def body(data: bytes, part: str = "word/document.xml") -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return etree.fromstring(package.read(part))


def text_of(data: bytes, part: str = "word/document.xml") -> str:
    return "\n".join(
        "".join(t.text or "" for t in p.iter(f"{W}t")) for p in body(data, part).iter(f"{W}p")
    )


def make_template(path: Path, *paragraphs: str, header: str = "", title: str = "") -> Path:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if header:
        document.sections[0].header.paragraphs[0].text = header
    if title:
        document.core_properties.title = title
    document.save(str(path))
    return path


def controls(data: bytes) -> dict[str, etree._Element]:
    found = {}
    for sdt in body(data).iter(f"{W}sdt"):
        tag = sdt.find(f"{W}sdtPr/{W}tag")
        if tag is not None:
            found[tag.get(f"{W}val")] = sdt
    return found


# -- the return home interview form -------------------------------------------------------------


def rhi_leaf_paths(model: type[BaseModel], prefix: str) -> set[str]:
    """Every data path a completed RHI form must be able to carry, by walking the model."""
    paths: set[str] = set()
    for name, field in model.model_fields.items():
        path = f"{prefix}.{name}"
        kind: Any = unwrap(field.annotation)
        if is_model(kind):
            paths |= rhi_leaf_paths(kind, path)
        elif is_enum(list_item(kind)):
            paths |= {f"{path}={member.value}" for member in list_item(kind)}
        elif typing.get_origin(kind) is dict:
            key, value = typing.get_args(kind)
            for member in key:
                paths |= rhi_leaf_paths(unwrap(value), f"{path}.{member.value}")
        else:
            paths.add(path)
    return paths


def test_rendered_rhi_form_has_a_control_for_every_interview_field() -> None:
    data = WordTemplate(RHI).render(sample())
    tags = set(controls(data))
    expected = rhi_leaf_paths(ReturnInterview, "return_interview")
    assert len(expected) > 100
    assert expected - tags == set()
    aliases = [sdt.find(f"{W}sdtPr/{W}alias").get(f"{W}val") for sdt in controls(data).values()]
    assert len(aliases) == len(set(aliases)), "every control needs a unique alias"


def test_rhi_controls_are_filled_from_the_record() -> None:
    record = sample()
    interview = record.return_interview.model_copy(
        update={
            "push_pull_factors": ["social_network"],
            "interviewer": "Priya Shah",
            "engagement": "low",
            "worker_summary": "First line\nSecond line",
        }
    )
    record = record.model_copy(update={"return_interview": interview})
    found = controls(WordTemplate(RHI).render(record))
    ticked = found["return_interview.push_pull_factors=social_network"]
    assert ticked.find(f".//{W14}checked").get(f"{W14}val") == "1"
    assert "".join(ticked.itertext()) == "\u2612"
    clear = found["return_interview.push_pull_factors=problems_at_school"]
    assert clear.find(f".//{W14}checked").get(f"{W14}val") == "0"
    assert "".join(clear.itertext()) == "\u2610"
    person = found["return_interview.interviewer"]
    assert "".join(person.itertext()) == "Priya Shah"
    assert person.find(f"{W}sdtPr/{W}showingPlcHdr") is None
    assert "".join(found["return_interview.engagement"].itertext()) == "Low"
    summary = found["return_interview.worker_summary"]
    assert summary.find(f".//{W}br") is not None
    empty = found["return_interview.answers.anything_else"]
    assert empty.find(f"{W}sdtPr/{W}showingPlcHdr") is not None


def test_date_controls_carry_the_full_date() -> None:
    record = sample("buckinghamshire-lac-residential-cce.yaml")
    held = record.return_interview.held_at
    assert held is not None
    found = controls(WordTemplate(RHI).render(record))
    control = found["return_interview.held_at"]
    local = held.astimezone(LONDON)
    assert control.find(f"{W}sdtPr/{W}date").get(f"{W}fullDate") == local.strftime(
        "%Y-%m-%dT%H:%M:00Z"
    )
    assert "".join(control.itertext()) == local.strftime("%d/%m/%Y %H:%M")


# -- Jinja in Word ------------------------------------------------------------------------------


@pytest.mark.slow
@settings(
    max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None
)
@given(
    name=st.text(
        alphabet=st.characters(
            blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\ufffe\uffff"
        ),
        min_size=1,
        max_size=40,
    ).filter(lambda s: s.strip() == s and s.strip())
)
def test_any_name_comes_out_exactly(tmp_path_factory: pytest.TempPathFactory, name: str) -> None:
    path = tmp_path_factory.mktemp("t") / "t.docx"
    template = WordTemplate(make_template(path, "Name: {{ child.last_name }}."))
    child = sample().child.model_copy(update={"last_name": name})
    record = sample().model_copy(update={"child": child})
    assert f"Name: {name}." in text_of(template.render(record))


def test_markup_characters_are_escaped(tmp_path: Path) -> None:
    template = WordTemplate(
        make_template(tmp_path / "t.docx", "{{ child.first_name }} {{ child.last_name }}")
    )
    child = sample().child.model_copy(update={"first_name": "Zoë", "last_name": "O'Brien & <Co>"})
    data = template.render(sample().model_copy(update={"child": child}))
    assert "Zoë O'Brien & <Co>" in text_of(data)


def test_tag_split_across_runs_is_merged(tmp_path: Path) -> None:
    document = docx.Document()
    paragraph = document.add_paragraph()
    for piece in ["Ref {{ epi", "sode.refer", "ence }} ", "end"]:
        paragraph.add_run(piece).bold = piece == "sode.refer"
    document.save(str(tmp_path / "split.docx"))
    data = WordTemplate(tmp_path / "split.docx").render(sample())
    assert f"Ref {sample().reference} end" in text_of(data)


def test_headers_and_document_properties_are_rendered(tmp_path: Path) -> None:
    path = make_template(
        tmp_path / "t.docx",
        "Body",
        header="Header {{ episode.reference }}",
        title="Title {{ child.id }}",
    )
    data = WordTemplate(path).render(sample())
    assert f"Header {sample().reference}" in text_of(data, "word/header1.xml")
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert f"Title {sample().child.id}".encode() in package.read("docProps/core.xml")


def test_hand_edited_template_still_renders(tmp_path: Path) -> None:
    """Open a shipped template the way Word would, change it, save it: it still works."""
    document = docx.Document(str(ROOT / "formkit" / "templates" / "missing-profile.docx"))
    document.add_paragraph("Added by the council: ").add_run(
        "{{ child.known_as }} / {{ today|long_date }}"
    )
    document.paragraphs[1].runs[0].bold = True
    document.save(str(tmp_path / "edited.docx"))
    record = sample()
    data = WordTemplate(tmp_path / "edited.docx").render(
        record, now=datetime(2026, 11, 3, 14, 30, tzinfo=LONDON)
    )
    assert f"Added by the council: {record.child.known_as} / Tuesday 3 November 2026" in text_of(
        data
    )


def test_untouched_members_are_copied_byte_for_byte() -> None:
    data = WordTemplate(RHI).render(sample())
    with zipfile.ZipFile(RHI) as source, zipfile.ZipFile(io.BytesIO(data)) as made:
        assert made.namelist() == source.namelist()
        for name in ("word/styles.xml", "word/theme/theme1.xml", "[Content_Types].xml"):
            assert made.read(name) == source.read(name)


# -- the sandbox --------------------------------------------------------------------------------


def test_private_attributes_are_refused(tmp_path: Path) -> None:
    template = WordTemplate(make_template(tmp_path / "t.docx", "{{ ''.__class__.__mro__ }}"))
    with pytest.raises(RenderError) as caught:
        template.render(sample())
    assert "refused by the sandbox" in str(caught.value)
    assert "__class__" in str(caught.value) or "__mro__" in str(caught.value)
    assert "word/document.xml" in str(caught.value)


def test_attr_filter_is_refused(tmp_path: Path) -> None:
    with pytest.raises(TemplateError) as caught:
        WordTemplate(make_template(tmp_path / "t.docx", "{{ '{0.__class__}'|attr('format') }}"))
    assert "the 'attr' filter is not allowed in formkit templates" in str(caught.value)


def test_huge_repetition_stops_at_the_cap(tmp_path: Path) -> None:
    template = WordTemplate(make_template(tmp_path / "t.docx", "{{ 'x' * 10**9 }}"))
    with pytest.raises(RenderError) as caught:
        template.render(sample())
    assert "1,000,000-character limit" in str(caught.value)


def test_runaway_loop_stops_at_the_output_cap(tmp_path: Path) -> None:
    loop = "{% for i in range(9000) %}{{ 'x' * 999999 }}{% endfor %}"
    template = WordTemplate(make_template(tmp_path / "t.docx", loop))
    with pytest.raises(RenderError) as caught:
        template.render(sample())
    assert "passed the size limit of 20 MB" in str(caught.value)


def test_syntax_error_names_the_paragraph(tmp_path: Path) -> None:
    with pytest.raises(TemplateError) as caught:
        WordTemplate(
            make_template(tmp_path / "t.docx", "Intro", "{% if looked_after %}Looked after")
        )
    message = str(caught.value)
    assert "t.docx" in message and "word/document.xml" in message

"""formkit.ooxml is the one place that reads and fills Word content controls: the document
writer (render), the sample-form filler (fill) and the reader (parse) agree because they share it."""

from __future__ import annotations

import copy
from datetime import date, datetime

import pytest
from lxml import etree
from support.fill import fill_document_xml

from formkit import ooxml
from formkit.model.values import LONDON
from formkit.parse.controls import read_control
from formkit.render.controls import Control

W_DECL = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"'
)
PROMPT_RUN = (
    '<w:r><w:rPr><w:rStyle w:val="PlaceholderText"/><w:b/></w:rPr>'
    "<w:t>Click or tap here to enter text.</w:t></w:r>"
)


def _control(tag: str, kind_xml: str = "", content: str = PROMPT_RUN) -> etree._Element:
    xml = (
        f'<w:sdt {W_DECL}><w:sdtPr><w:tag w:val="{tag}"/><w:showingPlcHdr/>{kind_xml}'
        f"</w:sdtPr><w:sdtContent><w:p>{content}</w:p></w:sdtContent></w:sdt>"
    )
    return etree.fromstring(xml)


DROPDOWN = (
    "<w:dropDownList>"
    '<w:listItem w:displayText="Choose an item." w:value=""/>'
    '<w:listItem w:displayText="Looked after" w:value="looked_after"/>'
    '<w:listItem w:value="other"/>'
    "</w:dropDownList>"
)
CHECKBOX = (
    '<w14:checkbox><w14:checked w14:val="0"/>'
    '<w14:checkedState w14:val="2612"/><w14:uncheckedState w14:val="2610"/></w14:checkbox>'
)
DATE = '<w:date><w:dateFormat w:val="dd/MM/yyyy"/></w:date>'


@pytest.mark.parametrize(
    ("kind_xml", "kind"),
    [
        (CHECKBOX, "checkbox"),
        (DATE, "date"),
        (DROPDOWN, "dropdown"),
        ("<w:comboBox/>", "combo"),
        ("<w:text/>", "text"),
        ("", "rich"),
    ],
)
def test_control_type_names_each_kind(kind_xml: str, kind: str) -> None:
    sdt = _control("x.y", kind_xml)
    assert ooxml.control_type(sdt.find(ooxml.w("sdtPr"))) == kind
    assert ooxml.control_tag(sdt) == "x.y"


@pytest.mark.parametrize(
    ("kind_xml", "value", "shown", "read"),
    [
        ("", "Seen at school\nthen home", "Seen at school\nthen home", "Seen at school\nthen home"),
        (DROPDOWN, "looked_after", "Looked after", "looked_after"),
        (DROPDOWN, "other", "other", "other"),
        (DATE, date(2026, 11, 3), "03/11/2026", "2026-11-03"),
        (DATE, "2026-11-03T14:30:00+00:00", "03/11/2026 14:30", "2026-11-03T14:30"),
    ],
)
def test_filled_control_reads_back(kind_xml: str, value: object, shown: str, read: str) -> None:
    sdt = _control("a.b", kind_xml)
    ooxml.fill_control(sdt, value)
    properties = sdt.find(ooxml.w("sdtPr"))
    assert properties.find(ooxml.w("showingPlcHdr")) is None
    style = sdt.find(f".//{ooxml.w('rStyle')}")
    assert style is None, "the grey prompt look is gone"
    assert sdt.find(f".//{ooxml.w('b')}") is not None, "the run keeps its own formatting"
    field = read_control(properties, sdt.find(ooxml.w("sdtContent")))
    assert field.value == read
    texts = "\n".join(t.text or "" for t in sdt.iter(ooxml.w("t")))
    assert texts == shown


def test_date_picker_holds_london_wall_clock() -> None:
    sdt = _control("a.b", DATE)
    ooxml.fill_control(sdt, datetime(2026, 7, 1, 13, 5, tzinfo=LONDON))
    picked = sdt.find(f"{ooxml.w('sdtPr')}/{ooxml.w('date')}").get(ooxml.w("fullDate"))
    assert picked == "2026-07-01T13:05:00Z"


@pytest.mark.parametrize("on", [True, False])
def test_checkbox_truth_and_glyph(on: bool) -> None:
    sdt = _control("a.b", CHECKBOX, "<w:r><w:t>\u2610</w:t></w:r>")
    ooxml.fill_control(sdt, on)
    properties = sdt.find(ooxml.w("sdtPr"))
    assert ooxml.checkbox_state(properties) is on
    assert next(sdt.iter(ooxml.w("t"))).text == ("\u2612" if on else "\u2610")


@pytest.mark.parametrize(
    ("kind_xml", "value"),
    [("", "Seen at school"), (DROPDOWN, "looked_after"), (DATE, date(2026, 11, 3))],
)
def test_document_writer_and_form_filler_make_the_same_control(
    kind_xml: str, value: object
) -> None:
    """render (compiled slots) and fill (in place) are one implementation: same XML."""
    sdt = _control("episode.reference", kind_xml)
    rendered = Control.compile(copy.deepcopy(sdt), "episode.reference").render(
        {"episode": {"reference": value}}
    )
    root = etree.fromstring(f"<w:body {W_DECL}>{etree.tostring(sdt).decode()}</w:body>")
    assert fill_document_xml(root, {"episode.reference": value}) == 1
    filled = root[0]
    assert etree.tostring(etree.fromstring(rendered), method="c14n") == etree.tostring(
        filled, method="c14n"
    )


def test_choice_tick_box_for_a_single_choice_and_a_list() -> None:
    sdt = _control("child.legal_status=looked_after", CHECKBOX, "<w:r><w:t>\u2610</w:t></w:r>")
    control = Control.compile(sdt, "child.legal_status=looked_after")
    assert control.render({"child": {"legal_status": "looked_after"}}) == control.checked
    assert control.render({"child": {"legal_status": ["cin", "looked_after"]}}) == control.checked
    assert control.render({"child": {"legal_status": "cin"}}) == control.unchecked


@pytest.mark.parametrize(
    "text",
    ["Click or tap here to enter text.", "click here to enter text", " Choose an item. "],
)
def test_word_prompts_are_recognised(text: str) -> None:
    assert ooxml.is_prompt(text)
    assert not ooxml.is_prompt("Choose an item of clothing.")


def test_strict_namespaces_become_transitional() -> None:
    strict = b'<w:document xmlns:w="http://purl.oclc.org/ooxml/wordprocessingml/main"/>'
    assert ooxml.is_strict(strict)
    assert ooxml.W.encode() in ooxml.to_transitional(strict)

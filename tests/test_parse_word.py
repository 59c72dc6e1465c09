"""The Word walker on hand-made XML: each kind of control, where it sits, and what it holds."""

from __future__ import annotations

from pathlib import Path

from parse_forms import (
    cell,
    checkbox_sdt,
    date_sdt,
    p,
    r,
    row,
    sdt,
    table,
    text_sdt,
    write_document,
)

from formkit.parse import parse_form


def raw(tmp_path: Path, body: str, header: str | None = None) -> dict[str, object]:
    path = write_document(tmp_path / "form.docx", body, header=header)
    return parse_form(path, raw=True).data


def test_text_keeps_tabs_breaks_and_symbols(tmp_path: Path) -> None:
    content = (
        "<w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c </w:t>"
        '<w:sym w:font="Symbol" w:char="F0B1"/></w:r>'
    )
    assert raw(tmp_path, p(sdt(content, tag="t"))) == {"t": "a\tb\nc \uf0b1"}


def test_placeholders_read_as_empty(tmp_path: Path) -> None:
    styled = '<w:r><w:rPr><w:rStyle w:val="PlaceholderText"/></w:rPr><w:t>Type here</w:t></w:r>'
    body = p(
        sdt(styled, tag="styled"),
        sdt(r("Click or tap here to enter text."), tag="prompt"),
        text_sdt(None, tag="flag"),
    )
    assert raw(tmp_path, body) == {"styled": None, "prompt": None, "flag": None}


def test_key_falls_back_tag_alias_label(tmp_path: Path) -> None:
    body = table(
        row(cell(p(r("Where found"))), cell(p(text_sdt("Park")))),
        row(cell(p(r("x"))), cell(p(text_sdt("A", alias="Alias one")))),
    ) + p(text_sdt("B", tag="tagged", alias="ignored"))
    assert raw(tmp_path, body) == {"Where found": "Park", "Alias one": "A", "tagged": "B"}


def test_checkbox_states_and_wrapper(tmp_path: Path) -> None:
    body = p(
        checkbox_sdt(None, tag="bare"),
        checkbox_sdt(False, tag="off"),
        checkbox_sdt(True, tag="on"),
        # LibreOffice wraps a checkbox in an outer control that carries the alias
        sdt(checkbox_sdt(True), alias="Wrapped box"),
    )
    assert raw(tmp_path, body) == {"bare": True, "off": False, "on": True, "Wrapped box": True}


def test_cell_and_row_level_and_nested_controls(tmp_path: Path) -> None:
    cell_level = sdt(cell(p(r("in a cell"))), tag="cell")
    row_level = sdt(row(cell(p(r("in a row")))), tag="row")
    nested = sdt(p(text_sdt("inner", tag="inner")) + p(r("text")), tag="outer")
    body = table(row(cell(p(r("label"))), cell_level), row_level) + nested
    assert raw(tmp_path, body) == {"cell": "in a cell", "row": "in a row", "inner": "inner"}


def test_text_box_read_once_and_header(tmp_path: Path) -> None:
    box = text_sdt("in a box", tag="box")
    drawing = (
        '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:inline '
        'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing">'
        f"<w:txbxContent>{p(box)}</w:txbxContent></wp:inline></w:drawing></mc:Choice>"
        f"<mc:Fallback><w:pict><w:txbxContent>{p(box)}</w:txbxContent></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r>"
    )
    data = raw(tmp_path, p(r("before"), drawing), header=p(text_sdt("HDR-1", tag="head")))
    assert data == {"box": "in a box", "head": "HDR-1"}


def test_dates_full_date_first_then_uk_text(tmp_path: Path) -> None:
    body = p(
        date_sdt("04/03/2026", "2026-03-04T00:00:00Z", tag="full"),
        date_sdt("04/03/2026 09:15", tag="uk"),
        date_sdt("next Tuesday", tag="bad"),
    )
    result = parse_form(write_document(tmp_path / "d.docx", body), raw=True)
    assert result.data == {"full": "2026-03-04", "uk": "2026-03-04T09:15", "bad": None}
    assert result.warnings == ["bad: could not read the date 'next Tuesday'"]


def test_legacy_formtext_and_glyphs(tmp_path: Path) -> None:
    def formtext(name: str, shown: str) -> str:
        return (
            f'<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="{name}"/>'
            "<w:textInput/></w:ffData></w:fldChar></w:r>"
            '<w:r><w:instrText xml:space="preserve"> FORMTEXT </w:instrText></w:r>'
            f'<w:r><w:fldChar w:fldCharType="separate"/></w:r>{r(shown)}'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        )

    wingdings = '<w:r><w:sym w:font="Wingdings" w:char="F0FE"/></w:r>'
    body = p(formtext("empty", "\u2002" * 5), formtext("filled", "Ten")) + p(
        r("☒ Home ☐ School "), wingdings, r(" Care")
    )
    assert raw(tmp_path, body) == {
        "empty": None,
        "filled": "Ten",
        "Home": True,
        "School": False,
        "Care": True,
    }

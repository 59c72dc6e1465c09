"""Helpers for the parse tests: completed RHI forms made from episodes, a Barnardo's-style form."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from support.fill import fill_form, interview_values

from formkit.model import EpisodeRecord, ReturnInterview
from formkit.render import WordTemplate
from formkit.render.catalog import templates_dir

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14_NS = "http://schemas.microsoft.com/office/word/2010/wordml"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"

_TEMPLATE: WordTemplate | None = None


def rhi_template() -> WordTemplate:
    global _TEMPLATE
    if _TEMPLATE is None:
        _TEMPLATE = WordTemplate(templates_dir() / "rhi-form.docx")
    return _TEMPLATE


def completed_rhi(record: EpisodeRecord) -> bytes:
    """Render the blank rhi-form for ``record``, then fill it as the interviewer would."""
    template = rhi_template()
    blank = record.model_copy(update={"return_interview": ReturnInterview()})
    values = interview_values(record.return_interview, template.control_tags)
    return fill_form(template.render(blank), values)


def same_interview(got: dict[str, object], expected: ReturnInterview) -> None:
    """Assert two interviews hold the same data (tick lists compared as sets)."""
    parsed = ReturnInterview.model_validate(got).model_dump(mode="json")
    wanted = expected.model_dump(mode="json")
    for key in ("push_pull_factors", "safeguarding_concerns"):
        parsed[key] = sorted(parsed[key])
        wanted[key] = sorted(wanted[key])
    assert parsed == wanted


def write_document(path: Path, body: str, *, header: str | None = None) -> Path:
    """A minimal .docx with ``body`` (WordprocessingML) and an optional header part."""
    namespaces = f'xmlns:w="{W_NS}" xmlns:w14="{W14_NS}" xmlns:mc="{MC_NS}"'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>',
        )
        package.writestr(
            "word/document.xml",
            f'<?xml version="1.0"?><w:document {namespaces}><w:body>{body}</w:body></w:document>',
        )
        if header is not None:
            package.writestr(
                "word/header1.xml", f'<?xml version="1.0"?><w:hdr {namespaces}>{header}</w:hdr>'
            )
    return path


def p(*runs: str) -> str:
    return "<w:p>" + "".join(runs) + "</w:p>"


def r(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def cell(*paragraphs: str) -> str:
    return "<w:tc>" + ("".join(paragraphs) or "<w:p/>") + "</w:tc>"


def row(*cells: str) -> str:
    return "<w:tr>" + "".join(cells) + "</w:tr>"


def table(*rows: str) -> str:
    return "<w:tbl>" + "".join(rows) + "</w:tbl>"


def sdt(content: str, *, kind: str = "", tag: str | None = None, alias: str | None = None,
        placeholder: bool = False) -> str:  # fmt: skip
    props = ""
    if alias:
        props += f'<w:alias w:val="{escape(alias)}"/>'
    if tag:
        props += f'<w:tag w:val="{escape(tag)}"/>'
    if placeholder:
        props += "<w:showingPlcHdr/>"
    return f"<w:sdt><w:sdtPr>{props}{kind}</w:sdtPr><w:sdtContent>{content}</w:sdtContent></w:sdt>"


def text_sdt(text: str | None, **names: str) -> str:
    shown = text if text is not None else "Click here to enter text."
    return sdt(r(shown), kind="<w:text/>", placeholder=text is None, **names)


def date_sdt(shown: str | None, full: str | None = None, **names: str) -> str:
    attr = f' w:fullDate="{full}"' if full else ""
    kind = f'<w:date{attr}><w:dateFormat w:val="dd/MM/yyyy HH:mm"/></w:date>'
    return sdt(r(shown or "Click here to enter a date."), kind=kind, placeholder=shown is None,
               **names)  # fmt: skip


def dropdown_sdt(shown: str | None, items: list[tuple[str, str]], **names: str) -> str:
    listing = "".join(
        f'<w:listItem w:displayText="{escape(d)}" w:value="{escape(v)}"/>' for v, d in items
    )
    kind = f'<w:dropDownList><w:listItem w:value="Choose an item."/>{listing}</w:dropDownList>'
    return sdt(r(shown or "Choose an item."), kind=kind, placeholder=shown is None, **names)


def checkbox_sdt(checked: bool | None, **names: str) -> str:
    """``checked=None`` writes a bare ``<w14:checked/>`` (which Word reads as checked)."""
    state = "<w14:checked/>" if checked is None else f'<w14:checked w14:val="{int(checked)}"/>'
    glyph = "☐" if checked is False else "☒"
    return sdt(r(glyph), kind=f"<w14:checkbox>{state}</w14:checkbox>", **names)

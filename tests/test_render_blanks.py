"""The "Not known" pass of facts documents (formkit.render.blanks) on hand-made parts: which
cells it fills, which it leaves, the labels it reports, and parts written in unusual ways."""

from __future__ import annotations

from lxml import etree

from formkit.ooxml import W as W_NS
from formkit.render.blanks import fill_blanks, missing_name

W = f"{{{W_NS}}}"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def part(tables: str, prefix: str = "w") -> str:
    body = tables.replace("w:", f"{prefix}:")
    return f'{HEAD}<{prefix}:document xmlns:{prefix}="{W_NS}"><{prefix}:body>{body}</{prefix}:body></{prefix}:document>'


def cell(text: str = "", extra: str = "") -> str:
    run = f"<w:r><w:t>{text}</w:t></w:r>" if text else '<w:r><w:t xml:space="preserve"></w:t></w:r>'
    return f'<w:tc><w:tcPr><w:tcW w:w="2000"/></w:tcPr><w:p>{run}{extra}</w:p></w:tc>'


def row(*cells: str, header: bool = False) -> str:
    props = "<w:trPr><w:tblHeader/></w:trPr>" if header else "<w:trPr><w:cantSplit/></w:trPr>"
    return f"<w:tr>{props}{''.join(cells)}</w:tr>"


def table(*rows: str) -> str:
    return f"<w:tbl><w:tblPr/>{''.join(rows)}</w:tbl><w:p/>"


def cells_text(xml: str) -> list[list[str]]:
    root = etree.fromstring(xml.encode())
    return [
        ["".join(t.text or "" for t in c.iter(f"{W}t")) for c in r.findall(f"{W}tc")]
        for r in root.iter(f"{W}tr")
    ]


def test_an_empty_value_cell_says_not_known_and_its_label_is_reported() -> None:
    xml = part(
        table(row(cell("School"), cell()), row(cell("GP"), cell()), row(cell("Name"), cell("Ava")))
    )
    filled, missing = fill_blanks(xml)
    assert cells_text(filled) == [["School", "Not known"], ["GP", "Not known"], ["Name", "Ava"]]
    assert missing == ["school", "GP"]
    run = etree.fromstring(filled.encode()).find(f".//{W}tr/{W}tc[2]/{W}p/{W}r")
    assert run is not None
    assert run.find(f"{W}rPr/{W}i") is not None  # grey italics, so it reads as a gap
    assert run.find(f"{W}rPr/{W}color").get(f"{W}val") == "595959"
    assert len(run.getparent().findall(f"{W}r")) == 1  # the empty run was replaced


def test_header_rows_spacer_rows_and_kept_cells_are_left_alone() -> None:
    picture = '<w:r><w:drawing><wp:inline xmlns:wp="urn:wp"/></w:drawing></w:r>'
    control = "<w:sdt><w:sdtPr/><w:sdtContent><w:r><w:t></w:t></w:r></w:sdtContent></w:sdt>"
    field = '<w:fldSimple w:instr="PAGE"><w:r><w:t></w:t></w:r></w:fldSimple>'
    xml = part(
        table(
            row(cell(), cell(), header=True),
            row(cell(), cell()),
            row(cell("Photo"), cell(extra=picture)),
            row(cell("Choice"), cell(extra=control)),
            row(cell("Page"), cell(extra=field)),
        )
    )
    assert fill_blanks(xml) == (xml, [])


def test_spaces_written_as_references_are_empty_and_other_text_is_not() -> None:
    xml = part(
        table(row(cell("Home"), cell("&#160; &#x20;")), row(cell("Town"), cell("&#160;Bedford")))
    )
    filled, missing = fill_blanks(xml)
    assert cells_text(filled) == [["Home", "Not known"], ["Town", "\xa0Bedford"]]
    assert missing == ["home"]


def test_a_single_cell_row_and_the_first_cell_of_a_row_are_filled_without_a_label() -> None:
    xml = part(table(row(cell()), row(cell(), cell("Ava"))))
    filled, missing = fill_blanks(xml)
    assert cells_text(filled) == [["Not known"], ["Not known", "Ava"]]
    assert missing == []


def test_cells_and_paragraphs_written_as_empty_elements() -> None:
    xml = part(
        table(
            row(cell("Phone"), '<w:tc w:id="1"/>'),
            row(cell("Email"), '<w:tc><w:p w:rsidR="00A1"/></w:tc>'),
            row(cell("Town"), "<w:tc><w:tcPr/></w:tc>"),
        )
    )
    filled, missing = fill_blanks(xml)
    assert cells_text(filled) == [
        ["Phone", "Not known"],
        ["Email", "Not known"],
        ["Town", "Not known"],
    ]
    assert missing == ["phone", "email", "town"]
    paragraph = etree.fromstring(filled.encode()).find(f".//{W}tr[2]/{W}tc[2]/{W}p")
    assert paragraph is not None and paragraph.get(f"{W}rsidR") == "00A1"


def test_a_table_inside_a_cell_is_read_with_the_cell() -> None:
    inner = table(row(cell("Police"), cell()), row(cell("Ref"), cell("CAD 12")))
    xml = part(table(row(cell("Agencies"), f"<w:tc>{inner}</w:tc>"), row(cell("GP"), cell())))
    filled, missing = fill_blanks(xml)
    assert cells_text(filled) == [
        ["Agencies", "PoliceNot knownRefCAD 12"],
        ["Police", "Not known"],
        ["Ref", "CAD 12"],
        ["GP", "Not known"],
    ]
    assert missing == ["police", "GP"]


def test_a_cell_wrapped_in_a_content_control_is_not_one_of_the_rows_cells() -> None:
    wrapped = f"<w:sdt><w:sdtPr/><w:sdtContent>{cell()}</w:sdtContent></w:sdt>"
    xml = part(table(row(cell("Notes"), wrapped, cell()), row(cell("GP"), cell())))
    filled, missing = fill_blanks(xml)
    # The row's own cells are "Notes" and the last one; the wrapped cell is left as it is.
    assert cells_text(filled)[0] == ["Notes", "Not known"]
    assert (
        '<w:sdtContent><w:tc><w:tcPr><w:tcW w:w="2000"/></w:tcPr><w:p><w:r><w:t xml:space="preserve"></w:t>'
        in filled
    )
    assert missing == ["notes", "GP"]


def test_another_namespace_prefix_is_read_the_same_way() -> None:
    xml = part(table(row(cell("School"), cell())), prefix="wp1")
    filled, missing = fill_blanks(xml)
    assert "<wp1:t>Not known</wp1:t>" in filled
    assert missing == ["school"]


def test_a_part_without_tables_is_returned_as_it_is() -> None:
    xml = part("<w:p><w:r><w:t>Dear Director</w:t></w:r></w:p>")
    assert fill_blanks(xml) == (xml, [])


def test_missing_name_reads_after_no() -> None:
    assert missing_name("School:") == "school"
    assert missing_name("GP") == "GP"
    assert missing_name("  Date of  birth? ") == "date of birth"


def test_a_row_with_a_long_answer_may_run_over_a_page_and_short_rows_stay_whole() -> None:
    """A row taller than a page cannot be kept whole (Word cuts it off at the foot of the
    page), so a row with a long answer loses cantSplit; every other row keeps it."""
    from formkit.render.blanks import LONG_ROW, let_long_rows_split

    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

    def row(text: str) -> str:
        return (
            "<w:tr><w:trPr><w:cantSplit/></w:trPr><w:tc><w:p><w:r><w:t>Label</w:t></w:r></w:p>"
            f"</w:tc><w:tc><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc></w:tr>"
        )

    long = "word " * (LONG_ROW // 5 + 1)
    xml = f"<w:document {ns}><w:body><w:tbl>{row('short')}{row(long)}{row('short')}</w:tbl>"
    xml += "</w:body></w:document>"
    out = let_long_rows_split(xml)
    rows = out.split("<w:tr>")[1:]
    assert ["<w:cantSplit/>" in r for r in rows] == [True, False, True]
    assert out.replace("<w:cantSplit/>", "") == xml.replace("<w:cantSplit/>", "")
    short_only = xml.replace(long, "a short answer")
    assert let_long_rows_split(short_only) is short_only  # nothing long: untouched, no work

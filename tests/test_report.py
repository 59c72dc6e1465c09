"""formkit report: monthly figures and current position, with native charts, and a .docx."""

from __future__ import annotations

import subprocess
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook
from support.episodes import tracker_episode, write_json

from formkit.cli import cli
from formkit.model import LONDON
from formkit.tracker import create_tracker, update_tracker

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=LONDON)


@pytest.fixture
def tracker(tmp_path: Path) -> Path:
    path = create_tracker(tmp_path / "t.xlsx")
    records = [
        tracker_episode("R-1", return_interview={"held_at": "2026-10-07T10:00", "interviewer": "W"}),
        tracker_episode("R-2", episode__last_seen_at="2026-10-12T20:00", episode__ended_at="2026-10-14T08:00",
                return_interview={"held_at": "2026-10-20T10:00"}),
        tracker_episode("R-3", child__id="TST-0002", episode__last_seen_at="2026-10-30T22:00",
                episode__ended_at=None, episode__end_reason=None, episode__where_found=None),
        tracker_episode("R-4", episode__last_seen_at="2026-09-12T20:00", episode__ended_at="2026-09-13T08:00"),
    ]  # fmt: skip
    records[2]["episode"] = {k: v for k, v in records[2]["episode"].items() if v is not None}
    update_tracker(path, [write_json(tmp_path / "e.json", records)], now=NOW)
    return path


def _report(tracker: Path, out: Path) -> tuple[Path, Path]:
    result = CliRunner().invoke(
        cli,
        ["report", str(tracker), "--month", "2026-10", "-o", str(out), "--now", "2026-11-01T12:00"],
    )
    assert result.exit_code == 0, result.output
    xlsx, docx = (Path(line) for line in result.output.split())
    return xlsx, docx


def test_the_report_has_the_figures_and_native_charts(tracker: Path, tmp_path: Path) -> None:
    xlsx, docx = _report(tracker, tmp_path / "out")
    book = load_workbook(xlsx)
    monthly = book["Monthly figures"]
    assert [c.value for c in monthly[3]][:3] == ["Figure", "October 2026", "September 2026"]
    figures = {
        row[0]: row[1:3] for row in monthly.iter_rows(min_row=4, max_row=16, values_only=True)
    }
    assert figures["Missing episodes"] == (3, 1)  # R-4 began in September
    assert figures["Children who went missing"] == (2, 1)
    # R-2 (36 h) and R-3, still open at month end after 26 h
    assert figures["Episodes of 24 hours or more"] == (2, 0)
    assert figures["Children found who received a return interview"] == (1, 0)
    assert figures["Missing children in residential placements"] == (2, 1)
    assert figures["Children missing at the end of the month"] == (1, 0)
    cells = {row[0]: row[1] for row in monthly.iter_rows(min_row=18, values_only=True) if row[0]}
    assert {
        k: cells[k] for k in ("Within 72 hours", "Late", "Overdue, not yet held", "Declined")
    } == {
        "Within 72 hours": 1,
        "Late": 1,
        "Overdue, not yet held": 0,
        "Declined": 0,
    }
    assert cells["Returned by themselves"] == 2  # words, not returned_by_self
    current = book["Current position"]
    assert current["A3"].value == "Child ID"
    listed = [row for row in current.iter_rows(min_row=4, values_only=True) if row[0]]
    assert [(row[0], row[2]) for row in listed] == [("TST-0002", "Y"), ("TST-0001", "N")]
    assert listed[0][4] == 26.0  # still missing: hours so far, not blank
    by_child = book["By child"]
    assert [c.value for c in by_child[3]] == ["Child ID", "Episodes", "Of 24 hours or more"]
    assert book.sheetnames == ["Monthly figures", "By child", "Current position"]
    # The figures and both charts print on one page (no chart cut in two); the lists run on,
    # their header row repeated.
    for sheet, titles, tall in ((monthly, None, 1), (current, "$3:$3", 0)):
        setup = sheet.page_setup
        assert (setup.paperSize, setup.orientation) == (9, "landscape")
        assert (setup.fitToWidth, setup.fitToHeight) == (1, tall)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows == titles
        assert sheet.freeze_panes == "B4"
    assert (by_child.page_setup.orientation, by_child.print_title_rows) == ("portrait", "$3:$3")
    for sheet in (monthly, by_child, current):
        assert sheet.oddHeader.center.text == "&BOFFICIAL-SENSITIVE"
        assert sheet.oddFooter.center.text == "&BOFFICIAL-SENSITIVE"
        assert sheet.oddFooter.right.text == "Page &P of &N"
        assert sheet.oddFooter.left.text == "London Borough of Bexley"  # every row is Bexley's
    assert (
        monthly["A1"].value
        == "London Borough of Bexley: missing episodes, October 2026: monthly figures"
    )
    with zipfile.ZipFile(xlsx) as package:
        charts = [n for n in package.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 2
        titles_xml = b"".join(package.read(n) for n in charts)
    assert b"Episodes by week" in titles_xml and b"within 72 hours" in titles_xml
    document = Document(str(docx))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "3 missing episodes involving 2 children began this month" in text
    assert "1 child was missing at 31/10/2026 23:59" in text
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    first = document.tables[0]
    assert [c.text for c in first.rows[0].cells] == ["Figure", "October 2026", "September 2026"]
    assert first.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert len(document.inline_shapes) == 2  # the two charts, as pictures
    header, footer = section.header, section.footer
    assert [(r.text, r.bold) for p in header.paragraphs for r in p.runs] == [
        ("OFFICIAL-SENSITIVE", True)
    ]
    assert footer.paragraphs[-1].runs[0].text == "OFFICIAL-SENSITIVE"
    assert footer.paragraphs[-1].runs[0].bold
    fields = " ".join(t.text for t in footer._element.iter(qn("w:instrText"))).split()
    assert fields == ["PAGE", "NUMPAGES"]
    assert footer.paragraphs[0].text.startswith("London Borough of Bexley · Page ")


def test_a_bad_month_is_a_clear_error(tracker: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["report", str(tracker), "--month", "October"])
    assert result.exit_code == 2  # a usage mistake, as the README says
    assert result.output.splitlines()[-1] == (
        "Error: Invalid value for '--month': 'October' is not a month; write it as 2026-10"
    )


@pytest.mark.libreoffice
def test_libreoffice_opens_the_report(
    tracker: Path, tmp_path: Path, soffice: str, pdftotext: str
) -> None:
    made_xlsx, made_docx = _report(tracker, tmp_path / "out")
    # Both files share a stem; copies with distinct names convert in one LibreOffice start.
    xlsx, docx = tmp_path / "sheets.xlsx", tmp_path / "summary.docx"
    xlsx.write_bytes(made_xlsx.read_bytes())
    docx.write_bytes(made_docx.read_bytes())
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path / "pdf"), str(xlsx), str(docx)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    sheet_text = subprocess.run(
        [pdftotext, str(tmp_path / "pdf" / f"{xlsx.stem}.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "Children who went missing" in sheet_text and "Current position" in sheet_text
    summary = subprocess.run(
        [pdftotext, str(tmp_path / "pdf" / f"{docx.stem}.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "London Borough of Bexley: missing children, October 2026" in summary
    for text in (sheet_text, summary):
        pages = text.split("\f")[:-1]
        for number, page in enumerate(pages, start=1):
            assert page.count("OFFICIAL-SENSITIVE") == 2, page
            assert f"Page {number} of" in page

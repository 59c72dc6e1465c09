"""Spreadsheets as people make them: labelled headers, choice words, `samples intake`."""

from __future__ import annotations

import json
import zipfile
from datetime import datetime
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from formkit.cli import cli
from formkit.headers import path_for_header

LEGAL_WORDS = (
    "Looked after, Child protection plan, Child in need plan, Care leaver, Early help, Not known"
)


def run(*args: str) -> object:
    return CliRunner().invoke(cli, list(args))


def _headers(sheet: object) -> list[str]:
    return [cell.value for cell in sheet[1]]  # type: ignore[index]


def test_samples_intake_writes_labelled_columns_lists_notes_and_an_example(tmp_path: Path) -> None:
    target = tmp_path / "intake.xlsx"
    result = run("samples", "intake", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        f"Wrote {target}: fill one episode a row, then delete the example in row 2.\n"
    )
    book = load_workbook(target)
    sheet = book["Episodes"]
    headers = _headers(sheet)
    assert headers[:4] == ["Episode reference", "Protocol", "Child ID", "First name"]
    assert {"Date of birth", "Legal status", "Last seen", "Police risk", "Returned"} <= set(headers)
    assert all(path_for_header(h) for h in headers)  # every header reads back as a field
    assert all(sheet.cell(row=1, column=i).comment for i in range(1, len(headers) + 1))
    legal = headers.index("Legal status") + 1
    assert sheet.cell(row=1, column=legal).comment.text == (
        f"Required. Choose from the list: {LEGAL_WORDS}. (formkit field child.legal_status)"
    )
    # The drop-down of Legal status lists the choices in words (from the hidden Choices sheet).
    letter = sheet.cell(row=1, column=legal).column_letter
    [validation] = [
        v
        for v in sheet.data_validations.dataValidation
        if str(v.sqref) == f"{letter}2:{letter}5000"
    ]
    lists = book["Choices"]
    assert lists.sheet_state == "hidden"
    column = validation.formula1.split("!")[1].split(":")[0].replace("$", "")[0]
    words = [c.value for c in lists[column][1:] if c.value]
    assert ", ".join(words) == LEGAL_WORDS
    # The example row is an invented child, in words.
    example = {h: sheet.cell(row=2, column=i).value for i, h in enumerate(headers, start=1)}
    assert example["Legal status"] in LEGAL_WORDS.split(", ")
    assert isinstance(example["Last seen"], datetime)
    again = run("samples", "intake", "-o", str(target))
    assert again.exit_code == 1
    assert again.stderr == f"Error: {target}: already exists; use --force to replace it\n"


def test_a_filled_intake_workbook_validates_and_packs(tmp_path: Path) -> None:
    target = tmp_path / "intake.xlsx"
    assert run("samples", "intake", "-o", str(target)).exit_code == 0
    book = load_workbook(target)
    sheet = book["Episodes"]
    headers = _headers(sheet)
    sheet.delete_rows(2)  # the example, as the note says
    person = {
        "Episode reference": "INT-2026-0001",
        "Protocol": "bexley",
        "Child ID": "BX-900001",
        "First name": "Robyn",
        "Last name": "Testcase",
        "Date of birth": datetime(2011, 4, 2),
        "Legal status": "Looked after",
        "Responsible authority": "Bexley",
        "Placement type": "Residential",
        "Placed in area": "No",
        "Status": "Missing",
        "Missing from": "Placement",
        "Last seen": "23/11/2026 18:00",
        "Reported to police": datetime(2026, 11, 23, 19, 30),
        "Police risk": "High",
        "Risk": "Child criminal exploitation (CCE)",
    }
    for header, value in person.items():
        sheet.cell(row=2, column=headers.index(header) + 1, value=value)
    book.save(target)
    checked = run("validate", str(target))
    assert checked.exit_code == 0, checked.output
    assert checked.stdout.strip().endswith("1 of 1 episode valid in 1 file.")
    data = json.loads(run("validate", str(target), "--json").stdout)
    assert data["problems"] == []
    out = tmp_path / "out"
    packed = run("pack", str(target), "-o", str(out), "--now", "2026-11-25T09:00")
    assert packed.exit_code == 0, packed.output
    profile = out / "INT-2026-0001-missing-profile.docx"
    with zipfile.ZipFile(profile) as package:
        document = package.read("word/document.xml").decode("utf-8")
    assert "Robyn" in document and "Child criminal exploitation" in document


def test_headers_people_write_are_read_as_fields(tmp_path: Path) -> None:
    sheet = tmp_path / "episodes.csv"
    sheet.write_text(
        "Episode reference,Protocol,Child ID,First name,Surname,DOB,Legal status,"
        "Missing from,Last seen,Police risk\n"
        "CSV-1,statutory,C-1,Ana,Example,02/04/2012,Child protection plan,Home,"
        "20/11/2026 22:30,No apparent risk\n",
        encoding="utf-8",
    )
    result = run("validate", str(sheet))
    assert result.exit_code == 0, result.output


def test_an_unknown_header_is_said_once_with_the_nearest_words(tmp_path: Path) -> None:
    sheet = tmp_path / "episodes.csv"
    sheet.write_text(
        "Episode reference,Child ID,Polce risk,Last seen,Favourite colour\nR-1,C-1,high,,blue\n",
        encoding="utf-8",
    )
    result = run("validate", str(sheet))
    assert result.exit_code == 1
    assert (
        f"✗ {sheet}: has column headers formkit does not know: 'Polce risk' (did you mean "
        "'Police risk'?), 'Favourite colour'. A header is a field's words (such as 'Date of "
        "birth', 'Police risk', 'Last seen') or its data path (child.date_of_birth); 'formkit "
        "samples intake' writes a workbook with every header"
    ) in result.output.splitlines()


def test_a_wrong_choice_lists_the_choices_in_words(tmp_path: Path) -> None:
    sheet = tmp_path / "episodes.csv"
    sheet.write_text(
        "Episode reference,Protocol,Child ID,First name,Last name,Date of birth,Legal status,"
        "Missing from,Last seen\n"
        "R-2,statutory,C-2,Ana,Example,02/04/2012,Lokked after,Home,20/11/2026 22:30\n",
        encoding="utf-8",
    )
    result = run("validate", str(sheet), "--json")
    [problem] = json.loads(result.stdout)["problems"]
    assert problem["field"] == "child.legal_status"
    assert problem["message"] == (
        "'Lokked after' is not one of the choices; did you mean 'Looked after' (looked_after)? "
        f"The choices are: {LEGAL_WORDS}"
    )


def test_the_same_field_twice_is_refused(tmp_path: Path) -> None:
    sheet = tmp_path / "episodes.csv"
    sheet.write_text(
        "Episode reference,Police risk,episode.police_risk_level\nR-3,high,low\n", encoding="utf-8"
    )
    result = run("validate", str(sheet), "--json")
    [problem] = json.loads(result.stdout)["problems"]
    assert problem["message"] == (
        "has the columns 'Police risk' and 'episode.police_risk_level', which are the same field "
        "(episode.police_risk_level); keep one of them"
    )

"""A document pack as one zip (``formkit.render.bundle``): a folder per episode with its
documents and its "what is missing" list; a bad row listed, the other rows' documents made."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from conftest import SAMPLES
from pypdf import PdfReader
from support.documents import word_text

from formkit.errors import OutputError
from formkit.model import LONDON
from formkit.render.bundle import MISSING_LIST, PROBLEMS_LIST, pack_zip

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=LONDON)
SHEET = SAMPLES / "spreadsheets" / "episodes.csv"


def test_one_folder_per_episode_with_what_is_missing(tmp_path: Path) -> None:
    stages: list[tuple[str, int]] = []
    ticks: list[int] = []
    result = pack_zip(
        [SHEET],
        tmp_path / "pack.zip",
        work_dir=tmp_path / "work",
        now=NOW,
        stage=lambda label, total: stages.append((label, total)),
        progress=ticks.append,
    )
    assert result.problems == [] and result.records == 3
    with zipfile.ZipFile(tmp_path / "pack.zip") as pack:
        names = pack.namelist()
        assert {n.split("/")[0] for n in names} == {"BX-2026-0440", "RUT-26-0091", "KM-26-33140"}
        assert "BX-2026-0440/BX-2026-0440-missing-profile.docx" in names
        assert PROBLEMS_LIST not in names
        profile = pack.read("BX-2026-0440/BX-2026-0440-missing-profile.docx")
        missing = pack.read(f"BX-2026-0440/{MISSING_LIST}").decode()
    assert "Ellie Fletcher" in word_text(profile)
    assert "BX-2026-0440-missing-profile.docx:\n  - photo\n" in missing
    assert "BX-2026-0440-rhi-form.docx: nothing missing" in missing
    assert result.episodes["RUT-26-0091"] == [
        "RUT-26-0091-missing-profile.docx",
        "RUT-26-0091-multi-agency-meeting.docx",
        MISSING_LIST,
    ]
    assert result.documents == 7
    assert [m.document for m in result.missing if m.reference == "RUT-26-0091"] == [
        "RUT-26-0091/RUT-26-0091-missing-profile.docx"
    ]
    assert stages == [("Making documents", 3), ("Packing", 7)]
    assert sum(ticks) == 3 + 7


def test_a_bad_row_is_listed_and_the_other_rows_are_packed(tmp_path: Path) -> None:
    lines = SHEET.read_text(encoding="utf-8-sig").splitlines()
    lines[2] = lines[2].replace("23/11/2026 19:45", "yesterday evening")
    sheet = tmp_path / "upload-1.csv"
    sheet.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = pack_zip(
        [sheet],
        tmp_path / "pack.zip",
        work_dir=tmp_path / "work",
        now=NOW,
        names={str(sheet): "November episodes.csv"},
    )
    (problem,) = result.problems
    assert (problem.file, problem.row, problem.field) == (
        "November episodes.csv",
        "row 3",
        "episode.last_seen_at",
    )
    with zipfile.ZipFile(tmp_path / "pack.zip") as pack:
        names = pack.namelist()
        listed = pack.read(PROBLEMS_LIST).decode()
    assert {n.split("/")[0] for n in names} == {"BX-2026-0440", "KM-26-33140", PROBLEMS_LIST}
    assert f"{problem}" in listed and "November episodes.csv: row 3" in listed


def test_documents_chosen_for_an_episode_replace_its_plan(tmp_path: Path) -> None:
    result = pack_zip(
        [SHEET],
        tmp_path / "pack.zip",
        work_dir=tmp_path / "work",
        now=NOW,
        documents={"BX-2026-0440": ["strategy-meeting"], "KM-26-33140": []},
    )
    assert result.episodes["BX-2026-0440"] == ["BX-2026-0440-strategy-meeting.docx", MISSING_LIST]
    assert "KM-26-33140" not in result.episodes
    assert result.episodes["RUT-26-0091"][0] == "RUT-26-0091-missing-profile.docx"


def test_fillable_pdf_forms_flattened_for_the_police(tmp_path: Path) -> None:
    result = pack_zip(
        [SHEET],
        tmp_path / "pack.zip",
        work_dir=tmp_path / "work",
        now=NOW,
        documents={"KM-26-33140": ["missing-profile-pdf"]},
        flatten=True,
    )
    assert result.problems == []
    with zipfile.ZipFile(tmp_path / "pack.zip") as pack:
        data = pack.read("KM-26-33140/KM-26-33140-missing-profile-pdf.pdf")
    reader = PdfReader(io.BytesIO(data))
    assert "Priya" in "".join(page.extract_text() for page in reader.pages)
    assert not reader.get_fields()  # flattened: nothing left to edit


def test_neither_word_nor_pdf_is_refused(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="choose Word, PDF or both"):
        pack_zip([SHEET], tmp_path / "p.zip", work_dir=tmp_path / "w", word=False)


@pytest.mark.libreoffice
def test_pdf_only_converts_the_word_documents(tmp_path: Path, soffice: str) -> None:
    result = pack_zip(
        [SHEET],
        tmp_path / "pack.zip",
        work_dir=tmp_path / "work",
        now=NOW,
        documents={"BX-2026-0440": ["missing-profile"], "RUT-26-0091": [], "KM-26-33140": []},
        word=False,
        pdf=True,
    )
    assert result.problems == []
    assert result.episodes == {"BX-2026-0440": ["BX-2026-0440-missing-profile.pdf", MISSING_LIST]}
    with zipfile.ZipFile(tmp_path / "pack.zip") as pack:
        reader = PdfReader(io.BytesIO(pack.read("BX-2026-0440/BX-2026-0440-missing-profile.pdf")))
        missing = pack.read(f"BX-2026-0440/{MISSING_LIST}").decode()
    assert "Ellie" in "".join(page.extract_text() for page in reader.pages)
    assert "BX-2026-0440-missing-profile.pdf:\n  - photo" in missing


def test_an_episode_is_found_in_the_episodes_folder(tmp_path: Path) -> None:
    from formkit.load import find_episode

    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    (tmp_path / "sheet.csv").write_bytes(SHEET.read_bytes())
    found = find_episode(tmp_path, "KM-26-33140")
    assert found is not None and found.child.first_name == "Priya"
    assert find_episode(tmp_path, "KM-26-99999") is None
    assert find_episode(tmp_path / "absent", "KM-26-33140") is None


@pytest.mark.libreoffice
def test_word_profile_as_pdf_and_the_fillable_profile_are_both_packed(
    tmp_path: Path, soffice: str
) -> None:
    """The Word missing profile converted to PDF and the filled PDF form are two documents:
    each keeps its own name (the fillable form's has its template id), neither replaces the
    other."""
    result = pack_zip(
        [SHEET],
        tmp_path / "pack.zip",
        work_dir=tmp_path / "work",
        now=NOW,
        documents={"KM-26-33140": ["missing-profile", "missing-profile-pdf"]},
        planned=False,
        word=False,
        pdf=True,
    )
    assert result.problems == []
    assert result.episodes == {
        "KM-26-33140": [
            "KM-26-33140-missing-profile-pdf.pdf",
            "KM-26-33140-missing-profile.pdf",
            MISSING_LIST,
        ]
    }
    with zipfile.ZipFile(tmp_path / "pack.zip") as pack:
        converted = PdfReader(io.BytesIO(pack.read("KM-26-33140/KM-26-33140-missing-profile.pdf")))
        form = PdfReader(io.BytesIO(pack.read("KM-26-33140/KM-26-33140-missing-profile-pdf.pdf")))
    assert not converted.get_fields()  # LibreOffice's PDF of the Word document
    assert form.get_fields()  # the fillable form, still to be filled in
    assert "Priya" in "".join(page.extract_text() for page in converted.pages)

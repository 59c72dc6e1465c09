"""Fill every PDF template for every sample episode, check the artefacts, read them back."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLES
from pdf_helpers import (
    PDF_TEMPLATES,
    TEMPLATE_NAMES,
    merge,
    normalised,
    pdf_text,
    qpdf_check,
)
from pypdf import PdfReader
from pypdf.generic import DictionaryObject
from support.episodes import sample_records

from formkit.cli import cli
from formkit.load import load_episodes
from formkit.model import EpisodeRecord
from formkit.pdf import PdfTemplate, read_pdf_form, to_episode_dict
from formkit.pdf.values import format_datetime


@pytest.fixture(scope="module")
def templates() -> dict[str, PdfTemplate]:
    return {name: PdfTemplate(PDF_TEMPLATES / f"{name}.pdf") for name in TEMPLATE_NAMES}


@pytest.mark.parametrize("name", TEMPLATE_NAMES)
def test_every_sample_fills_shows_and_reads_back(
    name: str,
    templates: dict[str, PdfTemplate],
    sample_episode_files: list[Path],
    pdftotext: str,
    qpdf: str,
    tmp_path: Path,
) -> None:
    template = templates[name]
    records = sample_records(sample_episode_files)
    assert len(records) >= 12
    for record in records:
        target = tmp_path / f"{record.reference}-{name}.pdf"
        target.write_bytes(template.render(record))
        check = qpdf_check(qpdf, target)
        assert check.returncode == 0, check.stdout + check.stderr

        text = pdf_text(pdftotext, target)
        assert record.child.first_name in text
        if "episode.reference" in template.fields:
            assert record.episode.reference in text
        if "episode.last_seen_at" in template.fields:
            assert format_datetime(record.episode.last_seen_at) in text
        if record.child.legal_status and "child.legal_status" in template.fields:
            # Drop-downs show the readable label, not the stored word.
            assert record.child.legal_status.value.replace("_", " ").capitalize() in text

        fields = read_pdf_form(target)
        assert fields == template.values_for(record)
        assert any(isinstance(v, str) for v in fields.values())
        rebuilt = merge(record.model_dump(mode="json"), to_episode_dict(fields))
        again = EpisodeRecord.model_validate(rebuilt)
        assert normalised(again.model_dump(mode="json")) == normalised(
            record.model_dump(mode="json")
        )


def _objects(data: bytes) -> list[object]:
    reader = PdfReader(io.BytesIO(data))
    found = []
    for idnum in range(1, int(reader.trailer["/Size"])):
        try:
            found.append(reader.get_object(idnum))
        except Exception:  # free entries
            continue
    return found


@pytest.mark.parametrize("name", TEMPLATE_NAMES)
def test_flattened_form_has_no_form_left(
    name: str,
    templates: dict[str, PdfTemplate],
    sample_episode_files: list[Path],
    pdftotext: str,
    qpdf: str,
    tmp_path: Path,
) -> None:
    record = sample_records(sample_episode_files)[2]
    data = templates[name].render(record, flatten=True)
    target = tmp_path / "flat.pdf"
    target.write_bytes(data)
    check = qpdf_check(qpdf, target)
    assert check.returncode == 0, check.stdout + check.stderr
    reader = PdfReader(target)
    assert "/AcroForm" not in reader.trailer["/Root"]
    for page in reader.pages:
        for annot in page.get("/Annots", []) or []:
            assert annot.get_object().get("/Subtype") != "/Widget"
    # No field or widget object survives as an orphan either.
    for obj in _objects(data):
        if isinstance(obj, DictionaryObject):
            assert "/FT" not in obj and obj.get("/Subtype") != "/Widget"
    assert record.child.first_name in pdf_text(pdftotext, target)
    assert record.episode.reference in pdf_text(pdftotext, target)
    assert len(reader.pages) == len(PdfReader(PDF_TEMPLATES / f"{name}.pdf").pages)


def test_fields_are_the_data_paths_through_the_hierarchy(templates: dict[str, PdfTemplate]) -> None:
    reader = PdfReader(PDF_TEMPLATES / "rhi-form.pdf")
    names = set(reader.get_fields() or {})
    assert "child.first_name" in names
    assert "return_interview.push_pull_factors=social_network" in names
    assert "return_interview.referrals.services.camhs.signposted" in names
    # Partial names never contain a dot: the dot is the hierarchy, as the PDF standard says.
    for field in reader.get_fields().values():
        partial = field.get("/T")
        if partial is not None:
            assert "." not in str(partial)
    assert templates["rhi-form"].fields == [f for f in templates["rhi-form"].fields if f in names]


def test_non_latin_names_are_shown_and_embedded(
    templates: dict[str, PdfTemplate],
    sample_episode_files: list[Path],
    pdftotext: str,
    tmp_path: Path,
) -> None:
    record = sample_records(sample_episode_files)[0]
    data = record.model_dump(mode="json")
    data["child"].update(first_name="Ștefan Łukasz", last_name="Ó Dónaill")
    named = EpisodeRecord.model_validate(data)
    target = tmp_path / "names.pdf"
    target.write_bytes(templates["nyas-referral"].render(named))
    text = pdf_text(pdftotext, target)
    assert "Ștefan Łukasz" in text and "Ó Dónaill" in text
    fields = read_pdf_form(target)
    assert fields["child.first_name"] == "Ștefan Łukasz"
    fonts = [
        obj
        for obj in _objects(target.read_bytes())
        if isinstance(obj, DictionaryObject) and obj.get("/Type") == "/FontDescriptor"
    ]
    assert any("DejaVuSans" in str(font["/FontName"]) and "/FontFile2" in font for font in fonts)


def test_values_in_extras_override_the_record(
    templates: dict[str, PdfTemplate], sample_episode_files: list[Path], tmp_path: Path
) -> None:
    record = sample_records(sample_episode_files)[0]
    target = tmp_path / "extras.pdf"
    target.write_bytes(
        templates["nyas-referral"].render(
            record, extras={"episode.where_found": "At a friend's flat", "child.ethnicity": None}
        )
    )
    fields = read_pdf_form(target)
    assert fields["episode.where_found"] == "At a friend's flat"
    assert "child.ethnicity" not in fields


def _page_texts(pdftotext: str, path: Path) -> list[str]:
    pages = len(PdfReader(path).pages)
    return [
        subprocess.run(
            [pdftotext, "-layout", "-f", str(n), "-l", str(n), str(path), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for n in range(1, pages + 1)
    ]


@pytest.mark.parametrize("flatten", [False, True], ids=["fillable", "flattened"])
def test_the_councils_name_is_in_every_pages_footer(
    flatten: bool, pdftotext: str, tmp_path: Path
) -> None:
    """Each council's forms say whose they are at the foot of every page, as its Word documents
    do; the name is formkit's footer, so reading the form back does not take it as an answer."""
    councils = {
        "bexley-nyas-independent.yaml": "London Borough of Bexley",
        "bedford-rhi-declined.yaml": "Bedford Borough Council",
    }
    episodes = [str(SAMPLES / "episodes" / name) for name in councils]
    out = tmp_path / "out"
    for name in TEMPLATE_NAMES:
        args = ["render", str(PDF_TEMPLATES / f"{name}.pdf"), *episodes, "-o", str(out), "-q"]
        result = CliRunner().invoke(cli, [*args, *(["--flatten"] * flatten)])
        assert result.exit_code == 0, result.output
    made = sorted(out.glob("*.pdf"))
    assert len(made) == len(councils) * len(TEMPLATE_NAMES)
    for path in made:
        episode_file = Path(episodes[0 if path.name.startswith("BX-") else 1])
        record = load_episodes(episode_file)[0]
        council = councils[episode_file.name]
        other = next(name for name in councils.values() if name != council)
        pages = _page_texts(pdftotext, path)
        for page in PdfReader(path).pages:  # A4, as every document formkit makes
            assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (
                595,
                842,
            )
        for number, text in enumerate(pages, start=1):
            footer = [
                line for line in text.splitlines() if f"Page {number} of {len(pages)}" in line
            ]
            assert len(footer) == 1, (path.name, number, text[-400:])
            assert footer[0].strip().startswith(council), (path.name, footer[0])
            assert other not in text
        if not flatten:
            fields = read_pdf_form(path)
            assert not any(key.startswith("formkit_shown") for key in fields)
            assert record.child.first_name == fields["child.first_name"]


def test_the_missing_profile_shows_the_photograph_and_the_plan_when_found(
    pdftotext: str, tmp_path: Path
) -> None:
    """The police's form carries the child's photograph and the plan for when they are found
    (from the latest meeting that recorded one); neither is read back as an answer."""
    with_photo = SAMPLES / "episodes" / "bexley-still-missing.yaml"
    with_plan = SAMPLES / "episodes" / "buckinghamshire-lac-residential-cce.yaml"
    [photographed], [planned] = load_episodes(with_photo), load_episodes(with_plan)
    assert photographed.child.photo and not planned.child.photo
    plans = [m.plan_when_found for m in planned.meetings if m.plan_when_found]
    assert plans
    for flatten in (False, True):
        out = tmp_path / f"out-{flatten}"
        args = ["render", "missing-profile-pdf", str(with_photo), str(with_plan), "-o", str(out)]
        result = CliRunner().invoke(cli, [*args, "-q", *(["--flatten"] * flatten)])
        assert result.exit_code == 0, result.output
        photo_pdf = out / f"{photographed.reference}-missing-profile-pdf.pdf"
        plan_pdf = out / f"{planned.reference}-missing-profile-pdf.pdf"
        images = [obj for obj in _objects(photo_pdf.read_bytes()) if _is_image(obj)]
        assert len(images) == 1 and images[0]["/Filter"] == "/DCTDecode"
        assert not any(_is_image(obj) for obj in _objects(plan_pdf.read_bytes()))
        assert plans[-1] in " ".join(pdf_text(pdftotext, plan_pdf).split())
        if not flatten:
            fields = read_pdf_form(plan_pdf)
            assert not any(key.startswith("formkit_shown") for key in fields)
            assert fields["child.first_name"] == planned.child.first_name


def _is_image(obj: object) -> bool:
    return isinstance(obj, DictionaryObject) and obj.get("/Subtype") == "/Image"

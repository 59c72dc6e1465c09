"""`formkit parse` on PDF forms: filled forms read back, bad ones exit 1 with a clear message."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from pdf_helpers import PDF_TEMPLATES
from pypdf import PdfReader, PdfWriter
from support.episodes import sample_records

from formkit.cli import cli
from formkit.pdf import PdfTemplate


def test_parse_reads_a_filled_pdf_form(sample_episode_files: list[Path], tmp_path: Path) -> None:
    record = sample_records(sample_episode_files)[2]
    form = tmp_path / "rhi.pdf"
    form.write_bytes(PdfTemplate(PDF_TEMPLATES / "rhi-form.pdf").render(record))
    result = CliRunner().invoke(cli, ["parse", str(form), "--json", "--quiet"])
    assert result.exit_code == 0, result.output
    parsed = json.loads(result.stdout)
    assert parsed["parsed"] == 1
    assert parsed["results"][0]["data"]["episode"]["reference"] == record.episode.reference


def test_parse_refuses_bad_pdfs_with_exit_1(
    sample_episode_files: list[Path], tmp_path: Path
) -> None:
    filled = PdfTemplate(PDF_TEMPLATES / "nyas-referral.pdf").render(
        sample_records(sample_episode_files)[0]
    )
    locked = tmp_path / "locked.pdf"
    writer = PdfWriter(clone_from=PdfReader(PDF_TEMPLATES / "nyas-referral.pdf"))
    writer.encrypt("secret", algorithm="RC4-128")
    with locked.open("wb") as handle:
        writer.write(handle)
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(filled[: len(filled) // 2])
    result = CliRunner().invoke(cli, ["parse", str(locked), str(cut), "--quiet"])
    assert result.exit_code == 1
    assert (
        f"{locked}: the PDF is password-protected (encrypted); ask the sender for a copy "
        "without a password, or open it and save it again without protection"
    ) in result.output
    assert (
        f"{cut}: the PDF is incomplete (it stops before its end marker); ask for the file "
        "to be sent again"
    ) in result.output
    assert "Traceback" not in result.output

"""``--flatten`` on render and pack: PDF forms come out locked (no AcroForm, no widgets)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from click.testing import CliRunner
from pypdf import PdfReader

from formkit.cli import cli

SAMPLE = (
    Path(__file__).resolve().parent.parent / "samples" / "episodes" / "bexley-nyas-independent.yaml"
)


def _has_form(path: Path) -> bool:
    reader = PdfReader(path)
    if "/AcroForm" in reader.trailer["/Root"]:
        return True
    return any(
        annot.get_object().get("/Subtype") == "/Widget"
        for page in reader.pages
        for annot in page.get("/Annots", []) or []
    )


def test_render_flatten_locks_the_pdf_form(tmp_path: Path) -> None:
    runner = CliRunner()
    editable = runner.invoke(
        cli, ["render", "nyas-referral-pdf", str(SAMPLE), "-o", str(tmp_path / "a"), "-q"]
    )
    locked = runner.invoke(
        cli,
        ["render", "nyas-referral-pdf", str(SAMPLE), "-o", str(tmp_path / "b"), "-q", "--flatten"],
    )
    assert editable.exit_code == 0, editable.output
    assert locked.exit_code == 0, locked.output
    assert _has_form(tmp_path / "a" / "BX-2026-0398-nyas-referral-pdf.pdf")
    assert not _has_form(tmp_path / "b" / "BX-2026-0398-nyas-referral-pdf.pdf")


def test_pack_flatten_applies_to_pdf_templates(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        ["pack", str(SAMPLE), "-o", str(tmp_path), "-t", "rhi-form-pdf", "--flatten", "-q",
         "--now", "2026-11-25T09:00"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "BX-2026-0398-rhi-form-pdf.pdf"
    assert not _has_form(pdf)
    # The Word documents of the plan are made as before: flattening touches PDF forms only.
    with zipfile.ZipFile(tmp_path / "BX-2026-0398-rhi-form.docx") as word:
        body = word.read("word/document.xml").decode()
    assert "BX-2026-0398" in body and "<w:sdt>" in body

"""Bad and hostile PDFs: each gets a clear message naming the file, and reading has a time limit."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from pdf_helpers import PDF_TEMPLATES
from pypdf import PdfReader, PdfWriter
from pypdf.errors import LimitReachedError
from pypdf.generic import NameObject, StreamObject
from reportlab.pdfgen.canvas import Canvas
from support.episodes import sample_records

from formkit.errors import FormParseError, InputError, TemplateError, UnsafeFileError
from formkit.pdf import PdfTemplate, read_pdf_form
from formkit.pdf.safety import open_pdf, pdf_limits

NYAS = PDF_TEMPLATES / "nyas-referral.pdf"


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_encrypted_pdf_is_refused_as_password_protected(tmp_path: Path) -> None:
    writer = PdfWriter(clone_from=PdfReader(NYAS))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    path = _write(tmp_path, "locked.pdf", buffer.getvalue())
    with pytest.raises(UnsafeFileError) as caught:
        read_pdf_form(path)
    assert str(caught.value).startswith(f"{path}: the PDF is password-protected (encrypted)")


def test_pdf_without_a_form_says_so(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(72, 720, "A printed referral with no fields")
    canvas.save()
    path = _write(tmp_path, "printed.pdf", buffer.getvalue())
    with pytest.raises(FormParseError) as caught:
        read_pdf_form(path)
    assert str(caught.value) == (
        f"{path}: the PDF has no fillable form fields (it may have been flattened, scanned or "
        "printed to PDF)"
    )


def test_truncated_pdf_is_reported_as_incomplete(tmp_path: Path) -> None:
    data = NYAS.read_bytes()
    path = _write(tmp_path, "cut.pdf", data[: len(data) * 2 // 3])
    with pytest.raises(FormParseError) as caught:
        read_pdf_form(path)
    assert "the PDF is incomplete" in str(caught.value)
    assert str(path) in str(caught.value)


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "a password-protected Office file"),
        (b'{"child": {}}', "a JSON file"),
    ],
)
def test_non_pdf_files_are_named_for_what_they_are(tmp_path: Path, data: bytes, kind: str) -> None:
    path = _write(tmp_path, "form.pdf", data)
    with pytest.raises(FormParseError) as caught:
        read_pdf_form(path)
    assert str(caught.value).startswith(f"{path}: this is {kind}")


def test_a_zip_is_not_a_pdf(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    path = _write(tmp_path, "rhi.pdf", buffer.getvalue())
    with pytest.raises(FormParseError, match="a Word, Excel or other zip file, not a PDF form"):
        read_pdf_form(path)


def test_empty_and_missing_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="the file is empty"):
        read_pdf_form(_write(tmp_path, "empty.pdf", b""))
    with pytest.raises(InputError, match="cannot read the file"):
        read_pdf_form(tmp_path / "absent.pdf")


def test_a_field_tree_that_loops_back_on_itself_does_not_hang(
    tmp_path: Path, sample_episode_files: list[Path]
) -> None:
    record = sample_records(sample_episode_files)[2]
    template = PdfTemplate(NYAS)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(template.render(record))))
    fields = writer._root_object["/AcroForm"]["/Fields"]
    child = fields[0].get_object()  # a parent node such as 'return_interview'
    kids = child["/Kids"]
    kids.append(fields[0])  # the node is now its own kid
    buffer = io.BytesIO()
    writer.write(buffer)
    path = _write(tmp_path, "loop.pdf", buffer.getvalue())
    assert read_pdf_form(path, timeout=20) == template.values_for(record)


def test_parsing_stops_at_the_time_limit(tmp_path: Path) -> None:
    path = _write(tmp_path, "rhi.pdf", (PDF_TEMPLATES / "rhi-form.pdf").read_bytes())
    with pytest.raises(FormParseError) as caught:
        read_pdf_form(path, timeout=0.0005)
    assert str(caught.value) == (
        f"{path}: reading the PDF took longer than 0.0005 seconds, so it was stopped; the file "
        "may be damaged or built to hang readers"
    )
    # The same blank form reads within the default limit: every box there, none ticked.
    fields = read_pdf_form(path)
    assert len(fields) > 50 and set(fields.values()) == {False}


def test_a_stream_bigger_than_the_limit_is_refused(tmp_path: Path) -> None:
    """A compressed object stream that inflates past 20 MB stops at pypdf's lowered limit."""
    writer = PdfWriter(clone_from=PdfReader(NYAS))
    bomb = StreamObject()
    bomb._data = b"\0" * (25 * 1024 * 1024)
    bomb = bomb.flate_encode()
    writer._root_object[NameObject("/Bomb")] = writer._add_object(bomb)
    buffer = io.BytesIO()
    writer.write(buffer)
    data = buffer.getvalue()
    assert len(data) < 1024 * 1024
    # pypdf's own default (75 MB) would inflate it; formkit's 20 MB limit does not.
    assert len(open_pdf(data, "bomb.pdf").trailer["/Root"]["/Bomb"].get_object().get_data()) > 0
    with pdf_limits():
        reader = open_pdf(data, "bomb.pdf")
        with pytest.raises(LimitReachedError):
            reader.trailer["/Root"]["/Bomb"].get_object().get_data()


def test_a_broken_template_is_a_template_error(tmp_path: Path) -> None:
    with pytest.raises(TemplateError) as caught:
        PdfTemplate(_write(tmp_path, "t.pdf", b"not a pdf"))
    assert str(caught.value) == (
        f"{tmp_path / 't.pdf'}: this is not a PDF (it does not start with %PDF-)"
    )


def test_text_that_is_not_a_pdf(tmp_path: Path) -> None:
    path = _write(tmp_path, "form.pdf", b"Dear team, please find the form attached.\n")
    with pytest.raises(FormParseError) as caught:
        read_pdf_form(path)
    assert str(caught.value) == f"{path}: this is not a PDF (it does not start with %PDF-)"

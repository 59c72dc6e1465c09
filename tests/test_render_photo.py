"""The child's photo in the missing profile: found beside the episode file, checked, sized and
embedded as a real picture; a photo that cannot be used is a warning, never a failed document."""

from __future__ import annotations

import io
import re
import struct
import subprocess
import zipfile
import zlib
from datetime import datetime
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from conftest import SAMPLES, require_tool

from formkit.cli import cli
from formkit.load import load_episodes
from formkit.model.values import LONDON
from formkit.render.docx import WordTemplate
from formkit.render.pack import RenderResult, render_files
from formkit.render.photo import BOX_EMU, PhotoError, image_kind, load_photo

SAMPLE = SAMPLES / "episodes" / "bexley-still-missing.yaml"
SILHOUETTE = SAMPLES / "photos" / "placeholder-silhouette.png"
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=LONDON)
REFERENCE = "BX-2026-0431"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def png(width: int, height: int, grey: int = 128) -> bytes:
    """A plain grey PNG, made the way ``scripts/make_sample_photo.py`` makes the sample."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    rows = b"".join(b"\x00" + bytes([grey]) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def episode(folder: Path, photo: str | None, reference: str = REFERENCE) -> Path:
    """The still-missing sample copied to ``folder`` with ``photo`` (and ``reference``)."""
    text = SAMPLE.read_text(encoding="utf-8").replace(REFERENCE, reference)
    line = re.compile(r"^  photo: .*\n", re.MULTILINE)
    text = line.sub(f"  photo: {photo}\n" if photo else "", text)
    path = folder / f"{reference}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def render(files: list[Path], out: Path) -> RenderResult:
    return render_files(files, out, templates=["missing-profile"], now=NOW)


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as package:
        return {name: package.read(name) for name in package.namelist()}


def test_the_sample_photo_is_a_small_png_beside_the_samples() -> None:
    data = SILHOUETTE.read_bytes()
    assert len(data) < 10 * 1024
    assert image_kind(data) == ("png", 90, 120)
    [record] = load_episodes(SAMPLE)
    assert record.child.photo == "../photos/placeholder-silhouette.png"


def test_the_missing_profile_embeds_the_photo_at_its_placeholder(tmp_path: Path) -> None:
    result = render([SAMPLE], tmp_path)
    assert result.problems == [] and result.warnings == []
    [made] = result.written
    document = docx.Document(str(made))
    [shape] = document.inline_shapes
    assert (shape.width, shape.height) == BOX_EMU == (1_620_000, 2_160_000)  # 90×120 is 3:4
    parts = members(made)
    assert parts["word/media/photo-1.png"] == SILHOUETTE.read_bytes()
    assert b'<Default Extension="png" ContentType="image/png"/>' in parts["[Content_Types].xml"]
    blip = shape._inline.graphic.graphicData.pic.blipFill.blip
    rid = blip.get(f"{REL}embed")
    assert document.part.related_parts[rid].partname == "/word/media/photo-1.png"
    # The picture is where {{ photo }} was: right after the opening paragraph, before the
    # first heading, and the placeholder text itself is gone.
    texts = [p.text for p in document.paragraphs]
    assert "{{ photo }}" not in "\n".join(texts)
    drawing = next(i for i, p in enumerate(document.paragraphs) if p._p.xpath(".//w:drawing"))
    assert texts[drawing + 1] == "Date the photograph was taken: not known."
    assert texts[drawing + 2] == "This episode"


def test_a_template_without_the_placeholder_gets_no_image(tmp_path: Path) -> None:
    result = render_files([SAMPLE], tmp_path, templates=["rhi-form"], now=NOW)
    [made] = result.written
    assert not [n for n in members(made) if n.startswith("word/media/photo")]
    assert result.warnings == []


def test_each_episode_in_a_batch_gets_its_own_photo(tmp_path: Path) -> None:
    (tmp_path / "pics").mkdir()
    (tmp_path / "pics" / "wide.png").write_bytes(png(200, 100, grey=40))
    tall = png(60, 180, grey=200)
    (tmp_path / "tall.png").write_bytes(tall)
    first = episode(tmp_path, "pics/wide.png", "BX-2026-9001")
    second = episode(tmp_path, str(tmp_path / "tall.png"), "BX-2026-9002")  # absolute path
    result = render([first, second], tmp_path / "out")
    assert result.problems == [] and result.warnings == []
    wide, narrow = sorted(result.written)
    assert members(wide)["word/media/photo-1.png"] == (tmp_path / "pics" / "wide.png").read_bytes()
    assert members(narrow)["word/media/photo-1.png"] == tall
    [shape] = docx.Document(str(wide)).inline_shapes
    assert (shape.width, shape.height) == (1_620_000, 810_000)  # width-bound
    [shape] = docx.Document(str(narrow)).inline_shapes
    assert (shape.width, shape.height) == (720_000, 2_160_000)  # height-bound


def test_a_placeholder_used_twice_gets_unique_drawing_ids(tmp_path: Path) -> None:
    template = tmp_path / "two.docx"
    document = docx.Document()
    document.add_paragraph("{{ photo }}")
    document.add_paragraph("Again: {{ photo }}")
    document.save(str(template))
    [record] = load_episodes(SAMPLE)
    engine = WordTemplate(template)
    assert engine.uses_photo
    data = engine.render(record, {"photo": load_photo(SILHOUETTE)}, now=NOW)
    again = engine.render(record, {"photo": load_photo(SILHOUETTE)}, now=NOW)
    assert data == again  # nothing carried over from the previous document
    body = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    ids = re.findall(r'<wp:docPr id="(\d+)" name="([^"]+)"', body)
    assert len(ids) == 2
    assert len({i for i, _ in ids}) == 2 and len({n for _, n in ids}) == 2
    assert len(docx.Document(io.BytesIO(data)).inline_shapes) == 2


def test_without_a_photo_nothing_changes(tmp_path: Path) -> None:
    result = render([episode(tmp_path, None)], tmp_path / "out")
    [made] = result.written
    parts = members(made)
    assert not [n for n in parts if n.startswith("word/media/")]
    assert b"image" not in parts["word/_rels/document.xml.rels"]
    assert result.warnings == []


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (None, "there is no photo file"),
        (b"just some text, not a picture", "not a JPEG or PNG image"),
        (b"GIF89a" + bytes(40), "not a JPEG or PNG image"),
        (b"\x89PNG\r\n\x1a\n" + bytes(4), "damaged"),
    ],
    ids=["missing", "text", "gif", "truncated-png"],
)
def test_an_unusable_photo_is_a_warning_and_the_document_is_made(
    tmp_path: Path, content: bytes | None, why: str
) -> None:
    if content is not None:
        (tmp_path / "photo.png").write_bytes(content)
    source = episode(tmp_path, "photo.png")
    result = render([source], tmp_path / "out")
    assert result.problems == []
    [made] = result.written
    assert not [n for n in members(made) if n.startswith("word/media/")]
    [warning] = result.warnings
    assert (warning.file, warning.record, warning.field) == (str(source), REFERENCE, "child.photo")
    assert why in warning.message
    assert "Maya" not in str(warning) and "Clarke" not in str(warning)


def test_a_photo_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.png"
    path.write_bytes(png(10, 10) + bytes(2000))
    with pytest.raises(PhotoError, match="larger than"):
        load_photo(path, limit=1000)
    assert load_photo(path).width == 10


def test_a_jpeg_is_sized_from_its_frame_header(tmp_path: Path) -> None:
    image = pytest.importorskip("PIL.Image")
    buffer = io.BytesIO()
    image.new("RGB", (300, 200), (90, 120, 150)).save(buffer, "JPEG")
    (tmp_path / "photo.jpg").write_bytes(buffer.getvalue())
    photo = load_photo(tmp_path / "photo.jpg")
    assert (photo.ext, photo.width, photo.height) == ("jpeg", 300, 200)
    result = render([episode(tmp_path, "photo.jpg")], tmp_path / "out")
    assert result.warnings == []
    [made] = result.written
    assert members(made)["word/media/photo-1.jpeg"] == buffer.getvalue()
    # the template already declares jpeg: the Default is not added twice
    assert members(made)["[Content_Types].xml"].count(b'Extension="jpeg"') == 1


def test_the_cli_prints_a_warning_and_succeeds(tmp_path: Path) -> None:
    source = episode(tmp_path, "nowhere.png")
    result = CliRunner().invoke(
        cli, ["render", "missing-profile", str(source), "-o", str(tmp_path / "out"), "--quiet"]
    )
    assert result.exit_code == 0, result.output
    assert f"warning: {source}: {REFERENCE}: child.photo: there is no photo file" in result.stderr
    assert (tmp_path / "out" / f"{REFERENCE}-missing-profile.docx").is_file()


@pytest.mark.libreoffice
def test_the_photo_survives_conversion_to_pdf(soffice: str, tmp_path: Path) -> None:
    from formkit.render.convert import convert_to_pdf

    pdfimages = require_tool("pdfimages")
    result = render([SAMPLE, episode(tmp_path, None, "BX-2026-9003")], tmp_path / "docx")
    converted = convert_to_pdf(sorted(result.written), tmp_path / "pdf")
    assert converted.problems == []
    listed = {
        pdf.stem: subprocess.run(
            [pdfimages, "-list", str(pdf)], capture_output=True, text=True, check=True
        ).stdout.splitlines()[2:]
        for pdf in converted.written
    }
    [image] = listed[f"{REFERENCE}-missing-profile"]
    assert image.split()[3:5] == ["90", "120"]
    assert listed["BX-2026-9003-missing-profile"] == []

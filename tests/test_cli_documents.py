"""``formkit render``, ``pack``, ``convert`` and ``templates``: exit codes, exact messages,
atomic no-overwrite, a batch that goes on past a bad record, --jobs, --json and --pdf."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLES
from support.episodes import episode_data

from formkit.cli import cli
from formkit.render.convert import INSTALL_HINT

SAMPLE = SAMPLES / "episodes" / "rutland-absent.yaml"
# A child in need in Bexley, invented, whose last-seen time is not a date.
BAD = json.dumps(
    episode_data(
        "bexley", ref="BAD-1", child_id="X1", first_name="A", last_name="B", dob="2012-01-01",
        legal="child_in_need", last_seen="yesterday",
    )
)  # fmt: skip


def run(*args: str) -> object:
    return CliRunner().invoke(cli, list(args))


def test_render_writes_a_document_per_record(tmp_path: Path) -> None:
    result = run("render", "missing-profile", str(SAMPLE), "-o", str(tmp_path), "--quiet")
    assert result.exit_code == 0, result.output
    made = tmp_path / "RUT-26-0088-missing-profile.docx"
    with zipfile.ZipFile(made) as package:
        assert b"RUT-26-0088" in package.read("word/header1.xml")
    # no temporary files left; the manifest says what formkit made
    assert sorted(p.name for p in tmp_path.iterdir()) == [".made-by-formkit.jsonl", made.name]


def test_existing_output_is_kept_without_force(tmp_path: Path) -> None:
    target = tmp_path / "RUT-26-0088-missing-profile.docx"
    target.write_bytes(b"someone's own file")
    result = run("render", "missing-profile", str(SAMPLE), "-o", str(tmp_path), "--quiet")
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {SAMPLE}: RUT-26-0088: missing-profile: RUT-26-0088-missing-profile.docx "
        "already exists and formkit did not make it here, so it was kept; use --force to replace it\n"
    )
    assert target.read_bytes() == b"someone's own file"
    forced = run(
        "render", "missing-profile", str(SAMPLE), "-o", str(tmp_path), "--quiet", "--force"
    )
    assert forced.exit_code == 0
    assert zipfile.is_zipfile(target)


def test_batch_goes_on_past_a_bad_record_and_exits_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(BAD, encoding="utf-8")
    out = tmp_path / "out"
    result = run("render", "rhi-form", str(bad), str(SAMPLE), "-o", str(out), "--quiet")
    assert result.exit_code == 1
    assert (
        f"error: {bad}: record 1 (BAD-1): episode.last_seen_at: 'yesterday' is not a date and "
        "time; write it as 2026-11-03T14:30 or 03/11/2026 14:30" in result.stderr
    )
    assert (out / "RUT-26-0088-rhi-form.docx").is_file()


def test_json_lists_written_files_and_failures(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(BAD, encoding="utf-8")
    result = run("render", "rhi-form", str(SAMPLE), str(bad), "-o", str(tmp_path / "o"), "--json")
    assert result.exit_code == 1
    summary = json.loads(result.stdout)
    assert summary["records"] == 2
    assert summary["written"] == [str(tmp_path / "o" / "RUT-26-0088-rhi-form.docx")]
    assert (summary["problems"][0]["row"], summary["problems"][0]["reference"]) == (
        "record 1",
        "BAD-1",
    )
    assert summary["problems"][0]["field"] == "episode.last_seen_at"


def test_unknown_template_is_a_clear_error(tmp_path: Path) -> None:
    result = run("render", "missing-profil", str(SAMPLE), "-o", str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "Error: no template called 'missing-profil'; did you mean 'missing-profile'?"
    )


def test_missing_arguments_are_usage_errors(tmp_path: Path) -> None:
    assert run("render", "missing-profile", str(SAMPLE)).exit_code == 2
    assert run("pack", "-o", str(tmp_path)).exit_code == 2
    assert run("convert", str(SAMPLE)).exit_code == 2


def test_template_given_as_a_path(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Letter about {{ child.known_as }} ({{ episode.reference }})")
    document.save(str(tmp_path / "letter.docx"))
    result = run(
        "render", str(tmp_path / "letter.docx"), str(SAMPLE), "-o", str(tmp_path / "o"), "-q"
    )
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(tmp_path / "o" / "RUT-26-0088-letter.docx") as package:
        assert b"(RUT-26-0088)" in package.read("word/document.xml")


def test_pack_renders_what_the_plan_calls_for(tmp_path: Path) -> None:
    from datetime import datetime

    from formkit.load import load_episodes
    from formkit.model.values import LONDON
    from formkit.protocol import plan

    now = datetime(2026, 11, 25, 9, 0, tzinfo=LONDON)
    files = sorted((SAMPLES / "episodes").glob("*.yaml"))[:4]
    args = ["pack", *map(str, files), "-o", str(tmp_path), "--now", "2026-11-25T09:00", "-q"]
    result = run(*args, "--template", "rhi-form")
    assert result.exit_code == 0, result.output
    expected = set()
    for file in files:
        for record in load_episodes(file):
            ids = [*plan(record, now=now).documents_due(), "rhi-form"]
            expected |= {
                f"{record.reference}-{i}.{'pdf' if i.endswith('-pdf') else 'docx'}" for i in ids
            }
    assert {p.name for p in tmp_path.iterdir()} == {*expected, ".made-by-formkit.jsonl"}


def test_jobs_give_the_same_documents(tmp_path: Path) -> None:
    files = [str(p) for p in sorted((SAMPLES / "episodes").iterdir())]
    common = ["--now", "2026-11-25T09:00", "-q"]
    assert run("pack", *files, "-o", str(tmp_path / "one"), *common).exit_code == 0
    assert run("pack", *files, "-o", str(tmp_path / "two"), "--jobs", "2", *common).exit_code == 0
    one = sorted(p.name for p in (tmp_path / "one").iterdir())
    assert one == sorted(p.name for p in (tmp_path / "two").iterdir())
    for name in one:
        if name.endswith(".docx"):
            a = zipfile.ZipFile(io.BytesIO((tmp_path / "one" / name).read_bytes()))
            b = zipfile.ZipFile(io.BytesIO((tmp_path / "two" / name).read_bytes()))
            assert a.read("word/document.xml") == b.read("word/document.xml")


def test_convert_without_libreoffice_says_how_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("render", "missing-profile", str(SAMPLE), "-o", str(tmp_path), "-q")
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    monkeypatch.delenv("FORMKIT_SOFFICE", raising=False)
    result = run("convert", str(tmp_path / "RUT-26-0088-missing-profile.docx"), "--to", "pdf")
    assert result.exit_code == 1
    assert result.stderr == f"Error: {INSTALL_HINT}\n"


@pytest.mark.libreoffice
def test_render_with_pdf_uses_libreoffice(tmp_path: Path, soffice: str, pdftotext: str) -> None:
    result = run("render", "nyas-referral", str(SAMPLE), "-o", str(tmp_path), "--pdf", "-q")
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "RUT-26-0088-nyas-referral.pdf"
    import subprocess

    text = subprocess.run(
        [pdftotext, str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "RETURN INTERVIEW" in text and "RUT-26-0088" in text
    again = run("convert", str(tmp_path / "RUT-26-0088-nyas-referral.docx"), "--to", "pdf")
    assert again.exit_code == 0, again.output
    assert again.stderr == "1 up to date, 0 made; nothing failed\n"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".formkit")]


@pytest.mark.libreoffice
def test_pack_keeps_the_word_profiles_pdf_and_the_fillable_profile(
    tmp_path: Path, soffice: str
) -> None:
    """``--pdf`` with the fillable missing profile: LibreOffice's PDF of the Word profile and
    the filled form are both kept, each under its own name."""
    result = run(
        "pack", str(SAMPLE), "-o", str(tmp_path), "-t", "missing-profile-pdf", "--pdf", "-q",
        "--now", "2026-11-25T09:00",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    from pypdf import PdfReader

    converted = PdfReader(tmp_path / "RUT-26-0088-missing-profile.pdf")
    form = PdfReader(tmp_path / "RUT-26-0088-missing-profile-pdf.pdf")
    assert not converted.get_fields() and form.get_fields()
    assert "RUT-26-0088" in "".join(page.extract_text() for page in converted.pages)
    again = run("pack", str(SAMPLE), "-o", str(tmp_path), "-t", "missing-profile-pdf", "--pdf",
                "--now", "2026-11-25T09:00")  # fmt: skip
    assert again.exit_code == 0, again.output
    assert again.stderr.endswith(" 0 made (1 record); nothing failed\n"), again.stderr


def test_templates_list_and_fields() -> None:
    listed = run("templates", "list", "--json")
    assert listed.exit_code == 0
    ids = {row["id"] for row in json.loads(listed.stdout)["templates"]}
    assert {"missing-profile", "rhi-form", "review-meeting", "ola-notification"} <= ids
    fields = run("templates", "fields", "nyas-referral", "--json")
    assert fields.exit_code == 0
    assert "return_interview.consent" in json.loads(fields.stdout)["jinja"]


@pytest.mark.parametrize("command", [["render"], ["pack"], ["convert"], ["templates", "lint"]])
def test_help_has_an_example(command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert "Examples:" in result.output and "formkit " in result.output


def test_no_soffice_needed_for_word_only(tmp_path: Path) -> None:
    assert shutil.which  # the Word path never looks for LibreOffice
    result = run("render", "ola-notification", str(SAMPLE), "-o", str(tmp_path), "-q")
    assert result.exit_code == 0

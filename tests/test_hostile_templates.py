"""Hostile templates through `formkit render` and `formkit pack`: each one is stopped with a
message naming the record, the template part and the paragraph, exit 1, no traceback, and the
other records of the batch are still rendered. Templates are generated at test time
(tests/hostile/templates.py); short limits keep the suite quick."""

from __future__ import annotations

import io
import os
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from conftest import SAMPLES
from hostile.templates import BAD, COMPILE, RUNTIME, USABLE, guarded, write_template
from lxml import etree
from support.corpus import sampled

from formkit.cli import cli

EPISODES = SAMPLES / "episodes"
GOOD_1 = EPISODES / "bexley-nyas-independent.yaml"
BAD_FILE = EPISODES / "bedford-home-six-hours.json"
GOOD_2 = EPISODES / "rutland-absent.yaml"
GOOD_REFERENCES = ("BX-2026-0398", "RUT-26-0088")
LIMITS = {"FORMKIT_TIME_LIMIT": "3", "FORMKIT_MEMORY_LIMIT_MB": "400"}
RUNAWAY_LIMIT = "1"  # seconds for templates that run until stopped: the good records need far less
PACK_LIMITS = {"FORMKIT_TIME_LIMIT": "20"}  # a pack renders several documents per record
NOW = "2026-11-25T09:00"


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), env={**LIMITS, **(env or {})})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def read_part(path: Path, part: str) -> bytes:
    with zipfile.ZipFile(path) as package:
        return package.read(part)


def assert_good_documents(out: Path, template: str) -> None:
    for reference in GOOD_REFERENCES:
        made = out / f"{reference}-{template}.docx"
        text = "\n".join(p.text for p in docx.Document(str(made)).paragraphs)
        assert text.startswith("Dear "), text
    assert not (out / f"{BAD}-{template}.docx").exists()


@pytest.mark.parametrize("name", sampled(sorted(RUNTIME), every=3, ids=str))
def test_hostile_template_is_stopped_and_the_batch_goes_on(tmp_path: Path, name: str) -> None:
    text, words = RUNTIME[name]
    template = write_template(tmp_path / f"{name}.docx", guarded(text))
    out = tmp_path / "out"
    limit = RUNAWAY_LIMIT if words == "took too long" else LIMITS["FORMKIT_TIME_LIMIT"]
    code, output = run("render", str(template), str(GOOD_1), str(BAD_FILE), str(GOOD_2), "-o",
                       str(out), "-q", env={"FORMKIT_TIME_LIMIT": limit})  # fmt: skip
    assert code == 1
    errors = [line for line in output.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, output
    if words == "took too long" and words not in errors[0]:
        # On a busy machine the worker may miss its own deadline; then it is killed instead.
        seconds = "1 second" if limit == "1" else f"{limit} seconds"
        assert errors[0] == (
            f"error: {BAD_FILE}: {BAD}: rendering this record took longer than {seconds}, so it "
            "was stopped; is a loop in a template running away?"
        )
    else:
        assert errors[0].startswith(f"error: {BAD_FILE}: {BAD}: word/document.xml: {template}: ")
        assert words in errors[0]
        assert "(in word/document.xml, paragraph '{% if episode.reference" in errors[0]
    assert_good_documents(out, name)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "where", "part"),
    [
        ("center-filter", "header", "word/header1.xml"),
        ("recursive-macro", "header", "word/header1.xml"),
        ("nested-loops", "header", "word/header1.xml"),
        ("ljust", "title", "docProps/core.xml"),
        ("surrogate", "title", "docProps/core.xml"),
        ("percent-width", "title", "docProps/core.xml"),
    ],
)
def test_headers_and_properties_are_in_the_same_box(
    tmp_path: Path, name: str, where: str, part: str
) -> None:
    text, words = RUNTIME[name]
    template = write_template(tmp_path / f"{name}.docx", guarded(text), where=where)
    out = tmp_path / "out"
    code, output = run("render", str(template), str(GOOD_1), str(BAD_FILE), str(GOOD_2), "-o",
                       str(out), "-q")  # fmt: skip
    assert code == 1
    assert f"{BAD}: {part}: {template}: " in output
    assert words in output and f"(in {part}, " in output
    assert_good_documents(out, name)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["lipsum", "memory", "recursive-macro", "surrogate"])
def test_pack_with_a_hostile_template_delivers_the_other_records(tmp_path: Path, name: str) -> None:
    text, words = RUNTIME[name]
    template = write_template(tmp_path / f"{name}.docx", guarded(text))
    out = tmp_path / "out"
    code, output = run("pack", str(GOOD_1), str(BAD_FILE), str(GOOD_2), "-o", str(out),
                       "--template", str(template), "--now", NOW, "-q", env=PACK_LIMITS)  # fmt: skip
    assert code == 1
    assert f"{BAD}: word/document.xml: {template}: " in output and words in output
    assert_good_documents(out, name)
    assert any(p.name.startswith(BAD) for p in out.iterdir())  # its planned documents were made


@pytest.mark.parametrize("name", sorted(COMPILE))
def test_template_that_cannot_be_read_stops_before_any_record(tmp_path: Path, name: str) -> None:
    text, words = COMPILE[name]
    template = write_template(tmp_path / f"{name}.docx", text)
    out = tmp_path / "out"
    code, output = run("render", str(template), str(GOOD_1), "-o", str(out), "-q")
    assert code == 1
    assert output.startswith(f"Error: {template}: word/document.xml: ")
    assert words in output and "paragraph '" in output
    assert not out.exists() or not list(out.iterdir())


@pytest.mark.parametrize("name", sorted(USABLE))
def test_characters_xml_forbids_are_removed(tmp_path: Path, name: str) -> None:
    template = write_template(tmp_path / f"{name}.docx", USABLE[name])
    out = tmp_path / "out"
    code, output = run("render", str(template), str(GOOD_1), "-o", str(out), "-q")
    assert code == 0, output
    made = out / f"{GOOD_REFERENCES[0]}-{name}.docx"
    xml = read_part(made, "word/document.xml")
    etree.fromstring(xml)  # well-formed: Word will open it
    assert not any(bad in xml for bad in (b"\x00", b"\x01", b"\x0b", b"\x1f", b"\xef\xbf\xbf"))
    paragraphs = [p.text for p in docx.Document(io.BytesIO(made.read_bytes())).paragraphs]
    assert paragraphs[1].endswith("ok")


@pytest.mark.slow
def test_a_runaway_record_is_stopped_in_time_and_memory_as_a_separate_process(
    tmp_path: Path,
) -> None:
    """The real CLI in its own process: the memory case stays under 1.5 GB of peak memory
    with the default limits, and the batch still delivers the good records."""
    text, words = RUNTIME["memory"]
    template = write_template(tmp_path / "memory.docx", guarded(text))
    out = tmp_path / "out"
    env = {k: v for k, v in os.environ.items() if not k.startswith("FORMKIT_")}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "formkit",
            "render",
            str(template),
            str(GOOD_1),
            str(BAD_FILE),
            str(GOOD_2),
            "-o",
            str(out),
            "-q",
        ],  # fmt: skip
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert words in result.stderr and "1,024 MB" in result.stderr
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    assert peak_mb < 1536
    assert_good_documents(out, "memory")


@pytest.mark.slow
def test_jobs_give_the_same_outcome(tmp_path: Path) -> None:
    text, words = RUNTIME["growing-list"]
    template = write_template(tmp_path / "loop.docx", guarded(text))
    out = tmp_path / "out"
    code, output = run("render", str(template), str(GOOD_1), str(BAD_FILE), str(GOOD_2), "-o",
                       str(out), "-q", "--jobs", "2")  # fmt: skip
    assert code == 1 and (words in output or "took longer than 3 seconds" in output)
    assert_good_documents(out, "loop")

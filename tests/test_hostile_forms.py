"""Damaged and hostile completed forms through `formkit parse`: each gives a result or one
clear error naming the file, exit 0 or 1, never a traceback, and the other forms of the batch
are still parsed. Forms are generated at test time (tests/hostile/forms.py); the readers are
also fuzzed with Hypothesis."""

from __future__ import annotations

import contextlib
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hostile import forms
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from parse_forms import completed_rhi
from pdf_helpers import PDF_TEMPLATES
from support.corpus import sampled
from support.episodes import sample_records

from formkit.cli import cli
from formkit.errors import FormkitError
from formkit.parse.form import _parse_here
from formkit.pdf import PdfTemplate
from formkit.pdf.read import read_form_bytes

LIMITS = {"FORMKIT_TIME_LIMIT": "5", "FORMKIT_MEMORY_LIMIT_MB": "400"}


@pytest.fixture(scope="module")
def good_docx(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    from conftest import SAMPLES

    from formkit.load import load_episodes

    record = load_episodes(SAMPLES / "episodes" / "bedford-home-six-hours.json")[0]
    return completed_rhi(record)


@pytest.fixture(scope="module")
def good_pdf() -> bytes:
    from conftest import SAMPLES

    records = sample_records([SAMPLES / "episodes" / "bedford-home-six-hours.json"])
    return PdfTemplate(PDF_TEMPLATES / "rhi-form.pdf").render(records[0])


def parse(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["parse", *args], env={**LIMITS, **(env or {})})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


def assert_result_or_clear_error(path: Path) -> None:
    code, out, err = parse(str(path), "--quiet")
    assert code in (0, 1)
    if code == 0:
        assert json.loads(out)["file"] == str(path)
    else:
        errors = [line for line in err.splitlines() if line.startswith("error: ")]
        assert errors == [errors[0]] and errors[0].startswith(f"error: {path}: "), err
        assert "internal error" not in errors[0] and "could not be read" not in errors[0]
    assert "pypdf" not in err.lower() or "warning:" in err  # nothing printed by pypdf itself


@pytest.mark.parametrize("seed", range(12))
def test_bit_flipped_word_form(tmp_path: Path, good_docx: bytes, seed: int) -> None:
    path = tmp_path / f"flipped-{seed}.docx"
    path.write_bytes(forms.flip_bits(good_docx, seed))
    assert_result_or_clear_error(path)


@pytest.mark.parametrize("seed", range(10))
def test_word_form_with_damaged_xml(tmp_path: Path, good_docx: bytes, seed: int) -> None:
    path = tmp_path / f"xml-{seed}.docx"
    path.write_bytes(forms.damage_xml(good_docx, seed))
    assert_result_or_clear_error(path)


@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.9, 0.999])
def test_truncated_word_form(tmp_path: Path, good_docx: bytes, fraction: float) -> None:
    path = tmp_path / "cut.docx"
    path.write_bytes(good_docx[: int(len(good_docx) * fraction)])
    code, _, err = parse(str(path), "--quiet")
    assert code == 1 and err.startswith(f"error: {path}: is truncated or damaged")


@pytest.mark.parametrize("seed", sampled(range(12), every=4, ids=str))
def test_bit_flipped_pdf_form(tmp_path: Path, good_pdf: bytes, seed: int) -> None:
    path = tmp_path / f"flipped-{seed}.pdf"
    path.write_bytes(forms.flip_bits(good_pdf, seed, count=30))
    assert_result_or_clear_error(path)


@pytest.mark.parametrize("fraction", [0.05, 0.5, 0.95])
def test_truncated_pdf_form(tmp_path: Path, good_pdf: bytes, fraction: float) -> None:
    path = tmp_path / "cut.pdf"
    path.write_bytes(good_pdf[: int(len(good_pdf) * fraction)])
    code, _, err = parse(str(path), "--quiet")
    assert code == 1 and err.startswith(f"error: {path}: the PDF is incomplete")


@pytest.mark.parametrize("code", forms.SYMBOLS)
def test_symbols_that_are_no_character_are_ignored(tmp_path: Path, code: str) -> None:
    path = forms.symbol_form(tmp_path / "symbol.docx", code)
    status, out, _ = parse(str(path), "--quiet", "--raw")
    assert status == 0
    assert json.loads(out)["data"] == {
        "episode.reference": forms.REFERENCE,
        "return_interview.location": "Bus station",
    }


def test_parent_and_child_tags_in_a_word_form_warn_naming_both(tmp_path: Path) -> None:
    path = forms.parent_child_form(tmp_path / "both.docx")
    status, out, err = parse(str(path))
    assert status == 0
    assert json.loads(out.splitlines()[0])["data"]["episode"]["reference"] == forms.REFERENCE
    assert (
        f"warning: {path}: child.first_name: the form has a field 'child' and a field "
        "'child.first_name', one inside the other; kept 'child' and left out 'child.first_name'"
    ) in err
    status, _, err = parse(str(path), "--strict", "--quiet")
    assert status == 1 and "'child' and a field 'child.first_name'" in err


def test_parent_and_child_fields_in_a_pdf_form_warn_naming_both(tmp_path: Path) -> None:
    path = forms.parent_child_pdf(tmp_path / "both.pdf")
    status, _, err = parse(str(path))
    assert status == 0
    assert "the form has a field 'child' and a field 'child.first_name'" in err


@pytest.mark.parametrize("case", sorted(forms.CONTENT_TYPES))
def test_package_without_readable_content_types_is_refused(
    tmp_path: Path, good_docx: bytes, case: str
) -> None:
    content, words = forms.CONTENT_TYPES[case]
    path = tmp_path / f"{case}.docx"
    path.write_bytes(forms.with_content_types(good_docx, content))
    status, _, err = parse(str(path), "--quiet")
    assert status == 1
    assert err.startswith(f"error: {path}: ") and words in err


def test_pypdf_repairs_are_a_warning_not_noise(tmp_path: Path, good_pdf: bytes) -> None:
    path = tmp_path / "repaired.pdf"
    path.write_bytes(forms.repairable_pdf(good_pdf))
    status, out, err = parse(str(path))
    assert status == 0, err
    assert json.loads(out.splitlines()[0])["data"]["episode"]["reference"] == forms.REFERENCE
    lines = err.splitlines()
    assert any(
        line.startswith(f"warning: {path}: the PDF is slightly damaged and was repaired")
        for line in lines
    ), err
    assert all(line.startswith(("warning: ", "Parsed ", "Parsing forms")) for line in lines), err


@pytest.mark.slow
def test_a_hundred_thousand_controls_are_stopped_by_the_time_limit(tmp_path: Path) -> None:
    path = forms.many_controls(tmp_path / "many.docx", 100_000)
    status, _, err = parse(str(path), "--quiet", env={"FORMKIT_TIME_LIMIT": "0.5"})
    assert status == 1
    assert err.startswith(
        f"error: {path}: reading the Word form took longer than 0.5 seconds, so it was stopped"
    )
    status, _, err = parse(str(path), "--quiet", "--timeout", "0.5")
    assert "took longer than 0.5 seconds" in err


@pytest.mark.slow
def test_a_hundred_thousand_controls_are_read_within_the_time_limit(tmp_path: Path) -> None:
    path = forms.many_controls(tmp_path / "many.docx", 100_000)
    status, out, err = parse(str(path), "--quiet", "--raw", env={"FORMKIT_TIME_LIMIT": "60"})
    assert status == 0, err
    data = json.loads(out)["data"]
    assert len(data) == 100_000 and data["f99999"] == "v"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_one_bad_form_between_two_good_ones(
    tmp_path: Path, good_docx: bytes, good_pdf: bytes, jobs: str
) -> None:
    first = tmp_path / "a-good.docx"
    first.write_bytes(good_docx)
    bad = tmp_path / "b-bad.docx"
    bad.write_bytes(forms.with_content_types(good_docx, None))
    last = tmp_path / "c-good.pdf"
    last.write_bytes(good_pdf)
    output = tmp_path / "parsed.jsonl"
    status, _, err = parse(str(tmp_path), "-o", str(output), "--quiet", "--jobs", jobs)
    assert status == 1
    assert err.startswith(f"error: {bad}: is damaged: it has no [Content_Types].xml")
    lines = [json.loads(line) for line in output.read_text().splitlines()]
    assert [line["file"] for line in lines] == [str(first), str(last)]
    assert {line["data"]["episode"]["reference"] for line in lines} == {forms.REFERENCE}


# -- fuzzing: any bytes in, a result or a FormkitError out ----------------------------------------


def _word_outcome(path: Path) -> None:
    try:
        _parse_here(path, False, None, False)
        _parse_here(path, True, None, False)
    except FormkitError:
        pass


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 10**6), count=st.integers(1, 40))
def test_fuzz_word_form_reader_with_flipped_bits(
    tmp_path: Path, good_docx: bytes, seed: int, count: int
) -> None:
    path = tmp_path / "fuzz.docx"
    path.write_bytes(forms.flip_bits(good_docx, seed, count))
    _word_outcome(path)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 10**6))
def test_fuzz_word_form_reader_with_damaged_xml(
    tmp_path: Path, good_docx: bytes, seed: int
) -> None:
    path = tmp_path / "fuzz.docx"
    path.write_bytes(forms.damage_xml(good_docx, seed))
    _word_outcome(path)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=st.text(max_size=300))
def test_fuzz_word_form_reader_with_any_document_text(tmp_path: Path, body: str) -> None:
    path = tmp_path / "fuzz.docx"
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("[Content_Types].xml", '<Types xmlns="x"/>')
        package.writestr(
            "word/document.xml",
            f'<w:document xmlns:w="{forms.W_NS}"><w:body>{body}</w:body></w:document>'.encode(
                "utf-8", "surrogatepass"
            ),
        )
    _word_outcome(path)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=2000))
def test_fuzz_word_form_reader_with_any_bytes(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.docx"
    path.write_bytes(data)
    _word_outcome(path)


@pytest.mark.slow
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 10**6), count=st.integers(1, 60))
def test_fuzz_pdf_form_reader_with_flipped_bits(good_pdf: bytes, seed: int, count: int) -> None:
    with contextlib.suppress(FormkitError):
        read_form_bytes(forms.flip_bits(good_pdf, seed, count), "fuzz.pdf")


@settings(max_examples=40, deadline=None)
@given(data=st.binary(max_size=2000))
def test_fuzz_pdf_form_reader_with_any_bytes(data: bytes) -> None:
    with contextlib.suppress(FormkitError):
        read_form_bytes(b"%PDF-1.7\n" + data + b"\n%%EOF\n", "fuzz.pdf")

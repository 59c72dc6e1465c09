"""``formkit parse`` on the command line: batches, exit codes, exact messages, hostile files."""

from __future__ import annotations

import json
import time
from pathlib import Path

from click.testing import CliRunner
from hostile import corpus
from parse_forms import completed_rhi, p, r, text_sdt, write_document

from formkit.cli import cli
from formkit.load import load_episodes


def _good_form(folder: Path, sample_episode_files: list[Path]) -> tuple[Path, str]:
    record = load_episodes(sample_episode_files[0])[0]
    path = folder / "good.docx"
    path.write_bytes(completed_rhi(record))
    return path, record.reference


def test_parse_writes_jsonl(tmp_path: Path, sample_episode_files: list[Path]) -> None:
    good, reference = _good_form(tmp_path, sample_episode_files)
    out = tmp_path / "parsed.jsonl"
    result = CliRunner().invoke(cli, ["parse", str(good), "-o", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    (line,) = [json.loads(text) for text in out.read_text().splitlines()]
    assert set(line) == {"file", "data", "report"}
    assert line["file"] == str(good)
    assert line["data"]["episode"]["reference"] == reference
    assert line["report"]["warnings"] == [] and line["report"]["fields_read"]


def test_hostile_batch_each_refused_others_parsed(
    tmp_path: Path, sample_episode_files: list[Path]
) -> None:
    hostile = corpus.build_all(tmp_path)
    corpus.pdf_loop(tmp_path)
    _good_form(tmp_path, sample_episode_files)
    out = tmp_path / "out" / "parsed.jsonl"
    started = time.monotonic()
    result = CliRunner().invoke(cli, ["parse", str(tmp_path), "-o", str(out), "--json"])
    assert time.monotonic() - started < 5 * (len(hostile) + 2)
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["parsed"] == 1 and report["failed"] == len(hostile) + 1
    messages = {Path(problem["file"]).name: problem["message"] for problem in report["problems"]}
    for path, words in hostile.values():
        assert words in messages[path.name]
    assert "pdf-loop.pdf" in messages
    assert [json.loads(t)["file"] for t in out.read_text().splitlines()] == [
        str(tmp_path / "good.docx")
    ]
    assert f"Error: {len(hostile) + 1} forms failed; see above" in result.stderr


def test_one_bad_file_message_and_exit(tmp_path: Path) -> None:
    empty = corpus.empty_file(tmp_path)
    result = CliRunner().invoke(cli, ["parse", str(empty), "--quiet"])
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {empty}: is an empty file (0 bytes), not a Word document (.docx)\n"
        "Error: 1 form failed; see above\n"
    )


def test_strict_fails_on_warnings(tmp_path: Path) -> None:
    form = write_document(tmp_path / "no-ref.docx", p(r("Name: "), text_sdt("Alex")))
    relaxed = CliRunner().invoke(cli, ["parse", str(form), "--quiet"])
    assert relaxed.exit_code == 0
    strict = CliRunner().invoke(cli, ["parse", str(form), "--strict", "--quiet"])
    assert strict.exit_code == 1
    assert (
        f"error: {form}: 1 warning with --strict: episode.reference: the form does not say "
        "which episode it is for" in strict.stderr
    )


def test_raw_json(tmp_path: Path) -> None:
    form = write_document(tmp_path / "any.docx", p(r("Name: "), text_sdt("Alex", tag="who")))
    result = CliRunner().invoke(cli, ["parse", str(form), "--raw", "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["results"][0]["data"] == {"who": "Alex"}


def test_jobs_gives_the_same_output(tmp_path: Path, sample_episode_files: list[Path]) -> None:
    for record in load_episodes(sample_episode_files[1]) + load_episodes(sample_episode_files[2]):
        (tmp_path / f"{record.reference}.docx").write_bytes(completed_rhi(record))
    one = CliRunner().invoke(cli, ["parse", str(tmp_path), "--quiet"])
    two = CliRunner().invoke(cli, ["parse", str(tmp_path), "--quiet", "--jobs", "2"])
    assert one.exit_code == two.exit_code == 0
    assert one.stdout == two.stdout and len(one.stdout.splitlines()) >= 2


def test_unknown_mapping_is_exit_1(tmp_path: Path) -> None:
    form = write_document(tmp_path / "f.docx", p(r("x")))
    result = CliRunner().invoke(cli, ["parse", str(form), "--mapping", "nyas", "--quiet"])
    assert result.exit_code == 1
    assert "no such label mapping (known: barnardos-rhi, rhi-form)" in result.stderr


def test_usage_error_is_exit_2() -> None:
    result = CliRunner().invoke(cli, ["parse"])
    assert result.exit_code == 2
    result = CliRunner().invoke(cli, ["parse", "no-such-file.docx"])
    assert result.exit_code == 2


def test_help_has_an_example() -> None:
    result = CliRunner().invoke(cli, ["parse", "--help"])
    assert "formkit parse completed-forms/ -o parsed.jsonl" in result.output

"""Re-runs that just work: pack/render/convert skip what is up to date, finish what was cut
short, remake what changed, keep what people edited, and count failures by record."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLES
from test_convert import fake_soffice, private_tmp  # noqa: F401 - fixtures used by name

from formkit.cli import cli
from formkit.model import LONDON
from formkit.tracker import create_tracker, update_tracker

EPISODES = SAMPLES / "episodes"
NOW = "--now=2026-11-30T09:00"


def run(*args: str) -> object:
    return CliRunner().invoke(cli, list(args))


def _sample_copy(tmp_path: Path, name: str) -> Path:
    target = tmp_path / name
    shutil.copy(EPISODES / name, target)
    return target


def test_a_second_pack_finds_everything_up_to_date_and_exits_0(tmp_path: Path) -> None:
    files = [str(p) for p in sorted(EPISODES.glob("*.yaml"))[:3]]
    out = tmp_path / "out"
    first = run("pack", *files, "-o", str(out), NOW)
    assert first.exit_code == 0, first.output
    made = sorted(p.name for p in out.glob("*.docx"))
    assert (
        first.stderr.splitlines()[-1]
        == f"0 up to date, {len(made)} made (3 records); nothing failed"
    )
    again = run("pack", *files, "-o", str(out), NOW)
    assert again.exit_code == 0, again.output
    assert (
        again.stderr.splitlines()[-1]
        == f"{len(made)} up to date, 0 made (3 records); nothing failed"
    )
    forced = run("pack", *files, "-o", str(out), NOW, "--force")
    assert forced.exit_code == 0
    assert (
        forced.stderr.splitlines()[-1]
        == f"0 up to date, {len(made)} made (3 records); nothing failed"
    )


def test_render_then_pack_into_the_same_folder(tmp_path: Path) -> None:
    files = [str(p) for p in sorted(EPISODES.glob("*.yaml"))]
    out = str(tmp_path / "documents")
    rendered = run("render", "missing-profile", *files, "-o", out)
    assert rendered.exit_code == 0, rendered.output
    packed = run("pack", *files, "-o", out, NOW)
    assert packed.exit_code == 0, packed.output
    summary = packed.stderr.splitlines()[-1]
    assert summary.startswith(f"{len(files)} up to date, ")


def test_after_fixing_a_spreadsheet_only_the_fixed_record_is_made(tmp_path: Path) -> None:
    good = _sample_copy(tmp_path, "rutland-absent.yaml")
    bad = _sample_copy(tmp_path, "bexley-still-missing.yaml")
    text = bad.read_text(encoding="utf-8")
    bad.write_text(text.replace("legal_status: child_in_need", "legal_status: child in nede"))
    out = tmp_path / "out"
    first = run("render", "missing-profile", str(good), str(bad), "-o", str(out))
    assert first.exit_code == 1
    assert first.stderr.splitlines()[-1] == "0 up to date, 1 made (2 records); 1 record failed"
    bad.write_text(text)
    second = run("render", "missing-profile", str(good), str(bad), "-o", str(out))
    assert second.exit_code == 0, second.output
    assert second.stderr.splitlines()[-1] == "1 up to date, 1 made (2 records); nothing failed"


def test_a_record_with_two_failed_documents_counts_once(tmp_path: Path) -> None:
    sample = EPISODES / "rutland-absent.yaml"
    out = tmp_path / "out"
    out.mkdir()
    for name in ("RUT-26-0088-missing-profile.docx", "RUT-26-0088-rhi-form.docx"):
        (out / name).write_bytes(b"someone else's file")
    result = run("pack", str(sample), "-o", str(out), NOW, "--template", "rhi-form")
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == [
        f"error: {sample}: RUT-26-0088: {template}: RUT-26-0088-{template}.docx already exists "
        "and formkit did not make it here, so it was kept; use --force to replace it"
        for template in ("missing-profile", "rhi-form")
    ]
    assert result.stderr.splitlines()[-1].endswith("; 1 record failed")
    data = json.loads(run("pack", str(sample), "-o", str(out), NOW, "--json").stdout)
    assert data["failed_records"] == 1


def test_a_changed_episode_remakes_its_documents_but_never_a_hand_edited_one(
    tmp_path: Path,
) -> None:
    episode = _sample_copy(tmp_path, "rutland-absent.yaml")
    out = tmp_path / "out"
    assert run("render", "missing-profile", str(episode), "-o", str(out)).exit_code == 0
    assert run("render", "rhi-form", str(episode), "-o", str(out)).exit_code == 0
    profile = out / "RUT-26-0088-missing-profile.docx"
    form = out / "RUT-26-0088-rhi-form.docx"
    text = episode.read_text(encoding="utf-8")
    assert "police_reference:" in text
    changed = text.replace("police_reference:", "police_reference: CHANGED-1 #", 1)
    episode.write_text(changed, encoding="utf-8")
    # Someone edits the RHI form in Word after formkit made it.
    with zipfile.ZipFile(form, "a") as package:
        package.writestr("customXml/edited.xml", "<edited/>")
    result = run("render", "missing-profile", str(episode), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[-1] == "0 up to date, 1 made (1 record); nothing failed"
    with zipfile.ZipFile(profile) as package:
        assert b"CHANGED-1" in b"".join(package.read(n) for n in package.namelist())
    kept = run("render", "rhi-form", str(episode), "-o", str(out))
    assert kept.exit_code == 1
    assert (
        f"error: {episode}: RUT-26-0088: rhi-form: RUT-26-0088-rhi-form.docx was changed after "
        "formkit made it and its episode or template has changed since, so it was kept; use "
        "--force to replace it"
    ) in kept.stderr.splitlines()
    with zipfile.ZipFile(form) as package:
        assert "customXml/edited.xml" in package.namelist()


def test_pack_records_documents_made_in_the_tracker_and_today_says_so(tmp_path: Path) -> None:
    tracker = create_tracker(tmp_path / "tracker.xlsx")
    sample = EPISODES / "statutory-very-young.yaml"
    now = datetime(2026, 11, 30, 9, 0, tzinfo=LONDON)
    update_tracker(tracker, [sample], now=now)
    out = tmp_path / "out"
    packed = run("pack", str(sample), "-o", str(out), NOW, "--tracker", str(tracker))
    assert packed.exit_code == 0, packed.output
    assert f"{tracker}: documents made recorded for 1 episode" in packed.stderr.splitlines()
    listed = run("today", str(tracker), NOW, "--json")
    items = json.loads(listed.stdout)["items"]
    profile = next(i for i in items if i["obligation"] == "missing-profile")
    assert profile["status"] == "overdue"  # made is not sent
    assert profile["note"] == "made, not recorded as sent"
    again = run("pack", str(sample), "-o", str(out), NOW, "--tracker", str(tracker))
    assert f"{tracker}: documents made recorded for 0 episodes" in again.stderr.splitlines()


def test_pack_tracker_names_an_episode_that_is_not_in_it(tmp_path: Path) -> None:
    tracker = create_tracker(tmp_path / "tracker.xlsx")
    sample = EPISODES / "statutory-very-young.yaml"
    packed = run("pack", str(sample), "-o", str(tmp_path / "o"), NOW, "--tracker", str(tracker))
    assert packed.exit_code == 1
    assert (
        f"error: {tmp_path / 'o'}" not in packed.stderr
        and "is not in the tracker, so the documents made were not recorded; add the episode "
        "file first"
        in packed.stderr
    )


@pytest.mark.slow
def test_ctrl_c_in_the_pdf_step_then_a_re_run_makes_every_missing_pdf(
    tmp_path: Path,
    fake_soffice: Path,  # noqa: F811 - the fixture
    private_tmp: Path,  # noqa: F811 - the fixture
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from collections.abc import Callable, Iterator
    from contextlib import contextmanager

    from formkit.cli import common

    real_bar = common.progress_bar

    @contextmanager
    def bar(total: int | None, label: str, *, quiet: bool) -> Iterator[Callable[[int], None]]:
        if label != "Converting to PDF":
            with real_bar(total, label, quiet=quiet) as progress:
                yield progress
            return

        def interrupt(_n: int) -> None:
            raise KeyboardInterrupt

        yield interrupt

    files = [str(p) for p in sorted(EPISODES.glob("*.yaml"))[:4]]
    out = tmp_path / "out"
    with monkeypatch.context() as patched:
        patched.setattr("formkit.cli.documents.progress_bar", bar)
        stopped = run("pack", *files, "-o", str(out), NOW, "--pdf", "--jobs", "1")
    assert stopped.exit_code == 130
    words = sorted(p.stem for p in out.glob("*.docx"))
    assert len(list(out.glob("*.pdf"))) < len(words)
    again = run("pack", *files, "-o", str(out), NOW, "--pdf", "--jobs", "1")
    assert again.exit_code == 0, again.output
    assert sorted(p.stem for p in out.glob("*.pdf")) == words
    before = len(words) + len(list(out.glob("*.pdf")))  # every PDF made before the re-run counts
    assert again.stderr.splitlines()[-1].endswith("(4 records); nothing failed")
    last = run("pack", *files, "-o", str(out), NOW, "--pdf")
    assert last.exit_code == 0
    assert last.stderr.splitlines()[-1] == (
        f"{2 * len(words)} up to date, 0 made (4 records); nothing failed"
    )
    assert before == 2 * len(words)


@pytest.mark.libreoffice
def test_an_interrupted_pack_pdf_is_finished_by_a_re_run(tmp_path: Path, soffice: str) -> None:
    files = [str(p) for p in sorted(EPISODES.glob("*.yaml"))]
    out = tmp_path / "out"
    command = [sys.executable, "-m", "formkit", "pack", *files, "-o", str(out), NOW, "--pdf"]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    # Interrupt as a person would with Ctrl-C, once the Word documents are there.
    for _ in range(600):
        if process.poll() is not None or len(list(out.glob("*.docx"))) >= 10:
            break
        time.sleep(0.1)
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGINT)
    process.communicate(timeout=120)
    again = run("pack", *files, "-o", str(out), NOW, "--pdf")
    assert again.exit_code == 0, again.output
    words = sorted(p.stem for p in out.glob("*.docx"))
    pdfs = sorted(p.stem for p in out.glob("*.pdf"))
    assert words and pdfs == words
    for pdf in out.glob("*.pdf"):
        assert pdf.read_bytes().startswith(b"%PDF")
    last = run("pack", *files, "-o", str(out), NOW, "--pdf")
    assert last.exit_code == 0
    assert last.stderr.splitlines()[-1] == (
        f"{2 * len(words)} up to date, 0 made ({len(files)} records); nothing failed"
    )

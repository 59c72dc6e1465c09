"""Issue 10: output failures are said in words, once, with exit 1, no traceback and no half file.

Real failures where the machine allows them: a small tmpfs (full, out of inodes, read-only) when
the tests run as root and ``mount`` works, ``RLIMIT_FSIZE`` for "file too large", ``-o`` under a
regular file and over-long names. Where a real failure cannot be made (EDQUOT, EIO…) it is
simulated in-process by making ``os.fsync`` raise, the lowest call formkit's writer makes.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import ROOT, SAMPLES

from formkit.cli import cli

SAMPLE = SAMPLES / "episodes" / "rutland-absent.yaml"
EPISODES = SAMPLES / "episodes"


def run(*args: str) -> Result:
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def leftovers(folder: Path) -> list[Path]:
    """Temporary files a writer would leave behind if it failed half way."""
    return [p for p in folder.rglob("*") if p.name.endswith(".tmp")]


def assert_whole_documents(folder: Path) -> None:
    for made in folder.rglob("*.docx"):
        with zipfile.ZipFile(made) as package:
            assert package.testzip() is None
            assert "word/document.xml" in package.namelist()


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[object]:
    """``small_disk(options)`` mounts a tmpfs with those options and returns its folder."""
    mounted: list[Path] = []

    def mount(options: str) -> Path:
        if os.geteuid() != 0 or shutil.which("mount") is None:
            pytest.skip("mounting a small tmpfs needs root")
        point = tmp_path / f"disk{len(mounted)}"
        point.mkdir()
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(point)],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
        mounted.append(point)
        return point

    yield mount
    for point in mounted:
        subprocess.run(["umount", "-l", str(point)], check=False)


def test_render_into_a_read_only_disk(small_disk: object) -> None:
    disk = small_disk("size=64k,ro")  # type: ignore[operator]
    result = run("render", "missing-profile", str(SAMPLE), "-o", str(disk / "out"))
    assert result.exit_code == 1
    assert f"Error: cannot write to {disk}/out/: the folder is read-only" in result.output
    assert result.output.count("read-only") == 1  # said once, not once per record


def test_render_into_the_root_of_a_read_only_disk(small_disk: object) -> None:
    disk = small_disk("size=64k,ro")  # type: ignore[operator]
    result = run("pack", str(EPISODES), "-o", str(disk))
    assert result.exit_code == 1
    assert f"cannot write to {disk}/: the folder is read-only" in result.output


def test_pack_onto_a_full_disk(small_disk: object) -> None:
    disk = small_disk("size=96k")  # type: ignore[operator]
    result = run("pack", str(EPISODES), "-o", str(disk), "--now", "2026-12-01T09:00", "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    messages = {p["message"] for p in report["problems"]}
    assert any(
        m.endswith(f"cannot write to {disk}/: the disk is full; nothing was changed")
        for m in messages
    ), messages
    assert len(report["written"]) < 20  # the disk really filled up
    assert leftovers(disk) == []
    assert_whole_documents(disk)
    assert sorted(str(p) for p in disk.rglob("*.docx")) == sorted(report["written"])


def test_no_inodes_left(small_disk: object) -> None:
    disk = small_disk("size=4m,nr_inodes=2")  # type: ignore[operator]
    result = run("pack", str(SAMPLE), "-o", str(disk / "out"))
    assert result.exit_code == 1
    assert (
        f"Error: cannot write to {disk}/out/: the disk is full; nothing was changed"
        in result.output
    )


def test_parse_output_on_a_read_only_disk(small_disk: object) -> None:
    disk = small_disk("size=64k,ro")  # type: ignore[operator]
    forms = sorted((SAMPLES / "completed-rhi").glob("*.docx"))[:1]
    if not forms:
        pytest.skip("no completed sample forms")
    result = run("parse", str(forms[0]), "-o", str(disk / "parsed.jsonl"))
    assert result.exit_code == 1
    assert f"Error: cannot write to {disk}/: the folder is read-only" in result.output


def test_tracker_update_on_a_disk_made_read_only(small_disk: object, tmp_path: Path) -> None:
    disk = small_disk("size=2m")  # type: ignore[operator]
    tracker = disk / "tracker.xlsx"
    assert run("tracker", "init", str(tracker)).exit_code == 0
    before = tracker.read_bytes()
    subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
    result = run("tracker", "update", str(tracker), str(SAMPLE))
    assert result.exit_code == 1
    assert "the folder is read-only" in result.output
    assert tracker.read_bytes() == before


def test_output_folder_under_a_regular_file(tmp_path: Path) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_text("a file, not a folder")
    result = run("render", "missing-profile", str(SAMPLE), "-o", str(blocker / "out"))
    assert result.exit_code == 1
    assert (
        f"Error: cannot write to {blocker}/out/: part of the path is a file, not a folder"
        in result.output
    )


def test_output_file_under_a_regular_file(tmp_path: Path) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_text("x")
    target = blocker / "episodes.jsonl"
    result = run("samples", "generate", "-n", "2", "-o", str(target))
    assert result.exit_code == 1
    assert f"Error: cannot write to {blocker}/: part of the path is a file, not a folder" in (
        result.output
    )


def _template_named(tmp_path: Path, length: int) -> Path:
    stem = ("long-template-name-" * 20)[:length]
    path = tmp_path / f"{stem}.docx"
    shutil.copy(ROOT / "formkit" / "templates" / "missing-profile.docx", path)
    return path


def test_a_name_too_long_for_the_disk(tmp_path: Path) -> None:
    template = _template_named(tmp_path, 245)  # output: RUT-26-0088-<245>.docx = 262 bytes
    out = tmp_path / "out"
    result = run("render", str(template), str(SAMPLE), "-o", str(out))
    assert result.exit_code == 1
    assert (
        "the file name is 262 bytes long, more than the 255 the disk allows; use a shorter "
        "episode reference or template output name"
    ) in result.output
    assert list(out.iterdir()) == []


def test_a_240_character_name_is_written(tmp_path: Path) -> None:
    # The temporary file beside it has a shortened name, so a long but legal name works.
    template = _template_named(tmp_path, 223)  # output name: 11 + 1 + 223 + 5 = 240 characters
    out = tmp_path / "out"
    result = run("render", str(template), str(SAMPLE), "-o", str(out))
    assert result.exit_code == 0, result.output
    [made] = [p for p in out.iterdir() if p.name != ".made-by-formkit.jsonl"]
    assert len(made.name) == 240
    assert_whole_documents(out)


def test_file_too_large_for_the_limit(tmp_path: Path) -> None:
    """RLIMIT_FSIZE makes the kernel refuse a write past the limit with EFBIG (a real one)."""
    target = tmp_path / "episodes.jsonl"
    code = (
        "import resource, signal, sys;"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN);"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (20000, 20000));"
        "from formkit.cli import cli;"
        "sys.argv = ['formkit', 'samples', 'generate', '-n', '200', '-q', '-o', sys.argv[1]];"
        "cli()"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(target)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr == (
        f"Error: cannot write to {tmp_path}/: the file is too large for this disk; "
        "nothing was changed\n"
    )
    assert not target.exists() and leftovers(tmp_path) == []


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (errno.ENOSPC, "the disk is full; nothing was changed"),
        (errno.EDQUOT, "your disk quota is used up; nothing was changed"),
        (errno.EFBIG, "the file is too large for this disk; nothing was changed"),
        (errno.EIO, "the disk reported an input/output error; nothing was changed"),
        (errno.EROFS, "the folder is read-only"),
        (errno.EACCES, "permission denied (the folder or file is read-only, or someone else's)"),
    ],
    ids=lambda v: errno.errorcode.get(v, str(v)) if isinstance(v, int) else "",
)
def test_simulated_write_failures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, number: int, words: str
) -> None:
    """Simulated: ``os.fsync`` fails as a full or broken disk makes it fail."""

    def fail(_fd: int) -> None:
        raise OSError(number, os.strerror(number))

    monkeypatch.setattr(os, "fsync", fail)
    target = tmp_path / "out" / "episodes.jsonl"
    result = run("samples", "generate", "-n", "3", "-o", str(target))
    assert result.exit_code == 1
    assert result.output.endswith(f"Error: cannot write to {tmp_path}/out/: {words}\n")
    assert list((tmp_path / "out").iterdir()) == []  # no half-written or temporary file


def test_simulated_failure_in_a_render_batch_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One document's write fails (simulated ENOSPC): it is a problem, the others are made."""
    real = os.fsync
    calls = {"n": 0}

    def second_fails(fd: int) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(fd)

    monkeypatch.setattr(os, "fsync", second_fails)
    out = tmp_path / "out"
    result = run("render", "missing-profile", str(EPISODES), "-o", str(out), "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    [problem] = report["problems"]
    assert problem["message"] == (
        f"missing-profile: cannot write to {out}/: the disk is full; nothing was changed"
    )
    assert len(report["written"]) == report["records"] - 1
    assert leftovers(out) == []
    assert_whole_documents(out)

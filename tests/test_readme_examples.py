"""The README's and the reference pages' shell examples run, in order, on a fresh copy.

Every line of every ```sh block of the README, then of each area's page in ``docs/`` (in the
order of :data:`PAGES`), is run with bash in a temporary copy of the repository's ``samples/``
and ``formkit/protocol/profiles/`` (what a fresh clone has beside the package), one line at a
time, and must exit 0. Left out: ``make`` lines (``make test`` is what runs this test, and
``make demo`` has its own test), ``formkit serve`` (it runs until stopped; the browser app's
tests drive it) and ``formkit users`` (it asks for a password). The examples include ``--pdf``
and ``convert``, so this needs LibreOffice (installed by ``make sysdeps``).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT

from formkit.cli import cli

README = ROOT / "README.md"
# The area pages whose examples run after the README's, in this order (later pages use files
# the earlier ones made, e.g. the tracker).
PAGES = ["episodes", "protocol", "documents", "forms", "tracker", "reports"]
NOT_RUN = ("#", "make ", "formkit serve", "formkit users")


def shell_examples(text: str) -> list[str]:
    """The command lines of the ```sh blocks of ``text``, in order (:data:`NOT_RUN` left out)."""
    lines = []
    for block in re.findall(r"```sh\n(.*?)```", text, re.DOTALL):
        for line in block.splitlines():
            command = line.strip()
            if command and not command.startswith(NOT_RUN):
                lines.append(command)
    return lines


def all_examples() -> list[str]:
    texts = [README, *(ROOT / "docs" / f"{page}.md" for page in PAGES)]
    return [line for text in texts for line in shell_examples(text.read_text(encoding="utf-8"))]


def test_the_readme_has_examples_of_the_everyday_commands() -> None:
    lines = shell_examples(README.read_text(encoding="utf-8"))
    starts = {" ".join(line.split()[:2]) for line in lines}
    assert {"formkit validate", "formkit plan", "formkit pack", "formkit today"} <= starts
    # "--now" examples fall after the samples' dates, so they show something owed.
    for line in lines:
        match = re.search(r'--now[ =]"?(\d\d)/(\d\d)/(\d{4})', line)
        if match:
            assert (match[3], match[2], match[1]) >= ("2026", "11", "25"), line
    assert len(all_examples()) > len(lines)  # the reference pages have examples too


@pytest.mark.libreoffice
def test_every_readme_example_runs_in_order(tmp_path: Path, soffice: str) -> None:
    work = tmp_path / "clone"
    shutil.copytree(ROOT / "samples", work / "samples")
    shutil.copytree(
        ROOT / "formkit" / "protocol" / "profiles", work / "formkit" / "protocol" / "profiles"
    )
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    for line in all_examples():
        done = subprocess.run(
            ["bash", "-o", "pipefail", "-c", line],
            stdin=subprocess.DEVNULL,
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert done.returncode == 0, f"{line}\nexit {done.returncode}\n{done.stderr[-3000:]}"


def test_a_mistyped_month_is_a_usage_error(tmp_path: Path) -> None:
    from formkit.tracker import create_tracker

    tracker = create_tracker(tmp_path / "tracker.xlsx")
    result = CliRunner().invoke(cli, ["report", str(tracker), "--month", "November"])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: Invalid value for '--month': 'November' is not a month; write it as 2026-10"
    )


def test_the_barnardos_sample_is_a_whole_word_package() -> None:
    import zipfile

    from formkit.parse import parse_form

    sample = ROOT / "samples" / "completed-rhi" / "barnardos-style-rhi.docx"
    with zipfile.ZipFile(sample) as package:
        names = set(package.namelist())
        rels = package.read("_rels/.rels").decode("utf-8")
        types = package.read("[Content_Types].xml").decode("utf-8")
        document_rels = package.read("word/_rels/document.xml.rels").decode("utf-8")
    assert {
        "_rels/.rels",
        "docProps/core.xml",
        "docProps/app.xml",
        "word/styles.xml",
        "word/settings.xml",
        "word/header1.xml",
    } <= names
    assert 'Target="word/document.xml"' in rels
    assert 'PartName="/word/document.xml"' in types
    assert 'Target="header1.xml"' in document_rels
    result = parse_form(sample, mapping="barnardos-rhi")
    assert result.reference == "BK-MIS-26-1122"


def test_make_demo_shows_today_on_the_demo_tracker(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import demo
    finally:
        sys.path.pop(0)
    commands = [command for _title, command in demo.steps(ROOT / "out")]
    names = [" ".join(command[:2]) for command in commands]
    made = names.index("tracker init")
    today = names.index("today out/tracker.xlsx")
    assert made < today
    assert commands[today] == ["today", "out/tracker.xlsx", "--now", demo.NOW]
    assert any("--tracker" in command for command in commands[made:today])

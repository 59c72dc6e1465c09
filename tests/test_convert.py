"""Word to PDF on several LibreOffice processes: the same PDFs with any --jobs, progress per
document, a crashed or hung LibreOffice costing only its chunk, Ctrl-C / SIGTERM / SIGKILL
leaving no process and no temporary folder behind.

Some tests use a stand-in ``soffice`` (a shell script set as FORMKIT_SOFFICE) to hang, crash
or be killed on cue; the others run the real LibreOffice (marked ``libreoffice``, run in CI).
"""

from __future__ import annotations

import os
import re
import select
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, SAMPLES

from formkit.cli import cli
from formkit.errors import ConversionError
from formkit.render import convert
from formkit.render.convert import (
    WORKSPACE_PREFIX,
    ConversionInterrupted,
    chunk_size,
    convert_to_pdf,
    default_jobs,
    remove_stale_workspaces,
)
from formkit.render.pack import render_files
from formkit.words import plural

MB = 1024 * 1024

# Writes a small whole PDF for each document named, in order, as LibreOffice does; stops
# (sleeps, its arguments still showing, as LibreOffice's do) on a document whose name has "hang"
# in it; logs each start with its process id and arguments.
FAKE_SOFFICE = r"""#!/bin/sh
echo "$$ $*" >> "$FAKE_LOG"
outdir=""; previous=""
for arg in "$@"; do
  if [ "$previous" = "--outdir" ]; then outdir="$arg"; fi
  previous="$arg"
done
for arg in "$@"; do
  case "$arg" in
    *hang*) exec "$FAKE_PYTHON" -c "import time; time.sleep(120)" "$@" ;;
    *.docx) printf '%%PDF-1.4\n%%%%EOF\n' > "$outdir/$(basename "$arg" .docx).pdf"; sleep 0.1 ;;
  esac
done
"""

# The real LibreOffice, except that the first one started is killed (with everything it
# started) as soon as it has written its first PDF: a crash in the middle of a chunk.
CRASHING_SOFFICE = r"""#!/bin/sh
echo "$*" >> "$FAKE_LOG"
if ! mkdir "$CRASH_MARKER" 2>/dev/null; then exec "$REAL_SOFFICE" "$@"; fi
outdir=""; previous=""
for arg in "$@"; do
  if [ "$previous" = "--outdir" ]; then outdir="$arg"; fi
  previous="$arg"
done
"$REAL_SOFFICE" "$@" &
while [ -z "$(ls "$outdir" 2>/dev/null)" ]; do sleep 0.05; done
kill -KILL 0
"""


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary folder of the test's own for the conversion workspaces, to see them go."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    monkeypatch.setenv("TMPDIR", str(folder))
    return folder


def _script(tmp_path: Path, name: str, text: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    script = tmp_path / name
    script.write_text(text)
    script.chmod(0o755)
    monkeypatch.setenv("FORMKIT_SOFFICE", str(script))
    monkeypatch.setenv("FAKE_LOG", str(tmp_path / "starts.log"))
    monkeypatch.setenv("FAKE_PYTHON", sys.executable)
    return script


@pytest.fixture
def fake_soffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return _script(tmp_path, "fake-soffice", FAKE_SOFFICE, monkeypatch)


def _words(folder: Path, names: list[str]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / name for name in names]
    for path in paths:
        path.write_bytes(b"stands for a Word document")
    return paths


def _rendered(folder: Path, templates: list[str]) -> list[Path]:
    """Real Word documents: the sample episodes' documents for ``templates``."""
    files = sorted((SAMPLES / "episodes").glob("*.yaml"))[:3]
    result = render_files(files, folder, templates=templates)
    assert result.problems == []
    return sorted(result.written)


def _text(pdftotext: str, pdf: Path) -> str:
    return subprocess.run(
        [pdftotext, str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def _reference(pdf: Path) -> str:
    """The episode reference a rendered document's name starts with (``BX-2026-0398-…``)."""
    return "-".join(pdf.stem.split("-")[:3])


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie waiting for its parent does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def _processes_naming(text: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and entry.name != str(os.getpid()):
            try:
                if text.encode() in (entry / "cmdline").read_bytes() and _alive(int(entry.name)):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def test_default_jobs_is_cores_capped_by_memory_and_documents(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(convert, "_usable_cores", lambda: 16)
    monkeypatch.setattr(convert, "_available_memory", lambda: 1000 * MB)
    assert default_jobs() == 4  # 1000 MB holds four LibreOffices of 250 MB
    assert default_jobs(3) == 3
    monkeypatch.setattr(convert, "_available_memory", lambda: 100 * MB)
    assert default_jobs(60) == 1  # never fewer than one
    monkeypatch.setattr(convert, "_available_memory", lambda: None)  # no /proc/meminfo
    assert default_jobs(60) == 16
    assert default_jobs(0) == 1


def test_chunks_spread_the_batch_and_stay_small() -> None:
    assert chunk_size(60, 2) == 30
    assert chunk_size(60, 1) == 40
    assert chunk_size(2500, 8) == 40
    assert chunk_size(3, 8) == 1


def test_progress_counts_each_document_as_its_pdf_appears(
    tmp_path: Path, fake_soffice: Path, private_tmp: Path
) -> None:
    files = _words(tmp_path / "in", [f"doc-{i}.docx" for i in range(7)])
    calls: list[int] = []
    result = convert_to_pdf(files, tmp_path / "out", jobs=2, progress=calls.append)
    assert result.problems == [] and result.warnings == []
    assert result.written == [tmp_path / "out" / f"doc-{i}.pdf" for i in range(7)]
    assert sum(calls) == 7
    assert len(calls) > 2  # the bar moves while the two processes work, not only at the end
    starts = (tmp_path / "starts.log").read_text().splitlines()
    assert len(starts) == 2  # two chunks, one LibreOffice each
    assert list(private_tmp.iterdir()) == []


@pytest.mark.slow
def test_a_hung_libreoffice_is_killed_and_only_its_document_fails(
    tmp_path: Path, fake_soffice: Path, private_tmp: Path
) -> None:
    names = ["a.docx", "b.docx", "c-hang.docx", "d.docx", "e.docx", "f.docx"]
    files = _words(tmp_path / "in", names)
    out = tmp_path / "out"
    calls: list[int] = []
    result = convert_to_pdf(
        files, out, jobs=2, start_timeout=3, timeout_per_file=1, progress=calls.append
    )
    hung = str(files[2])
    assert [str(p) for p in result.problems] == [
        f"{hung}: LibreOffice was still converting it after 4 s and was stopped, on both tries"
    ]
    assert [str(w) for w in result.warnings] == [
        f"{hung}: LibreOffice was still converting it after 6 s and was stopped; it will be "
        "tried again in a fresh LibreOffice"
    ]
    assert [p.name for p in result.written] == ["a.pdf", "b.pdf", "d.pdf", "e.pdf", "f.pdf"]
    assert sorted(p.name for p in out.iterdir()) == ["a.pdf", "b.pdf", "d.pdf", "e.pdf", "f.pdf"]
    assert all(p.read_bytes().endswith(b"%%EOF\n") for p in out.iterdir())
    assert sum(calls) == 6
    starts = (tmp_path / "starts.log").read_text().splitlines()
    assert len(starts) == 3  # two chunks, then the hung document alone
    assert starts[-1].endswith(f" {files[2].resolve()}")
    for line in starts:
        assert not _alive(int(line.split()[0]))  # the sleeping stand-ins were killed
    assert list(private_tmp.iterdir()) == []


def test_a_broken_libreoffice_stops_the_batch_with_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, private_tmp: Path
) -> None:
    _script(
        tmp_path,
        "broken",
        "#!/bin/sh\necho 'soffice.bin: cannot open display' >&2\nexit 1\n",
        monkeypatch,
    )
    files = _words(tmp_path / "in", [f"doc-{i}.docx" for i in range(9)])
    with pytest.raises(ConversionError) as raised:
        convert_to_pdf(files, tmp_path / "out", jobs=1)
    assert str(raised.value) == (
        "LibreOffice stopped 3 times in a row without making a PDF (soffice.bin: cannot open "
        "display); check that 'soffice --headless --convert-to pdf FILE' works on this machine"
    )
    assert list(private_tmp.iterdir()) == []
    assert not (tmp_path / "out").exists()


def test_interrupt_from_progress_stops_everything_and_reports_what_was_done(
    tmp_path: Path, fake_soffice: Path, private_tmp: Path
) -> None:
    files = _words(tmp_path / "in", ["a.docx", "b.docx", "c-hang.docx", "d.docx"])
    seen: list[int] = []

    def progress(n: int) -> None:
        seen.append(n)
        if sum(seen) >= 2:
            raise KeyboardInterrupt

    with pytest.raises(ConversionInterrupted) as raised:
        convert_to_pdf(files, tmp_path / "out", jobs=2, progress=progress)
    stopped = raised.value
    made = sorted((tmp_path / "out").iterdir()) if (tmp_path / "out").exists() else []
    assert stopped.result.written == made
    assert {p.name for p in stopped.not_done} == {f.name for f in files} - {
        p.stem + ".docx" for p in made
    }
    assert list(private_tmp.iterdir()) == []
    for line in (tmp_path / "starts.log").read_text().splitlines():
        assert not _alive(int(line.split()[0]))


def test_stale_workspaces_of_dead_processes_are_removed_with_their_libreoffice(
    tmp_path: Path,
) -> None:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    stale = tmp_path / f"{WORKSPACE_PREFIX}{gone.pid}-x1"
    (stale / "pdf").mkdir(parents=True)
    (stale / "pdf" / "half.pdf").write_bytes(b"%PDF-1.4")
    mine = tmp_path / f"{WORKSPACE_PREFIX}{os.getpid()}-x2"
    mine.mkdir()
    profile = f"-env:UserInstallation={stale.as_uri()}/profile-0"
    orphan = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", profile])
    while orphan.pid not in _processes_naming(str(stale)):  # until it has started
        time.sleep(0.01)
    assert remove_stale_workspaces(tmp_path) == [stale]
    assert orphan.wait(timeout=10) == -signal.SIGKILL
    assert sorted(tmp_path.iterdir()) == [mine]


@contextmanager
def _formkit_converting(
    tmp_path: Path, private_tmp: Path, fake_soffice: Path
) -> Iterator[tuple[subprocess.Popen[str], int]]:
    """``formkit convert`` in a process of its own, once its (hanging) LibreOffice runs.

    The stand-in writes its process id into a FIFO as it starts, and the test blocks reading
    it: no polling or sleeping, however loaded the machine is."""
    files = _words(tmp_path / "in", ["x-hang.docx"])
    started = tmp_path / "started.fifo"
    os.mkfifo(started)
    # Opened for reading and writing, so the open never blocks and a read never sees EOF.
    fifo = os.open(started, os.O_RDWR)
    env = {**os.environ, "TMPDIR": str(private_tmp), "PYTHONPATH": str(ROOT)}
    env["FAKE_LOG"] = str(started)
    command = [sys.executable, "-m", "formkit", "convert", str(files[0]), "--to", "pdf", "-q"]
    process = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)
    try:
        ready, _, _ = select.select([fifo], [], [], 300)
        assert ready, "the stand-in LibreOffice did not start within 300 seconds"
        yield process, int(os.read(fifo, 4096).split()[0])
    finally:
        os.close(fifo)
        if process.returncode is None:  # the test failed before it ended formkit
            process.kill()
            process.communicate()


def test_sigterm_stops_libreoffice_and_cleans_up(
    tmp_path: Path, private_tmp: Path, fake_soffice: Path
) -> None:
    with _formkit_converting(tmp_path, private_tmp, fake_soffice) as (formkit, soffice_pid):
        assert list(private_tmp.iterdir()) != []
        formkit.send_signal(signal.SIGTERM)
        _, stderr = formkit.communicate(timeout=60)
        assert formkit.returncode == 130
        assert stderr == (
            "Stopped. 0 of 1 PDF made; 1 not made yet, and nothing half-made was left behind."
            "\nRun the same command again to make the missing 1 PDF; the PDFs already made are "
            "kept.\n"
        )
    assert not _alive(soffice_pid)
    assert list(private_tmp.iterdir()) == []


def test_after_sigkill_the_next_conversion_removes_what_was_left(
    tmp_path: Path, private_tmp: Path, fake_soffice: Path
) -> None:
    with _formkit_converting(tmp_path, private_tmp, fake_soffice) as (formkit, soffice_pid):
        formkit.kill()
        formkit.communicate()
    left = list(private_tmp.iterdir())
    assert len(left) == 1 and left[0].name.startswith(WORKSPACE_PREFIX)
    assert _alive(soffice_pid)  # LibreOffice outlives a formkit killed outright...
    files = _words(tmp_path / "again", ["y.docx"])
    result = convert_to_pdf(files, tmp_path / "out")  # ...until the next conversion
    assert [p.name for p in result.written] == ["y.pdf"]
    assert not _alive(soffice_pid)
    assert list(private_tmp.iterdir()) == []


@pytest.mark.libreoffice
def test_two_jobs_make_the_same_pdfs_as_one(
    tmp_path: Path, soffice: str, pdftotext: str, private_tmp: Path
) -> None:
    words = _rendered(tmp_path / "docx", ["missing-profile", "nyas-referral"])
    one = convert_to_pdf(words, tmp_path / "one", jobs=1)
    calls: list[int] = []
    two = convert_to_pdf(words, tmp_path / "two", jobs=2, progress=calls.append)
    assert one.problems == two.problems == []
    assert [p.name for p in one.written] == [p.name for p in two.written]
    assert len(two.written) == len(words) and sum(calls) == len(words)
    for a, b in zip(one.written, two.written, strict=True):
        text = _text(pdftotext, a)
        assert _reference(a) in text
        assert text == _text(pdftotext, b)
    assert list(private_tmp.iterdir()) == []


@pytest.mark.libreoffice
def test_a_libreoffice_killed_mid_batch_costs_only_its_chunk(
    tmp_path: Path,
    soffice: str,
    pdftotext: str,
    private_tmp: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    words = _rendered(tmp_path / "docx", ["missing-profile", "nyas-referral", "ola-notification"])
    _script(tmp_path, "crashing-soffice", CRASHING_SOFFICE, monkeypatch)
    monkeypatch.setenv("REAL_SOFFICE", soffice)
    monkeypatch.setenv("CRASH_MARKER", str(tmp_path / "crashed"))
    out = tmp_path / "pdf"
    calls: list[int] = []
    result = convert_to_pdf(words, out, jobs=2, progress=calls.append)
    assert result.problems == []
    assert [p.name for p in result.written] == [w.stem + ".pdf" for w in words]
    assert sorted(p.name for p in out.iterdir()) == sorted(w.stem + ".pdf" for w in words)
    for pdf in result.written:
        assert _reference(pdf) in _text(pdftotext, pdf)  # a whole, readable PDF
    assert sum(calls) == len(words)
    (warning,) = result.warnings
    assert re.fullmatch(
        r"LibreOffice crashed \(SIGKILL\) while converting it; it( and the document after it| "
        r"and the \d+ documents after it)? will be tried again in a fresh LibreOffice",
        warning.message,
    )
    starts = (tmp_path / "starts.log").read_text().splitlines()
    assert len(starts) >= 3  # two chunks, then the crashed chunk's unfinished documents
    assert any(line.endswith(f" {Path(warning.file).resolve()}") for line in starts[2:])
    assert list(private_tmp.iterdir()) == []
    assert _processes_naming(str(private_tmp)) == []


@pytest.mark.libreoffice
def test_cli_ctrl_c_says_what_was_made_and_what_a_rerun_does(
    tmp_path: Path,
    soffice: str,
    pdftotext: str,
    private_tmp: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    words = _rendered(tmp_path / "docx", ["missing-profile", "nyas-referral"])
    out = tmp_path / "pdf"

    @contextmanager
    def interrupting_bar(
        total: int | None, label: str, *, quiet: bool
    ) -> Iterator[Callable[[int], None]]:
        seen: list[int] = []

        def progress(n: int) -> None:
            seen.append(n)
            if sum(seen) >= 2:
                raise KeyboardInterrupt

        yield progress

    monkeypatch.setattr("formkit.cli.common.progress_bar", interrupting_bar)
    result = CliRunner().invoke(
        cli, ["convert", *map(str, words), "--to", "pdf", "-o", str(out), "--jobs", "2"]
    )
    assert result.exit_code == 130
    made = sorted(out.iterdir()) if out.exists() else []
    for pdf in made:
        assert pdf.suffix == ".pdf" and _reference(pdf) in _text(pdftotext, pdf)
    missing = len(words) - len(made)
    assert result.stderr == (
        f"Stopped. {len(made)} of {plural(len(words), 'PDF')} made; {missing} not made yet, "
        "and nothing half-made was left behind.\n"
        f"Run the same command again to make the missing {plural(missing, 'PDF')}; the PDFs "
        "already made are kept.\n"
    )
    assert list(private_tmp.iterdir()) == []
    assert _processes_naming(str(private_tmp)) == []


def test_converters_held_open_serve_batch_after_batch(
    tmp_path: Path, fake_soffice: Path, private_tmp: Path
) -> None:
    from formkit.render.convert import Converter

    pool = [Converter(), Converter()]
    try:
        for batch in ("first", "second"):
            files = _words(tmp_path / batch, [f"{batch}-{i}.docx" for i in range(4)])
            result = convert_to_pdf(files, tmp_path / "out", converters=pool)
            assert [p.name for p in result.written] == [f"{batch}-{i}.pdf" for i in range(4)]
            assert all(c.workspace.is_dir() and not c.busy for c in pool)  # kept warm
        assert len((tmp_path / "starts.log").read_text().splitlines()) == 4
    finally:
        for converter in pool:
            converter.close()
    assert list(private_tmp.iterdir()) == []


def test_cli_render_pdf_interrupted_says_what_was_made(
    tmp_path: Path, fake_soffice: Path, private_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
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

    monkeypatch.setattr("formkit.cli.common.progress_bar", bar)
    files = [str(p) for p in sorted((SAMPLES / "episodes").glob("*.yaml"))[:3]]
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["render", "missing-profile", *files, "-o", str(out), "--pdf", "-q"]
    )
    assert result.exit_code == 130
    made = sorted(p.name for p in out.glob("*.pdf"))
    assert len(made) <= 1  # stopped at the first PDF
    assert result.stderr == (
        f"Stopped. 3 documents were rendered. {len(made)} of 3 PDFs made; "
        f"{3 - len(made)} not made yet, and nothing half-made was left behind.\n"
        f"Run the same command again to make the missing {plural(3 - len(made), 'PDF')}; the "
        "PDFs already made are kept.\n"
    )
    assert len(list(out.glob("*.docx"))) == 3
    # Nothing hidden is left but the manifest of what formkit made (.made-by-formkit.jsonl).
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == [".made-by-formkit.jsonl"]
    assert list(private_tmp.iterdir()) == []

"""Issue 17 target: Word → PDF on every core. ``python -m bench convert`` runs it alone.

The same 60 missing profiles (generated episodes) are converted by ``formkit convert`` with
``--jobs 1`` and with ``--jobs 2``, one after the other, each into a fresh folder (the command's
whole run is timed, Python start included). Printed: seconds per document for each, the ratio
(target: ``--jobs 2`` at most 0.65× ``--jobs 1`` on two cores), the machine's core count, and
whether pdftotext reads the same text from every PDF either way.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from bench.common import ROOT, formkit_cmd, line, run_measured, workdir

COUNT = 60
TARGET = 0.65


def _text(pdftotext: str, pdf: str) -> str:
    return subprocess.run([pdftotext, pdf, "-"], capture_output=True, text=True, check=True).stdout


def main() -> None:
    soffice = shutil.which("soffice") or os.environ.get("FORMKIT_SOFFICE")
    pdftotext = shutil.which("pdftotext")
    if not soffice or not pdftotext:
        print("  skipped: LibreOffice (soffice) and pdftotext are needed (make sysdeps)")
        return
    folder = workdir("convert")
    episodes = folder / f"episodes-{COUNT}.jsonl"
    words = folder / "docx"
    if not episodes.exists():
        from formkit.synthetic import iter_episodes

        with open(episodes, "w", encoding="utf-8") as handle:
            for record in iter_episodes(COUNT, seed=17):
                handle.write(record.model_dump_json(exclude_none=True) + "\n")
    render = run_measured(
        formkit_cmd("render", "missing-profile", str(episodes), "-o", str(words), "--force", "-q"),
        pin=False,
    )
    if render.returncode != 0:
        print(f"  rendering failed: {render.stderr[-800:]}")
        return
    documents = sorted(str(p) for p in words.glob("*.docx"))
    seconds: dict[int, float] = {}
    texts: dict[int, list[str]] = {}
    for jobs in (1, 2):
        out = folder / f"pdf-jobs-{jobs}"
        shutil.rmtree(out, ignore_errors=True)
        measured = run_measured(
            formkit_cmd(
                "convert", *documents, "--to", "pdf", "-o", str(out), "-q", "-j", str(jobs)
            ),
            pin=False,
        )
        if measured.returncode != 0:
            print(f"  formkit convert --jobs {jobs} failed: {measured.stderr[-800:]}")
            return
        seconds[jobs] = measured.seconds
        texts[jobs] = [
            _text(pdftotext, str(out / f"{os.path.basename(d)[:-5]}.pdf")) for d in documents
        ]
        line(
            f"formkit convert --jobs {jobs}, {len(documents)} documents",
            f"{measured.seconds / len(documents):.3f} s/doc",
        )
    ratio = seconds[2] / seconds[1]
    cores = os.cpu_count() or 1
    line("ratio --jobs 2 / --jobs 1", f"{ratio:.2f}x", f"<= {TARGET} on 2 cores", ratio <= TARGET)
    line("cores on this machine", f"{cores}")
    identical = texts[1] == texts[2]
    line("PDF text (pdftotext) the same either way", "identical: " + ("yes" if identical else "no"))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()

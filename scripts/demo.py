"""``make demo``: the day's main job on the bundled samples, step by step, into ``out/``.

Each step is a formkit command a business support officer could type; the demo prints it,
runs it and stops at the first failure.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


# A fixed "now" keeps the demo's deadlines and overdue flags the same whatever day it runs.
NOW = "2026-11-25T09:00"


def _shown(path: Path) -> str:
    """``path`` as the commands print it: inside the checkout relative, else as given."""
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def steps(out: Path) -> list[tuple[str, list[str]]]:
    episodes = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "samples" / "episodes").iterdir())
    o = _shown(out)
    return [
        ("Check the sample episodes", ["validate", *episodes, "samples/spreadsheets/episodes.csv"]),
        ("What is due, by when, under each protocol", ["plan", *episodes, "--now", NOW]),
        ("Save the plans as JSON (> plans.json)", ["plan", *episodes, "--now", NOW, "--json", "--quiet"]),
        ("Check the Word templates", ["templates", "lint"]),
        (
            "Every document each episode's plan calls for, as Word and PDF",
            ["pack", *episodes, "-o", f"{o}/documents", "--now", NOW,
             "--template", "missing-profile", "--template", "rhi-form", "--pdf"],
        ),
        (
            "Fillable PDF forms for partners who cannot take Word (locked)",
            ["render", "nyas-referral-pdf", *episodes, "-o", f"{o}/pdf-forms", "--flatten", "--quiet"],
        ),
        ("Read the completed return interviews back", ["parse", "samples/completed-rhi", "-o", f"{o}/parsed.jsonl"]),
        ("Create the Missing and Absent Tracker", ["tracker", "init", f"{o}/tracker.xlsx"]),
        ("Load the episodes into the tracker", ["tracker", "update", f"{o}/tracker.xlsx", *episodes, "--now", NOW]),
        ("Load the completed interviews into the tracker", ["tracker", "update", f"{o}/tracker.xlsx", f"{o}/parsed.jsonl", "--now", NOW]),
        ("Run it again: nothing changes", ["tracker", "update", f"{o}/tracker.xlsx", *episodes, f"{o}/parsed.jsonl", "--now", NOW]),
        (
            "Record the documents made in the tracker (all up to date: nothing is made again)",
            ["pack", *episodes, "-o", f"{o}/documents", "--now", NOW,
             "--template", "missing-profile", "--template", "rhi-form", "--pdf",
             "--tracker", f"{o}/tracker.xlsx"],
        ),
        ("What is overdue today, and due in the next 48 hours, from the tracker", ["today", f"{o}/tracker.xlsx", "--now", NOW]),
        ("The DfE SSDA903 missing table", ["tracker", "export", f"{o}/tracker.xlsx", "--format", "ssda903", "-o", f"{o}/ssda903-missing.csv"]),
        ("Ofsted Annex A, list 8 missing columns", ["tracker", "export", f"{o}/tracker.xlsx", "--format", "annex-a", "-o", f"{o}/annex-a-missing.csv"]),
        ("The monthly management report", ["report", f"{o}/tracker.xlsx", "--month", "2026-11", "-o", f"{o}/report", "--now", NOW]),
    ]  # fmt: skip


def serve_command(out: Path) -> list[str]:
    """``formkit serve`` on the demo's tracker, as ``make serve`` runs it (same "now")."""
    tracker = out / "tracker.xlsx"
    shown = tracker.relative_to(ROOT) if tracker.is_relative_to(ROOT) else tracker
    return ["serve", "--tracker", str(shown), "--profile", "bexley", "--now", NOW]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default="out", help="output folder (default: out)")
    args = parser.parse_args()
    out = (ROOT / args.out).resolve()
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for number, (title, command) in enumerate(steps(out), start=1):
        print(f"\n[{number}] {title}\n    $ formkit {shlex.join(command)}", flush=True)
        # A step whose title ends "(> name)" keeps its standard output in that file.
        keep = (
            title.rsplit("(> ", 1)[1].rstrip(")")
            if title.endswith(")") and "(> " in title
            else None
        )
        with open(out / keep, "w", encoding="utf-8") if keep else open(os.devnull, "w") as sink:
            result = subprocess.run(
                [sys.executable, "-m", "formkit", *command],
                cwd=ROOT,
                stdout=sink if keep else None,
            )
        if result.returncode != 0:
            print(f"\nThe demo stopped: step {number} failed (exit {result.returncode}).")
            return result.returncode
    print(f"\nDone. Everything the demo made is in {_shown(out)}/.")
    print(
        "\nThe same work in a browser, on the demo tracker: run `make serve`\n"
        f"    $ formkit {shlex.join(serve_command(out))}\n"
        "and open http://127.0.0.1:8000/ (Ctrl+C stops it)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

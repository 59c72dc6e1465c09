"""``make demo``: the day's main job on the bundled samples, step by step, into ``out/``.

Each step is a formkit command a business support officer could type; the demo prints it,
runs it and stops at the first failure.
"""

from __future__ import annotations

import argparse
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def steps(out: Path) -> list[tuple[str, list[str]]]:
    episodes = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "samples" / "episodes").iterdir())
    return [
        ("Check the sample episodes", ["validate", *episodes, "samples/spreadsheets/episodes.csv"]),
    ]


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
        result = subprocess.run([sys.executable, "-m", "formkit", *command], cwd=ROOT)
        if result.returncode != 0:
            print(f"\nThe demo stopped: step {number} failed (exit {result.returncode}).")
            return result.returncode
    print(f"\nDone. Everything the demo made is in {out.relative_to(ROOT)}/.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

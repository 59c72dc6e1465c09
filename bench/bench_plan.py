"""Issue 3 target: planning 10,000 generated episodes under 5 s on one core.

Two figures: the library alone (``plan()`` over episodes already in memory, as the tracker and
the document pack call it), and ``formkit plan`` end to end on a JSON Lines file (reading and
validating included, for comparison with the validate benchmark).
"""

from __future__ import annotations

import json

from bench.common import PYTHON, formkit_cmd, line, run_measured, workdir

COUNT = 10_000
TARGET = 5.0

# Runs in a fresh process pinned to one core: generate, then time only the planning.
PROBE = f"""
import json, time
from datetime import datetime
from formkit.model import LONDON
from formkit.protocol import plan
from formkit.synthetic import generate_episodes
episodes = generate_episodes({COUNT}, seed=1)
now = datetime(2026, 12, 1, 9, 0, tzinfo=LONDON)
plan(episodes[0], now=now)  # profiles are read once, as in any real run
start = time.perf_counter()
obligations = sum(len(plan(e, now=now).obligations) for e in episodes)
print(json.dumps([time.perf_counter() - start, obligations]))
"""


def main() -> None:
    folder = workdir("plan")
    measured = run_measured([PYTHON, "-c", PROBE])
    if measured.returncode != 0:
        raise SystemExit(f"planning failed: {measured.stderr[-800:]}")
    seconds, obligations = json.loads(measured.stdout.strip().splitlines()[-1])
    line(
        f"plan() {COUNT:,} generated episodes (one core)",
        f"{seconds:.2f} s",
        f"target < {TARGET:g} s",
        seconds < TARGET,
    )
    line("  episodes per second", f"{COUNT / seconds:,.0f}")
    line("  obligations worked out", f"{obligations:,}")
    line("  time used of the target", f"{seconds / TARGET:.0%}")

    episodes = folder / f"episodes-{COUNT}.jsonl"
    if not episodes.exists():
        run_measured(
            formkit_cmd(
                "samples", "generate", "-n", str(COUNT), "--seed", "1", "-o", str(episodes), "-q"
            )
        )
    cli = run_measured(
        formkit_cmd("plan", str(episodes), "--now", "2026-12-01T09:00", "--json", "--quiet")
    )
    if cli.returncode != 0:
        raise SystemExit(f"formkit plan failed: {cli.stderr[-800:]}")
    line(
        "formkit plan 10,000 episodes, JSONL in, JSON out",
        f"{cli.seconds:.2f} s",
        "(load included)",
    )
    line("  peak memory", f"{cli.peak_mb:.0f} MB")

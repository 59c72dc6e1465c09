"""Issue 14: the SSDA903 year, Annex A list 8 and the monthly report over a large tracker.

Rows of 20,000 generated episodes are made in memory with the tracker's own row builders (as
``tracker update`` writes them; reading the workbook is measured by the tracker benchmark), then
each export and the report's figures are timed on one core.
"""

from __future__ import annotations

import json

from bench.common import PYTHON, line, run_measured

COUNT = 20_000

PROBE = f"""
import json, time
from datetime import datetime
from formkit.model import LONDON
from formkit.synthetic import iter_episodes
from formkit.tracker.export import annex_a_rows, collection_year, export_ssda903
from formkit.tracker.report import compute
from formkit.tracker.rows import episode_values, interview_values, merge
now = datetime(2026, 11, 20, 12, 0, tzinfo=LONDON)
rows = [merge({{}}, episode_values(r, now=now), interview_values(r.return_interview))
        for r in iter_episodes({COUNT}, seed=2026)]
times = {{}}
start = time.perf_counter()
ssda = export_ssda903(rows, year=collection_year("2026-27"))
times["ssda903"] = [time.perf_counter() - start, len(ssda.splitlines()) - 1]
start = time.perf_counter()
annex = annex_a_rows(rows, as_at=now)
times["annex-a"] = [time.perf_counter() - start, len(annex)]
start = time.perf_counter()
figures = compute(rows, "2026-10", now=now)
times["report"] = [time.perf_counter() - start, dict(figures.figures)["Missing episodes"]]
print(json.dumps(times))
"""


def main() -> None:
    measured = run_measured([PYTHON, "-c", PROBE])
    if measured.returncode != 0:
        raise SystemExit(f"exports failed: {measured.stderr[-800:]}")
    times = json.loads(measured.stdout.strip().splitlines()[-1])
    seconds, count = times["ssda903"]
    line(
        f"SSDA903 year from {COUNT:,} tracker rows (one core)",
        f"{seconds:.2f} s",
        f"{count:,} rows",
    )
    seconds, count = times["annex-a"]
    line(f"Annex A list 8 from {COUNT:,} rows", f"{seconds:.2f} s", f"{count:,} children")
    seconds, count = times["report"]
    line(f"report figures for a month, {COUNT:,} rows", f"{seconds:.2f} s", f"{count:,} episodes")
    line("  peak memory (rows built included)", f"{measured.peak_mb:.0f} MB")

"""Word rendering speed: formkit's compiled engine against a plain docxtpl loop, and packs.

Figures: the missing profile rendered for the same generated episodes by a plain docxtpl loop
(``DocxTemplate(path)`` → ``render`` → ``save`` per record, the usual way) and by
``WordTemplate`` (compiled once), both on one core; ``formkit pack`` for 1,000 generated
episodes; and peak memory of ``formkit render`` for 10,000 episodes, which must stay flat.
"""

from __future__ import annotations

import io
import json
import os
import sys
import time

from bench.common import ROOT, formkit_cmd, line, run_measured, workdir

COUNT_DOCXTPL = 100
COUNT_ENGINE = 1000
PACK_COUNT = 1000
MEMORY_COUNT = 10_000
NOW = "2026-11-25T09:00"


def _write_episodes(path: str, count: int) -> None:
    from formkit.synthetic import iter_episodes

    with open(path, "w", encoding="utf-8") as handle:
        for record in iter_episodes(count, seed=4):
            handle.write(record.model_dump_json(exclude_none=True) + "\n")


def _compare_in_process() -> None:
    """Run inside a process pinned to one core (see main)."""
    from datetime import datetime

    from docxtpl import DocxTemplate

    from formkit.model.values import LONDON
    from formkit.render.catalog import Catalog
    from formkit.render.context import build_context
    from formkit.render.docx import WordTemplate
    from formkit.render.environment import make_environment
    from formkit.synthetic import generate_episodes

    path = Catalog.load().get("missing-profile").path
    now = datetime(2026, 11, 25, 9, 0, tzinfo=LONDON)
    records = generate_episodes(COUNT_ENGINE, seed=4)
    # The same context (plan included) for both, built before the clock starts for both.
    env = make_environment()  # the same filters, sandbox and autoescape for both
    contexts = [build_context(r, now=now) for r in records[:COUNT_DOCXTPL]]
    start = time.perf_counter()
    for context in contexts:
        template = DocxTemplate(str(path))
        template.render(context, jinja_env=env)
        template.save(io.BytesIO())
    docxtpl_rate = COUNT_DOCXTPL / (time.perf_counter() - start)
    start = time.perf_counter()
    engine = WordTemplate(path, name="missing-profile")
    for record in records:
        engine.render(record, now=now)
    engine_rate = COUNT_ENGINE / (time.perf_counter() - start)
    print(json.dumps({"docxtpl": docxtpl_rate, "engine": engine_rate}))


def main() -> None:
    folder = workdir("render")
    episodes = str(folder / "episodes-1000.jsonl")
    big = str(folder / "episodes-10000.jsonl")
    if not os.path.exists(episodes):
        _write_episodes(episodes, PACK_COUNT)
    if not os.path.exists(big):
        _write_episodes(big, MEMORY_COUNT)

    measured = run_measured(
        [sys.executable, "-c", "from bench.bench_render import _compare_in_process as f; f()"]
    )
    if measured.returncode != 0:
        print(measured.stderr)
        return
    rates = json.loads(measured.stdout.strip().splitlines()[-1])
    ratio = rates["engine"] / rates["docxtpl"]
    line("docxtpl loop, missing-profile (one core)", f"{rates['docxtpl']:.1f} docs/s")
    line(
        "formkit engine, missing-profile (one core)",
        f"{rates['engine']:.1f} docs/s",
        ">= 100",
        rates["engine"] >= 100,
    )
    line("ratio engine / docxtpl", f"{ratio:.1f}x", ">= 10x", ratio >= 10)

    out = folder / "pack"
    pack = run_measured(
        formkit_cmd("pack", episodes, "-o", str(out), "--force", "--quiet", "--now", NOW)
    )
    written = len(list(out.iterdir())) if out.exists() else 0
    line(
        f"formkit pack, {PACK_COUNT} episodes ({written} documents)",
        f"{pack.seconds:.1f} s",
        "< 60 s",
        pack.returncode == 0 and pack.seconds < 60,
    )

    out_big = folder / "render-10000"
    render = run_measured(
        formkit_cmd("render", "missing-profile", big, "-o", str(out_big), "--force", "--quiet")
    )
    line(
        f"formkit render, {MEMORY_COUNT} episodes, peak memory",
        f"{render.peak_mb:.0f} MB",
        "< 400 MB",
        render.returncode == 0 and render.peak_mb < 400,
    )
    line(f"formkit render, {MEMORY_COUNT} episodes, time", f"{render.seconds:.1f} s")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()

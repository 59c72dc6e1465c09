"""Issue 7 target: ``formkit tracker update`` of a 20,000-row tracker with 1,000 episodes (500
changed, 500 new) in one run under 30 s on one core, peak memory under 1 GB."""

from __future__ import annotations

import json
import shutil

from bench.common import formkit_cmd, line, run_measured, workdir

ROWS = 20_000
EPISODES = 1_000
NOW = "2026-11-20T12:00"


def _jsonl(path, start: int, stop: int, seed: int) -> None:  # type: ignore[no-untyped-def]
    from formkit.synthetic import episode_data

    with path.open("w", encoding="utf-8") as handle:
        for index in range(start, stop):
            handle.write(json.dumps(episode_data(index, seed=seed), default=str) + "\n")


def main() -> None:
    folder = workdir("tracker")
    base = folder / f"tracker-{ROWS}.xlsx"
    existing = folder / f"episodes-{ROWS}.jsonl"
    if not base.exists():
        _jsonl(existing, 0, ROWS, seed=1)
        base.unlink(missing_ok=True)
        made = run_measured(formkit_cmd("tracker", "init", str(base)))
        made = run_measured(
            formkit_cmd("tracker", "update", str(base), str(existing), "-q", "--now", NOW)
        )
        if made.returncode != 0:
            raise SystemExit(f"building the tracker failed: {made.stderr[-500:]}")
        line(f"build a {ROWS:,}-row tracker", f"{made.seconds:.2f} s")
    # Half of the batch changes existing rows (same episodes, a later 'now' after a return
    # interview), half are new references.
    batch = folder / f"batch-{EPISODES}.jsonl"
    with batch.open("w", encoding="utf-8") as handle:
        from formkit.synthetic import episode_data

        for index in range(ROWS - EPISODES // 2, ROWS):
            data = episode_data(index, seed=1)
            data["episode"]["where_found"] = f"Updated location {index}"  # type: ignore[index]
            handle.write(json.dumps(data, default=str) + "\n")
        for index in range(ROWS, ROWS + EPISODES // 2):
            handle.write(json.dumps(episode_data(index, seed=1), default=str) + "\n")
    work = folder / "work.xlsx"
    shutil.copy(base, work)
    shutil.rmtree(folder / "work-backups", ignore_errors=True)
    cmd = formkit_cmd("tracker", "update", str(work), str(batch), "--now", NOW)
    measured = run_measured(cmd)
    if measured.returncode != 0:
        raise SystemExit(f"update failed: {measured.stderr[-800:]}")
    summary = measured.stderr.strip().splitlines()[-1] if measured.stderr.strip() else ""
    line(
        f"update {ROWS:,}-row tracker with {EPISODES:,} episodes",
        f"{measured.seconds:.2f} s",
        "target < 30 s",
        measured.seconds < 30,
    )
    print(f"  {summary}")
    line("  peak memory", f"{measured.peak_mb:.0f} MB", "target < 1 GB", measured.peak_mb < 1024)
    line("  time used of the target", f"{measured.seconds / 30:.0%}")
    again = run_measured(cmd)
    line("  same batch again (idempotent, nothing saved)", f"{again.seconds:.2f} s")
    today = run_measured(formkit_cmd("today", str(work), "--now", NOW, "--json"))
    if today.returncode not in (0, 1):
        raise SystemExit(f"today failed: {today.stderr[-800:]}")
    line(f"formkit today on the {ROWS + EPISODES // 2:,}-row tracker", f"{today.seconds:.2f} s")
    line("  peak memory", f"{today.peak_mb:.0f} MB")
    # Reading every row (the reader that copes with other tools' cells): the CSV export.
    export = run_measured(formkit_cmd("tracker", "export", str(work), "-o", str(folder / "x.csv")))
    if export.returncode != 0:
        raise SystemExit(f"export failed: {export.stderr[-800:]}")
    line(f"export the {ROWS + EPISODES // 2:,}-row tracker as CSV", f"{export.seconds:.2f} s")
    line("  peak memory", f"{export.peak_mb:.0f} MB")

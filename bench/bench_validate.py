"""Issue 2 target: ``formkit validate`` on 10,000 generated episodes (JSON Lines) under 10 s on
one core, peak memory under 300 MB."""

from __future__ import annotations

from bench.common import formkit_cmd, line, run_measured, workdir

COUNT = 10_000


def main() -> None:
    folder = workdir("validate")
    episodes = folder / f"episodes-{COUNT}.jsonl"
    if not episodes.exists():
        made = run_measured(
            formkit_cmd(
                "samples", "generate", "-n", str(COUNT), "--seed", "1", "-o", str(episodes), "-q"
            )
        )
        line("generate 10,000 episodes", f"{made.seconds:.2f} s")
    size_mb = episodes.stat().st_size / 1024 / 1024
    measured = run_measured(formkit_cmd("validate", str(episodes), "--quiet"))
    if measured.returncode != 0:
        raise SystemExit(f"validate failed: {measured.stdout[-500:]} {measured.stderr[-500:]}")
    rate = COUNT / measured.seconds
    line(
        f"validate {COUNT:,} episodes ({size_mb:.0f} MB JSONL)",
        f"{measured.seconds:.2f} s",
        "target < 10 s",
        measured.seconds < 10,
    )
    line("  episodes per second", f"{rate:,.0f}")
    line("  peak memory", f"{measured.peak_mb:.0f} MB", "target < 300 MB", measured.peak_mb < 300)
    line("  time used of the target", f"{measured.seconds / 10:.0%}")

"""Issue 6 target: ``formkit parse`` reads 1,000 completed RHI forms at 50 forms/s or more on
one core (process start-up included)."""

from __future__ import annotations

import sys

from bench.common import ROOT, formkit_cmd, line, run_measured, timed, workdir

COUNT = 1_000
TARGET = 50.0


def _make_forms(folder) -> None:  # type: ignore[no-untyped-def]
    # The tests' form filler (tests/support/fill.py, not part of formkit), as the tests use it.
    sys.path.insert(0, str(ROOT / "tests"))
    from parse_forms import completed_rhi

    from formkit.synthetic import generate_episodes

    for number, record in enumerate(generate_episodes(COUNT, seed=6)):
        (folder / f"{number:04d}-{record.reference}.docx").write_bytes(completed_rhi(record))


def main() -> None:
    folder = workdir("parse")
    forms = folder / "forms"
    if not forms.is_dir() or len(list(forms.glob("*.docx"))) != COUNT:
        forms.mkdir(exist_ok=True)
        for old in forms.glob("*.docx"):
            old.unlink()
        seconds, _ = timed(_make_forms, forms)
        line(f"render and fill {COUNT:,} RHI forms", f"{seconds:.2f} s")
    out = folder / "parsed.jsonl"
    measured = run_measured(formkit_cmd("parse", str(forms), "-o", str(out), "--quiet"))
    if measured.returncode != 0:
        raise SystemExit(f"parse failed: {measured.stderr[-800:]}")
    rate = COUNT / measured.seconds
    line(f"parse {COUNT:,} completed RHI forms", f"{measured.seconds:.2f} s")
    line("  forms per second (one core)", f"{rate:,.0f}", f"target >= {TARGET:.0f}", rate >= TARGET)
    line("  peak memory", f"{measured.peak_mb:.0f} MB")
    line("  ratio to target", f"{rate / TARGET:.1f}x")

"""Issue 5 target: filling the NYAS referral PDF for 1,000 episodes at 50 forms/s or more, one core.

Figures: the library alone (``PdfTemplate.render`` over generated episodes already in memory),
the same with ``flatten=True``, and the other two templates for comparison; plus the average
size of a filled referral and the time to read one back with ``read_pdf_form`` (which runs in a
worker process with a time limit).
"""

from __future__ import annotations

import json

from bench.common import PYTHON, line, run_measured, workdir

COUNT = 1_000
TARGET = 50.0

PROBE = f"""
import json, time, tempfile, pathlib
from formkit.pdf import PdfTemplate, read_pdf_form
from formkit.resources import bundled
from formkit.synthetic import generate_episodes
episodes = generate_episodes({COUNT}, seed=5)
out = {{}}
for name in ("nyas-referral", "rhi-form", "missing-profile"):
    start = time.perf_counter()
    template = PdfTemplate(bundled("templates", "pdf", f"{{name}}.pdf"))
    prepare = time.perf_counter() - start
    template.render(episodes[0])  # the font is parsed once per process
    start = time.perf_counter()
    sizes = [len(template.render(e)) for e in episodes]
    out[name] = [time.perf_counter() - start, sum(sizes) / len(sizes), prepare]
template = PdfTemplate(bundled("templates", "pdf", "nyas-referral.pdf"))
start = time.perf_counter()
for e in episodes[:200]:
    template.render(e, flatten=True)
out["flatten"] = (time.perf_counter() - start) / 200
path = pathlib.Path(tempfile.mkdtemp()) / "one.pdf"
path.write_bytes(template.render(episodes[0]))
start = time.perf_counter()
for _ in range(20):
    read_pdf_form(path)
out["read"] = (time.perf_counter() - start) / 20
print(json.dumps(out))
"""


def main() -> None:
    workdir("pdf")
    measured = run_measured([PYTHON, "-c", PROBE])
    if measured.returncode != 0:
        raise SystemExit(f"PDF filling failed: {measured.stderr[-800:]}")
    out = json.loads(measured.stdout.strip().splitlines()[-1])
    seconds, size, prepare = out["nyas-referral"]
    rate = COUNT / seconds
    line(
        f"fill nyas-referral.pdf for {COUNT:,} episodes (one core)",
        f"{rate:,.0f} forms/s",
        f"target >= {TARGET:g}/s",
        rate >= TARGET,
    )
    line("  total time", f"{seconds:.2f} s")
    line("  ratio to target", f"{rate / TARGET:.1f}x")
    line("  average filled referral", f"{size / 1024:.0f} KB")
    line("  template prepared once in", f"{prepare * 1000:.0f} ms")
    for name in ("rhi-form", "missing-profile"):
        other_seconds, other_size, _ = out[name]
        line(f"fill {name}.pdf, {COUNT:,} episodes", f"{COUNT / other_seconds:,.0f} forms/s")
    line("fill + flatten nyas-referral (200 episodes)", f"{1 / out['flatten']:,.0f} forms/s")
    line("read_pdf_form one referral (worker process)", f"{out['read'] * 1000:.0f} ms")
    line("  peak memory", f"{measured.peak_mb:.0f} MB")

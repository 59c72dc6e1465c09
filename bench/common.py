"""Helpers for the benchmarks: run a command pinned to one core and read its time and memory."""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


@dataclass
class Measured:
    seconds: float
    peak_mb: float
    stdout: str
    stderr: str
    returncode: int


def one_core(cmd: list[str]) -> list[str]:
    """Pin a command to one CPU core when ``taskset`` is available (targets say 'on one core')."""
    if shutil.which("taskset"):
        return ["taskset", "-c", "0", *cmd]
    return cmd


def run_measured(cmd: list[str], *, cwd: Path | None = None, pin: bool = True) -> Measured:
    """Run ``cmd`` in a fresh process; wall time and that process tree's peak RSS.

    Each call runs in its own helper process so ``RUSAGE_CHILDREN`` covers only ``cmd``.
    """
    full = one_core(cmd) if pin else cmd
    probe = (
        "import resource,subprocess,sys,time,json;"
        "t=time.perf_counter();p=subprocess.run(sys.argv[1:],capture_output=True,text=True);"
        "d=time.perf_counter()-t;r=resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss;"
        "print(json.dumps([d,r/1024,p.stdout[-4000:],p.stderr[-4000:],p.returncode]))"
    )
    out = subprocess.run(
        [PYTHON, "-c", probe, *full], capture_output=True, text=True, cwd=cwd or ROOT, check=True
    )
    import json

    seconds, peak, stdout, stderr, code = json.loads(out.stdout)
    return Measured(seconds, peak, stdout, stderr, code)


def formkit_cmd(*args: str) -> list[str]:
    return [PYTHON, "-m", "formkit", *args]


def timed(fn, *args, **kwargs) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - start, result


def peak_rss_mb() -> float:
    """This process's own peak RSS so far."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def line(label: str, value: str, target: str = "", ok: bool | None = None) -> None:
    mark = "" if ok is None else ("  PASS" if ok else "  MISS")
    print(f"  {label:<52} {value:>16}  {target}{mark}", flush=True)


def workdir(name: str) -> Path:
    path = ROOT / "out" / "bench" / name
    path.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("FORMKIT_BENCH", "1")
    return path

"""Start-up: ``formkit --help`` and ``import formkit.model`` on one core, best of 10 runs each,
beside a bare ``python -c pass`` (the floor nothing in formkit can go under).

Targets: ``formkit --help`` under 150 ms (issue 11); ``import formkit.model`` loads no lxml,
openpyxl, jinja2, python-docx (tests/test_startup.py checks that as a fact).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from bench.common import PYTHON, line, one_core, run_measured

RUNS = 10
TARGET_HELP_MS = 150.0


def _best_ms(cmd: list[str]) -> float:
    times = []
    for _ in range(RUNS):
        measured = run_measured(cmd)
        assert measured.returncode == 0, measured.stderr
        times.append(measured.seconds)
    return min(times) * 1000


def _import_ms(module: str) -> float:
    """``module``'s cumulative import time by ``python -X importtime`` (best of RUNS), in ms."""
    best = float("inf")
    for _ in range(RUNS):
        done = subprocess.run(
            one_core([PYTHON, "-X", "importtime", "-c", f"import {module}"]),
            capture_output=True,
            text=True,
            check=True,
        )
        for row in done.stderr.splitlines():
            parts = [p.strip() for p in row.removeprefix("import time:").split("|")]
            if len(parts) == 3 and parts[2] == module:
                best = min(best, int(parts[1]) / 1000)
    return best


def main() -> None:
    script = Path(PYTHON).with_name("formkit")
    help_cmd = [str(script), "--help"] if script.exists() else [PYTHON, "-m", "formkit", "--help"]
    floor = _best_ms([PYTHON, "-c", "pass"])
    line("python -c pass (the floor), one core", f"{floor:.0f} ms")
    model = _best_ms([PYTHON, "-c", "import formkit.model"])
    line("import formkit.model, one core", f"{model:.0f} ms")
    line("  of which importing it (python -X importtime)", f"{_import_ms('formkit.model'):.0f} ms")
    shown = _best_ms(help_cmd)
    line(
        "formkit --help, one core (best of 10)",
        f"{shown:.0f} ms",
        f"< {TARGET_HELP_MS:.0f} ms",
        shown < TARGET_HELP_MS,
    )
    line("  of which importing formkit.cli (and click)", f"{_import_ms('formkit.cli'):.0f} ms")


if __name__ == "__main__":
    main()

"""Make ``samples/completed-rhi/``: completed return interview forms for ``make demo``.

For each sample episode whose return interview says anything (offered, declined, held), render the blank ``rhi-form`` and fill its
controls as the interviewer would (``formkit.parse.fill``); add one Barnardo's-style form without
formkit's tags (built like the one in ``tests/test_parse_barnardos.py``). Invented people only.

    python scripts/make_completed_rhis.py [--out samples/completed-rhi]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from parse_forms import completed_rhi  # noqa: E402
from test_parse_barnardos import barnardos_form  # noqa: E402

from formkit.load import load_episodes  # noqa: E402
from formkit.model import ReturnInterview  # noqa: E402

# Barnardo's returned this episode's interview on their own form (barnardos-style-rhi.docx),
# so it gets no formkit form: one completed interview per episode, as in real life.
ON_BARNARDOS_FORM = "BK-MIS-26-1122"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "samples" / "completed-rhi")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    made = 0
    for file in sorted((ROOT / "samples" / "episodes").iterdir()):
        for record in load_episodes(file):
            if (
                record.return_interview == ReturnInterview()
                or record.reference == ON_BARNARDOS_FORM
            ):
                continue
            target = args.out / f"{record.reference}-rhi-completed.docx"
            target.write_bytes(completed_rhi(record))
            made += 1
    barnardos_form(args.out / "barnardos-style-rhi.docx")
    print(f"wrote {made + 1} completed forms to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()

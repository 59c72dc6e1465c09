"""Build the fillable PDF templates in formkit/templates/pdf/ from formkit/pdf/layouts/*.yaml.

    python scripts/build_pdf_templates.py            # rebuild all
    python scripts/build_pdf_templates.py --check    # exit 1 if a committed PDF is out of date

The output is byte-for-byte reproducible, so --check can run in CI.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from formkit.pdf.build import build_form
from formkit.pdf.layout import layout_names, load_layout

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "formkit" / "templates" / "pdf"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args(argv)
    stale = []
    for name in layout_names():
        data = build_form(load_layout(name))
        target = OUT / f"{name}.pdf"
        if args.check:
            if not target.is_file() or target.read_bytes() != data:
                stale.append(target.name)
            continue
        OUT.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        print(f"wrote {target.relative_to(ROOT)} ({len(data) // 1024} KB)")
    if stale:
        print(f"out of date: {', '.join(stale)}; run python scripts/build_pdf_templates.py")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

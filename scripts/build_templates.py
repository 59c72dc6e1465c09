"""Build formkit's Word templates in ``formkit/templates/`` from the outlines in this folder.

Run ``python scripts/build_templates.py`` after changing an outline; commit the script and the
.docx files it writes. The output is byte-for-byte reproducible. A template edited by hand in
Word keeps working: formkit reads whatever .docx is in ``formkit/templates/`` (run ``formkit templates
lint`` after editing one).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT)]

import build_letters  # noqa: E402
import build_meetings  # noqa: E402
import build_rhi_form  # noqa: E402
from docx.document import Document  # noqa: E402
from template_parts import save_reproducibly  # noqa: E402

BUILDERS: dict[str, Callable[[], Document]] = {
    "rhi-form": build_rhi_form.build,
    **build_letters.BUILDERS,
    **build_meetings.BUILDERS,
}


def main(argv: list[str]) -> int:
    out = ROOT / "formkit" / "templates"
    chosen = argv or list(BUILDERS)
    for template_id in chosen:
        save_reproducibly(BUILDERS[template_id](), out / f"{template_id}.docx")
        print(f"wrote formkit/templates/{template_id}.docx")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

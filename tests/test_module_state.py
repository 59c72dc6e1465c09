"""Safe to embed: formkit keeps no state in module globals, so a long-running process (the
browser app, a notebook) that renders batch after batch sees a template edited between them,
and two batches never share a half-made cache."""

from __future__ import annotations

import ast
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import docx
from conftest import SAMPLES

import formkit
from formkit.limits import Messages, run_limited
from formkit.model.values import LONDON
from formkit.render.catalog import bundled_templates
from formkit.render.pack import render_files

PACKAGE = Path(formkit.__file__).resolve().parent
EPISODE = SAMPLES / "episodes" / "bexley-still-missing.yaml"
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=LONDON)


def _text(path: Path) -> str:
    document = docx.Document(str(path))
    return "\n".join(
        [p.text for p in document.paragraphs]
        + [c.text for t in document.tables for r in t.rows for c in r.cells]
    )


def test_no_module_rebinds_a_global() -> None:
    found = []
    for file in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Global):
                found.append(f"{file.relative_to(PACKAGE)}:{node.lineno} global {node.names}")
    assert not found, found


def test_a_template_edited_between_two_batches_is_read_again(tmp_path: Path) -> None:
    own = tmp_path / "our-templates"
    shutil.copytree(bundled_templates(), own)
    first = render_files(
        [EPISODE], tmp_path / "first", templates=["missing-profile"], now=NOW, catalog_dir=own
    )
    assert not first.problems
    (made,) = first.written
    assert "Reviewed by the Bexley duty desk" not in _text(made)

    template = own / "missing-profile.docx"
    edited = docx.Document(str(template))
    edited.add_paragraph("Reviewed by the Bexley duty desk")
    edited.save(str(template))

    second = render_files(
        [EPISODE], tmp_path / "second", templates=["missing-profile"], now=NOW, catalog_dir=own
    )
    assert not second.problems
    (again,) = second.written
    assert "Reviewed by the Bexley duty desk" in _text(again)
    assert "Reviewed by the Bexley duty desk" not in _text(made)


def echo(value: str, pause: float) -> str:
    time.sleep(pause)
    return value


def test_threads_sharing_the_process_worker_each_get_their_own_answer() -> None:
    # The browser app runs jobs in threads; each reads forms through this process's worker.
    asked = [(f"form-{n}", (n % 3) / 100) for n in range(24)]
    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(
            pool.map(
                lambda a: run_limited(echo, a, file=f"{a[0]}.docx", messages=Messages()), asked
            )
        )
    assert answers == [value for value, _ in asked]

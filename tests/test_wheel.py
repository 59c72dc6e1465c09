"""The built wheel works on its own: build it, install it in a fresh venv outside the checkout, and
run that venv's ``formkit pack`` and ``formkit parse`` from a folder that is not the checkout."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
EPISODE = ROOT / "samples" / "episodes" / "bexley-nyas-independent.yaml"
FORM = ROOT / "samples" / "completed-rhi" / "BX-2026-0398-rhi-completed.docx"

pytestmark = pytest.mark.slow


def _run(cmd: list[str | Path], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FORMKIT_", "PYTHON"))}
    done = subprocess.run(
        [str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, f"{cmd} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv, outside the checkout, with only the built wheel (and its dependencies)."""
    base = tmp_path_factory.mktemp("wheel")
    # Build from a clean copy of the sources, so nothing left in build/ can slip into the wheel.
    source = base / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(
        ROOT / "formkit", source / "formkit", ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
    )
    dist = base / "dist"
    _run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", dist, source],
        cwd=base,
    )
    (wheel,) = dist.glob("formkit-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    # Every file of the package ships: templates, profiles, layouts, mappings, web assets.
    shipped = {
        file.relative_to(source).as_posix()
        for file in (source / "formkit").rglob("*")
        if file.is_file()
    }
    assert shipped - names == set()
    assert "formkit/templates/catalog.yaml" in names
    assert not any(name.startswith(("tests/", "templates/", "scripts/")) for name in names)

    venv = base / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv], cwd=base)
    python = venv / "bin" / "python"
    # The dev venv's pip installs into the new venv (quicker than bootstrapping pip there).
    _run(
        [sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-compile", wheel],
        cwd=base,
    )
    where = _run([python, "-c", "import formkit; print(formkit.__file__)"], cwd=base)
    assert Path(where.stdout.strip()).is_relative_to(venv)
    # docxtpl is only for the benchmark (dev extras), so a user's install does not get it.
    spec = _run([python, "-c", "import importlib.util as u; print(u.find_spec('docxtpl'))"], base)
    assert spec.stdout.strip() == "None"
    return venv


def _with_key(node: Any, key: str) -> dict[str, Any]:
    """The first mapping in ``node`` (depth first) that has ``key``."""
    if isinstance(node, dict):
        if key in node:
            return node
        children = list(node.values())
    elif isinstance(node, list):
        children = node
    else:
        children = []
    for child in children:
        found = _with_key(child, key)
        if found:
            return found
    return {}


def test_the_installed_wheel_packs_and_parses(installed: Path, tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    shutil.copy(EPISODE, work / EPISODE.name)
    shutil.copy(FORM, work / FORM.name)
    formkit = installed / "bin" / "formkit"
    episode = yaml.safe_load(EPISODE.read_text(encoding="utf-8"))
    child = episode["child"]

    packed = _run(
        [formkit, "pack", EPISODE.name, "-o", "out", "--now", "2026-11-25T09:00", "--json", "-q"],
        cwd=work,
    )
    written = json.loads(packed.stdout)["written"]
    assert "out/BX-2026-0398-missing-profile.docx" in written
    assert "out/BX-2026-0398-rhi-form.docx" in written
    for name in written:
        document = docx.Document(str(work / name))
        text = "\n".join(
            [p.text for p in document.paragraphs]
            + [c.text for t in document.tables for r in t.rows for c in r.cells]
        )
        assert child["first_name"] in text and child["last_name"] in text, name

    parsed = json.loads(_run([formkit, "parse", FORM.name, "--json"], cwd=work).stdout)
    data = _with_key(parsed, "return_interview")
    assert data["child"]["first_name"] == child["first_name"]
    assert data["child"]["last_name"] == child["last_name"]
    assert data["episode"]["reference"] == episode["episode"]["reference"]
    assert data["return_interview"]["service"] == "nyas"
    # The installed copy reads the form exactly as the checkout does.
    here = [sys.executable, "-m", "formkit", "parse", FORM.name, "--json"]
    assert _with_key(json.loads(_run(here, cwd=work).stdout), "return_interview") == data

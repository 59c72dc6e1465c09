"""Data formkit ships (templates, profiles, layouts, mappings) lives inside the package and is
found with importlib.resources; a council's own template folder still overrides it."""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

import formkit
from formkit.parse.labels import load_mapping
from formkit.pdf.layout import layout_names, load_layout
from formkit.protocol.profile import bundled_profiles, load_profile
from formkit.render.catalog import Catalog, bundled_templates, templates_dir
from formkit.resources import bundled

PACKAGE = Path(formkit.__file__).resolve().parent
ROOT = PACKAGE.parent
TESTS = ROOT / "tests"


def test_the_shipped_catalogue_is_inside_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FORMKIT_TEMPLATES", raising=False)
    catalog = Catalog.load()
    assert catalog.file == PACKAGE / "templates" / "catalog.yaml"
    assert templates_dir() == bundled_templates() == PACKAGE / "templates"
    for entry in catalog:
        assert entry.path.is_file(), entry.id
        assert entry.path.is_relative_to(PACKAGE)
    assert {"rhi-form", "missing-profile", "nyas-referral-pdf"} <= set(catalog.entries)


def test_profiles_layouts_and_mappings_are_read_from_the_package() -> None:
    assert bundled("protocol", "profiles", "bexley.yaml").is_file()
    assert "bexley" in bundled_profiles()
    assert load_profile("bexley").path == str(PACKAGE / "protocol" / "profiles" / "bexley.yaml")
    assert set(layout_names()) == {"missing-profile", "nyas-referral", "rhi-form"}
    assert load_layout("rhi-form").title
    assert load_mapping("barnardos-rhi").name == "barnardos-rhi"


def test_a_councils_own_folder_overrides_the_shipped_templates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    own = tmp_path / "our-templates"
    shutil.copytree(bundled_templates(), own)
    catalogue = own / "catalog.yaml"
    data = yaml.safe_load(catalogue.read_text(encoding="utf-8"))
    data["templates"] = [t for t in data["templates"] if t["id"] == "missing-profile"]
    data["templates"][0]["title"] = "Our missing profile"
    catalogue.write_text(yaml.safe_dump(data), encoding="utf-8")

    assert [e.title for e in Catalog.load(own)] == ["Our missing profile"]
    monkeypatch.setenv("FORMKIT_TEMPLATES", str(own))
    loaded = Catalog.load()
    assert loaded.file == catalogue
    assert [(e.id, e.path) for e in loaded] == [("missing-profile", own / "missing-profile.docx")]


def test_data_is_found_when_formkit_is_imported_from_a_zip(tmp_path: Path) -> None:
    archive = tmp_path / "formkit.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for file in sorted(PACKAGE.rglob("*")):
            if file.is_file() and "__pycache__" not in file.parts:
                zipped.write(file, Path("formkit") / file.relative_to(PACKAGE))
    probe = (
        "import json, sys; sys.path.insert(0, sys.argv[1]);"
        "import formkit; from formkit.render.catalog import Catalog;"
        "c = Catalog.load(); e = c.get('rhi-form');"
        "print(json.dumps([formkit.__file__, str(c.file), e.path.read_bytes()[:2].decode()]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(archive)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    where, catalogue, magic = json.loads(done.stdout)
    assert where.startswith(str(archive))
    assert Path(catalogue).name == "catalog.yaml" and not Path(catalogue).is_relative_to(PACKAGE)
    assert magic == "PK"  # a real .docx (zip) copied out of the archive
    assert not Path(catalogue).exists()  # the copy is removed when the process ends


def _imported(file: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
    return found


def test_test_support_is_not_in_the_package_and_scripts_do_not_use_it() -> None:
    test_modules = {p.stem for p in TESTS.glob("*.py")} | {
        p.name for p in TESTS.iterdir() if p.is_dir() and (p / "__init__.py").exists()
    }
    assert "support" in test_modules and "parse_forms" in test_modules
    for file in [*PACKAGE.rglob("*.py"), *(ROOT / "scripts").glob("*.py")]:
        used = _imported(file) & test_modules
        assert not used, f"{file.relative_to(ROOT)} imports test code: {sorted(used)}"
        assert '"tests"' not in file.read_text(encoding="utf-8"), file.relative_to(ROOT)
    assert not (PACKAGE / "parse" / "fill.py").exists()

"""Data formkit ships inside its package (templates, profiles, PDF layouts, label mappings,
wordings), found with :mod:`importlib.resources` so an installed wheel finds it wherever it lives.

``bundled("templates", "rhi-form.docx")`` is the real path of a shipped file or folder. Installed
normally (a wheel or ``pip install -e``) that is the file itself; imported from a zip archive the
folder is copied once into a temporary folder, removed when the process ends.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path


def bundled(*parts: str) -> Path:
    """The path of the shipped file or folder ``parts`` (relative to the formkit package)."""
    return _root().joinpath(*parts)


@cache
def _root() -> Path:
    package = files("formkit")
    if isinstance(package, Path):
        return package
    target = Path(tempfile.mkdtemp(prefix="formkit-data-")) / "formkit"
    atexit.register(shutil.rmtree, target.parent, True)
    _copy(package, target)
    return target


def _copy(resource: Traversable, target: Path) -> None:
    if resource.is_dir():
        target.mkdir()
        for child in resource.iterdir():
            if child.name != "__pycache__" and not child.name.endswith((".py", ".pyc")):
                _copy(child, target / child.name)
    else:
        target.write_bytes(resource.read_bytes())

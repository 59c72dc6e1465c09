"""Package namespaces whose names are imported when first used (PEP 562), so that importing
a package (``formkit``, ``formkit.render``) costs nothing until one of its functions is needed.

    _PUBLIC = {"render_files": "formkit.render.pack", ...}
    __getattr__, __dir__ = lazy_names(__name__, _PUBLIC)

Each package also imports the same names under ``if TYPE_CHECKING:`` for type checkers, and
lists them in ``__all__``; tests/test_startup.py checks the three agree.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any


def lazy_names(
    package: str, names: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package``: ``names`` maps each name to its module."""

    def __getattr__(name: str) -> Any:
        module = names.get(name)
        if module is None:
            raise AttributeError(f"module '{package}' has no attribute '{name}'")
        return getattr(importlib.import_module(module), name)

    def __dir__() -> list[str]:
        return sorted(getattr(sys.modules[package], "__all__", names))

    return __getattr__, __dir__

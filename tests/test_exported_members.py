"""The public API is exactly what formkit/__init__.py's __all__ says (as httpx checks its own)."""

from __future__ import annotations

import formkit


def test_all_names_exist_and_nothing_public_is_unlisted() -> None:
    exported = set(formkit.__all__)
    for name in exported:
        assert hasattr(formkit, name), name
    public = {
        name
        for name in dir(formkit)
        if not name.startswith("_")
        and name != "annotations"  # from __future__ import annotations
        and not isinstance(getattr(formkit, name), type(formkit))
    }
    assert public == exported - {"__version__"}


def test_library_never_imports_click() -> None:
    import subprocess
    import sys

    code = (
        "import sys, formkit, formkit.load, formkit.synthetic, formkit.model;"
        "print('click' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"

"""Shared fixtures: sample paths, the real-forms folder, and LibreOffice for CI.

A run that leaves the ``libreoffice`` tests out (``make test-fast``: ``-m "not libreoffice and
…"``) also makes LibreOffice impossible to find: ``FORMKIT_SOFFICE`` names a program that does
not exist and the ``soffice`` fixture fails. So a test that needs LibreOffice but is not marked
``libreoffice`` fails there, instead of quietly making the fast run slow. A test that asks for
the ``soffice`` fixture without the mark stops every run at collection.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from _pytest.mark.expression import Expression
from support.episodes import sample_files

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SHARED = ROOT.parent / "shared"
REAL_FORMS = SHARED / "fixtures" / "real-forms"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

# Where FORMKIT_SOFFICE points when LibreOffice is left out of a run: a name that says why.
NO_LIBREOFFICE = (
    Path(tempfile.gettempdir()) / "formkit-tests-left-libreoffice-out" / "mark-the-test-libreoffice"
)


# The suite's own markers, which a test may carry beside ``libreoffice`` (pyproject.toml).
MARKERS = ("libreoffice", "slow", "browser")


def leaves_out(markexpr: str, marker: str) -> bool:
    """Whether ``-m markexpr`` deselects every test marked ``marker``, whatever other markers of
    the suite it also carries (``-m browser`` keeps a browser test that also uses LibreOffice)."""
    if not markexpr.strip():
        return False
    expression = Expression.compile(markexpr)
    others = [m for m in MARKERS if m != marker]
    for mask in range(2 ** len(others)):
        carried = {marker} | {m for i, m in enumerate(others) if mask >> i & 1}
        if expression.evaluate(lambda name, carried=carried, **_: name in carried):
            return False
    return True


def pytest_configure(config: pytest.Config) -> None:
    if leaves_out(config.getoption("markexpr", "") or "", "libreoffice"):
        os.environ["FORMKIT_SOFFICE"] = str(NO_LIBREOFFICE)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that asks for the ``soffice`` fixture must be marked ``libreoffice``."""
    unmarked = [
        item.nodeid
        for item in items
        if "soffice" in getattr(item, "fixturenames", ())
        and item.get_closest_marker("libreoffice") is None
    ]
    if unmarked:
        raise pytest.UsageError(
            "these tests use LibreOffice (the soffice fixture) but are not marked "
            f"@pytest.mark.libreoffice: {', '.join(unmarked)}"
        )


def require_tool(name: str) -> str:
    """Path of a system tool; in CI its absence is a failure (the Makefile installs it)."""
    found = shutil.which(name)
    if found:
        return found
    if IN_CI:
        pytest.fail(f"{name} is not installed; 'make sysdeps' should have installed it in CI")
    pytest.skip(f"{name} is not installed (make sysdeps installs it)")


@pytest.fixture(scope="session")
def soffice(pytestconfig: pytest.Config) -> str:
    if leaves_out(pytestconfig.getoption("markexpr", "") or "", "libreoffice"):
        pytest.fail(
            "this test uses LibreOffice, which this run leaves out (-m 'not libreoffice'): "
            "mark it @pytest.mark.libreoffice"
        )
    return require_tool("soffice")


@pytest.fixture(scope="session")
def pdftotext() -> str:
    return require_tool("pdftotext")


@pytest.fixture(scope="session")
def qpdf() -> str:
    return require_tool("qpdf")


@pytest.fixture(scope="session")
def real_forms() -> Path:
    if not REAL_FORMS.is_dir():
        pytest.skip("../shared/fixtures/real-forms is not beside this checkout")
    return REAL_FORMS


@pytest.fixture(scope="session")
def sample_episode_files() -> list[Path]:
    return sample_files()


# The browser app's tests (issue 16): Playwright drives Debian's Chromium, never its own build.
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    if not Path(CHROMIUM).exists():
        if IN_CI:
            pytest.fail("chromium is not installed; 'make sysdeps' should have installed it in CI")
        pytest.skip("chromium is not installed (make sysdeps installs it)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM}

"""Shared fixtures: sample paths, the real-forms folder, and LibreOffice for CI."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SHARED = ROOT.parent / "shared"
REAL_FORMS = SHARED / "fixtures" / "real-forms"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require_tool(name: str) -> str:
    """Path of a system tool; in CI its absence is a failure (the Makefile installs it)."""
    found = shutil.which(name)
    if found:
        return found
    if IN_CI:
        pytest.fail(f"{name} is not installed; 'make sysdeps' should have installed it in CI")
    pytest.skip(f"{name} is not installed (make sysdeps installs it)")


@pytest.fixture(scope="session")
def soffice() -> str:
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
    return sorted(p for p in (SAMPLES / "episodes").iterdir() if p.suffix in {".json", ".yaml"})


# The browser app's tests (issue 16): Playwright drives Debian's Chromium, never its own build.
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    if not Path(CHROMIUM).exists():
        if IN_CI:
            pytest.fail("chromium is not installed; 'make sysdeps' should have installed it in CI")
        pytest.skip("chromium is not installed (make sysdeps installs it)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM}

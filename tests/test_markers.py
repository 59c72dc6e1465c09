"""The markers keep make test-fast honest: a LibreOffice test must say so.

``make test-fast`` runs ``-m "not libreoffice and not slow and not browser"``; tests/conftest.py
then makes LibreOffice impossible to find, and a test that asks for the ``soffice`` fixture
without the ``libreoffice`` mark stops the run at collection.
"""

from __future__ import annotations

import os

import pytest
from conftest import NO_LIBREOFFICE, leaves_out, pytest_collection_modifyitems

from formkit.errors import ConversionError
from formkit.render.libreoffice import find_soffice

FAST = "not libreoffice and not slow and not browser"


def test_the_fast_run_leaves_libreoffice_slow_and_browser_tests_out() -> None:
    for marker in ("libreoffice", "slow", "browser"):
        assert leaves_out(FAST, marker)
    assert not leaves_out(FAST, "parametrize")
    assert not leaves_out("not slow", "libreoffice")
    assert not leaves_out("libreoffice", "libreoffice")
    assert not leaves_out("", "libreoffice")
    assert not leaves_out("browser", "libreoffice")  # a browser journey that makes PDFs
    assert leaves_out("browser and not libreoffice", "libreoffice")


def test_libreoffice_cannot_be_found_in_a_run_that_leaves_it_out(
    pytestconfig: pytest.Config,
) -> None:
    if leaves_out(pytestconfig.getoption("markexpr", "") or "", "libreoffice"):
        with pytest.raises(ConversionError, match="mark-the-test-libreoffice"):
            find_soffice()
    else:
        assert os.environ.get("FORMKIT_SOFFICE") != str(NO_LIBREOFFICE)


class _Item:
    """As much of a collected test as the check reads."""

    def __init__(self, nodeid: str, fixtures: tuple[str, ...], marked: bool) -> None:
        self.nodeid, self.fixturenames, self.marked = nodeid, fixtures, marked

    def get_closest_marker(self, name: str) -> object | None:
        return name if self.marked and name == "libreoffice" else None


def test_a_test_asking_for_soffice_unmarked_stops_the_run() -> None:
    marked = _Item("tests/test_a.py::test_marked", ("tmp_path", "soffice"), marked=True)
    plain = _Item("tests/test_a.py::test_plain", ("tmp_path",), marked=False)
    pytest_collection_modifyitems([marked, plain])  # type: ignore[list-item]
    unmarked = _Item("tests/test_b.py::test_converts", ("soffice",), marked=False)
    with pytest.raises(pytest.UsageError, match=r"test_b\.py::test_converts"):
        pytest_collection_modifyitems([marked, unmarked])  # type: ignore[list-item]

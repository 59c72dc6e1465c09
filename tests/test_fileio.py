"""Atomic writes: the old file or the whole new one, never half, never a stray temporary."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from formkit.errors import OutputExists
from formkit.fileio import write_atomic


def test_a_failure_before_the_move_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "tracker.xlsx"
    target.write_bytes(b"old")

    def refuse() -> None:
        raise RuntimeError("someone opened it")

    with pytest.raises(RuntimeError):
        write_atomic(target, b"new", before_replace=refuse)
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tracker.xlsx"]


def test_a_writer_function_and_the_old_permissions_are_kept(tmp_path: Path) -> None:
    target = tmp_path / "shared.docx"
    target.write_bytes(b"old")
    os.chmod(target, 0o640)
    write_atomic(target, lambda handle: handle.write(b"new"), fsync_folder=True)
    assert target.read_bytes() == b"new"
    assert target.stat().st_mode & 0o777 == 0o640


def test_no_overwrite_without_force(tmp_path: Path) -> None:
    target = tmp_path / "a.docx"
    target.write_bytes(b"old")
    with pytest.raises(OutputExists, match="already exists; use --force to overwrite it"):
        write_atomic(target, b"new", overwrite=False)
    assert target.read_bytes() == b"old"

"""Round trip: render rhi-form, fill it as an interviewer would, parse → the same interview."""

from __future__ import annotations

import subprocess
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from parse_forms import completed_rhi, same_interview
from support.episodes import sample_records

from formkit.parse import parse_form
from formkit.synthetic import generate_episodes


def test_every_sample_round_trips(tmp_path: Path, sample_episode_files: list[Path]) -> None:
    records = sample_records(sample_episode_files)
    assert len(records) >= 12
    for record in records:
        path = tmp_path / f"{record.reference}.docx"
        path.write_bytes(completed_rhi(record))
        result = parse_form(path)
        assert result.reference == record.reference
        assert result.warnings == [] and result.unmapped == []
        same_interview(result.data["return_interview"], record.return_interview)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(min_value=0, max_value=2**31))
def test_generated_interviews_round_trip(seed: int) -> None:
    (record,) = generate_episodes(1, seed)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "form.docx"
        path.write_bytes(completed_rhi(record))
        result = parse_form(path)
    assert result.reference == record.reference
    same_interview(result.data["return_interview"], record.return_interview)


@pytest.mark.libreoffice
def test_round_trip_survives_libreoffice_resave(
    tmp_path: Path, soffice: str, sample_episode_files: list[Path]
) -> None:
    records = sample_records(sample_episode_files)
    source = tmp_path / "filled"
    source.mkdir()
    for record in records:
        (source / f"{record.reference}.docx").write_bytes(completed_rhi(record))
    out = tmp_path / "resaved"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "docx",
            "--outdir",
            str(out),
            *sorted(str(p) for p in source.iterdir()),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    for record in records:
        resaved = out / f"{record.reference}.docx"
        # LibreOffice drops every w:tag: the parser must fall back on the aliases.
        with zipfile.ZipFile(resaved) as package:
            assert b"<w:tag " not in package.read("word/document.xml")
        result = parse_form(resaved)
        assert result.reference == record.reference
        same_interview(result.data["return_interview"], record.return_interview)

"""The Reports and exports page: a month → one zip with the same files as the CLI makes."""

from __future__ import annotations

import csv
import io
import time
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from docx import Document
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from support.trackers import samples_tracker

from formkit.model import LONDON
from formkit.tracker import export_tracker
from formkit.web.app import create_app
from formkit.web.config import Settings
from formkit.web.security import CSRF_COOKIE, CSRF_FIELD

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=LONDON)


@pytest.fixture(scope="module")
def tracker(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return samples_tracker(tmp_path_factory.mktemp("reports") / "tracker.xlsx", now=NOW)


def _finish(client: TestClient, location: str) -> str:
    for _ in range(600):
        page = client.get(location)
        if "Download" in page.text or "could not be done" in page.text:
            return page.text
        time.sleep(0.05)
    raise AssertionError("the job did not finish")


def test_a_month_makes_the_report_ssda903_annex_a_and_csv_in_one_zip(
    tracker: Path, tmp_path: Path
) -> None:
    settings = Settings(tracker=tracker, now=NOW, work_dir=tmp_path, audit_log=tmp_path / "a.jsonl")
    with TestClient(create_app(settings)) as client:
        form = client.get("/reports")
        assert 'value="10"' in form.text and 'value="2026"' in form.text  # last month by default
        started = client.post(
            "/reports",
            data={CSRF_FIELD: client.cookies[CSRF_COOKIE], "month": "11", "year": "2026",
                  "outputs": ["report", "ssda903", "annex-a", "csv"]},
            follow_redirects=False,
        )  # fmt: skip
        assert started.status_code == 303
        done = _finish(client, started.headers["location"])
        assert "Download reports-2026-11.zip" in done
        assert "missing-report-2026-11.xlsx" in done
        link = started.headers["location"] + "/download"
        archive = zipfile.ZipFile(io.BytesIO(client.get(link).content))
    assert sorted(archive.namelist()) == [
        "annex-a-missing-to-2026-11-30.csv",
        "missing-report-2026-11.docx",
        "missing-report-2026-11.xlsx",
        "ssda903-missing-2026-27.csv",
        "tracker-2026-11-30.csv",
    ]
    workbook = load_workbook(io.BytesIO(archive.read("missing-report-2026-11.xlsx")))
    assert workbook.sheetnames
    summary = Document(io.BytesIO(archive.read("missing-report-2026-11.docx")))
    assert any("November 2026" in p.text for p in summary.paragraphs)
    # The same SSDA903 table as `formkit tracker export --format ssda903 --year 2026-27`.
    expected = export_tracker(tracker, "ssda903", year="2026-27", now=NOW)
    assert archive.read("ssda903-missing-2026-27.csv").decode() == expected
    rows = list(csv.reader(io.StringIO(archive.read("tracker-2026-11-30.csv").decode())))
    assert len(rows) == 14  # the header and the 13 sample episodes


def test_a_month_that_is_not_one_and_nothing_chosen_are_said_on_the_form(
    tracker: Path, tmp_path: Path
) -> None:
    with TestClient(create_app(Settings(tracker=tracker, work_dir=tmp_path))) as client:
        client.get("/reports")
        response = client.post(
            "/reports",
            data={CSRF_FIELD: client.cookies[CSRF_COOKIE], "month": "13", "year": "2026"},
        )
        no_token = client.post("/reports", data={"month": "11", "year": "2026", "outputs": "csv"})
    assert response.status_code == 422
    assert (
        '<a href="#month">Enter a real month and year, for example 11 and 2026</a>' in response.text
    )
    assert '<a href="#outputs">Choose at least one report or export</a>' in response.text
    assert response.text.startswith("<!DOCTYPE html>")
    assert "<title>Error: Reports and exports" in response.text
    assert no_token.status_code == 403

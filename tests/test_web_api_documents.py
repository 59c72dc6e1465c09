"""``/api/pack``, ``/api/parse`` and ``/api/tracker/update``: the CLI's JSON, a bearer token."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from support.documents import word_text
from support.trackers import COMPLETED_FORMS, rows, tracker_before_interviews
from test_web_documents import NOW, SHEET

from formkit.cli import cli
from formkit.web.app import create_app
from formkit.web.config import Settings

TOKEN = "a-long-enough-api-token-for-tests"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def tracker(tmp_path: Path) -> Path:
    return tracker_before_interviews(tmp_path, now=NOW)


@pytest.fixture
def client(tmp_path: Path, tracker: Path) -> Iterator[TestClient]:
    token = tmp_path / "api-token.txt"
    token.write_text(TOKEN + "\n", encoding="utf-8")
    settings = Settings(
        now=NOW,
        tracker=tracker,
        api_token_file=token,
        work_dir=tmp_path / "jobs",
        audit_log=tmp_path / "audit.jsonl",
    )
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.mark.parametrize("route", ["/api/pack", "/api/parse", "/api/tracker/update"])
def test_without_the_token_the_api_answers_401(client: TestClient, route: str) -> None:
    response = client.post(route, files=[("files", ("a.docx", b"x"))])
    assert response.status_code == 401


def test_pack_answers_the_batch_and_gives_the_zip_once(client: TestClient, tmp_path: Path) -> None:
    response = client.post(
        "/api/pack",
        headers=AUTH,
        files=[("files", ("November episodes.csv", SHEET.read_bytes()))],
        data={"template": "strategy-meeting"},
    )
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["records"] == 3 and answer["problems"] == []
    assert "KM-26-33140-strategy-meeting.docx" in answer["episodes"]["KM-26-33140"]
    assert str(tmp_path) not in response.text  # no server path is given away
    download = client.get(answer["zip"], headers=AUTH)
    assert download.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(download.content)) as pack:
        profile = pack.read("RUT-26-0091/RUT-26-0091-missing-profile.docx")
    assert "Bartek" in word_text(profile)
    assert client.get(answer["zip"], headers=AUTH).status_code == 404  # taken
    audit = [json.loads(line) for line in (tmp_path / "audit.jsonl").read_text().splitlines()]
    assert audit[-1]["action"] == "documents.make"
    assert audit[-1]["references"] == ["BX-2026-0440", "KM-26-33140", "RUT-26-0091"]
    assert "Ellie" not in (tmp_path / "audit.jsonl").read_text()


def test_parse_answers_as_formkit_parse_json(client: TestClient, tmp_path: Path) -> None:
    form = COMPLETED_FORMS[0]
    response = client.post(
        "/api/parse", headers=AUTH, files=[("files", (form.name, form.read_bytes()))]
    )
    assert response.status_code == 200, response.text
    run = CliRunner().invoke(cli, ["parse", str(form), "--json", "-q"])
    expected = json.loads(run.stdout)
    expected["results"][0]["file"] = form.name
    assert response.json() == expected


def test_tracker_update_gives_the_rows_formkit_tracker_update_gives(
    client: TestClient, tracker: Path, tmp_path: Path
) -> None:
    """The completed sample forms (made by ``support/make_completed_rhis.py``) sent to
    ``/api/tracker/update`` change the configured tracker exactly as ``formkit tracker update``
    changes a copy of it: the same rows, cell for cell, and the same JSON."""
    copy = tmp_path / "copy" / "tracker.xlsx"
    copy.parent.mkdir()
    shutil.copy2(tracker, copy)
    before = rows(tracker)
    cli_run = CliRunner().invoke(
        cli,
        ["tracker", "update", str(copy), *map(str, COMPLETED_FORMS), "--json", "-q",
         "--now", NOW.strftime("%Y-%m-%dT%H:%M")],
    )  # fmt: skip
    assert cli_run.exit_code == 0, cli_run.output
    response = client.post(
        "/api/tracker/update",
        headers=AUTH,
        files=[("files", (form.name, form.read_bytes())) for form in COMPLETED_FORMS],
    )
    assert response.status_code == 200, response.text
    assert rows(copy) != before  # the forms changed something...
    assert rows(tracker) == rows(copy)  # ...and the API changed the same, cell for cell
    expected = json.loads(cli_run.stdout.replace(str(copy), str(tracker)))
    for key in ("tracker", "written", "backup"):
        expected.pop(key, None)
    answer = response.json()
    assert {k: v for k, v in answer.items() if k in expected} == expected


def test_no_file_is_a_clear_422(client: TestClient) -> None:
    response = client.post(
        "/api/parse", headers=AUTH, data={"x": "y"}, files=[("files", ("", b""))]
    )
    assert response.status_code == 422
    assert response.json() == {"detail": "Send one or more completed forms in the 'files' field."}


def test_the_routes_are_described_in_the_openapi(client: TestClient) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    body = paths["/api/pack"]["post"]["requestBody"]["content"]["multipart/form-data"]
    assert body["schema"]["required"] == ["files"]
    assert "/api/parse" in paths and "/api/tracker/update" in paths

"""The JSON API: the same results as the commands' --json, behind a bearer token."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from support.episodes import SAMPLE_EPISODES
from support.trackers import samples_tracker

from formkit.cli import cli
from formkit.model import LONDON
from formkit.web.app import create_app
from formkit.web.config import Settings

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=LONDON)
TOKEN = "api-token-for-the-tests-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    folder = tmp_path_factory.mktemp("api")
    tracker = samples_tracker(folder / "tracker.xlsx", now=NOW)
    (folder / "token").write_text(TOKEN, encoding="utf-8")
    settings = Settings(
        tracker=tracker, now=NOW, api_token_file=folder / "token", work_dir=folder / "jobs",
        audit_log=folder / "audit.jsonl",
    )  # fmt: skip
    with TestClient(create_app(settings)) as client:
        yield client


def _files(*paths: Path, name: str | None = None) -> list[tuple[str, tuple[str, bytes, str]]]:
    return [("files", (name or p.name, p.read_bytes(), "application/octet-stream")) for p in paths]


def test_every_route_without_the_token_gets_401(client: TestClient) -> None:
    sample = next(SAMPLE_EPISODES.iterdir())
    assert client.get("/api/today").status_code == 401
    assert client.post("/api/validate", files=_files(sample)).status_code == 401
    assert client.post("/api/plan", files=_files(sample)).status_code == 401
    assert client.get("/api/reports/2026-11").status_code == 401


def test_validate_gives_the_clis_json_with_the_callers_file_names(
    client: TestClient, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.json"
    sample = json.loads(sorted(SAMPLE_EPISODES.glob("*.json"))[0].read_text(encoding="utf-8"))
    sample["child"]["date_of_birth"] = "31/02/2015"
    bad.write_text(json.dumps(sample), encoding="utf-8")
    response = client.post("/api/validate", headers=AUTH, files=_files(bad, name="../../x.json"))
    assert response.status_code == 200
    body = response.json()
    cli_run = CliRunner().invoke(cli, ["validate", str(bad), "--json"])
    expected = json.loads(cli_run.stdout)
    assert body["records"] == expected["records"] == 1 and body["valid"] == 0
    assert [p["file"] for p in body["problems"]] == ["x.json"]
    assert [p["message"] for p in body["problems"]] == [p["message"] for p in expected["problems"]]


def test_plan_gives_the_clis_plans(client: TestClient) -> None:
    samples = sorted(SAMPLE_EPISODES.glob("*.json"))[:2]
    response = client.post("/api/plan", headers=AUTH, files=_files(*samples))
    assert response.status_code == 200
    body = response.json()
    cli_run = CliRunner().invoke(
        cli, ["plan", *map(str, samples), "--json", "--now", "2026-11-30T09:00"]
    )
    assert body["plans"] == json.loads(cli_run.stdout)["plans"]
    assert body["planned"] == 2 and body["problems"] == []


def test_today_and_reports(client: TestClient) -> None:
    today = client.get("/api/today", headers=AUTH).json()
    assert today["overdue"] == 28
    assert today["missing_now"] == [
        {"child": "BX-133019", "reference": "BX-2026-0431", "last_seen": "2026-11-21T18:30:00"}
    ]
    reports = client.get("/api/reports/2026-11?outputs=csv,annex-a", headers=AUTH)
    assert reports.status_code == 200
    assert reports.headers["content-type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(reports.content)).namelist()
    assert names == ["annex-a-missing-to-2026-11-30.csv", "tracker-2026-11-30.csv"]
    wrong = client.get("/api/reports/November", headers=AUTH)
    assert wrong.status_code == 422
    assert wrong.json() == {"detail": "'November' is not a month; write it as 2026-10"}


def test_the_openapi_description_lists_the_routes_and_the_bearer_scheme(client: TestClient) -> None:
    schema = client.get("/api/openapi.json").json()
    assert {"/api/today", "/api/validate", "/api/plan", "/api/reports/{month}"} <= set(
        schema["paths"]
    )
    assert schema["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    body = schema["paths"]["/api/validate"]["post"]["requestBody"]["content"]
    assert "multipart/form-data" in body

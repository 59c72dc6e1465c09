"""Make documents without a browser: upload, each row's problems, choice, background job, zip.

The pages call the same library functions as ``formkit validate``, ``plan`` and ``pack``; these
tests check the page says what the CLI says and the zip holds real documents.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from datetime import datetime
from html import unescape
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLES
from fastapi.testclient import TestClient
from hostile.episodes import cases
from support.documents import word_text
from web_support import finished, token

from formkit.cli import cli
from formkit.model import LONDON
from formkit.web.app import create_app
from formkit.web.config import Settings
from formkit.web.security import CSRF_FIELD

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=LONDON)
SHEET = SAMPLES / "spreadsheets" / "episodes.csv"


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    episodes = tmp_path / "episodes"
    episodes.mkdir()
    (episodes / "november.csv").write_bytes(SHEET.read_bytes())
    settings = Settings(now=NOW, episodes=episodes, work_dir=tmp_path / "jobs")
    with TestClient(create_app(settings)) as test_client:
        test_client.get("/documents")  # the CSRF cookie
        yield test_client


def upload(client: TestClient, *files: tuple[str, bytes]) -> tuple[str, str]:
    response = client.post(
        "/documents",
        data={CSRF_FIELD: token(client)},
        files=[("episodes", (name, data)) for name, data in files],
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    return location, finished(client, location)


def ticked(html: str) -> list[str]:
    return re.findall(r'name="document" type="checkbox" value="([^"]+)" checked', html)


def make(client: TestClient, job: str, fields: dict[str, list[str]]) -> tuple[str, str]:
    data = {CSRF_FIELD: token(client), **fields}
    response = client.post(f"{job}/make".replace("/jobs/", "/documents/"), data=data,
                           follow_redirects=False)  # fmt: skip
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    return location, finished(client, location)


def download(client: TestClient, job: str) -> zipfile.ZipFile:
    response = client.get(f"{job}/download")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.content))


def test_the_sample_spreadsheet_becomes_a_zip_of_the_plans_documents(
    client: TestClient,
) -> None:
    job, review = upload(client, ("November episodes.csv", SHEET.read_bytes()))
    assert "3 of 3" in review and "Problems to correct" not in review
    chosen = ticked(review)
    assert "BX-2026-0440|missing-profile" in chosen
    assert "RUT-26-0091|multi-agency-meeting" in chosen
    done_job, done = make(client, job, {"document": chosen, "format": ["word"]})
    assert 'id="documents-made">7<' in done
    with download(client, done_job) as pack:
        names = pack.namelist()
        profile = pack.read("BX-2026-0440/BX-2026-0440-missing-profile.docx")
        missing = pack.read("BX-2026-0440/what-is-missing.txt").decode()
    assert {n.split("/")[0] for n in names} == {"BX-2026-0440", "RUT-26-0091", "KM-26-33140"}
    assert "Ellie Fletcher" in word_text(profile)
    assert "BX-2026-0440-missing-profile.docx:\n  - photo" in missing
    # The download is taken: the job and its files are gone.
    assert client.get(f"{done_job}/download").status_code == 404


def test_a_bad_row_is_shown_with_its_row_number_and_the_others_are_made(
    client: TestClient, tmp_path: Path
) -> None:
    lines = SHEET.read_text(encoding="utf-8-sig").splitlines()
    lines[2] = lines[2].replace("23/11/2026 19:45", "yesterday evening")
    sheet = ("\n".join(lines) + "\n").encode()
    (tmp_path / "episodes.csv").write_bytes(sheet)
    cli_run = CliRunner().invoke(cli, ["validate", str(tmp_path / "episodes.csv"), "--json"])
    (expected,) = re.findall(r'"message": "([^"]+)"', cli_run.stdout)
    job, review = upload(client, ("episodes.csv", sheet))
    assert "2 of 3" in review
    row = re.search(r'<table class="govuk-table" id="row-problems">.*?</table>', review, re.S)
    assert row is not None
    cells = [
        unescape(c)
        for c in re.findall(r'<td class="govuk-table__cell[^"]*">([^<]*)</td>', row.group(0))
    ]
    assert cells == ["episodes.csv", "row 3 (RUT-26-0091)", "episode.last_seen_at", expected]
    assert not any(v.startswith("RUT-26-0091") for v in ticked(review))
    done_job, done = make(client, job, {"document": ticked(review), "format": ["word"]})
    assert f"episodes.csv: row 3 (RUT-26-0091): episode.last_seen_at: {expected}" in unescape(done)
    with download(client, done_job) as pack:
        folders = {n.split("/")[0] for n in pack.namelist()}
        listed = pack.read("problems.txt").decode()
    assert folders == {"BX-2026-0440", "KM-26-33140", "problems.txt"}
    assert "episodes.csv: row 3 (RUT-26-0091)" in listed


def test_the_chosen_documents_are_made_and_unticked_ones_are_not(client: TestClient) -> None:
    job, review = upload(client, ("episodes.csv", SHEET.read_bytes()))
    chosen = ["KM-26-33140|strategy-meeting", "KM-26-33140|missing-profile-pdf"]
    done_job, _ = make(
        client, job, {"document": chosen, "format": ["word"], "flatten": ["flatten"]}
    )
    with download(client, done_job) as pack:
        assert sorted(pack.namelist()) == [
            "KM-26-33140/KM-26-33140-missing-profile-pdf.pdf",
            "KM-26-33140/KM-26-33140-strategy-meeting.docx",
            "KM-26-33140/what-is-missing.txt",
        ]


def test_nothing_chosen_or_no_format_is_said_on_the_review(client: TestClient) -> None:
    job, review = upload(client, ("episodes.csv", SHEET.read_bytes()))
    url = job.replace("/jobs/", "/documents/") + "/make"
    response = client.post(url, data={CSRF_FIELD: token(client), "document": ticked(review)})
    assert response.status_code == 400
    assert '<a href="#format">Choose Word, PDF or both</a>' in response.text
    assert ticked(response.text) == ticked(review)  # the choice is kept
    response = client.post(url, data={CSRF_FIELD: token(client), "format": ["word"]})
    assert '<a href="#documents">Choose at least one document to make</a>' in response.text


def test_a_form_without_its_csrf_token_is_refused(client: TestClient) -> None:
    job, review = upload(client, ("episodes.csv", SHEET.read_bytes()))
    url = job.replace("/jobs/", "/documents/") + "/make"
    response = client.post(url, data={"document": ticked(review), "format": ["word"]})
    assert response.status_code == 403


def test_todays_link_offers_an_episode_of_the_episodes_folder(client: TestClient) -> None:
    html = client.get("/documents?reference=KM-26-33140").text
    assert "Episode KM-26-33140 is in the episodes folder." in html
    response = client.post(
        "/documents/from-folder",
        data={CSRF_FIELD: token(client), "reference": "KM-26-33140"},
        follow_redirects=False,
    )
    review = finished(client, response.headers["location"])
    assert "1 of 1" in review
    assert ticked(review) == ["KM-26-33140|missing-profile", "KM-26-33140|rhi-form"]
    missing = client.get("/documents?reference=KM-26-99999").text
    assert "Episode KM-26-99999 is not in the episodes folder. Upload the spreadsheet" in missing


def test_no_file_chosen_is_an_error_on_the_page(client: TestClient) -> None:
    response = client.post(
        "/documents", data={CSRF_FIELD: token(client)}, files=[("episodes", ("", b""))]
    )
    assert response.status_code == 400
    assert '<a href="#episodes">Choose the episode files to upload</a>' in response.text


HOSTILE = [c for c in cases() if c.exit_code == 1]


@pytest.mark.slow  # every hostile file through the page: seconds each; make test runs it
@pytest.mark.parametrize("case", HOSTILE, ids=[c.id for c in HOSTILE])
def test_hostile_episode_files_get_the_clis_message(
    client: TestClient, tmp_path: Path, case: object
) -> None:
    from hostile.episodes import Case

    assert isinstance(case, Case)
    path = tmp_path / case.name
    path.write_bytes(case.content)
    run = CliRunner().invoke(cli, ["validate", str(path), "--json"])
    import json

    expected = {p["message"] for p in json.loads(run.stdout)["problems"]}
    _, review = upload(client, (case.name, case.content))
    assert "Traceback" not in review
    shown = unescape(review)
    assert expected
    for message in expected:
        assert message in shown, message


def test_the_intake_workbook_is_taken_as_it_is(client: TestClient, tmp_path: Path) -> None:
    from formkit.intake_workbook import write_intake_workbook

    workbook = write_intake_workbook(tmp_path / "intake.xlsx")
    job, review = upload(client, ("New episode.xlsx", workbook.read_bytes()))
    assert "1 of 1" in review and "Problems to correct" not in review
    done_job, _ = make(client, job, {"document": ticked(review), "format": ["word"]})
    with download(client, done_job) as pack:
        assert any(name.endswith("-missing-profile.docx") for name in pack.namelist())

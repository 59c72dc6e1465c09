"""Completed forms without a browser: read, review, confirm, undo — the tracker changed exactly
as ``formkit tracker update`` changes it, and put back as it was."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from datetime import datetime
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from hostile import corpus
from support.episodes import tracker_episode, write_json
from support.trackers import COMPLETED_FORMS, rows, tracker_before_interviews
from test_tracker_helpers import table_rows
from web_support import finished, token

from formkit.cli import cli
from formkit.model import LONDON
from formkit.tracker import create_tracker, update_tracker
from formkit.web.app import create_app
from formkit.web.config import Settings
from formkit.web.security import CSRF_FIELD

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=LONDON)


@pytest.fixture
def tracker(tmp_path: Path) -> Path:
    return tracker_before_interviews(tmp_path, now=NOW)


@pytest.fixture
def client(tracker: Path, tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(now=NOW, tracker=tracker, work_dir=tmp_path / "jobs")
    with TestClient(create_app(settings)) as test_client:
        test_client.get("/forms")  # the CSRF cookie
        yield test_client


def read(client: TestClient, files: list[tuple[str, bytes]]) -> tuple[str, str]:
    response = client.post(
        "/forms",
        data={CSRF_FIELD: token(client)},
        files=[("forms", item) for item in files],
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    return location, finished(client, location)


def post(client: TestClient, url: str, **fields: Any) -> str:
    response = client.post(url, data={CSRF_FIELD: token(client), **fields}, follow_redirects=False)
    assert response.status_code == 303, response.text
    return client.get(response.headers["location"]).text


def text_of(html: str) -> str:
    """The words of a page, as a person reads them."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_forms_update_the_tracker_as_the_cli_would_and_undo_puts_it_back(
    client: TestClient, tracker: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "copy" / "tracker.xlsx"
    copy.parent.mkdir()
    shutil.copy2(tracker, copy)
    cli_run = CliRunner().invoke(
        cli,
        ["tracker", "update", str(copy), *map(str, COMPLETED_FORMS), "--now", "2026-11-26T09:00"],
    )
    assert cli_run.exit_code == 0, cli_run.output
    before = rows(tracker)
    job, review = read(client, [(p.name, p.read_bytes()) for p in COMPLETED_FORMS])
    shown = unescape(review)
    assert "BX-2026-0412 (the form’s own reference)" in shown
    assert "RHI service: (blank) → NYAS (National Youth Advocacy Service)" in shown  # words
    assert "BK-MIS-26-1122 (the form’s own reference)" in shown  # the Barnardo's form
    assert "return_interview.held_at 23/11/2026 16:00" in text_of(review)
    assert rows(tracker) == before  # nothing is changed before it is confirmed
    changes = post(client, job.replace("/jobs/", "/forms/") + "/confirm")
    assert "The tracker was updated: 9 rows changed" in changes
    assert rows(tracker) == rows(copy)
    assert len(re.findall(r'<td class="govuk-table__cell app-nowrap">ST-26-0455<', changes)) == 9
    undone = post(client, job.replace("/jobs/", "/forms/") + "/undo")
    assert "The tracker is back as it was before these forms were added." in undone
    assert rows(tracker) == before
    assert "Undo these changes" not in undone


def test_an_ambiguous_form_is_settled_by_choosing_a_candidate(
    tmp_path: Path,
) -> None:
    tracker, form = two_episodes_one_form(tmp_path)
    settings = Settings(now=NOW, tracker=tracker, work_dir=tmp_path / "jobs")
    with TestClient(create_app(settings)) as client:
        client.get("/forms")
        job, review = read(client, [("from the provider.docx", form.read_bytes())])
        assert "Which episode is this form about?" in review
        assert 'name="match-1" type="radio" value="TST-1"' in review
        assert 'name="match-1" type="radio" value="TST-2"' in review
        assert "TST-2 (same name and date of birth) Last seen 20/10/2026 18:00" in text_of(review)
        changes = post(
            client, job.replace("/jobs/", "/forms/") + "/confirm", **{"match-1": "TST-2"}
        )
    assert "The tracker was updated: 1 row changed" in changes
    by = {r["Episode reference"]: (r["RHI by"], r["Source file"]) for r in table_rows(tracker)}
    assert by == {"TST-1": (None, "e.json"), "TST-2": ("Jo Tester", "from the provider.docx")}


def two_episodes_one_form(folder: Path) -> tuple[Path, Path]:
    """A tracker with two episodes of one child, and a form that could be about either."""
    tracker = create_tracker(folder / "tracker.xlsx")
    both = [
        tracker_episode("TST-1", episode__police_reference="MP/2026/004417"),
        tracker_episode("TST-2", episode__last_seen_at="2026-10-20T18:00",
                episode__ended_at="2026-10-21T08:00"),
    ]  # fmt: skip
    update_tracker(tracker, [write_json(folder / "e.json", both)], now=NOW)
    return tracker, _provider_form(folder)


def _provider_form(folder: Path) -> Path:
    """A completed RHI of the same child under a reference the tracker does not know, with
    dates that fit neither of its episodes: two candidates, for a person to choose."""
    from parse_forms import completed_rhi

    from formkit.model import EpisodeRecord

    data = tracker_episode(
        "TST-9", episode__last_seen_at="2026-09-01T18:00", episode__ended_at="2026-09-02T08:00"
    )
    data["return_interview"] = {"offered_at": "2026-10-21T10:00", "interviewer": "Jo Tester"}
    path = folder / "provider.docx"
    path.write_bytes(completed_rhi(EpisodeRecord.model_validate(data)))
    return path


def test_no_tracker_means_no_upload(tmp_path: Path) -> None:
    with TestClient(create_app(Settings(work_dir=tmp_path))) as client:
        html = client.get("/forms").text
    assert "No tracker is set up for this service" in html
    assert 'type="file"' not in html


def test_hostile_forms_get_the_clis_messages(client: TestClient, tmp_path: Path) -> None:
    built = corpus.build_all(tmp_path)
    paths = [path for path, _ in built.values()]
    run = CliRunner().invoke(cli, ["parse", *map(str, paths), "--json", "-q"])
    problems = json.loads(run.stdout)["problems"]
    assert len(problems) == len(built)
    expected = {p["message"] for p in problems}
    _, review = read(client, [(p.name, p.read_bytes()) for p in paths])
    shown = unescape(review)
    assert "Traceback" not in shown
    for message in expected:
        assert message in shown, message
    for _, words in built.values():
        assert words in shown
    assert "Update the tracker" not in review  # nothing there can be added


def test_undo_is_refused_when_the_tracker_changed_since(
    client: TestClient, tracker: Path, tmp_path: Path
) -> None:
    job, _ = read(client, [(COMPLETED_FORMS[0].name, COMPLETED_FORMS[0].read_bytes())])
    post(client, job.replace("/jobs/", "/forms/") + "/confirm")
    update_tracker(tracker, [COMPLETED_FORMS[1]], now=NOW)  # someone else's update, after ours
    after = rows(tracker)
    response = client.post(
        job.replace("/jobs/", "/forms/") + "/undo", data={CSRF_FIELD: token(client)}
    )
    assert response.status_code == 409
    assert "The tracker has changed since these forms were added" in text_of(response.text)
    assert rows(tracker) == after


def test_a_persons_correction_is_shown_as_kept(
    client: TestClient, tracker: Path, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    form = next(p for p in COMPLETED_FORMS if p.name.startswith("ST-26-0455"))
    update_tracker(tracker, [form], now=NOW)
    book = load_workbook(tracker)  # a person corrects the interviewer's name in Excel
    sheet = book["Episodes"]
    headers = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "ST-26-0455")
    row[headers.index("RHI by")].value = "Leonie Marsh"
    book.save(tracker)
    _, review = read(client, [(form.name, form.read_bytes())])
    text = text_of(review)
    assert "Kept in the tracker RHI by: changed in the tracker since formkit wrote it" in text
    assert rows(tracker)["ST-26-0455"]["RHI by"] == "Leonie Marsh"

"""A 100-episode pack through the browser app against ``formkit pack`` (target: at most 1.5×).

The app's whole journey is timed, as an officer would take it: upload the episodes, the check
(validation and plans), the documents each plan ticks made in a background job, the zip
downloaded. The CLI is ``formkit pack`` on the same file, in its own process (start-up
included, as an officer would pay it). Both make Word documents, one process each; each is
run twice, alternately, and the faster run of each counts.
"""

from __future__ import annotations

import re
import shutil
import time
from datetime import datetime
from pathlib import Path

from bench.common import formkit_cmd, line, run_measured, workdir

COUNT = 100
NOW = "2026-11-25T09:00"
TARGET = 1.5
ROUNDS = 2


def _episodes(path: str) -> None:
    from formkit.synthetic import iter_episodes

    with open(path, "w", encoding="utf-8") as handle:
        for record in iter_episodes(COUNT, seed=11):
            handle.write(record.model_dump_json(exclude_none=True) + "\n")


def _through_the_app(episodes: str, jobs_dir: str) -> tuple[float, int]:
    """Seconds for the journey, and the number of files in the zip."""
    import io
    import zipfile

    from fastapi.testclient import TestClient

    from formkit.model import LONDON
    from formkit.web.app import create_app
    from formkit.web.config import Settings
    from formkit.web.security import CSRF_COOKIE, CSRF_FIELD

    now = datetime.fromisoformat(NOW).replace(tzinfo=LONDON)
    settings = Settings(now=now, work_dir=Path(jobs_dir))
    with TestClient(create_app(settings)) as client:
        client.get("/documents")
        token = str(client.cookies.get(CSRF_COOKIE))

        def finished(location: str) -> str:
            while True:
                html = client.get(location).text
                if 'hx-trigger="every 1s"' not in html:
                    return html
                time.sleep(0.05)

        start = time.perf_counter()
        with open(episodes, "rb") as handle:
            sent = client.post(
                "/documents",
                data={CSRF_FIELD: token},
                files=[("episodes", ("episodes.jsonl", handle.read()))],
                follow_redirects=False,
            )
        job = sent.headers["location"]
        review = finished(job)
        ticked = re.findall(r'name="document" type="checkbox" value="([^"]+)" checked', review)
        made = client.post(
            job.replace("/jobs/", "/documents/") + "/make",
            data={CSRF_FIELD: token, "document": ticked, "format": ["word"]},
            follow_redirects=False,
        )
        done = made.headers["location"]
        finished(done)
        data = client.get(done + "/download").content
        seconds = time.perf_counter() - start
    with zipfile.ZipFile(io.BytesIO(data)) as pack:
        documents = sum(1 for n in pack.namelist() if n.endswith(".docx"))
    return seconds, documents


def main() -> None:
    folder = workdir("web_pack")
    episodes = str(folder / "episodes.jsonl")
    _episodes(episodes)
    out = folder / "cli"
    cli_runs, app_runs = [], []
    for _ in range(ROUNDS):  # alternated, the best of each: a busy machine slows either
        shutil.rmtree(out, ignore_errors=True)
        cli = run_measured(
            formkit_cmd("pack", episodes, "-o", str(out), "--now", NOW, "-q"), pin=False
        )
        cli_runs.append(cli.seconds)
        app_runs.append(_through_the_app(episodes, str(folder / "jobs")))
    cli_documents = len(list(out.glob("*.docx")))
    cli_seconds = min(cli_runs)
    app_seconds, app_documents = min(app_runs)
    ratio = app_seconds / cli_seconds
    line(f"formkit pack, {COUNT} episodes ({cli_documents} documents)", f"{cli_seconds:.2f} s")
    line(
        f"the app: upload, check, make, zip ({app_documents} documents)",
        f"{app_seconds:.2f} s",
    )
    line("the app against the CLI", f"{ratio:.2f}×", f"≤ {TARGET}×", ratio <= TARGET)

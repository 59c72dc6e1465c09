"""Issue 16 target: the Today page of ``formkit serve`` for a 20,000-row tracker answers in
under 300 ms, the tracker's rows cached by the workbook's modification time.

The app runs in uvicorn on 127.0.0.1 in this process's thread and the page is fetched over
HTTP, as a browser would. The first request reads the workbook; the next ones use the cache
until the workbook changes. With a real clock the list is made again from the cached rows when
the minute changes; that time is shown too.
"""

from __future__ import annotations

import statistics
import time
import urllib.request
from datetime import datetime

from bench.common import formkit_cmd, line, run_measured, workdir

ROWS = 20_000
NOW = "2026-11-20T12:00"
TARGET = 0.300


def _tracker(folder):  # type: ignore[no-untyped-def]
    from bench.bench_tracker import _jsonl

    tracker = folder / f"tracker-{ROWS}.xlsx"
    if not tracker.exists():
        episodes = folder / f"episodes-{ROWS}.jsonl"
        _jsonl(episodes, 0, ROWS, seed=1)
        run_measured(formkit_cmd("tracker", "init", str(tracker)))
        made = run_measured(
            formkit_cmd("tracker", "update", str(tracker), str(episodes), "-q", "--now", NOW)
        )
        if made.returncode != 0:
            raise SystemExit(f"building the tracker failed: {made.stderr[-500:]}")
        line(f"build a {ROWS:,}-row tracker", f"{made.seconds:.2f} s")
    return tracker


def _get(url: str) -> tuple[float, int, int]:
    start = time.perf_counter()
    with urllib.request.urlopen(url) as response:  # noqa: S310 - our own app on 127.0.0.1
        body = response.read()
        status = response.status
    return time.perf_counter() - start, status, len(body)


def _while_a_job_runs(url: str) -> list[float]:
    """Start the Reports page's job (the whole tracker as CSV) and time Today meanwhile."""
    import http.cookiejar
    import re
    import urllib.parse

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = opener.open(url + "/reports").read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    if token is None:
        raise SystemExit("the Reports page has no CSRF token")
    data = urllib.parse.urlencode(
        {"csrf_token": token.group(1), "month": "11", "year": "2026", "outputs": "csv"}
    ).encode()
    job_page = opener.open(url + "/reports", data=data).geturl()
    times: list[float] = []
    while True:
        start = time.perf_counter()
        opener.open(url + "/").read()
        times.append(time.perf_counter() - start)
        if "Download" in opener.open(job_page).read().decode():
            return times
        time.sleep(0.2)


def main() -> None:
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from web_support import running_app

    from formkit.model import LONDON
    from formkit.tracker.today import today_from_rows
    from formkit.web.config import Settings

    folder = workdir("web")
    tracker = _tracker(folder)
    now = datetime.fromisoformat(NOW).replace(tzinfo=LONDON)
    with running_app(Settings(tracker=tracker, profile="bexley", now=now)) as url:
        cold, status, size = _get(url + "/")
        if status != 200:
            raise SystemExit(f"the Today page answered {status}")
        line("Today page, first request (reads the workbook)", f"{cold * 1000:.0f} ms")
        warm = [_get(url + "/")[0] for _ in range(20)]
        median = statistics.median(warm)
        line(
            f"Today page, {ROWS:,} rows, cached (median of 20)",
            f"{median * 1000:.0f} ms",
            "target < 300 ms",
            median < TARGET,
        )
        line("  slowest of the 20", f"{max(warm) * 1000:.0f} ms")
        line("  page size", f"{size / 1024:.0f} KB")
        busy = _while_a_job_runs(url)
        line(
            "Today page while a reports job reads the tracker",
            f"{statistics.median(busy) * 1000:.0f} ms",
            f"median of {len(busy)}; slowest {max(busy) * 1000:.0f} ms",
        )
    from formkit.tracker.today import tracker_rows

    rows = tracker_rows(tracker)
    start = time.perf_counter()
    today_from_rows(rows, now=now, file=tracker)
    remade = time.perf_counter() - start
    line("  the list made again from cached rows (a new minute)", f"{remade * 1000:.0f} ms")

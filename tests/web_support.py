"""Helpers of the browser app's tests: the app in a thread, axe, screenshots, tiny trackers.

``running_app(settings)`` serves :func:`formkit.web.app.create_app` with uvicorn on 127.0.0.1
and a free port, in a thread, for Playwright (``page.goto(base + "/")``). ``assert_accessible``
runs axe-core (bundled by axe-playwright-python) with the WCAG 2.2 A and AA rules and fails on
any violation, naming each rule and element. ``keep_screenshot`` saves the page under the test's
``tmp_path`` (an artefact to look at). ``token`` and ``finished`` are for the pages driven
without a browser (``TestClient``): the CSRF token to post with, and a job's page once it ends.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn
from fastapi.testclient import TestClient

from formkit.web.app import create_app
from formkit.web.config import Settings
from formkit.web.security import CSRF_COOKIE

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_app(settings: Settings | None = None) -> Iterator[str]:
    """The app served on 127.0.0.1 in a thread; yields its base address (no trailing /)."""
    settings = settings or Settings()
    app = create_app(settings)
    config = uvicorn.Config(app, host="127.0.0.1", port=free_port(), log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the app did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{config.port}"
    finally:
        server.should_exit = True
        thread.join(timeout=20)


def token(client: TestClient) -> str:
    """The CSRF token the app set in ``client``'s cookie, for a form's hidden field."""
    return str(client.cookies.get(CSRF_COOKIE))


def finished(client: TestClient, location: str) -> str:
    """The job page once its job has ended (polled as a browser without JavaScript would)."""
    deadline = time.monotonic() + 120
    while True:
        html = client.get(location).text
        if 'hx-trigger="every 1s"' not in html:  # the status polls only while the job runs
            return html
        assert time.monotonic() < deadline, html
        time.sleep(0.1)


def assert_accessible(page: Any) -> None:
    """No WCAG 2.2 A/AA violation that axe-core finds on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    violations = results.response["violations"]
    lines = [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in violations
    ]
    assert not violations, f"axe found on {page.url}:\n" + "\n".join(lines)


def keep_screenshot(page: Any, folder: Path, name: str) -> Path:
    """A full-page screenshot saved as ``folder/name.png`` (kept as the test's artefact)."""
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path

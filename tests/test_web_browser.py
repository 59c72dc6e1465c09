"""The browser app in a real headless Chromium (Debian's), driven by Playwright.

Every page is checked with axe-core (WCAG 2.2 A and AA) and kept as a screenshot under the
test's ``tmp_path``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from web_support import assert_accessible, keep_screenshot, running_app

from formkit.model import LONDON
from formkit.tracker import create_tracker, update_tracker
from formkit.web.config import Settings

pytestmark = pytest.mark.browser

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "episodes"
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=LONDON)


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("web")
    tracker = create_tracker(folder / "tracker.xlsx")
    assert not update_tracker(tracker, sorted(SAMPLES.iterdir()), now=NOW).problems
    settings = Settings(tracker=tracker, profile="bexley", now=NOW, work_dir=folder / "jobs")
    with running_app(settings) as url:
        yield url


def test_today_shows_an_overdue_obligation_of_the_tracker(
    page: object, app_url: str, tmp_path: Path
) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.goto(app_url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Today")
    expect(page.locator(".govuk-generic-header")).to_contain_text("London Borough of Bexley")
    card = page.locator(".govuk-summary-card", has_text="Child ST-000455")
    expect(card).to_contain_text("Overdue ST-26-0455: Missing profile for the police")
    expect(
        card.get_by_role(
            "link", name="Make this document for ST-26-0455, Missing profile for the police"
        )
    ).to_have_attribute("href", "/documents?reference=ST-26-0455&template=missing-profile")
    keep_screenshot(page, tmp_path, "today")
    assert_accessible(page)

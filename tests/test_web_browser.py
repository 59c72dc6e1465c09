"""The browser app in a real headless Chromium (Debian's), driven by Playwright.

Every page is checked with axe-core (WCAG 2.2 A and AA) and kept as a screenshot under the
test's ``tmp_path``; the main journeys are walked with the keyboard alone, and once without
JavaScript.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from support.trackers import samples_tracker
from web_support import assert_accessible, keep_screenshot, running_app

from formkit.model import LONDON
from formkit.render.catalog import bundled_templates
from formkit.web.config import Settings

pytestmark = pytest.mark.browser

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=LONDON)


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("web")
    tracker = samples_tracker(folder / "tracker.xlsx", now=NOW)
    settings = Settings(
        tracker=tracker,
        profile="bexley",
        now=NOW,
        work_dir=folder / "jobs",
        templates=folder / "council-templates",
    )
    with running_app(settings) as url:
        yield url


def _expect() -> Any:
    from playwright.sync_api import expect

    return expect


def test_today_shows_an_overdue_obligation_of_the_tracker(
    page: Any, app_url: str, tmp_path: Path
) -> None:
    expect = _expect()
    page.goto(app_url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Today")
    expect(page.locator(".govuk-generic-header")).to_contain_text("London Borough of Bexley")
    card = page.locator(".govuk-summary-card", has_text="Child ST-000455")
    expect(card).to_contain_text("Overdue ST-26-0455: Missing profile for the police")
    link = card.get_by_role(
        "link", name="Make this document for ST-26-0455, Missing profile for the police"
    )
    expect(link).to_have_attribute(
        "href", "/documents?reference=ST-26-0455&template=missing-profile"
    )
    missing = page.locator(".govuk-summary-card", has_text="Child BX-133019")
    expect(missing).to_contain_text(
        "Missing now BX-2026-0431: last seen Saturday 21 November 2026 at 18:30"
    )
    keep_screenshot(page, tmp_path, "today")
    assert_accessible(page)


def test_reports_by_keyboard_alone_to_the_downloaded_zip(
    page: Any, app_url: str, tmp_path: Path
) -> None:
    expect = _expect()
    page.goto(app_url + "/reports")
    assert_accessible(page)
    keep_screenshot(page, tmp_path, "reports")
    page.keyboard.press("Tab")  # the skip link comes first
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")
    for _ in range(30):  # from the main content, tab to the month
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "month":
            break
    page.keyboard.press("Control+A")
    page.keyboard.type("11")
    page.keyboard.press("Tab")
    page.keyboard.press("Control+A")
    page.keyboard.type("2026")
    page.keyboard.press("Tab")  # the monthly report checkbox: untick it with the space bar
    expect(page.locator("#outputs")).to_be_focused()
    page.keyboard.press("Space")
    expect(page.locator("#outputs")).not_to_be_checked()
    for _ in range(4):
        page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Make the reports")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Reports for 2026-11")
    download_button = page.get_by_role("button", name="Download reports-2026-11.zip")
    expect(download_button).to_be_visible(timeout=30000)
    assert_accessible(page)
    keep_screenshot(page, tmp_path, "job-done")
    download_button.focus()
    with page.expect_download() as caught:
        page.keyboard.press("Enter")
    saved = tmp_path / "reports.zip"
    caught.value.save_as(saved)
    with zipfile.ZipFile(saved) as archive:
        names = sorted(archive.namelist())
        assert names == [
            "annex-a-missing-to-2026-11-30.csv",
            "ssda903-missing-2026-27.csv",
            "tracker-2026-11-30.csv",
        ]
        assert archive.read("tracker-2026-11-30.csv").decode().count("\n") == 14


def test_reports_work_without_javascript(browser: Any, app_url: str, tmp_path: Path) -> None:
    expect = _expect()
    context = browser.new_context(java_script_enabled=False, accept_downloads=True)
    page = context.new_page()
    page.goto(app_url + "/reports")
    page.get_by_label("Month", exact=True).fill("11")
    page.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Make the reports").click()
    # Without JavaScript the job page refreshes itself until the work is done.
    expect(page.get_by_role("button", name="Download reports-2026-11.zip")).to_be_visible(
        timeout=60000
    )
    with page.expect_download() as caught:
        page.get_by_role("button", name="Download reports-2026-11.zip").click()
    content = Path(caught.value.path()).read_bytes()
    names = zipfile.ZipFile(io.BytesIO(content)).namelist()
    assert "missing-report-2026-11.xlsx" in names
    context.close()


def test_an_edited_template_by_keyboard_and_the_pages_on_the_way(
    page: Any, app_url: str, tmp_path: Path
) -> None:
    expect = _expect()
    page.goto(app_url + "/templates")
    assert_accessible(page)
    keep_screenshot(page, tmp_path, "templates")
    select = page.get_by_label("Which template is it?")
    select.focus()
    select.select_option("missing-profile")
    page.keyboard.press("Tab")
    expect(page.locator("#file")).to_be_focused()
    page.set_input_files("#file", str(bundled_templates() / "missing-profile.docx"))
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Check and use this template")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text(
        "missing-profile.docx is now the Missing profile for the police template."
    )
    assert_accessible(page)
    keep_screenshot(page, tmp_path, "template-used")


def test_a_form_with_mistakes_shows_the_error_summary(
    page: Any, app_url: str, tmp_path: Path
) -> None:
    expect = _expect()
    page.goto(app_url + "/reports")
    page.get_by_label("Month", exact=True).fill("13")
    for box in page.get_by_role("checkbox").all():
        box.uncheck()
    page.get_by_role("button", name="Make the reports").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter a real month and year, for example 11 and 2026")
    expect(summary).to_be_focused()  # GOV.UK Frontend moves focus to the summary
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    keep_screenshot(page, tmp_path, "reports-errors")


def test_a_page_that_does_not_exist(page: Any, app_url: str, tmp_path: Path) -> None:
    expect = _expect()
    response = page.goto(app_url + "/no-such-page")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert_accessible(page)
    keep_screenshot(page, tmp_path, "not-found")


def test_a_form_posted_without_its_csrf_token_gets_a_clear_page(
    page: Any, app_url: str, tmp_path: Path
) -> None:
    expect = _expect()
    page.goto(app_url + "/reports")
    page.locator("input[name=csrf_token]").evaluate("input => input.remove()")
    page.get_by_role("button", name="Make the reports").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("This form could not be accepted")
    expect(page.get_by_text("Nothing was changed.", exact=False)).to_be_visible()
    assert_accessible(page)
    keep_screenshot(page, tmp_path, "csrf-refused")


def test_an_upload_over_the_limit_gets_a_clear_page_in_the_browser(
    page: Any, tmp_path: Path
) -> None:
    from formkit.web.config import UploadLimits

    expect = _expect()
    big = tmp_path / "big.docx"
    big.write_bytes(b"x" * (3 * 1024 * 1024))
    settings = Settings(work_dir=tmp_path / "jobs", limits=UploadLimits(file_bytes=1024 * 1024))
    with running_app(settings) as url:
        page.goto(url + "/templates")
        page.get_by_label("Which template is it?").select_option("missing-profile")
        page.set_input_files("#file", str(big))
        page.get_by_role("button", name="Check this template").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("The upload was too large")
        expect(
            page.get_by_text("Nothing was kept: big.docx is larger than the 1 MB a file may be.")
        )
        assert_accessible(page)
        keep_screenshot(page, tmp_path, "upload-too-large")
    assert list((tmp_path / "jobs").iterdir()) == []

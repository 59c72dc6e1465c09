"""Reports and exports: a month → the monthly report, SSDA903, Annex A and CSV, as one zip."""

from __future__ import annotations

import zipfile
from datetime import datetime
from pathlib import Path

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from formkit.errors import Problem
from formkit.model import LONDON
from formkit.tracker.month_pack import OUTPUTS, Output, previous_month, write_month_pack
from formkit.web.html import page
from formkit.web.jobs import Job, jobs_of, user_of
from formkit.web.security import checked_form

router = APIRouter()

CHOICES: dict[Output, tuple[str, str]] = {
    "report": ("Monthly management report", "Excel workbook with charts, and a Word summary"),
    "ssda903": (
        "SSDA903 Missing table",
        "CSV for the DfE, for the collection year the month is in",
    ),
    "annex-a": ("Ofsted Annex A, list 8", "CSV of the 12 months to the end of the month"),
    "csv": ("The whole tracker", "CSV of every row, for your own analysis"),
}


def _form(request: Request, *, status_code: int = 200, **context: object) -> Response:
    settings = request.app.state.settings
    now = settings.now or datetime.now(LONDON)
    default = previous_month(now)
    values = {"month": default[5:].lstrip("0"), "year": default[:4], "outputs": list(OUTPUTS)}
    values.update(context.pop("values", {}) or {})  # type: ignore[call-overload]
    return page(
        request,
        "reports.html",
        status_code=status_code,
        choices=CHOICES,
        values=values,
        tracker=settings.tracker,
        **context,
    )


@router.get("/reports")
def reports_page(request: Request) -> Response:
    return _form(request)


def read_month(month: str, year: str) -> str | None:
    """``"2026-11"`` from the form's month and year, or None when they are not a month."""
    try:
        number, full_year = int(month.strip()), int(year.strip())
    except ValueError:
        return None
    if not 1 <= number <= 12 or not 2000 <= full_year <= 2100:
        return None
    return f"{full_year:04d}-{number:02d}"


@router.post("/reports")
async def reports_start(request: Request) -> Response:
    settings = request.app.state.settings
    form = await checked_form(request)
    fields = {key: value for key, value in form.items() if isinstance(value, str)}
    chosen = [o for o in OUTPUTS if o in form.getlist("outputs")]
    month = read_month(fields.get("month", ""), fields.get("year", ""))
    errors = []
    if month is None:
        errors.append(
            {"text": "Enter a real month and year, for example 11 and 2026", "href": "#month"}
        )
    if not chosen:
        errors.append({"text": "Choose at least one report or export", "href": "#outputs"})
    if settings.tracker is None:
        errors.append(
            {"text": "No tracker is set up: set tracker in formkit.toml", "href": "#month"}
        )
    if errors or month is None:
        values = {
            "month": fields.get("month", ""),
            "year": fields.get("year", ""),
            "outputs": chosen,
        }
        return _form(request, status_code=422, errors=errors, values=values)
    user = user_of(request)
    audit = request.app.state.audit

    def work(job: Job) -> None:
        job.total = len(chosen)
        warnings: list[Problem] = []
        out = job.folder / "reports"
        files = write_month_pack(
            settings.tracker, month, out, outputs=chosen, now=settings.now,
            warnings=warnings, progress=job.advance,
        )  # fmt: skip
        job.download = job.folder / f"reports-{month}.zip"
        with zipfile.ZipFile(job.download, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in files:
                archive.write(path, path.name)
        job.download_name = job.download.name
        job.result = {"files": [Path(p).name for p in files], "warnings": warnings}
        audit.record(user, "reports made", counts={"files": len(files), "warnings": len(warnings)})

    job = jobs_of(request).start(
        work, title=f"Reports for {month}", user=user, result_template="_reports_result.html"
    )
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)

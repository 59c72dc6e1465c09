"""``/api/today``, ``/api/validate``, ``/api/plan``, ``/api/reports``: web1's API routes.

Each returns what the matching command's ``--json`` prints (``written``, ``problems``,
``warnings`` and the command's own counts), with the uploaded files named as the caller
named them. Uploads take the same limits as the pages (``multipart/form-data``, field
``files``).
"""

from __future__ import annotations

import io
import shutil
import zipfile
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from formkit.errors import Problem
from formkit.web.api import require_token
from formkit.web.api import upload_body as _upload_body
from formkit.web.today import today_for
from formkit.web.uploads import Upload, receive_job_upload

router = APIRouter(dependencies=[Depends(require_token)], tags=["formkit"])


def _shown(upload: Upload, result: dict[str, Any]) -> dict[str, Any]:
    """``result`` with each problem's file named as the caller named it."""
    for key in ("problems", "warnings"):
        result[key] = [
            {**item, "file": upload.shown_name(item["file"])} for item in result.get(key, [])
        ]
    return result


def _no_files(upload: Upload) -> None:
    if not upload.files:
        raise HTTPException(422, detail="Send one or more episode files in the 'files' field.")


@router.get("/today", summary="What is overdue and due in the next 48 hours, from the tracker")
def api_today(request: Request) -> dict[str, Any]:
    """The same JSON as ``formkit today TRACKER --json``, with ``missing_now``."""
    settings = request.app.state.settings
    if settings.tracker is None:
        raise HTTPException(409, detail="No tracker is configured (tracker in formkit.toml).")
    today = today_for(request.app.state.today_cache, settings.tracker, now=settings.now)
    return today.as_dict()


@router.post(
    "/validate",
    summary="Check episode files against the episode model",
    openapi_extra=_upload_body(),
)
async def api_validate(request: Request) -> dict[str, Any]:
    """The same JSON as ``formkit validate FILES --json``."""
    from formkit.validation import validate_files

    upload = await receive_job_upload(request, csrf=False)
    try:
        _no_files(upload)
        result = await run_in_threadpool(validate_files, [f.path for f in upload.files])
        request.app.state.audit.record(
            "api", "validate", counts={"records": result.records, "problems": len(result.problems)}
        )
        return _shown(upload, result.as_dict())
    finally:
        shutil.rmtree(upload.folder, ignore_errors=True)


@router.post(
    "/plan",
    summary="What is due, by when, for each episode",
    openapi_extra=_upload_body(
        ("profile", "a profile id (bexley, statutory…); default: each episode's own"),
    ),
)
async def api_plan(request: Request) -> dict[str, Any]:
    """The same JSON as ``formkit plan FILES --json``."""
    from formkit.protocol import load_profile
    from formkit.protocol.batch import plan_files

    settings = request.app.state.settings
    upload = await receive_job_upload(request, csrf=False)
    try:
        _no_files(upload)
        name = upload.value("profile")
        profile = load_profile(name) if name else None
        result = await run_in_threadpool(
            lambda: plan_files([f.path for f in upload.files], profile=profile, now=settings.now)
        )
        request.app.state.audit.record(
            "api",
            "plan",
            references=[plan.reference for plan in result.plans],
            counts={"planned": result.planned, "problems": len(result.problems)},
        )
        return _shown(upload, result.as_dict())
    finally:
        shutil.rmtree(upload.folder, ignore_errors=True)


@router.get(
    "/reports/{month}",
    summary="A month's report, SSDA903, Annex A and CSV as one zip",
    response_class=Response,
    responses={200: {"content": {"application/zip": {}}}},
)
def api_reports(
    request: Request, month: str, outputs: str = "report,ssda903,annex-a,csv"
) -> Response:
    """``month`` is ``2026-11``; ``outputs`` a comma-separated choice of report, ssda903,
    annex-a and csv. The zip holds the same files as the Reports page makes."""
    from formkit.tracker.month_pack import write_month_pack

    settings = request.app.state.settings
    if settings.tracker is None:
        raise HTTPException(409, detail="No tracker is configured (tracker in formkit.toml).")
    chosen = [o.strip() for o in outputs.split(",") if o.strip()]
    folder = request.app.state.jobs.new_folder()
    try:
        warnings: list[Problem] = []
        files = write_month_pack(
            settings.tracker, month, folder, outputs=chosen, now=settings.now,  # type: ignore[arg-type]
            warnings=warnings,
        )  # fmt: skip
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in files:
                archive.write(path, path.name)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    request.app.state.audit.record("api", "reports made", counts={"files": len(files)})
    return Response(
        buffer.getvalue(),
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="reports-{month}.zip"'},
    )

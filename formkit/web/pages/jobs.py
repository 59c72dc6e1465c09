"""The shared job page: ``/jobs/<id>`` with its progress, its result and its download."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from starlette.background import BackgroundTask
from starlette.responses import FileResponse, Response

from formkit.web.html import page
from formkit.web.jobs import Job, JobRunner, jobs_of, user_of

router = APIRouter()


def _job(request: Request, job_id: str) -> tuple[JobRunner, Job]:
    runner = jobs_of(request)
    job = runner.get(job_id, user_of(request))
    if job is None:
        raise HTTPException(404)
    return runner, job


@router.get("/jobs/{job_id}")
def job_page(request: Request, job_id: str) -> Response:
    _, job = _job(request, job_id)
    return page(request, "job.html", job=job)


@router.get("/jobs/{job_id}/status")
def job_status(request: Request, job_id: str) -> Response:
    """The status fragment htmx polls every second while the job runs."""
    _, job = _job(request, job_id)
    return page(request, "_job_status.html", job=job)


@router.get("/jobs/{job_id}/download")
def job_download(request: Request, job_id: str) -> Response:
    """The job's file; the job's folder is removed once it has been sent."""
    runner, job = _job(request, job_id)
    if job.state != "done" or job.download is None or not job.download.is_file():
        raise HTTPException(404)
    return FileResponse(
        job.download,
        filename=job.download_name or job.download.name,
        background=BackgroundTask(runner.taken, job),
    )

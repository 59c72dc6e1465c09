"""``/api/pack``, ``/api/parse``, ``/api/tracker/update``: the Make documents and Completed forms
work for Power Automate and scripts.

Each takes a ``multipart/form-data`` upload in the field ``files`` (limited while it streams in, stored under names
the server makes, exactly as the pages' uploads) and answers with the same JSON as the CLI's
``--json``, naming each file as it was uploaded. Power Automate's HTTP action can post a
returned RHI form to ``/api/parse`` (what it says) or ``/api/tracker/update`` (into the
tracker, backed up first).
"""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from starlette.responses import FileResponse, Response

from formkit.web.api import require_token, upload_body
from formkit.web.jobs import Job, JobRunner, jobs_of
from formkit.web.uploads import Upload, receive_job_upload

router = APIRouter(dependencies=[Depends(require_token)], tags=["formkit"])
_TRUE = {"1", "true", "yes", "on"}


def _flag(upload: Upload, name: str, default: bool) -> bool:
    value = upload.value(name)
    return default if value is None else value.strip().lower() in _TRUE


async def _finished(runner: JobRunner, job: Job) -> Job:
    """Wait for ``job`` without holding a worker thread (the app stays responsive)."""
    while not job.finished:
        await asyncio.sleep(0.05)
    if job.state == "failed":
        runner.taken(job)
        raise HTTPException(422, detail=job.message)
    return job


def _files_of(upload: Upload, what: str) -> None:
    if not upload.files:
        import shutil

        shutil.rmtree(upload.folder, ignore_errors=True)
        raise HTTPException(422, detail=f"Send one or more {what} in the 'files' field.")


@router.post(
    "/pack",
    summary="Make the documents of uploaded episodes: JSON, and the zip to download once",
    openapi_extra=upload_body(
        ("word", "true (default) or false: keep the Word documents"),
        ("pdf", "true or false (default): also PDFs, made by LibreOffice"),
        ("flatten", "true or false (default): lock the fillable PDF forms"),
        ("template", "a template to make besides each episode's plan (repeat for more)"),
    ),
)
async def api_pack(request: Request) -> dict[str, Any]:
    """What ``formkit pack --json`` says of the batch (``records``, ``episodes`` with the names
    in the zip, ``missing``, ``written``, ``problems``, ``warnings``), and ``download``: the
    zip, a folder per episode with its ``what-is-missing.txt``. The zip can be taken once; it
    is removed then, or after an hour."""
    upload = await receive_job_upload(request, csrf=False)
    _files_of(upload, "episode files")
    settings = request.app.state.settings
    runner = jobs_of(request)
    names = {str(f.path): f.name for f in upload.files}
    templates = upload.fields.get("template", [])
    word, pdf = _flag(upload, "word", True), _flag(upload, "pdf", False)
    flatten = _flag(upload, "flatten", False)

    def work(job: Job) -> None:
        from formkit.render.bundle import pack_zip

        job.result = pack_zip(
            [f.path for f in upload.files],
            job.folder / "documents.zip",
            work_dir=job.folder / "documents",
            templates=templates,
            word=word,
            pdf=pdf,
            flatten=flatten,
            now=settings.now,
            progress=job.advance,
            names=names,
            catalog_dir=settings.catalog_dir,
        )
        job.download = job.result.zip
        job.download_name = "documents.zip"

    job = runner.start(work, title="Make the documents", user="api", folder=upload.folder)
    await _finished(runner, job)
    request.app.state.audit.record(
        "api",
        "documents.make",
        references=list(job.result.episodes),
        counts={"documents": job.result.documents, "problems": len(job.result.problems)},
    )
    download = f"/api/pack/{job.id}"
    return {**job.result.as_dict(), "zip": download, "written": [download]}


@router.get("/pack/{job_id}", summary="The zip made by /api/pack (once)")
def api_pack_zip(request: Request, job_id: str) -> Response:
    """The zip; it is removed from the server once sent."""
    from starlette.background import BackgroundTask

    runner = jobs_of(request)
    job = runner.get(job_id, "api")
    if job is None or job.download is None or not job.download.is_file():
        raise HTTPException(
            404, detail="No such zip: it was taken already, or is over an hour old."
        )
    return FileResponse(
        job.download,
        filename=job.download_name or "documents.zip",
        media_type="application/zip",
        background=BackgroundTask(runner.taken, job),
    )


@router.post(
    "/parse",
    summary="Read completed forms (Word or PDF): the same JSON as formkit parse --json",
    openapi_extra=upload_body(),
)
async def api_parse(request: Request) -> dict[str, Any]:
    """One result per form read (``file``, ``data``, ``report``) and a problem per form that
    could not be read, as ``formkit parse --json``."""
    upload = await receive_job_upload(request, csrf=False)
    _files_of(upload, "completed forms")
    runner = jobs_of(request)
    names = {str(f.path): f.name for f in upload.files}

    def work(job: Job) -> None:
        from dataclasses import replace

        from formkit.parse.batch import parse_files

        parsed = parse_files([f.path for f in upload.files], progress=job.advance)
        for result in parsed.results:
            result.file = names.get(result.file, result.file)
        parsed.problems = [replace(p, file=names.get(p.file, p.file)) for p in parsed.problems]
        parsed.warnings = [replace(w, file=names.get(w.file, w.file)) for w in parsed.warnings]
        job.result = parsed

    job = await _finished(runner, runner.start(work, title="Read forms", user="api",
                                               folder=upload.folder))  # fmt: skip
    runner.taken(job)
    request.app.state.audit.record(
        "api",
        "forms.read",
        references=[r.reference for r in job.result.results if r.reference],
        counts={"forms": len(upload.files), "problems": len(job.result.problems)},
    )
    answer: dict[str, Any] = job.result.as_dict()
    return answer


@router.post(
    "/tracker/update",
    summary="Put completed forms into the tracker: the same JSON as formkit tracker update --json",
    openapi_extra=upload_body(
        ("match", "the episode reference of the one form sent, when it cannot be matched"),
        ("dry_run", "true or false (default): say what would change, save nothing"),
    ),
)
async def api_tracker_update(request: Request) -> dict[str, Any]:
    """The forms are read and merged into the tracker named in ``formkit.toml`` exactly as
    ``formkit tracker update TRACKER FORMS`` would (the tracker is backed up first); the
    Source file column names each form as it was uploaded."""
    settings = request.app.state.settings
    if settings.tracker is None:
        raise HTTPException(409, detail="No tracker is configured (tracker in formkit.toml).")
    upload = await receive_job_upload(request, csrf=False)
    _files_of(upload, "completed forms")
    runner = jobs_of(request)
    match = (upload.value("match") or "").strip() or None
    dry_run = _flag(upload, "dry_run", False)

    def work(job: Job) -> None:
        from formkit.web.pages.forms import apply_forms, read_forms, unique_names

        batch = read_forms(unique_names(upload.files), settings.tracker, now=settings.now, job=job)
        matches = {batch.forms[0].name: match} if match and len(batch.forms) == 1 else None
        if match and matches is None:
            from formkit.errors import TrackerError

            raise TrackerError(
                f"match names the episode of one form, but {len(batch.forms)} forms were sent; "
                "send that form alone"
            )
        job.result = apply_forms(
            batch, settings.tracker, now=settings.now, dry_run=dry_run, matches=matches
        )

    job = await _finished(runner, runner.start(work, title="Update the tracker", user="api",
                                               folder=upload.folder))  # fmt: skip
    runner.taken(job)
    result = job.result
    if not dry_run:
        request.app.state.audit.record(
            "api",
            "tracker.update",
            references=[c.reference for c in result.changes],
            counts={"updated": result.updated, "problems": len(result.problems)},
        )
    answer: dict[str, Any] = result.as_dict()
    return answer

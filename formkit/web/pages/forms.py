"""Completed forms: drop returned RHI forms, review what was read, update the tracker, undo.

Reading is a background job: ``parse_files`` (``formkit parse``) and a dry run of
``update_tracker`` (``formkit tracker update --dry-run``) show, for each form, what was read,
the episode it matched (or the candidates to choose from), warnings and conflicts. Confirming
runs ``update_tracker`` on the same forms, with the choices made (the tracker is backed up
first, as always); Undo puts that backup back (``tracker/backups.py``).
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from formkit.errors import Problem
from formkit.web.html import page
from formkit.web.jobs import Job, jobs_of, user_of
from formkit.web.security import checked_form
from formkit.web.uploads import StoredFile, receive_job_upload

router = APIRouter()

FORM_TYPES = ".docx,.pdf"
_ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
LEAVE_OUT = "-"


@dataclass
class FormReview:
    """One uploaded form as the review shows it."""

    name: str
    read: list[tuple[str, str]] = field(default_factory=list)  # field path, value
    reference: str | None = None
    how: str | None = None
    candidates: list[Any] = field(default_factory=list)  # tracker.match.Candidate
    warnings: list[str] = field(default_factory=list)
    conflicts: list[Any] = field(default_factory=list)  # tracker.update.Conflict
    cells: list[Any] = field(default_factory=list)  # tracker.update.CellChange
    problems: list[Problem] = field(default_factory=list)

    @property
    def choose(self) -> bool:
        return bool(self.candidates) and self.reference is None


@dataclass
class FormsBatch:
    """The forms of one upload: read once, then applied to the tracker (and maybe undone)."""

    files: list[StoredFile]
    parsed: list[Any] = field(default_factory=list)  # parse.result.ParseResult
    forms: list[FormReview] = field(default_factory=list)
    applied: Any = None  # tracker.update.UpdateResult once confirmed
    saved: str | None = None  # the tracker's digest just after that update, to guard the undo
    undone: Any = None  # tracker.backups.RestoreResult once undone

    @property
    def names(self) -> dict[str, str]:
        return {str(f.path): f.name for f in self.files}

    @property
    def usable(self) -> bool:
        return any(f.reference or f.choose for f in self.forms)


@router.get("/forms")
def forms_page(request: Request) -> Response:
    return page(
        request, "forms.html", tracker=request.app.state.settings.tracker, accept=FORM_TYPES
    )


@router.post("/forms")
async def upload_forms(request: Request) -> Response:
    settings = request.app.state.settings
    upload = await receive_job_upload(request)
    folder = upload.folder
    errors = []
    if settings.tracker is None:
        errors.append({"text": "No tracker is set up for this service", "href": "#forms"})
    elif not upload.files:
        errors.append({"text": "Choose the completed forms to upload", "href": "#forms"})
    if errors:
        shutil.rmtree(folder, ignore_errors=True)
        return page(
            request,
            "forms.html",
            status_code=400,
            errors=errors,
            tracker=settings.tracker,
            accept=FORM_TYPES,
        )
    files = unique_names(upload.files)

    def work(job: Job) -> None:
        job.total = len(files)
        job.result = read_forms(files, settings.tracker, now=settings.now, job=job)
        job.result_template = "_forms_review.html"

    job = jobs_of(request).start(
        work, title="Read the completed forms", user=user_of(request), folder=folder
    )
    request.app.state.audit.record(user_of(request), "forms.read", counts={"forms": len(files)})
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


def unique_names(files: list[StoredFile]) -> list[StoredFile]:
    """The files in the order ``tracker update *.docx`` takes them (by name), each name made
    unique ("form.docx", "form (2).docx"): a form is known by its name in the tracker."""
    from dataclasses import replace

    seen: dict[str, int] = {}
    named = []
    for stored in sorted(files, key=lambda f: f.name):
        count = seen[stored.name] = seen.get(stored.name, 0) + 1
        if count > 1:
            stem, dot, suffix = stored.name.rpartition(".")
            name = f"{stem} ({count}).{suffix}" if dot else f"{stored.name} ({count})"
            stored = replace(stored, name=name)
        named.append(stored)
    return named


def _flat(data: Any, prefix: str = "") -> list[tuple[str, str]]:
    """A parsed form's data as (path, value) lines, for showing what was read."""
    if isinstance(data, dict):
        return [line for key, value in data.items() for line in _flat(value, f"{prefix}{key}.")]
    if isinstance(data, list):
        if all(not isinstance(v, dict | list) for v in data):
            return [(prefix.rstrip("."), "; ".join(map(str, data)))] if data else []
        return [line for n, value in enumerate(data) for line in _flat(value, f"{prefix}{n}.")]
    if data in (None, ""):
        return []
    if isinstance(data, bool):
        return [(prefix.rstrip("."), "yes" if data else "no")]
    return [(prefix.rstrip("."), _shown_value(data))]


def _shown_value(value: Any) -> str:
    """A value read from a form as a person reads it: a time as 03/11/2026 14:30, London."""
    from formkit.words import table_datetime

    if isinstance(value, str) and _ISO_TIME.match(value):
        try:
            return table_datetime(datetime.fromisoformat(value.replace("Z", "+00:00")))
        except ValueError:
            return value
    if isinstance(value, datetime | date):
        return table_datetime(value)
    return str(value)


def read_forms(
    files: list[StoredFile], tracker: Path, *, now: datetime | None, job: Job | None = None
) -> FormsBatch:
    """Read the forms (``formkit parse``) and what they would change (``--dry-run``)."""
    from formkit.parse.batch import parse_files

    batch = FormsBatch(files=list(files))
    names = batch.names
    progress = job.advance if job is not None else (lambda _: None)
    parsed = parse_files([f.path for f in files], progress=progress)
    batch.parsed = parsed.results
    by_name = {f.name: FormReview(f.name) for f in files}
    batch.forms = list(by_name.values())
    for problem in parsed.problems:
        name = names.get(problem.file, problem.file)
        by_name[name].problems.append(_shown(problem, names))
    for result in parsed.results:
        review = by_name[names[result.file]]
        review.read = _flat(result.data)
        review.warnings = list(result.warnings)
    update = apply_forms(batch, tracker, now=now, dry_run=True)
    _describe(batch, update)
    return batch


def _shown(problem: Problem, names: dict[str, str]) -> Problem:
    from dataclasses import replace

    return replace(problem, file=names.get(problem.file, problem.file))


def apply_forms(
    batch: FormsBatch,
    tracker: Path,
    *,
    now: datetime | None,
    dry_run: bool,
    matches: dict[str, str] | None = None,
) -> Any:
    """``formkit tracker update`` with the forms read already (under their uploaded names)."""
    from formkit.tracker.sources import read_forms as changes_of
    from formkit.tracker.update import update_tracker

    read = changes_of(batch.parsed, batch.names)
    result = update_tracker(
        tracker, [], changes=read.changes, dry_run=dry_run, now=now, matches=matches
    )
    result.problems[:0] = read.problems
    return result


def _describe(batch: FormsBatch, update: Any) -> None:
    by_name = {form.name: form for form in batch.forms}
    for source, reference, how in update.matched:
        by_name[source].reference, by_name[source].how = reference, how
    for unmatched in update.unmatched:
        by_name[unmatched.source].candidates = list(unmatched.candidates)
    for change in update.changes:
        form = by_name[change.source]
        form.reference = form.reference or change.reference
        form.cells = list(change.cells)
    for conflict in update.conflicts:
        by_name[conflict.source].conflicts.append(conflict)
    for problem in update.problems:
        about = by_name.get(problem.file)
        # A form with candidates is settled by choosing one here (not with --match).
        if about is not None and not about.candidates and problem not in about.problems:
            about.problems.append(problem)


def _batch_of(request: Request, job_id: str) -> tuple[Job, FormsBatch]:
    job = jobs_of(request).get(job_id, user_of(request))
    if job is None or job.state != "done" or not isinstance(job.result, FormsBatch):
        raise HTTPException(404)
    return job, job.result


@router.post("/forms/{job_id}/confirm")
async def confirm_forms(request: Request, job_id: str) -> Response:
    form_data = await checked_form(request, max_fields=1000)  # a choice per form
    job, batch = _batch_of(request, job_id)
    if batch.applied is not None:
        return RedirectResponse(f"/forms/{job.id}/changes", status_code=303)
    matches = {}
    for number, form in enumerate(batch.forms, start=1):
        chosen = str(form_data.get(f"match-{number}") or "")
        if form.choose and chosen in {c.reference for c in form.candidates}:
            matches[form.name] = chosen
    settings = request.app.state.settings
    batch.applied = await run_in_threadpool(
        apply_forms, batch, settings.tracker, now=settings.now, dry_run=False, matches=matches
    )
    from formkit.render.made import file_digest

    batch.saved = file_digest(settings.tracker)
    request.app.state.audit.record(
        user_of(request),
        "tracker.update",
        references=[c.reference for c in batch.applied.changes],
        counts={"updated": batch.applied.updated, "problems": len(batch.applied.problems)},
    )
    return RedirectResponse(f"/forms/{job.id}/changes", status_code=303)


@router.get("/forms/{job_id}/changes")
def changes_page(request: Request, job_id: str) -> Response:
    job, batch = _batch_of(request, job_id)
    if batch.applied is None:
        raise HTTPException(404)
    return page(request, "forms_changes.html", job=job, batch=batch, result=batch.applied)


@router.post("/forms/{job_id}/undo")
async def undo_forms(request: Request, job_id: str) -> Response:
    await checked_form(request)
    job, batch = _batch_of(request, job_id)
    applied = batch.applied
    if applied is None or applied.backup is None or batch.undone is not None:
        return RedirectResponse(f"/forms/{job.id}/changes", status_code=303)
    from formkit.render.made import file_digest
    from formkit.tracker.backups import restore_tracker

    settings = request.app.state.settings
    if file_digest(settings.tracker) != batch.saved:
        return page(
            request,
            "error.html",
            status_code=409,
            heading="The tracker has changed since these forms were added",
            lines=[
                "Someone (or another formkit run) has saved the tracker since, so undoing these "
                "forms now would lose that work too. Nothing was changed.",
                f"The tracker as it was before these forms is kept as {applied.backup.name}; "
                "'formkit tracker restore' can still put it back.",
            ],
            back=f"/forms/{job.id}/changes",
            back_text="Back to the changes",
        )
    batch.undone = await run_in_threadpool(restore_tracker, settings.tracker, applied.backup)
    request.app.state.audit.record(
        user_of(request),
        "tracker.undo",
        references=[c.reference for c in applied.changes],
        counts={"restored_rows": batch.undone.rows},
    )
    return RedirectResponse(f"/forms/{job.id}/changes", status_code=303)

"""Make documents: upload episodes, see each row's problems, choose documents, download a zip.

Two background jobs, both on the job page: *checking* (``validate_files`` and ``plan_files``,
the review shown when it ends) and *making* (``pack_zip``: a folder per episode with its
"what is missing" list, one zip to download). The same library functions as ``formkit
validate``, ``plan`` and ``pack``; nothing is decided here but what to show.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from starlette.responses import RedirectResponse, Response

from formkit.errors import Problem
from formkit.web.html import page
from formkit.web.jobs import Job, jobs_of, user_of
from formkit.web.security import checked_form
from formkit.web.uploads import StoredFile, receive_job_upload

router = APIRouter()

EPISODE_TYPES = ".xlsx,.csv,.json,.yaml,.yml,.jsonl"
# The choice form: a checkbox per document per episode (a thousand episodes' worth).
MAX_FIELDS = 20_000


@dataclass(frozen=True)
class Option:
    """A document an episode can have: ticked when its plan calls for it."""

    id: str
    title: str
    ticked: bool


@dataclass(frozen=True)
class EpisodeChoice:
    reference: str
    profile: str
    options: tuple[Option, ...]


@dataclass
class DocumentsReview:
    """What the check found: the problems of each row, and each valid episode's documents."""

    files: list[StoredFile]
    records: int = 0
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    episodes: list[EpisodeChoice] = field(default_factory=list)

    @property
    def names(self) -> dict[str, str]:
        return {str(f.path): f.name for f in self.files}


@router.get("/documents")
def documents_page(request: Request, reference: str | None = None) -> Response:
    settings = request.app.state.settings
    found = None
    if reference and settings.episodes is not None:
        from formkit.load import find_episode

        found = find_episode(settings.episodes, reference)
    return page(
        request,
        "documents.html",
        reference=reference,
        found=found,
        folder=settings.episodes,
        accept=EPISODE_TYPES,
    )


@router.post("/documents")
async def upload_episodes(request: Request) -> Response:
    upload = await receive_job_upload(request)
    folder = upload.folder
    if not upload.files:
        shutil.rmtree(folder, ignore_errors=True)
        errors = [{"text": "Choose the episode files to upload", "href": "#episodes"}]
        return page(request, "documents.html", status_code=400, errors=errors, accept=EPISODE_TYPES)
    return _start_check(request, upload.files, folder)


@router.post("/documents/from-folder")
async def episode_from_folder(request: Request) -> Response:
    """The episode of Today's link, from the episodes folder: checked as if it were uploaded."""
    form = await checked_form(request)
    reference = str(form.get("reference") or "")
    settings = request.app.state.settings
    from formkit.load import find_episode

    episode = find_episode(settings.episodes, reference) if settings.episodes else None
    if episode is None:
        raise HTTPException(404)
    folder = jobs_of(request).new_folder()
    path = folder / "001.json"
    path.write_text(episode.model_dump_json(exclude_none=True), encoding="utf-8")
    stored = StoredFile(path, f"{reference} (episodes folder)", path.stat().st_size)
    return _start_check(request, [stored], folder)


def _start_check(request: Request, files: list[StoredFile], folder: Path) -> Response:
    settings = request.app.state.settings

    def work(job: Job) -> None:
        job.result = check_episodes(
            files, now=settings.now, catalog_dir=settings.catalog_dir, job=job
        )
        job.result_template = "_documents_review.html"

    job = jobs_of(request).start(
        work, title="Check the episodes", user=user_of(request), folder=folder
    )
    request.app.state.audit.record(
        user_of(request), "documents.check", counts={"files": len(files)}
    )
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


def check_episodes(
    files: Sequence[StoredFile],
    *,
    now: datetime | None,
    catalog_dir: Path | None,
    job: Job | None = None,
) -> DocumentsReview:
    """Validate and plan the uploaded files: ``formkit validate`` and ``formkit plan``."""
    from formkit.protocol.batch import plan_files
    from formkit.render.catalog import Catalog
    from formkit.validation import validate_files

    review = DocumentsReview(files=list(files))
    names = review.names
    paths = [f.path for f in files]
    progress = job.advance if job is not None else (lambda _: None)
    checked = validate_files(paths, progress=progress)
    planned = plan_files(paths, now=now)
    review.records = checked.records
    seen = set()
    for problem in [*checked.problems, *planned.problems]:
        shown = replace(problem, file=names.get(problem.file, problem.file))
        if shown not in seen:
            seen.add(shown)
            review.problems.append(shown)
    review.warnings = [replace(w, file=names.get(w.file, w.file)) for w in checked.warnings]
    catalog = Catalog.load(catalog_dir)
    for plan in planned.plans:
        due = plan.documents_due()
        ids = [e.id for e in catalog if e.used_by(plan.profile)]
        ids += [d for d in due if d not in ids]
        options = tuple(
            Option(i, catalog.entries[i].title if i in catalog else i, i in due) for i in ids
        )
        review.episodes.append(EpisodeChoice(plan.reference, _protocol(plan.profile), options))
    return review


def _protocol(profile: str) -> str:
    """The protocol's name (``London Borough of Bexley``), or its id if it cannot be read."""
    from formkit.errors import FormkitError
    from formkit.protocol import load_profile

    try:
        return load_profile(profile).name
    except FormkitError:
        return profile


def _review_of(request: Request, job_id: str) -> tuple[Job, DocumentsReview]:
    job = jobs_of(request).get(job_id, user_of(request))
    if job is None or job.state != "done" or not isinstance(job.result, DocumentsReview):
        raise HTTPException(404)
    if job.taken:
        raise HTTPException(404, "These episodes' documents were made already.")
    return job, job.result


@router.post("/documents/{job_id}/make")
async def start_making(request: Request, job_id: str) -> Response:
    form = await checked_form(request, max_fields=MAX_FIELDS)
    check, review = _review_of(request, job_id)
    known = {e.reference: {o.id for o in e.options} for e in review.episodes}
    chosen: dict[str, list[str]] = {reference: [] for reference in known}
    for value in map(str, form.getlist("document")):
        reference, _, template = value.partition("|")
        if template in known.get(reference, ()):
            chosen[reference].append(template)
    formats = form.getlist("format")
    word, pdf, flatten = "word" in formats, "pdf" in formats, "flatten" in form.getlist("flatten")
    errors = []
    if not word and not pdf:
        errors.append({"text": "Choose Word, PDF or both", "href": "#format"})
    if not any(chosen.values()):
        errors.append({"text": "Choose at least one document to make", "href": "#documents"})
    if errors:
        return page(
            request,
            "documents_review.html",
            status_code=400,
            errors=errors,
            job=check,
            review=review,
            chosen=chosen,
            formats={"word": word, "pdf": pdf, "flatten": flatten},
        )
    runner = jobs_of(request)
    folder = runner.new_folder()
    files = []
    for stored in review.files:
        target = folder / stored.path.name
        shutil.move(stored.path, target)
        files.append(replace(stored, path=target))
    runner.taken(check)  # its files moved to the new job; its page is not offered again
    settings = request.app.state.settings
    names = {str(f.path): f.name for f in files}

    def work(job: Job) -> None:
        from formkit.render.bundle import pack_zip

        def stage(label: str, total: int) -> None:
            job.stage, job.done, job.total = label, 0, total

        result = pack_zip(
            [f.path for f in files],
            job.folder / "documents.zip",
            work_dir=job.folder / "documents",
            documents=chosen,
            planned=False,
            word=word,
            pdf=pdf,
            flatten=flatten,
            now=settings.now,
            progress=job.advance,
            stage=stage,
            names=names,
            catalog_dir=settings.catalog_dir,
        )
        job.result = result
        job.result_template = "_documents_made.html"
        job.download = result.zip
        moment = settings.now or datetime.now()
        job.download_name = f"documents {moment:%Y-%m-%d %H.%M}.zip"
        request.app.state.audit.record(
            job.user,
            "documents.make",
            references=list(result.episodes),
            counts={"documents": result.documents, "problems": len(result.problems)},
        )

    job = runner.start(work, title="Make the documents", user=user_of(request), folder=folder)
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)

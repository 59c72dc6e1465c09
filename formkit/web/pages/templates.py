"""Templates: the documents each profile uses, downloads, and an edited template checked by
lint and used (saved into the council's templates folder) only when lint finds nothing."""

from __future__ import annotations

import shutil
from dataclasses import dataclass

from fastapi import APIRouter, HTTPException, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import FileResponse, Response

from formkit.render.catalog import Catalog, CatalogEntry
from formkit.render.council import TemplateUse, council_catalog, use_template
from formkit.render.lint import lint_template
from formkit.web.html import page
from formkit.web.uploads import receive_job_upload

router = APIRouter()


@dataclass(frozen=True)
class ProfileDocuments:
    id: str
    name: str
    templates: list[CatalogEntry]


def profiles_documents(catalog: Catalog) -> list[ProfileDocuments]:
    """For each shipped protocol profile, the catalogue's templates it uses."""
    from formkit.protocol import load_profile
    from formkit.protocol.profile import bundled_profiles

    return [
        ProfileDocuments(pid, load_profile(pid).name, [e for e in catalog if e.used_by(pid)])
        for pid in bundled_profiles()
    ]


def _listing(request: Request, **context: object) -> Response:
    settings = request.app.state.settings
    catalog = council_catalog(settings.templates)
    return page(
        request,
        "templates.html",
        catalog=list(catalog),
        word_templates=[e for e in catalog if e.format == "docx"],
        profiles=profiles_documents(catalog),
        folder=settings.templates,
        own=settings.templates is not None and (settings.templates / "catalog.yaml").is_file(),
        status_code=422 if context.get("errors") else 200,
        **context,
    )


@router.get("/templates")
def templates_page(request: Request) -> Response:
    return _listing(request)


@router.get("/templates/{template_id}/download")
def template_download(request: Request, template_id: str) -> Response:
    catalog = council_catalog(request.app.state.settings.templates)
    if template_id not in catalog:
        raise HTTPException(404)
    entry = catalog.get(template_id)
    if not entry.path.is_file():
        raise HTTPException(404)
    return FileResponse(entry.path, filename=entry.path.name)


@router.post("/templates")
async def template_upload(request: Request) -> Response:
    """Check an edited template; use it only when lint passes and a folder is configured."""
    settings = request.app.state.settings
    upload = await receive_job_upload(request)
    try:
        chosen = upload.value("template") or ""
        catalog = council_catalog(settings.templates)
        errors = []
        if chosen not in {e.id for e in catalog if e.format == "docx"}:
            errors.append({"text": "Choose which template this is", "href": "#template"})
        if len(upload.files) != 1:
            errors.append({"text": "Choose one Word template (.docx) to upload", "href": "#file"})
        if errors:
            return _listing(request, errors=errors, chosen=chosen)
        stored = upload.files[0]
        if settings.templates is not None:
            result = await run_in_threadpool(
                use_template, settings.templates, chosen, stored.path, now=settings.now
            )
        else:
            findings = await run_in_threadpool(lint_template, stored.path)
            result = TemplateUse(chosen, findings=findings)
        request.app.state.audit.record(
            request.state.user,
            "template used" if result.saved else "template checked",
            counts={"faults": len(result.findings)},
        )
        return page(
            request,
            "template_result.html",
            result=result,
            entry=catalog.get(chosen),
            file_name=stored.name,
            folder=settings.templates,
            status_code=422 if result.findings else 200,
        )
    finally:
        shutil.rmtree(upload.folder, ignore_errors=True)

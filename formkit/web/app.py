"""``create_app(settings)``: the browser app and its JSON API, as one ASGI application.

HTML pages are plain routes rendering Jinja2 templates (``pages/``); the JSON API (``api/``)
is a FastAPI router so its OpenAPI description is served at ``/api/openapi.json``. Every page
calls the same library functions as the CLI: nothing here is a second implementation.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import threading
from collections.abc import AsyncIterator
from typing import Any

from fastapi import FastAPI
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.staticfiles import StaticFiles

from formkit import __version__
from formkit.errors import FormkitError
from formkit.resources import bundled
from formkit.web.audit import AuditLog
from formkit.web.config import ConfigError, Settings
from formkit.web.html import page, template_environment
from formkit.web.jobs import JobRunner
from formkit.web.security import CsrfRefused, Guard, SecurityHeaders
from formkit.web.today import TodayCache, today_for
from formkit.web.uploads import UploadRefused
from formkit.web.users import UserStore

# Each module has a ``router``; a page or API area is added by adding its module here.
PAGE_MODULES = (
    "formkit.web.pages.today",
    "formkit.web.pages.jobs",
    "formkit.web.pages.templates",
    "formkit.web.pages.reports",
    "formkit.web.pages.documents",
    "formkit.web.pages.forms",
)
API_MODULES = ("formkit.web.api.core", "formkit.web.api.documents")
SWEEP_SECONDS = 60


def council_name(settings: Settings) -> str:
    """The council's name for the header: the default profile's, or a neutral one."""
    if not settings.profile:
        return "Children's services"
    from formkit.protocol import load_profile

    try:
        return load_profile(settings.profile).name
    except FormkitError as error:
        raise ConfigError(
            f"the profile '{settings.profile}' could not be loaded: {error}"
        ) from error


def warm_today(app: FastAPI, settings: Settings) -> None:
    """Fill the Today cache in the background; a failure is shown when the page is opened."""
    if settings.tracker is None:
        return
    with contextlib.suppress(Exception):
        today_for(app.state.today_cache, settings.tracker, now=settings.now)


def create_app(settings: Settings | None = None) -> FastAPI:
    """The app for ``settings`` (defaults: loopback, no tracker, nothing configured)."""
    settings = settings or Settings()
    settings.check_safe_to_start()
    jobs = JobRunner(settings.work_dir, keep=settings.job_hours * 3600)

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        async def sweep() -> None:
            while True:
                await asyncio.to_thread(jobs.sweep)
                await asyncio.sleep(SWEEP_SECONDS)

        task = asyncio.create_task(sweep())
        if settings.tracker is not None:
            # Read the tracker once now, so the first person to open Today does not wait.
            threading.Thread(target=warm_today, args=(app, settings), daemon=True).start()
        try:
            yield
        finally:
            task.cancel()
            await asyncio.to_thread(jobs.close)

    app = FastAPI(
        title="formkit",
        version=__version__,
        description="The same work as the formkit command line, for Power Automate and scripts. "
        "Every request needs the bearer token from the file named by auth.api_token_file.",
        openapi_url="/api/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.jobs = jobs
    app.state.audit = AuditLog(settings.audit_log)
    app.state.templates = template_environment()
    app.state.council = council_name(settings)
    app.state.today_cache = TodayCache()
    app.mount("/static", StaticFiles(directory=str(bundled("web", "static"))), name="static")
    for name in PAGE_MODULES:
        app.include_router(importlib.import_module(name).router, include_in_schema=False)
    for name in API_MODULES:
        app.include_router(importlib.import_module(name).router, prefix="/api")
    _add_error_pages(app)
    # Outermost first: headers on every response, then who is asking.
    users = UserStore(settings.users_file) if settings.users_file else None  # read now: a
    # missing or broken users file stops the start, not the first request
    app.add_middleware(Guard, settings=settings, users=users)
    app.add_middleware(SecurityHeaders)
    return app


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error(
    request: Request, status: int, heading: str, *lines: str, back: str | None = None
) -> Response:
    if _is_api(request):
        return JSONResponse({"detail": " ".join(lines) or heading}, status_code=status)
    return page(request, "error.html", status_code=status, heading=heading, lines=lines, back=back)


def _add_error_pages(app: FastAPI) -> None:
    async def upload_refused(request: Request, error: Exception) -> Response:
        return _error(
            request,
            413,
            "The upload was too large",
            f"Nothing was kept: {error}.",
            "Upload fewer or smaller files at a time.",
            back=request.url.path,
        )

    async def csrf_refused(request: Request, _: Exception) -> Response:
        return _error(
            request,
            403,
            "This form could not be accepted",
            "It was not sent from a page of this service, or the page was open too long. "
            "Nothing was changed.",
            back=request.url.path,
        )

    async def not_found(request: Request, error: Exception) -> Response:
        status = getattr(error, "status_code", 500)
        detail = getattr(error, "detail", None)
        if _is_api(request):
            headers = getattr(error, "headers", None)
            return JSONResponse({"detail": detail}, status_code=status, headers=headers)
        if status == 404:
            return _error(
                request, 404, "Page not found", "Check the address, or start from Today.", back="/"
            )
        if status == 405:
            return _error(request, 405, "This page cannot be used that way", back="/")
        return _error(request, status, "Sorry, there is a problem", str(detail or ""), back="/")

    async def formkit_error(request: Request, error: Exception) -> Response:
        return _error(request, 422, "This could not be done", str(error), back=request.url.path)

    handlers: dict[Any, Any] = {
        UploadRefused: upload_refused,
        CsrfRefused: csrf_refused,
        HTTPException: not_found,
        FormkitError: formkit_error,
    }
    for kind, handler in handlers.items():
        app.add_exception_handler(kind, handler)

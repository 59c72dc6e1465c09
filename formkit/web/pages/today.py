"""Today: who is missing now, what is overdue and what falls due in the next 48 hours."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from formkit.web.html import page
from formkit.web.today import today_for

router = APIRouter()


@router.get("/")
def today_page(request: Request) -> Response:
    settings = request.app.state.settings
    if settings.tracker is None:
        return page(request, "today.html", today=None)
    today = today_for(request.app.state.today_cache, settings.tracker, now=settings.now)
    return page(request, "today.html", today=today)

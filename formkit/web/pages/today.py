"""Today: who is missing now, what is overdue and what falls due in the next 48 hours."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from formkit.web import html
from formkit.web.today import today_for

router = APIRouter()

# Children per page: a big council's day stays a page a person can read (and fast to send).
PER_PAGE = 25


@router.get("/")
def today_page(request: Request, page: int = 1) -> Response:
    settings = request.app.state.settings
    if settings.tracker is None:
        return html.page(request, "today.html", today=None)
    today = today_for(request.app.state.today_cache, settings.tracker, now=settings.now)
    pages = max(1, -(-len(today.children) // PER_PAGE))
    number = min(max(page, 1), pages)
    start = (number - 1) * PER_PAGE
    return html.page(
        request,
        "today.html",
        today=today,
        shown=today.children[start : start + PER_PAGE],
        page_number=number,
        pages=pages,
        first=start + 1,
    )

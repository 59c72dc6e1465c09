"""``/api/today``, ``/api/validate``, ``/api/plan``, ``/api/reports``: web1's API routes."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request

from formkit.web.api import require_token
from formkit.web.today import today_for

router = APIRouter(dependencies=[Depends(require_token)], tags=["formkit"])


@router.get("/today", summary="What is overdue and due in the next 48 hours, from the tracker")
def api_today(request: Request) -> dict[str, Any]:
    """The same JSON as ``formkit today TRACKER --json``, with ``missing_now``."""
    settings = request.app.state.settings
    if settings.tracker is None:
        raise HTTPException(409, detail="No tracker is configured (tracker in formkit.toml).")
    today = today_for(request.app.state.today_cache, settings.tracker, now=settings.now)
    return today.as_dict()

"""Rendering the app's pages: the Jinja2 templates in ``formkit/web/templates`` with the
context every page shares (council name, signed-in user, CSRF token, navigation)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from formkit import words
from formkit.resources import bundled
from formkit.web.security import CSRF_FIELD, csrf_token


@dataclass(frozen=True)
class NavItem:
    href: str
    text: str


# The service navigation, in the officers' order of the day.
NAVIGATION = (
    NavItem("/", "Today"),
    NavItem("/documents", "Make documents"),
    NavItem("/forms", "Completed forms"),
    NavItem("/reports", "Reports and exports"),
    NavItem("/templates", "Templates"),
)


def _shown_cell(value: Any, personal: bool = False) -> str:
    from formkit.tracker.update import shown_cell

    return shown_cell(value, personal)


def template_environment() -> Environment:
    """The pages' Jinja2 environment (autoescaped: a user's text is never markup)."""
    folder = str(bundled("web", "templates"))
    environment = Environment(
        loader=FileSystemLoader(folder),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.globals["navigation"] = NAVIGATION
    environment.filters.update(
        long_date=words.long_date,
        long_datetime=words.long_datetime,
        table_datetime=words.table_datetime,
        plural=words.plural,
    )
    environment.globals["csrf_field"] = CSRF_FIELD
    environment.filters["shown_cell"] = _shown_cell
    return environment


def current_section(path: str) -> str:
    """The navigation item a path belongs to (``/jobs/…`` belongs to none)."""
    for item in NAVIGATION[1:]:
        if path == item.href or path.startswith(item.href + "/"):
            return item.href
    return "/" if path == "/" else ""


def page(
    request: Request, template: str, *, status_code: int = 200, **context: Any
) -> HTMLResponse:
    """The HTML response of ``template`` with the shared context."""
    environment: Environment = request.app.state.templates
    shared = {
        "request": request,
        "council": request.app.state.council,
        "user": getattr(request.state, "user", None),
        "csrf_token": csrf_token(request),
        "current": current_section(request.url.path),
    }
    html = environment.get_template(template).render({**shared, **context})
    return HTMLResponse(html, status_code=status_code)

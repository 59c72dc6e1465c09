"""What every response and every request goes through: security headers, sign-in, CSRF.

- Headers: a Content-Security-Policy with no inline script or style, no framing, no sniffing,
  no referrer.
- Sign-in (:class:`Guard`): the user header of the council's reverse proxy, or HTTP Basic
  against a users file of scrypt hashes (:mod:`formkit.web.users`), or — only on a loopback
  address — the local user. ``/api/`` is signed in by its bearer token instead
  (:mod:`formkit.web.api`), ``/static/`` is public.
- CSRF: a double-submit token. A random token lives in a ``SameSite=Strict`` cookie and in a
  hidden field of every form; a POST whose field does not match the cookie is refused.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import PlainTextResponse

from formkit.web.config import Settings
from formkit.web.users import UserStore

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
CSRF_COOKIE = "formkit_csrf"
CSRF_FIELD = "csrf_token"
LOCAL_USER = "local"


class CsrfRefused(Exception):
    """A form was posted without the page's CSRF token (or with another page's)."""


class SecurityHeaders:
    """Adds :data:`HEADERS` to every HTTP response, and ``no-store`` to everything but assets."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.extend(HEADERS)
                if not static:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class Guard:
    """Knows who is asking (``request.state.user``) and gives every browser a CSRF cookie."""

    def __init__(self, app: ASGIApp, settings: Settings, users: UserStore | None = None) -> None:
        self.app = app
        self.header = settings.auth_header.lower() if settings.auth_header else None
        if users is None and settings.users_file:
            users = UserStore(settings.users_file)
        self.users = users

    def user_of(self, scope: Scope) -> str | None:
        headers = dict(scope.get("headers", []))
        if self.header:
            value = headers.get(self.header.encode(), b"").decode("latin-1").strip()
            return value or None
        if self.users:
            return self.users.check_basic(headers.get(b"authorization", b"").decode("latin-1"))
        return LOCAL_USER

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        state = scope.setdefault("state", {})
        if path.startswith("/static/") or path.startswith("/api/"):
            await self.app(scope, receive, send)
            return
        user = self.user_of(scope)
        if user is None:
            await _refuse(scope, receive, send, basic=self.users is not None)
            return
        state["user"] = user
        token = Request(scope).cookies.get(CSRF_COOKIE, "")
        fresh = len(token) < 32
        if fresh:
            token = secrets.token_urlsafe(32)
        state["csrf"] = token

        async def send_with_cookie(message: Message) -> None:
            if fresh and message["type"] == "http.response.start":
                cookie = f"{CSRF_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict"
                message["headers"] = [*message.get("headers", []), (b"set-cookie", cookie.encode())]
            await send(message)

        await self.app(scope, receive, send_with_cookie)


async def _refuse(scope: Scope, receive: Receive, send: Send, *, basic: bool) -> None:
    if basic:
        response = PlainTextResponse(
            "Sign in with your formkit user name and password.",
            status_code=401,
            headers={"WWW-Authenticate": 'Basic realm="formkit", charset="UTF-8"'},
        )
    else:
        response = PlainTextResponse(
            "You are not signed in: formkit expects the council's sign-in in front of it.",
            status_code=401,
        )
    await response(scope, receive, send)


def csrf_token(request: Request) -> str:
    """This browser's CSRF token, for the hidden field of a form."""
    return str(getattr(request.state, "csrf", ""))


def check_csrf(request: Request, submitted: str | None) -> None:
    """Raise :class:`CsrfRefused` unless ``submitted`` is this browser's cookie token."""
    cookie = request.cookies.get(CSRF_COOKIE, "")
    if not cookie or not submitted or not hmac.compare_digest(cookie, submitted):
        raise CsrfRefused


async def checked_form(request: Request, *, max_fields: int = 200) -> FormData:
    """A posted form without files, after its CSRF token is checked (``max_fields`` for a
    form with many checkboxes, such as the documents of a hundred episodes)."""
    form = await request.form(max_files=0, max_fields=max_fields)
    submitted = form.get(CSRF_FIELD)
    check_csrf(request, submitted if isinstance(submitted, str) else None)
    return form

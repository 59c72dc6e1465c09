"""The JSON API (``/api/…``): the batch functions for Power Automate and scripts.

Every route depends on :func:`require_token`: ``Authorization: Bearer <token>`` with the token
kept in the file named by ``auth.api_token_file``. Without that file the API is closed.
"""

from __future__ import annotations

import hmac
from pathlib import Path
from typing import Any

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

API_USER = "api"
_bearer = HTTPBearer(auto_error=False, description="The token in auth.api_token_file")


def read_token(path: Path | None) -> str | None:
    """The API token in ``path`` (its first line), or None when there is none."""
    if path is None:
        return None
    try:
        token = path.read_text(encoding="utf-8").strip().splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    return token[0].strip() if token and len(token[0].strip()) >= 16 else None


def require_token(
    request: Request,
    credentials: HTTPAuthorizationCredentials | None = Depends(_bearer),  # noqa: B008
) -> str:
    """The API's user (``api``) when the bearer token is right; otherwise 401."""
    expected = read_token(request.app.state.settings.api_token_file)
    given = credentials.credentials if credentials else ""
    if expected is None or not given or not hmac.compare_digest(given, expected):
        raise HTTPException(
            status_code=401,
            detail="A bearer token is needed: Authorization: Bearer <the token in the API token file>.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    request.state.user = API_USER
    return API_USER


def upload_body(*fields: tuple[str, str]) -> dict[str, Any]:
    """The OpenAPI description of a multipart body with ``files`` and the given text fields
    (the body is streamed by :mod:`formkit.web.uploads`, so FastAPI does not see it)."""
    properties: dict[str, Any] = {
        "files": {"type": "array", "items": {"type": "string", "format": "binary"}}
    }
    properties.update({name: {"type": "string", "description": text} for name, text in fields})
    schema = {"type": "object", "properties": properties, "required": ["files"]}
    return {
        "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": schema}}}
    }

"""Running the app: :func:`serve` is what ``formkit serve`` calls."""

from __future__ import annotations

from collections.abc import Callable

from formkit.web.config import Settings


def serve(settings: Settings, *, announce: Callable[[str], None] | None = None) -> None:
    """Check ``settings`` are safe, build the app and serve it until interrupted.

    ``announce`` is told the app's address once the app is built (a bad setting stops it
    before that)."""
    import uvicorn

    from formkit.web.app import create_app

    settings.check_safe_to_start()
    app = create_app(settings)
    if announce is not None:
        announce(f"http://{settings.host}:{settings.port}/")
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level="warning",
        access_log=False,  # addresses hold job ids; the audit log says who did what
        proxy_headers=False,
        server_header=False,
    )

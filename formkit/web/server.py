"""Running the app: :func:`serve` is what ``formkit serve`` calls."""

from __future__ import annotations

from formkit.web.config import Settings


def serve(settings: Settings) -> None:
    """Check ``settings`` are safe, build the app and serve it until interrupted."""
    import uvicorn

    from formkit.web.app import create_app

    settings.check_safe_to_start()
    app = create_app(settings)
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level="warning",
        access_log=False,  # addresses hold job ids; the audit log says who did what
        proxy_headers=False,
        server_header=False,
    )

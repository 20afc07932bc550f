"""`mitradesa serve`: the web application."""

from __future__ import annotations

import typer

from mitradesa.settings import get_settings


def serve(
    host: str = typer.Option(None, help="Default: MITRADESA_HOST or 127.0.0.1"),
    port: int = typer.Option(None, help="Default: MITRADESA_PORT or 8000"),
) -> None:
    """Serve the web application and API."""
    import uvicorn

    settings = get_settings()
    uvicorn.run(
        "mitradesa.web.app:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        log_level="info",
    )

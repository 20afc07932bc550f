"""`mitradesa serve`: the web application."""

from __future__ import annotations

import typer

from mitradesa.settings import get_settings


def serve(
    host: str = typer.Option(None, help="Default: MITRADESA_HOST or 127.0.0.1"),
    port: int = typer.Option(None, help="Default: MITRADESA_PORT or 8000"),
    workers: int = typer.Option(
        None, min=1, max=64,
        help="Server processes; one per CPU core serves the most pages. "
        "Default: MITRADESA_WORKERS or 1",
    ),
) -> None:
    """Serve the web application and API."""
    import uvicorn

    settings = get_settings()
    _warn_when_no_user_exists()
    uvicorn.run(
        "mitradesa.web.app:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers or settings.workers,
        log_level="info",
    )


def _warn_when_no_user_exists() -> None:
    from sqlalchemy import func, select

    from mitradesa.accounts.models import User
    from mitradesa.cli.app import err_console
    from mitradesa.db.session import session_scope

    with session_scope() as session:
        if not session.scalar(select(func.count()).select_from(User)):
            err_console.print(
                "[yellow]Belum ada pengguna.[/] Buat admin pertama: "
                "[bold].venv/bin/mitradesa users create admin --role admin[/]"
            )

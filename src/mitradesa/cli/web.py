"""`mitradesa serve`: the web application."""

from __future__ import annotations

import socket
from typing import TYPE_CHECKING

import typer

from mitradesa.settings import get_settings

if TYPE_CHECKING:
    import uvicorn


def serve(
    host: str = typer.Option(None, help="Default: MITRADESA_HOST or 127.0.0.1"),
    port: int = typer.Option(None, help="Default: MITRADESA_PORT or 8000"),
    workers: int = typer.Option(
        None, min=1, max=64,
        help="Server processes; one per CPU core serves the most pages. "
        "Default: MITRADESA_WORKERS or 1",
    ),
) -> None:
    """Serve the web application and API.

    Behind a reverse proxy, list its address in MITRADESA_TRUSTED_PROXIES (e.g. 127.0.0.1;
    default: none): only its X-Forwarded-For/-Proto are believed for the client address
    (login throttling, audit) and for https.
    """
    import uvicorn

    settings = get_settings()
    _warn_when_no_user_exists()
    config = uvicorn.Config(
        "mitradesa.web.app:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers or settings.workers,
        log_level="info",
        # The app believes X-Forwarded-For/-Proto from MITRADESA_TRUSTED_PROXIES only (see
        # web.app.trust_proxies); uvicorn's own handling would trust FORWARDED_ALLOW_IPS.
        proxy_headers=False,
    )
    if config.workers == 1:
        uvicorn.Server(config).run()
        return
    from uvicorn.supervisors import Multiprocess

    Multiprocess(config, sockets=[listening_socket(config)]).run()


def listening_socket(config: uvicorn.Config) -> socket.socket:
    """The socket the workers share, marked as TCP so each connection gets TCP_NODELAY.

    uvicorn binds it with protocol 0; asyncio sets TCP_NODELAY only on sockets that say
    IPPROTO_TCP, so without this every keep-alive request after the first waits about 40 ms
    for the browser's delayed ACK (uvicorn issue 3149).
    """
    sock = config.bind_socket()
    if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.proto != socket.IPPROTO_TCP:
        sock = socket.socket(sock.family, sock.type, socket.IPPROTO_TCP, fileno=sock.detach())
    return sock


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

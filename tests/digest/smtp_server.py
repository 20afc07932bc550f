"""A real SMTP server on loopback for the digest tests (aiosmtpd), keeping what it receives;
with a login it accepts only one user and password."""

from __future__ import annotations

from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.pg_server import free_port

LOGIN = ("dpmd", "sandi-smtp-yang-benar")


class Inbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        self.messages.append(message)  # type: ignore[arg-type]
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in str(m["To"])]


def _authenticator(server: Any, session: Any, envelope: Any, mechanism: str,
                   auth_data: Any) -> AuthResult:
    if isinstance(auth_data, LoginPassword) and (
            auth_data.login.decode(), auth_data.password.decode()) == LOGIN:
        return AuthResult(success=True)
    return AuthResult(success=False, handled=False)


class SmtpServer:
    def __init__(self, *, with_login: bool = False) -> None:
        self.inbox = Inbox()
        self.port = free_port()
        options: dict[str, Any] = {}
        if with_login:
            options = {"auth_required": True, "auth_require_tls": False,
                       "authenticator": _authenticator}
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port,
                                     **options)

    def __enter__(self) -> SmtpServer:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()

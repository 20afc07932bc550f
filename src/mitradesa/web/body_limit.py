"""The request body limit of the whole app (`MITRADESA_MAX_BODY_MB`): a larger body is refused
with 413 before anything reads, parses or stores it, and before the login is checked.

A declared `Content-Length` over the limit is refused at once; a body without one (chunked) is
counted as it streams in and refused as soon as it passes the limit. Plain ASGI, like
`RequestBasicsMiddleware`."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mitradesa.reports.formatting import file_size

MB = 1024 * 1024
REASON = "body_too_large"


class BodyTooLargeError(HTTPException):
    """Raised while the body streams in; an HTTPException so that FastAPI's body parsing
    passes it on (it turns any other error into a 400) to the app's one error path."""

    def __init__(self, message: str) -> None:
        super().__init__(status_code=413, detail=message)


def refusal(size: int | None, limit: int) -> str:
    told = f"({file_size(size)})" if size is not None else f"(lebih dari {file_size(limit)})"
    return (f"Permintaan terlalu besar {told}; batasnya {file_size(limit)}. Unggah berkas yang "
            "lebih kecil.")


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self._refuse(scope, send, declared)
            return
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLargeError(refusal(None, self.max_bytes))
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, watched_send)
        except BodyTooLargeError:
            if started:
                raise
            await self._refuse(scope, send, None)

    async def _refuse(self, scope: Scope, send: Send, size: int | None) -> None:
        from mitradesa.web.errors import error_response  # the app's one error shape

        response = error_response(Request(scope), 413, REASON, refusal(size, self.max_bytes))
        response.headers["Connection"] = "close"
        await response(scope, _no_body, send)


async def _no_body() -> Message:
    return {"type": "http.disconnect"}


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None

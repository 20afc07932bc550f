"""What every request gets before any route: the CSRF token cookie, the locale, a CSP nonce
and the security headers.

Headers: a Content-Security-Policy that allows scripts, styles, images and connections from
the app itself only (inline `<style>` only with the request's nonce; no inline script, no
style attribute; not on a PDF, which opens in the browser's own viewer), `Cache-Control:
no-store` on everything but the static files, which set their own (pages, API answers,
downloads and exports may carry personal data; a static 404 is not kept either), and HSTS
when the request came over HTTPS (uvicorn sets the scheme from the proxy headers of trusted
proxies only).

Plain ASGI rather than Starlette's `BaseHTTPMiddleware`: that one runs each response through
a memory stream and a task group, which cost a small page about a third of its time."""

from __future__ import annotations

import secrets

from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mitradesa.web.csrf import SESSION_COOKIE, csrf_token_for
from mitradesa.web.i18n import pick_locale

CSRF_COOKIE = "mitradesa_csrf"
LANG_COOKIE = "mitradesa_lang"
SECURITY_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),
)
STATIC_PREFIX = "/static/"
HSTS = "max-age=31536000"
PDF = "application/pdf"


def content_security_policy(nonce: str) -> str:
    return ("default-src 'self'; script-src 'self'; "
            f"style-src 'self' 'nonce-{nonce}'; img-src 'self' data: blob:; "
            "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
            "form-action 'self'; frame-ancestors 'none'")


def csrf_cookie(token: str, *, secure: bool) -> str:
    """The Set-Cookie value carrying a new CSRF token (double submit: forms echo it)."""
    response = Response()
    response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="lax", secure=secure)
    return response.headers["set-cookie"]


class RequestBasicsMiddleware:
    """Puts `csrf_token`, `locale` and `csp_nonce` on `request.state`; every visitor gets a
    CSRF token cookie (not on a static file, which caches may share); every answer gets the
    security headers (a route may set its own CSP), and every answer but a static file
    `Cache-Control: no-store`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cookies = HTTPConnection(scope).cookies
        token = cookies.get(CSRF_COOKIE, "")
        static = scope.get("path", "").startswith(STATIC_PREFIX)
        fresh = len(token) < 32
        if fresh:
            token = secrets.token_urlsafe(32)
        state = scope.setdefault("state", {})
        state["csrf_token"] = csrf_token_for(token, cookies.get(SESSION_COOKIE))
        state["locale"] = pick_locale(cookies.get(LANG_COOKIE))
        nonce = state["csp_nonce"] = secrets.token_urlsafe(16)
        fresh = fresh and not static
        https = scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS:
                    headers.setdefault(name, value)
                if not headers.get("content-type", "").startswith(PDF):
                    # a PDF opens in the browser's own viewer, which a page CSP would block
                    headers.setdefault("Content-Security-Policy", content_security_policy(nonce))
                if not static or "cache-control" not in headers:
                    headers["Cache-Control"] = "no-store"
                if https:
                    headers.setdefault("Strict-Transport-Security", HSTS)
                if fresh:
                    headers.append("set-cookie", csrf_cookie(token, secure=https))
            await send(message)

        await self.app(scope, receive, send_with_headers)

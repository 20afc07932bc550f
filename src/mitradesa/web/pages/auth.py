"""Login, logout and the language switch."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from mitradesa.accounts import services
from mitradesa.errors import AuthenticationError, RateLimitedError
from mitradesa.settings import get_settings
from mitradesa.web.csrf import SESSION_COOKIE, csrf_token_for
from mitradesa.web.i18n import pick_locale
from mitradesa.web.middleware import LANG_COOKIE, csrf_cookie
from mitradesa.web.security import SessionDep, client_address
from mitradesa.web.templating import render

router = APIRouter()
PASSWORD_FORM = "/akun/kata-sandi"


def _safe_next(target: str | None) -> str:
    """Only same-site paths: never redirect a fresh login to another site."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return "/"


@router.get("/masuk")
def login_form(request: Request, next: str | None = None) -> Response:
    if getattr(request.state, "user", None) is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return render(request, "auth/login.html", {"next": _safe_next(next)})


@router.post("/masuk")
def login_submit(
    request: Request,
    db: SessionDep,
    username: Annotated[str, Form(max_length=80)],
    password: Annotated[str, Form(max_length=200)],
    next: Annotated[str, Form()] = "/",
) -> Response:
    client = client_address(request)
    try:
        user = services.authenticate(db, username, password, client)
    except (AuthenticationError, RateLimitedError) as exc:
        context = {"next": _safe_next(next), "error": exc.message, "username": username}
        return render(request, "auth/login.html", context, status_code=exc.status)
    token = services.start_session(
        db, user, client=client, user_agent=request.headers.get("user-agent", "")
    )
    target = PASSWORD_FORM if user.must_change_password else _safe_next(next)
    response = RedirectResponse(target, status_code=303)
    secure = request.url.scheme == "https"
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=secure,
        max_age=get_settings().session_hours * 3600,
    )
    # A new session, a new CSRF token: the one the login form carried no longer counts.
    response.headers.append("set-cookie", csrf_cookie(csrf_token_for("", token), secure=secure))
    return response


@router.post("/keluar")
def logout(request: Request, db: SessionDep) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        services.end_session(db, token)
    response = RedirectResponse("/masuk", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.post("/bahasa")
def set_language(
    request: Request, lang: Annotated[str, Form()], next: Annotated[str, Form()] = "/"
) -> Response:
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(LANG_COOKIE, pick_locale(lang), samesite="lax", max_age=365 * 86400)
    return response

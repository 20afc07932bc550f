"""Who is asking (session cookie or API token), CSRF checks, and enforcement of RULES."""

from __future__ import annotations

import hmac
import logging
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from mitradesa.accounts import services
from mitradesa.accounts.models import User
from mitradesa.accounts.scope import can_see_region, can_see_village
from mitradesa.db.session import session_factory
from mitradesa.errors import AuthenticationError, MitradesaError, PermissionDeniedError
from mitradesa.regions.codes import normalize_code
from mitradesa.web.csrf import SESSION_COOKIE
from mitradesa.web.i18n import pick_locale
from mitradesa.web.middleware import LANG_COOKIE
from mitradesa.web.permissions import RULES, Rule

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
log = logging.getLogger("mitradesa.web")


class LoginRequiredError(AuthenticationError):
    """Raised on pages: the handler turns it into a redirect to the login page."""


class CsrfError(MitradesaError):
    status = 403
    reason = "csrf_failed"


class PasswordChangeRequiredError(PermissionDeniedError):
    """The password was reset by an admin: pages redirect to the change form, the API 403s."""

    reason = "password_change_required"


# What a user who must change their password may still open.
PASSWORD_CHANGE_ROUTES = frozenset(
    {"own_password_form", "own_password_submit", "api_change_own_password", "api_me",
     "logout", "set_language"}
)


def client_address(request: Request) -> str:
    """The client's address as the login throttle and the session list see it: the peer, or a
    trusted proxy's X-Forwarded-For (MITRADESA_TRUSTED_PROXIES, applied in `create_app`)."""
    return request.client.host if request.client else "unknown"


async def get_db(request: Request) -> AsyncIterator[Session]:
    """One session per request; it rolls back unless the handler commits.

    Async, so that FastAPI does not move to a worker thread twice per request to open and
    close it: opening takes no connection, and closing hands one back to the pool."""
    session = session_factory(request.app.state.engine)()
    try:
        yield session
    finally:
        session.close()  # rolls back what was not committed, keeps loaded objects readable


SessionDep = Annotated[Session, Depends(get_db)]


def _identify(request: Request, db: Session) -> tuple[User | None, bool]:
    """(user, via_token). API tokens come as `Authorization: Bearer mdt_…`."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        user = services.user_for_api_token(db, header[7:].strip())
        if user is None:
            raise AuthenticationError("Token API tidak sah atau sudah dicabut.")
        return user, True
    cookie = request.cookies.get(SESSION_COOKIE)
    return (services.user_for_session(db, cookie) if cookie else None), False


async def _check_csrf(request: Request) -> None:
    expected = request.state.csrf_token
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and "form" in request.headers.get("content-type", ""):
        sent = str((await request.form()).get(CSRF_FIELD, ""))
    if not sent or not hmac.compare_digest(sent, expected):
        raise CsrfError("Formulir kedaluwarsa atau tidak sah (token CSRF). Muat ulang halaman.")


def _in_scope(rule: Rule, user: User, code: str) -> bool:
    if rule.scope == "none":
        return True
    return can_see_village(user, code) if rule.scope == "village" else can_see_region(user, code)


def _check_scope(rule: Rule, user: User, request: Request) -> None:
    if rule.scope == "none":
        return
    code = normalize_code(str(request.path_params.get(rule.param, "")))
    if not _in_scope(rule, user, code):
        raise PermissionDeniedError("Anda tidak berwenang membuka wilayah ini.", code=code)


def may_open(user: User | None, route: str, code: str = "") -> bool:
    """Whether `user` passes the rule of the route named `route` for the region `code`
    (dotted): to show a link only to those it would let in."""
    rule = RULES[route]
    if rule.public:
        return True
    return user is not None and user.role in (rule.roles or ()) and _in_scope(rule, user, code)


async def enforce_access(request: Request, db: SessionDep) -> None:
    """Applied to every route: identify, check CSRF on unsafe methods, check the rule."""
    route = request.scope.get("route")
    name = getattr(route, "name", "")
    rule = RULES.get(name)
    if rule is None:
        log.error("route %s has no access rule; refused", name)
        raise PermissionDeniedError("Rute ini belum memiliki aturan akses.")
    # In a worker thread: on the event loop, waiting for a pool connection held by requests
    # that need the loop to finish would stall every request until the pool timed out.
    user, via_token = await run_in_threadpool(_identify, request, db)
    request.state.user = user
    if user is not None and request.cookies.get(LANG_COOKIE) is None:
        request.state.locale = pick_locale(user.locale)
    if request.method in UNSAFE_METHODS and not via_token:
        await _check_csrf(request)
    if rule.public:
        return
    if user is not None and user.must_change_password and name not in PASSWORD_CHANGE_ROUTES:
        raise PasswordChangeRequiredError(
            "Kata sandi Anda direset oleh admin: ganti dulu kata sandi Anda "
            "(halaman /akun/kata-sandi atau POST /api/v1/me/password)."
        )
    if user is None:
        if request.url.path.startswith("/api/"):
            raise AuthenticationError("Perlu masuk: kirim token API atau sesi yang sah.")
        raise LoginRequiredError("Silakan masuk terlebih dahulu.")
    if user.role not in (rule.roles or ()):
        raise PermissionDeniedError("Peran Anda tidak berwenang untuk halaman ini.")
    _check_scope(rule, user, request)


async def current_user(request: Request) -> User:
    user = getattr(request.state, "user", None)
    if user is None:
        raise AuthenticationError("Perlu masuk.")
    return user


CurrentUser = Annotated[User, Depends(current_user)]

"""A user's own account page `/akun`: change the password, see and end other sessions,
create and revoke API tokens, choose the reminder digest by e-mail. `/akun/kata-sandi` is
where a reset password must be changed."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from mitradesa.accounts import editing, management, sessions, tokens
from mitradesa.accounts.errors import AccountInputError
from mitradesa.accounts.models import DIGEST_FREQUENCIES, User
from mitradesa.accounts.password_rule import RULE_TEXT
from mitradesa.web.account_words import DIGEST_LABELS, ROLE_LABELS
from mitradesa.web.csrf import SESSION_COOKIE
from mitradesa.web.security import CurrentUser, SessionDep
from mitradesa.web.templating import render

router = APIRouter()
Text = Annotated[str, Form(max_length=200)]


def _own_context(request: Request, db: Session, user: User) -> dict[str, Any]:
    current = request.cookies.get(SESSION_COOKIE)
    return {
        "sessions": [(row, sessions.is_current(row, current))
                     for row in sessions.list_sessions(db, user)],
        "tokens": tokens.list_tokens(db, user),
        "rule": RULE_TEXT,
        "done": request.query_params.get("selesai", ""),
        "ROLE_LABELS": ROLE_LABELS, "DIGEST_LABELS": DIGEST_LABELS,
        "frequencies": DIGEST_FREQUENCIES,
    }


def _own_page(request: Request, db: Session, user: User, status_code: int = 200,
              **extra: Any) -> Response:
    return render(request, "accounts/own.html", {**_own_context(request, db, user), **extra},
                  status_code=status_code)


@router.get("/akun")
def own_account_page(request: Request, db: SessionDep, user: CurrentUser) -> Response:
    return _own_page(request, db, user)


@router.get("/akun/kata-sandi")
def own_password_form(request: Request, user: CurrentUser) -> Response:
    return render(request, "accounts/password.html",
                  {"rule": RULE_TEXT, "forced": user.must_change_password})


@router.post("/akun/kata-sandi")
def own_password_submit(
    request: Request, db: SessionDep, user: CurrentUser,
    current_password: Text, new_password: Text, new_password_again: Text,
) -> Response:
    try:
        if new_password != new_password_again:
            raise AccountInputError("Kata sandi baru dan ulangannya tidak sama; ketik ulang.")
        management.change_own_password(db, user, current=current_password, new=new_password,
                                       keep_session=request.cookies.get(SESSION_COOKIE))
    except AccountInputError as exc:
        db.rollback()
        return render(request, "accounts/password.html",
                      {"rule": RULE_TEXT, "forced": user.must_change_password,
                       "error": exc.message}, status_code=400)
    db.commit()
    return RedirectResponse("/akun?selesai=sandi", status_code=303)


@router.post("/akun/sesi/akhiri-lain")
def own_end_other_sessions(request: Request, db: SessionDep, user: CurrentUser) -> Response:
    sessions.end_other_sessions(db, user, request.cookies.get(SESSION_COOKIE), actor=user)
    db.commit()
    return RedirectResponse("/akun?selesai=sesi", status_code=303)


@router.post("/akun/sesi/{session_id}/akhiri")
def own_end_session(session_id: str, db: SessionDep, user: CurrentUser) -> Response:
    sessions.end_session_by_id(db, user, session_id, actor=user)
    db.commit()
    return RedirectResponse("/akun?selesai=sesi", status_code=303)


@router.post("/akun/token")
def own_create_token(
    request: Request, db: SessionDep, user: CurrentUser,
    name: Annotated[str, Form(max_length=100)] = "token",
    expires_days: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    try:
        days = _days(expires_days)
        value = tokens.create_api_token(db, user, name, expires_days=days, actor=user)
    except AccountInputError as exc:
        db.rollback()
        return _own_page(request, db, user, status_code=400, token_error=exc.message)
    db.commit()
    return _own_page(request, db, user, new_token=value)


def _days(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not text.isdigit():
        raise AccountInputError(
            f"Masa berlaku “{text}” bukan bilangan bulat hari; isi mis. 90, atau kosongkan."
        )
    return int(text)


@router.post("/akun/token/{token_id}/cabut")
def own_revoke_token(token_id: int, db: SessionDep, user: CurrentUser) -> Response:
    tokens.revoke_token(db, user, token_id, actor=user)
    db.commit()
    return RedirectResponse("/akun?selesai=token", status_code=303)


@router.post("/akun/ringkasan")
def own_digest_submit(
    request: Request, db: SessionDep, user: CurrentUser,
    frequency: Annotated[str, Form(max_length=10)] = "off",
    email: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """The reminder digest by e-mail: off, weekly or daily, to the address given."""
    try:
        editing.set_digest(db, user, frequency=frequency, email=email, actor=user)
    except AccountInputError as exc:
        db.rollback()
        return _own_page(request, db, user, status_code=400, digest_error=exc.message,
                         digest_form={"frequency": frequency, "email": email})
    db.commit()
    return RedirectResponse("/akun?selesai=ringkasan#ringkasan", status_code=303)

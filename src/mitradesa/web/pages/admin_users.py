"""The admin's page of accounts `/admin/pengguna`: list them; for one account switch it off
or on, reset its password (shown once), end its sessions and revoke its tokens."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from mitradesa.accounts import management, sessions, tokens
from mitradesa.accounts.models import User
from mitradesa.web.security import CurrentUser, SessionDep
from mitradesa.web.templating import render

router = APIRouter()


@router.get("/admin/pengguna")
def admin_users_page(request: Request, db: SessionDep) -> Response:
    return render(request, "accounts/admin_users.html", {"users": management.list_users(db)})


def _user_page(request: Request, db: Session, user: User, **extra: Any) -> Response:
    return render(request, "accounts/admin_user.html", {
        "account": user,
        "sessions": sessions.list_sessions(db, user),
        "tokens": tokens.list_tokens(db, user),
        "done": request.query_params.get("selesai", ""),
        **extra,
    })


def _back(user: User, done: str) -> Response:
    return RedirectResponse(f"/admin/pengguna/{user.username}?selesai={done}", status_code=303)


@router.get("/admin/pengguna/{username}")
def admin_user_page(username: str, request: Request, db: SessionDep) -> Response:
    return _user_page(request, db, management.find_user(db, username))


@router.post("/admin/pengguna/{username}/nonaktifkan")
def admin_deactivate_user(username: str, db: SessionDep, admin: CurrentUser) -> Response:
    user = management.find_user(db, username)
    management.deactivate_user(db, user, actor=admin)
    db.commit()
    return _back(user, "nonaktif")


@router.post("/admin/pengguna/{username}/aktifkan")
def admin_activate_user(username: str, db: SessionDep, admin: CurrentUser) -> Response:
    user = management.find_user(db, username)
    management.activate_user(db, user, actor=admin)
    db.commit()
    return _back(user, "aktif")


@router.post("/admin/pengguna/{username}/reset-sandi")
def admin_reset_password(
    username: str, request: Request, db: SessionDep, admin: CurrentUser
) -> Response:
    """Shows the generated password on this answer only (not after a reload)."""
    user = management.find_user(db, username)
    password = management.reset_password(db, user, actor=admin)
    db.commit()
    return _user_page(request, db, user, new_password=password)


@router.post("/admin/pengguna/{username}/sesi/akhiri")
def admin_end_user_sessions(username: str, db: SessionDep, admin: CurrentUser) -> Response:
    user = management.find_user(db, username)
    sessions.end_other_sessions(db, user, None, actor=admin)
    db.commit()
    return _back(user, "sesi")


@router.post("/admin/pengguna/{username}/token/{token_id}/cabut")
def admin_revoke_user_token(
    username: str, token_id: int, db: SessionDep, admin: CurrentUser
) -> Response:
    user = management.find_user(db, username)
    tokens.revoke_token(db, user, token_id, actor=admin)
    db.commit()
    return _back(user, "token")

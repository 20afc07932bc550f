"""The admin's page of accounts `/admin/pengguna`: list them; for one account switch it off
or on, reset its password (shown once), end its sessions and revoke its tokens. Creating and
editing accounts: `admin_user_forms` (its routes come first: `/admin/pengguna/baru` is not a
username)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from mitradesa.accounts import management, sessions, tokens
from mitradesa.accounts.models import User
from mitradesa.partnerships.access import partner_of
from mitradesa.partnerships.models import Partner
from mitradesa.partnerships.queries import village_names
from mitradesa.web.account_words import DIGEST_LABELS, ROLE_LABELS
from mitradesa.web.page_cache import cached_page
from mitradesa.web.pages import admin_user_forms
from mitradesa.web.pages.admin_user_forms import scope_rows
from mitradesa.web.security import CurrentUser, SessionDep
from mitradesa.web.templating import render

router = APIRouter()
router.include_router(admin_user_forms.router)


@router.get("/admin/pengguna")
@cached_page
def admin_users_page(request: Request, db: SessionDep) -> Response:
    users = management.list_users(db)
    return render(request, "accounts/admin_users.html", {
        "users": users, "ROLE_LABELS": ROLE_LABELS,
        "names": village_names(db, [c for u in users for c in u.scope_codes]),
    })


def _user_page(request: Request, db: Session, user: User, **extra: Any) -> Response:
    partner_id = partner_of(db, user)
    return render(request, "accounts/admin_user.html", {
        "account": user,
        "sessions": sessions.list_sessions(db, user),
        "tokens": tokens.list_tokens(db, user),
        "done": request.query_params.get("selesai", ""),
        "scope": scope_rows(db, user.scope_codes),
        "partner": db.get(Partner, partner_id) if partner_id is not None else None,
        "ROLE_LABELS": ROLE_LABELS, "DIGEST_LABELS": DIGEST_LABELS,
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

"""`/api/v1/users…` (admin only): list, create and change accounts (name, e-mail, role,
scope, partner), switch them off and on, reset a password, see and end their sessions, list
and revoke their tokens."""

from __future__ import annotations

from fastapi import APIRouter, Response
from sqlalchemy.orm import Session

from mitradesa.accounts import editing, management, sessions, tokens
from mitradesa.errors import NotFoundError
from mitradesa.partnerships.models import Partner
from mitradesa.web.api.account_schemas import (
    AccountChange,
    AccountCreate,
    AccountCreated,
    AccountRead,
    PasswordReset,
    SessionRead,
    SessionsEnded,
    TokenRead,
)
from mitradesa.web.api.schemas import ErrorRead
from mitradesa.web.security import CurrentUser, SessionDep

ERRORS = {code: {"model": ErrorRead} for code in (400, 401, 403, 404, 422)}
router = APIRouter(tags=["accounts"], responses=ERRORS)


@router.get("/users", response_model=list[AccountRead])
def api_users(db: SessionDep) -> list[AccountRead]:
    return [AccountRead.of(user) for user in management.list_users(db)]


def _partner(db: Session, body: AccountChange) -> Partner | None:
    if body.partner_id is None:
        return None
    partner = db.get(Partner, body.partner_id)
    if partner is None:
        raise NotFoundError(f"Mitra nomor {body.partner_id} tidak ditemukan.")
    return partner


@router.post("/users", response_model=AccountCreated, status_code=201)
def api_create_user(body: AccountCreate, admin: CurrentUser, db: SessionDep) -> AccountCreated:
    """Create an account; without a password one is generated and returned once."""
    user, generated = editing.create_account(
        db, actor=admin, username=body.username, role=body.role, full_name=body.full_name,
        email=body.email, scope_codes=body.scope, partner=_partner(db, body),
        password=body.password, must_change=body.must_change_password)
    db.commit()
    return AccountCreated(**AccountRead.of(user).model_dump(), password=generated)


@router.put("/users/{username}", response_model=AccountRead)
def api_update_user(username: str, body: AccountChange, admin: CurrentUser,
                    db: SessionDep) -> AccountRead:
    """Set the account's name, e-mail, role, scope (and a mitra's partner) at once."""
    user = management.find_user(db, username)
    editing.update_user(db, user, actor=admin, full_name=body.full_name, email=body.email,
                        role=body.role, scope_codes=body.scope, partner=_partner(db, body))
    db.commit()
    return AccountRead.of(user)


@router.get("/users/{username}", response_model=AccountRead)
def api_user(username: str, db: SessionDep) -> AccountRead:
    return AccountRead.of(management.find_user(db, username))


@router.post("/users/{username}/deactivate", response_model=AccountRead)
def api_deactivate_user(username: str, admin: CurrentUser, db: SessionDep) -> AccountRead:
    """Switch the account off: its sessions end and its tokens are revoked at once."""
    user = management.find_user(db, username)
    management.deactivate_user(db, user, actor=admin)
    db.commit()
    return AccountRead.of(user)


@router.post("/users/{username}/activate", response_model=AccountRead)
def api_activate_user(username: str, admin: CurrentUser, db: SessionDep) -> AccountRead:
    user = management.find_user(db, username)
    management.activate_user(db, user, actor=admin)
    db.commit()
    return AccountRead.of(user)


@router.post("/users/{username}/password-reset", response_model=PasswordReset)
def api_reset_password(username: str, admin: CurrentUser, db: SessionDep) -> PasswordReset:
    """A generated password, shown once; the user must change it at the next login."""
    user = management.find_user(db, username)
    password = management.reset_password(db, user, actor=admin)
    db.commit()
    return PasswordReset(username=user.username, password=password, must_change_password=True)


@router.get("/users/{username}/sessions", response_model=list[SessionRead])
def api_user_sessions(username: str, db: SessionDep) -> list[SessionRead]:
    user = management.find_user(db, username)
    return [SessionRead.of(row, False) for row in sessions.list_sessions(db, user)]


@router.delete("/users/{username}/sessions", response_model=SessionsEnded)
def api_end_user_sessions(username: str, admin: CurrentUser, db: SessionDep) -> SessionsEnded:
    user = management.find_user(db, username)
    ended = sessions.end_other_sessions(db, user, None, actor=admin)
    db.commit()
    return SessionsEnded(ended=ended)


@router.get("/users/{username}/tokens", response_model=list[TokenRead])
def api_user_tokens(username: str, db: SessionDep) -> list[TokenRead]:
    user = management.find_user(db, username)
    return [TokenRead.of(row) for row in tokens.list_tokens(db, user)]


@router.delete("/users/{username}/tokens/{token_id}", status_code=204)
def api_revoke_user_token(
    username: str, token_id: int, admin: CurrentUser, db: SessionDep
) -> Response:
    user = management.find_user(db, username)
    tokens.revoke_token(db, user, token_id, actor=admin)
    db.commit()
    return Response(status_code=204)

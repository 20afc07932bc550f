"""`/api/v1/me…`: who the token or session belongs to, and the user's own password,
sessions, tokens and reminder digest."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from mitradesa.accounts import editing, management, sessions, tokens
from mitradesa.web.api.account_schemas import (
    DigestChoice,
    DigestRead,
    PasswordChange,
    SessionRead,
    SessionsEnded,
    TokenCreate,
    TokenCreated,
    TokenRead,
)
from mitradesa.web.api.schemas import ErrorRead, UserRead
from mitradesa.web.csrf import SESSION_COOKIE
from mitradesa.web.security import CurrentUser, SessionDep

ERRORS = {code: {"model": ErrorRead} for code in (400, 401, 403, 404, 422)}
router = APIRouter(tags=["accounts"], responses=ERRORS)


@router.get("/me", response_model=UserRead)
def api_me(user: CurrentUser) -> UserRead:
    return UserRead(
        username=user.username,
        full_name=user.full_name,
        role=user.role,
        scope=user.scope_codes,
        organisation=user.organisation,
    )


@router.post("/me/password", status_code=204)
def api_change_own_password(
    body: PasswordChange, request: Request, user: CurrentUser, db: SessionDep
) -> Response:
    """Change one's own password (the current one is required); other sessions end."""
    management.change_own_password(db, user, current=body.current_password,
                                   new=body.new_password,
                                   keep_session=request.cookies.get(SESSION_COOKIE))
    db.commit()
    return Response(status_code=204)


@router.get("/me/sessions", response_model=list[SessionRead])
def api_own_sessions(request: Request, user: CurrentUser, db: SessionDep) -> list[SessionRead]:
    current = request.cookies.get(SESSION_COOKIE)
    return [SessionRead.of(row, sessions.is_current(row, current))
            for row in sessions.list_sessions(db, user)]


@router.delete("/me/sessions", response_model=SessionsEnded)
def api_end_own_other_sessions(
    request: Request, user: CurrentUser, db: SessionDep
) -> SessionsEnded:
    """End every session of one's own except the one making this request."""
    ended = sessions.end_other_sessions(db, user, request.cookies.get(SESSION_COOKIE),
                                        actor=user)
    db.commit()
    return SessionsEnded(ended=ended)


@router.delete("/me/sessions/{session_id}", status_code=204)
def api_end_own_session(session_id: str, user: CurrentUser, db: SessionDep) -> Response:
    sessions.end_session_by_id(db, user, session_id, actor=user)
    db.commit()
    return Response(status_code=204)


@router.get("/me/tokens", response_model=list[TokenRead])
def api_own_tokens(user: CurrentUser, db: SessionDep) -> list[TokenRead]:
    return [TokenRead.of(row) for row in tokens.list_tokens(db, user)]


@router.post("/me/tokens", response_model=TokenCreated, status_code=201)
def api_create_own_token(body: TokenCreate, user: CurrentUser, db: SessionDep) -> TokenCreated:
    value = tokens.create_api_token(db, user, body.name, expires_days=body.expires_days,
                                    actor=user)
    db.commit()
    row = db.scalars(tokens.token_by_value(value)).one()
    return TokenCreated(**TokenRead.of(row).model_dump(), token=value)


@router.delete("/me/tokens/{token_id}", status_code=204)
def api_revoke_own_token(token_id: int, user: CurrentUser, db: SessionDep) -> Response:
    tokens.revoke_token(db, user, token_id, actor=user)
    db.commit()
    return Response(status_code=204)



@router.get("/me/digest", response_model=DigestRead)
def api_own_digest(user: CurrentUser) -> DigestRead:
    """One's choice of reminder digest by e-mail (agreements ending, reports overdue, stages
    stalled, among what one may see)."""
    return DigestRead.of(user)


@router.put("/me/digest", response_model=DigestRead)
def api_set_own_digest(body: DigestChoice, user: CurrentUser, db: SessionDep) -> DigestRead:
    """Choose off, weekly or daily; a digest needs an e-mail address."""
    editing.set_digest(db, user, frequency=body.frequency, email=body.email, actor=user)
    db.commit()
    return DigestRead.of(user)

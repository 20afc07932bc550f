"""API tokens: create with an optional expiry, identify without writing, list and revoke."""

from __future__ import annotations

import logging
import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, or_, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from mitradesa import audit
from mitradesa.accounts.clock import aware, digest, now
from mitradesa.accounts.errors import AccountInputError
from mitradesa.accounts.models import ApiToken, User
from mitradesa.errors import NotFoundError

# How stale `last_used_at` may get: a token read writes at most once per this interval, so
# parallel reads do not queue for SQLite's one writer.
TOUCH_INTERVAL = timedelta(minutes=5)
MAX_EXPIRY_DAYS = 3650
log = logging.getLogger("mitradesa.accounts")


def create_api_token(
    session: Session, user: User, name: str, *, expires_days: int | None = None,
    actor: Any = None,
) -> str:
    """A new token for `user` (returned once; only its digest is kept)."""
    if expires_days is not None and not 1 <= expires_days <= MAX_EXPIRY_DAYS:
        raise AccountInputError(
            f"Masa berlaku token {expires_days} hari tidak sah: isi 1 sampai {MAX_EXPIRY_DAYS} "
            "hari, atau kosongkan agar tidak kedaluwarsa."
        )
    token = "mdt_" + secrets.token_urlsafe(32)
    expires_at = now() + timedelta(days=expires_days) if expires_days else None
    row = ApiToken(user_id=user.id, name=name.strip()[:100] or "token",
                   token_hash=digest(token), expires_at=expires_at)
    session.add(row)
    session.flush()
    audit.log(
        session,
        "accounts.api_token.created",
        "api_token",
        row.id,
        actor=actor or user,
        after={"user": user.username, "name": row.name,
               "expires_at": expires_at.isoformat() if expires_at else None},
    )
    return token


def token_by_value(token: str) -> Select[tuple[ApiToken]]:
    return select(ApiToken).where(ApiToken.token_hash == digest(token))


def is_usable(row: ApiToken, moment: datetime) -> bool:
    return not row.revoked and (row.expires_at is None or aware(row.expires_at) > moment)


def user_for_api_token(session: Session, token: str) -> User | None:
    """The active user of a usable token, or None. A read: it writes `last_used_at` only when
    that is older than TOUCH_INTERVAL, and a failed write does not fail the read."""
    moment = now()
    row = session.scalar(token_by_value(token))
    if row is None or not is_usable(row, moment):
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    if row.last_used_at is None or aware(row.last_used_at) < moment - TOUCH_INTERVAL:
        _touch(session, row.id, moment)
    return user


def _touch(session: Session, token_id: int, moment: datetime) -> None:
    session.commit()  # begin with the write: SQLite cannot upgrade a read transaction safely
    try:
        session.execute(
            update(ApiToken)
            .where(ApiToken.id == token_id,
                   or_(ApiToken.last_used_at.is_(None),
                       ApiToken.last_used_at < moment - TOUCH_INTERVAL))
            .values(last_used_at=moment)
            .execution_options(synchronize_session=False)
        )
        session.commit()
    except SQLAlchemyError:
        session.rollback()
        log.warning("could not record the use of API token %s; the request goes on", token_id)


def list_tokens(session: Session, user: User) -> list[ApiToken]:
    return list(session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at.desc())
    ))


def revoke_token(session: Session, user: User, token_id: int, *, actor: Any) -> ApiToken:
    """Revoke one of `user`'s tokens (404 when it is not theirs)."""
    row = session.get(ApiToken, token_id)
    if row is None or row.user_id != user.id:
        raise NotFoundError(f"Token {token_id} milik {user.username} tidak ditemukan.")
    if not row.revoked:
        row.revoked = True
        audit.log(session, "accounts.api_token.revoked", "api_token", row.id, actor=actor,
                  after={"user": user.username, "name": row.name})
    return row


def revoke_all_tokens(session: Session, user: User, *, actor: Any) -> int:
    rows = [row for row in list_tokens(session, user) if not row.revoked]
    for row in rows:
        revoke_token(session, user, row.id, actor=actor)
    return len(rows)

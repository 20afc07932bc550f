"""Login sessions: start, identify, list and end them."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, joinedload

from mitradesa import audit
from mitradesa.accounts.clock import aware, digest, now
from mitradesa.accounts.models import User, UserSession
from mitradesa.errors import NotFoundError
from mitradesa.settings import get_settings


def start_session(session: Session, user: User, *, client: str = "", user_agent: str = "") -> str:
    """A new session for `user`; the token (for the cookie) is returned, only its digest kept."""
    token = secrets.token_urlsafe(32)
    hours = get_settings().session_hours
    session.commit()  # begin with the write: SQLite cannot upgrade a read transaction safely
    session.execute(delete(UserSession).where(UserSession.expires_at < now()))
    session.add(
        UserSession(
            token_hash=digest(token),
            user_id=user.id,
            expires_at=now() + timedelta(hours=hours),
            client=client[:100],
            user_agent=user_agent[:200],
        )
    )
    session.commit()
    return token


def user_for_session(session: Session, token: str) -> User | None:
    # One statement: every page asks this first.
    found = session.execute(
        select(User, UserSession.expires_at)
        .join(UserSession, UserSession.user_id == User.id)
        .where(UserSession.token_hash == digest(token))
        .options(joinedload(User.scopes))
    ).unique().first()
    if found is None or aware(found.expires_at) < now():
        return None
    user = found.User
    return user if user.active else None


def end_session(session: Session, token: str) -> None:
    session.commit()  # begin with the write: SQLite cannot upgrade a read transaction safely
    session.execute(delete(UserSession).where(UserSession.token_hash == digest(token)))
    session.commit()


def list_sessions(session: Session, user: User) -> list[UserSession]:
    """The user's sessions that have not expired, newest first."""
    rows = session.scalars(
        select(UserSession)
        .where(UserSession.user_id == user.id)
        .order_by(UserSession.created_at.desc())
    )
    return [row for row in rows if aware(row.expires_at) >= now()]


def is_current(row: UserSession, token: str | None) -> bool:
    return token is not None and row.token_hash == digest(token)


def end_session_by_id(session: Session, user: User, public_id: str, *, actor: Any) -> None:
    """End one of `user`'s sessions named by its public id (a prefix of its digest)."""
    row = next((s for s in list_sessions(session, user) if s.public_id == public_id), None)
    if row is None:
        raise NotFoundError(f"Sesi {public_id} tidak ditemukan (mungkin sudah berakhir).")
    session.delete(row)
    audit.log(session, "accounts.session.ended", "user", user.id, actor=actor,
              before={"session": public_id, "user": user.username})


def end_other_sessions(session: Session, user: User, keep_token: str | None, *,
                       actor: Any) -> int:
    """End every session of `user` except the one of `keep_token`; how many ended."""
    query = delete(UserSession).where(UserSession.user_id == user.id)
    if keep_token:
        query = query.where(UserSession.token_hash != digest(keep_token))
    ended = session.execute(query).rowcount or 0
    audit.log(session, "accounts.sessions.ended", "user", user.id, actor=actor,
              after={"user": user.username, "ended": ended,
                     "kept_current": keep_token is not None})
    return ended

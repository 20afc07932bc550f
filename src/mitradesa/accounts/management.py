"""Managing accounts after creation: find, deactivate, activate, set and change passwords."""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mitradesa import audit
from mitradesa.accounts import passwords
from mitradesa.accounts.errors import AccountInputError
from mitradesa.accounts.models import User
from mitradesa.accounts.password_rule import check_password
from mitradesa.accounts.sessions import end_other_sessions
from mitradesa.accounts.tokens import revoke_all_tokens
from mitradesa.errors import NotFoundError

GENERATED_PASSWORD_BYTES = 12  # 16 URL-safe characters: far beyond the rule's minimum


def find_user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        raise NotFoundError(f"Pengguna {username} tidak ditemukan.")
    return user


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username)))


def deactivate_user(session: Session, user: User, *, actor: Any) -> None:
    """Switch the account off: its sessions end and its tokens are revoked at once."""
    if actor is not None and getattr(actor, "id", None) == user.id:
        raise AccountInputError("Anda tidak dapat menonaktifkan akun Anda sendiri.",
                                reason="cannot_deactivate_self")
    was_active = user.active
    user.active = False
    end_other_sessions(session, user, None, actor=actor)
    revoked = revoke_all_tokens(session, user, actor=actor)
    audit.log(session, "accounts.user.deactivated", "user", user.id, actor=actor,
              before={"active": was_active},
              after={"active": False, "tokens_revoked": revoked})


def activate_user(session: Session, user: User, *, actor: Any) -> None:
    """Switch the account on again (its old tokens stay revoked: give it new ones)."""
    was_active = user.active
    user.active = True
    audit.log(session, "accounts.user.activated", "user", user.id, actor=actor,
              before={"active": was_active}, after={"active": True})


def reset_password(session: Session, user: User, *, actor: Any,
                   new_password: str | None = None, must_change: bool = True) -> str:
    """Set `user`'s password (generated unless given) and end their sessions; the user must
    change it at the next login unless `must_change` is off. The password is returned to be
    shown once; it is never stored or logged."""
    password = new_password or secrets.token_urlsafe(GENERATED_PASSWORD_BYTES)
    check_password(password, username=user.username, full_name=user.full_name)
    user.password_hash = passwords.hash_password(password)
    user.must_change_password = must_change
    end_other_sessions(session, user, None, actor=actor)
    audit.log(session, "accounts.user.password_reset", "user", user.id, actor=actor,
              after={"user": user.username, "generated": new_password is None,
                     "must_change": must_change})
    return password


def change_own_password(session: Session, user: User, *, current: str, new: str,
                        keep_session: str | None) -> None:
    """The user's own change: the current password is required; every other session of the
    user ends (the one in use stays)."""
    if not passwords.verify_password(current, user.password_hash):
        raise AccountInputError("Kata sandi saat ini salah; perubahan tidak disimpan.",
                                reason="current_password_wrong")
    if new == current:
        raise AccountInputError("Kata sandi baru harus berbeda dari kata sandi saat ini.",
                                reason="password_unchanged")
    check_password(new, username=user.username, full_name=user.full_name)
    user.password_hash = passwords.hash_password(new)
    user.must_change_password = False
    end_other_sessions(session, user, keep_session, actor=user)
    audit.log(session, "accounts.user.password_changed", "user", user.id, actor=user,
              after={"user": user.username})

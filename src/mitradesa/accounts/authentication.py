"""Checking a password at login: throttled, and as slow for unknown names as for known ones."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from mitradesa.accounts import passwords, throttle
from mitradesa.accounts.models import LoginAttempt, User
from mitradesa.errors import AuthenticationError


@lru_cache(maxsize=1)
def dummy_hash() -> str:
    """A hash no password matches, checked when the name is unknown or the account is off,
    so the answer takes the time of a real check and does not tell who has an account."""
    return passwords.hash_password("no-account-has-this-password-" + "x" * 20)


def authenticate(session: Session, username: str, password: str, client: str) -> User:
    """The user whose password this is; RateLimitedError when the client or the account has
    failed too often (see `throttle`), AuthenticationError when the password is wrong."""
    username = username.strip().lower()
    places = throttle.reserve(session, username, client)
    user = session.scalar(select(User).where(User.username == username))
    session.commit()  # the password check is slow: hold no transaction meanwhile
    usable = user is not None and user.active
    stored = user.password_hash if usable and user is not None else dummy_hash()
    ok = passwords.verify_password(password, stored) and usable
    if ok:
        throttle.release(session, places)
    session.add(LoginAttempt(username=username[:80], client=client[:100], success=ok))
    session.commit()
    if not ok or user is None:
        raise AuthenticationError("Nama pengguna atau kata sandi salah.")
    return user

"""Use cases for accounts: create users, authenticate with a rate limit, sessions, API tokens."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, joinedload

from mitradesa import audit
from mitradesa.accounts.errors import AccountInputError, DuplicateUserError
from mitradesa.accounts.models import ROLES, ApiToken, LoginAttempt, User, UserScope, UserSession
from mitradesa.accounts.passwords import MIN_PASSWORD_LENGTH, hash_password, verify_password
from mitradesa.errors import AuthenticationError, RateLimitedError
from mitradesa.regions.queries import get_region
from mitradesa.settings import get_settings

_USERNAME = re.compile(r"^[a-z0-9_.-]{3,80}$")
SCOPE_KINDS = {
    "operator_desa": {"desa", "kelurahan", "desa_persiapan"},
    "pendamping": {"kecamatan", "desa", "kelurahan", "desa_persiapan"},
}


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def create_user(
    session: Session,
    *,
    username: str,
    password: str,
    role: str,
    full_name: str = "",
    scope_codes: list[str] | None = None,
    organisation: str = "",
    actor: Any = None,
) -> User:
    username = username.strip().lower()
    if not _USERNAME.match(username):
        raise AccountInputError(
            "Nama pengguna 3–80 karakter: huruf kecil, angka, titik, garis bawah atau tanda hubung."
        )
    if role not in ROLES:
        raise AccountInputError(
            f"Peran tidak dikenal: {role}. Pilih salah satu: {', '.join(ROLES)}."
        )
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountInputError(f"Kata sandi minimal {MIN_PASSWORD_LENGTH} karakter.")
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise DuplicateUserError(f"Pengguna {username} sudah ada.")
    codes = [get_region(session, code, active_only=True).code for code in scope_codes or []]
    _check_scope(session, role, codes)
    if role == "mitra" and not organisation.strip():
        raise AccountInputError("Pengguna mitra harus terkait dengan satu organisasi mitra.")
    user = User(
        username=username,
        full_name=full_name.strip(),
        password_hash=hash_password(password),
        role=role,
        organisation=organisation.strip(),
        created_by=getattr(actor, "id", None),
    )
    user.scopes = [UserScope(region_code=code) for code in codes]
    session.add(user)
    session.flush()
    audit.log(
        session,
        "accounts.user.created",
        "user",
        user.id,
        actor=actor,
        after={"username": username, "role": role, "scope": codes, "organisation": organisation},
    )
    return user


def _check_scope(session: Session, role: str, codes: list[str]) -> None:
    if role == "operator_desa" and len(codes) != 1:
        raise AccountInputError("Operator desa harus diberi tepat satu desa (--scope KODE_DESA).")
    if role == "pendamping" and not codes:
        raise AccountInputError("Pendamping harus diberi desa atau kecamatan dampingan (--scope).")
    allowed = SCOPE_KINDS.get(role)
    if allowed:
        for code in codes:
            region = get_region(session, code)
            if region.kind not in allowed:
                raise AccountInputError(
                    f"Wilayah {code} ({region.name}) adalah {region.kind}; peran {role} hanya "
                    f"boleh diberi: {', '.join(sorted(allowed))}."
                )


def authenticate(session: Session, username: str, password: str, client: str) -> User:
    """Check a password; too many failures for this name or client pause further tries."""
    settings = get_settings()
    username = username.strip().lower()
    since = _now() - timedelta(seconds=settings.login_window_seconds)
    failures = session.scalar(
        select(func.count())
        .select_from(LoginAttempt)
        .where(
            LoginAttempt.at >= since,
            LoginAttempt.success.is_(False),
            (LoginAttempt.username == username) | (LoginAttempt.client == client),
        )
    )
    if (failures or 0) >= settings.login_max_failures:
        raise RateLimitedError(
            "Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam "
            f"{settings.login_window_seconds // 60} menit."
        )
    user = session.scalar(select(User).where(User.username == username))
    ok = user is not None and user.active and verify_password(password, user.password_hash)
    session.add(LoginAttempt(username=username, client=client[:100], success=ok))
    session.commit()
    if not ok or user is None:
        raise AuthenticationError("Nama pengguna atau kata sandi salah.")
    return user


def start_session(session: Session, user: User) -> str:
    token = secrets.token_urlsafe(32)
    hours = get_settings().session_hours
    session.add(
        UserSession(
            token_hash=_digest(token), user_id=user.id, expires_at=_now() + timedelta(hours=hours)
        )
    )
    session.execute(delete(UserSession).where(UserSession.expires_at < _now()))
    session.commit()
    return token


def user_for_session(session: Session, token: str) -> User | None:
    # One statement: every page asks this first.
    found = session.execute(
        select(User, UserSession.expires_at)
        .join(UserSession, UserSession.user_id == User.id)
        .where(UserSession.token_hash == _digest(token))
        .options(joinedload(User.scopes))
    ).unique().first()
    if found is None or _aware(found.expires_at) < _now():
        return None
    user = found.User
    return user if user.active else None


def end_session(session: Session, token: str) -> None:
    session.execute(delete(UserSession).where(UserSession.token_hash == _digest(token)))
    session.commit()


def create_api_token(session: Session, user: User, name: str, *, actor: Any = None) -> str:
    token = "mdt_" + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, name=name.strip() or "token", token_hash=_digest(token))
    session.add(row)
    session.flush()
    audit.log(
        session,
        "accounts.api_token.created",
        "api_token",
        row.id,
        actor=actor or user,
        after={"user": user.username, "name": row.name},
    )
    return token


def user_for_api_token(session: Session, token: str) -> User | None:
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(token)))
    if row is None or row.revoked:
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    row.last_used_at = _now()
    session.commit()
    return user

"""Creating accounts; the other account use cases live in their own modules and are
re-exported here for the callers that know them by this module."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mitradesa import audit
from mitradesa.accounts.authentication import authenticate
from mitradesa.accounts.errors import AccountInputError, DuplicateUserError
from mitradesa.accounts.models import ROLES, User, UserScope
from mitradesa.accounts.password_rule import check_password
from mitradesa.accounts.passwords import hash_password
from mitradesa.accounts.sessions import end_session, start_session, user_for_session
from mitradesa.accounts.tokens import create_api_token, user_for_api_token
from mitradesa.regions.queries import get_region

__all__ = [
    "authenticate",
    "create_api_token",
    "create_user",
    "end_session",
    "start_session",
    "user_for_api_token",
    "user_for_session",
]

_USERNAME = re.compile(r"^[a-z0-9_.-]{3,80}$")
SCOPE_KINDS = {
    "operator_desa": {"desa", "kelurahan", "desa_persiapan"},
    "pendamping": {"kecamatan", "desa", "kelurahan", "desa_persiapan"},
}


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
    check_password(password, username=username, full_name=full_name)
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

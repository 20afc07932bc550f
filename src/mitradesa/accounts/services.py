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
# Words the account pages use in their own addresses (/admin/pengguna/baru, …).
RESERVED_USERNAMES = frozenset({"baru", "cari-wilayah", "pilih-wilayah"})
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
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
    email: str = "",
    actor: Any = None,
) -> User:
    username = username.strip().lower()
    if not _USERNAME.match(username):
        raise AccountInputError(
            "Nama pengguna 3–80 karakter: huruf kecil, angka, titik, garis bawah atau tanda hubung."
        )
    if username in RESERVED_USERNAMES:
        raise AccountInputError(f"Nama pengguna “{username}” dipakai oleh sistem; pilih nama lain.")
    email = clean_email(email)
    if role not in ROLES:
        raise AccountInputError(
            f"Peran tidak dikenal: {role}. Pilih salah satu: {', '.join(ROLES)}."
        )
    check_password(password, username=username, full_name=full_name)
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise DuplicateUserError(f"Pengguna {username} sudah ada.")
    codes = scope_regions(session, scope_codes or [])
    check_scope(session, role, codes)
    if role == "mitra" and not organisation.strip():
        raise AccountInputError("Pengguna mitra harus terkait dengan satu organisasi mitra.")
    user = User(
        username=username,
        full_name=full_name.strip(),
        password_hash=hash_password(password),
        role=role,
        organisation=organisation.strip(),
        email=email,
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
        after={"username": username, "role": role, "scope": codes, "organisation": organisation,
               "email": email},
    )
    return user


def clean_email(value: str) -> str:
    """An e-mail address or nothing; anything else is refused with the value named."""
    value = (value or "").strip()
    if value and (len(value) > 200 or not _EMAIL.match(value)):
        raise AccountInputError(f"Alamat e-mail “{value[:80]}” tidak sah; tulis seperti "
                                "nama@contoh.go.id.", reason="email_invalid")
    return value


def scope_regions(session: Session, codes: list[str]) -> list[str]:
    """The dotted codes of active regions, each once, in the order given; an unknown code is
    refused with its own message."""
    found: list[str] = []
    for code in codes:
        region = get_region(session, code, active_only=True).code
        if region not in found:
            found.append(region)
    return found


def check_scope(session: Session, role: str, codes: list[str]) -> None:
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
                    f"Wilayah {code} ({region.name}) adalah {region.kind.replace('_', ' ')}; "
                    f"peran {role.replace('_', ' ')} hanya boleh diberi: "
                    f"{', '.join(k.replace('_', ' ') for k in sorted(allowed))}."
                )

"""An admin creates an account (with its partner, for a mitra, and a first password) and
changes its name, e-mail, role and scope; each user chooses their reminder digest. Every
change is audited with the fields before and after."""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from mitradesa import audit
from mitradesa.accounts.errors import AccountInputError
from mitradesa.accounts.management import GENERATED_PASSWORD_BYTES
from mitradesa.accounts.models import DIGEST_FREQUENCIES, ROLES, User, UserScope
from mitradesa.accounts.services import check_scope, clean_email, create_user, scope_regions
from mitradesa.partnerships.models import Partner, PartnerMember
from mitradesa.partnerships.partners import add_partner_member


def create_account(
    session: Session, *, actor: Any, username: str, role: str, full_name: str = "",
    email: str = "", scope_codes: list[str] | None = None, partner: Partner | None = None,
    password: str | None = None, must_change: bool = True,
) -> tuple[User, str | None]:
    """A new account, linked to its partner when a mitra; the first password is the one
    given or a generated one, returned to be shown once (None when given)."""
    if role == "mitra" and partner is None:
        raise AccountInputError(
            "Pengguna mitra harus terkait dengan satu organisasi mitra; pilih mitranya.")
    generated = secrets.token_urlsafe(GENERATED_PASSWORD_BYTES) if password is None else None
    user = create_user(session, username=username, password=password or generated or "",
                       role=role, full_name=full_name, email=email,
                       scope_codes=scope_codes or [],
                       organisation=partner.name if role == "mitra" and partner else "",
                       actor=actor)
    user.must_change_password = must_change
    if role == "mitra" and partner is not None:
        add_partner_member(session, actor, partner, user)
    return user, generated


def _snapshot(user: User) -> dict[str, Any]:
    return {"full_name": user.full_name, "email": user.email, "role": user.role,
            "scope": user.scope_codes, "organisation": user.organisation}


def update_user(
    session: Session, user: User, *, actor: Any, full_name: str, email: str, role: str,
    scope_codes: list[str], partner: Partner | None = None,
) -> User:
    """Set the account's name, e-mail, role and scope (and, for a mitra, its partner) at once;
    the same rules as at creation. An admin cannot take the admin role from themself."""
    if role not in ROLES:
        raise AccountInputError(f"Peran tidak dikenal: {role}. Pilih salah satu: "
                                f"{', '.join(ROLES)}.")
    if getattr(actor, "id", None) == user.id and user.role == "admin" and role != "admin":
        raise AccountInputError("Anda tidak dapat melepas peran admin dari akun Anda sendiri.",
                                reason="cannot_demote_self")
    if role == "mitra" and partner is None and not user.organisation:
        raise AccountInputError("Pengguna mitra harus terkait dengan satu organisasi mitra; "
                                "pilih mitranya.")
    email = clean_email(email)
    codes = scope_regions(session, scope_codes)
    check_scope(session, role, codes)
    before = _snapshot(user)
    user.full_name = full_name.strip()
    user.email = email
    if role != "mitra" and user.role == "mitra":
        session.execute(delete(PartnerMember).where(PartnerMember.user_id == user.id))
    user.role = role
    if sorted(codes) != user.scope_codes:
        user.scopes = [s for s in user.scopes if s.region_code in codes]
        have = set(user.scope_codes)
        user.scopes += [UserScope(region_code=c) for c in codes if c not in have]
    if email == "" and user.digest_frequency != "off":
        user.digest_frequency = "off"  # no address: no digest
    if role == "mitra" and partner is not None:
        add_partner_member(session, actor, partner, user)
    session.flush()
    after = _snapshot(user)
    changed = [key for key in after if after[key] != before[key]]
    if changed:
        audit.log(session, "accounts.user.updated", "user", user.id, actor=actor,
                  before={"user": user.username, **{k: before[k] for k in changed}},
                  after={"user": user.username, **{k: after[k] for k in changed}})
    return user


def set_digest(session: Session, user: User, *, frequency: str, email: str | None = None,
               actor: Any) -> User:
    """The user's choice of reminder digest (off, weekly, daily), and the address it goes to;
    a digest needs an address."""
    if frequency not in DIGEST_FREQUENCIES:
        raise AccountInputError(f"Pilihan ringkasan tidak dikenal: {frequency}. Pilih salah "
                                f"satu: {', '.join(DIGEST_FREQUENCIES)}.",
                                reason="digest_frequency_invalid")
    address = user.email if email is None else clean_email(email)
    if frequency != "off" and not address:
        raise AccountInputError("Ringkasan e-mail perlu alamat e-mail; isi alamat Anda dulu.",
                                reason="email_required")
    before = {"email": user.email, "digest_frequency": user.digest_frequency}
    user.email = address
    user.digest_frequency = frequency
    after = {"email": user.email, "digest_frequency": user.digest_frequency}
    if after != before:
        audit.log(session, "accounts.user.digest_changed", "user", user.id, actor=actor,
                  before={"user": user.username, **before},
                  after={"user": user.username, **after})
    return user

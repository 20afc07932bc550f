"""Who may see and change which partnership: role, location scope and partner membership.

- admin and viewer without a scope see everything; admin changes everything.
- pendamping and operator_desa see agreements that touch a village in their scope; a
  pendamping changes them, an operator may upload the village's documents.
- mitra sees only the agreements of its own partner, and reports on them.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from mitradesa.accounts.models import User
from mitradesa.accounts.scope import UNSCOPED_WHEN_EMPTY, can_see_village
from mitradesa.partnerships.models import Agreement, Mou, PartnerMember


def partner_of(session: Session, user: User) -> int | None:
    """The partner a `mitra` user acts for (None for every other role)."""
    if user.role != "mitra":
        return None
    return session.scalar(select(PartnerMember.partner_id).where(PartnerMember.user_id == user.id))


def can_see_agreement(session: Session, user: User, agreement: Agreement) -> bool:
    if user.role == "mitra":
        partner = partner_of(session, user)
        return partner is not None and partner in agreement.partner_ids
    if not agreement.village_codes:  # a draft without villages yet: DPMD staff only
        return not user.scope_codes and user.role in UNSCOPED_WHEN_EMPTY
    return any(can_see_village(user, code) for code in agreement.village_codes)


def can_edit_agreement(session: Session, user: User, agreement: Agreement) -> bool:
    if user.role == "admin":
        return True
    return user.role == "pendamping" and can_see_agreement(session, user, agreement)


def can_report_on(session: Session, user: User, agreement: Agreement) -> bool:
    """Progress reports: the partners' own people, and the staff who edit the agreement."""
    if user.role == "mitra":
        return can_see_agreement(session, user, agreement)
    return can_edit_agreement(session, user, agreement)


def can_upload_to(session: Session, user: User, agreement: Agreement) -> bool:
    if user.role in ("mitra", "operator_desa"):
        return can_see_agreement(session, user, agreement)
    return can_edit_agreement(session, user, agreement)


def can_see_partner(session: Session, user: User, partner_id: int) -> bool:
    if user.role == "mitra":
        return partner_of(session, user) == partner_id
    return True


def can_edit_partners(user: User) -> bool:
    return user.role in ("admin", "pendamping")


def can_see_mou(session: Session, user: User, mou: Mou) -> bool:
    if user.role == "mitra":
        return partner_of(session, user) in {p.id for p in mou.partners}
    return True

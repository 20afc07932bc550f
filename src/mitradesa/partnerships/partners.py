"""Use cases of partners: record, change, and link a `mitra` account to one."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mitradesa.accounts.models import User
from mitradesa.audit import log
from mitradesa.db.versioning import check_version, save_edit
from mitradesa.errors import ConflictError, NotFoundError
from mitradesa.partnerships import access
from mitradesa.partnerships.checks import (
    Problems,
    clean_email,
    clean_sectors,
    require,
    require_version,
)
from mitradesa.partnerships.errors import PartnershipError
from mitradesa.partnerships.models import Partner, PartnerArea, PartnerMember
from mitradesa.partnerships.vocab import PARTNER_KINDS
from mitradesa.regions.queries import get_region


def get_partner(session: Session, partner_id: int) -> Partner:
    partner = session.get(Partner, partner_id)
    if partner is None:
        raise NotFoundError(f"Mitra nomor {partner_id} tidak ditemukan.")
    return partner


def visible_partner(session: Session, actor: User | None, partner_id: int) -> Partner:
    """The partner if `actor` may see it; otherwise the same answer as when it does not
    exist."""
    partner = session.get(Partner, partner_id)
    if partner is None or (actor is not None
                           and not access.can_see_partner(session, actor, partner_id)):
        raise NotFoundError(f"Mitra nomor {partner_id} tidak ditemukan.")
    return partner


def _kind_problem(kind: str) -> str | None:
    if kind in PARTNER_KINDS:
        return None
    return f"Jenis mitra “{kind}” tidak dikenal. Pilih dari: {', '.join(PARTNER_KINDS)}."


def _area(session: Session, codes: list[str]) -> list[str]:
    return list(dict.fromkeys(get_region(session, code).code for code in codes))


def create_partner(
    session: Session, actor: User | None, *, name: str, kind: str, sectors: list[str],
    area_codes: list[str] | None = None, contact_name: str = "", contact_phone: str = "",
    contact_email: str = "", address: str = "", notes: str = "",
) -> Partner:
    require(actor is None or access.can_edit_partners(actor), "Hanya DPMD yang mencatat mitra.")
    name = " ".join((name or "").split())
    area = _area(session, area_codes or [])
    problems = Problems()
    if not name:
        problems.add("Nama mitra wajib diisi.")
    if problem := _kind_problem(kind):
        problems.add(problem)
    clean = problems.attempt(lambda: clean_sectors(sectors, "Bidang mitra"))
    email = problems.attempt(lambda: clean_email(contact_email))
    problems.raise_if_any()
    if session.scalar(select(Partner.id).where(func.lower(Partner.name) == name.lower())):
        raise ConflictError(f"Mitra bernama “{name}” sudah ada.")
    partner = Partner(
        name=name, kind=kind, sectors=clean or [],
        contact_name=contact_name.strip(), contact_phone=contact_phone.strip(),
        contact_email=email or "", address=address.strip(), notes=notes.strip(),
        created_by=getattr(actor, "id", None),
    )
    partner.areas = [PartnerArea(region_code=code) for code in area]
    session.add(partner)
    session.flush()
    log(session, "partnerships.partner.created", "partner", partner.id, actor=actor,
        after={"name": name, "kind": kind, "sectors": partner.sectors,
               "area": partner.area_codes})
    return partner


def update_partner(
    session: Session, actor: User | None, partner: Partner, *, name: str | None = None,
    kind: str | None = None, sectors: list[str] | None = None,
    area_codes: list[str] | None = None, active: bool | None = None,
    expected_version: int | None = None, **contact: str,
) -> Partner:
    """Change what is given (None: keep); `contact` takes contact_name, contact_phone,
    contact_email, address and notes. `expected_version`: the version the edit was based on
    (required from a user); refused if the partner changed since. Everything is checked
    before anything changes."""
    require(actor is None or access.can_edit_partners(actor), "Hanya DPMD yang mengubah mitra.")
    require_version(actor, expected_version, f"mitra “{partner.name}”")
    check_version(partner, expected_version, f"Mitra “{partner.name}”")
    unknown = set(contact) - {"contact_name", "contact_phone", "contact_email", "address", "notes"}
    if unknown:
        raise PartnershipError(f"Isian tidak dikenal: {', '.join(sorted(unknown))}.")
    area = None if area_codes is None else _area(session, area_codes)
    problems = Problems()
    if name is not None:
        name = " ".join(name.split())
        if not name:
            problems.add("Nama mitra wajib diisi.")
    if kind is not None and (problem := _kind_problem(kind)):
        problems.add(problem)
    clean = None if sectors is None else problems.attempt(
        lambda: clean_sectors(sectors, "Bidang mitra"))
    if contact.get("contact_email") is not None:
        contact["contact_email"] = problems.attempt(
            lambda: clean_email(contact["contact_email"])) or ""
    problems.raise_if_any()
    if name:
        clash = session.scalar(select(Partner.id).where(func.lower(Partner.name) == name.lower(),
                                                        Partner.id != partner.id))
        if clash:
            raise ConflictError(f"Mitra bernama “{name}” sudah ada.")
    before = {"name": partner.name, "kind": partner.kind, "sectors": list(partner.sectors),
              "area": partner.area_codes, "active": partner.active}
    if name:
        partner.name = name
    if kind is not None:
        partner.kind = kind
    if clean is not None:
        partner.sectors = clean
    if area is not None:
        partner.areas = [a for a in partner.areas if a.region_code in area]
        have = set(partner.area_codes)
        partner.areas += [PartnerArea(region_code=c) for c in area if c not in have]
    if active is not None:
        partner.active = active
    for key, value in contact.items():
        if value is not None:
            setattr(partner, key, value.strip())
    save_edit(session, partner, f"Mitra “{partner.name}”")
    log(session, "partnerships.partner.updated", "partner", partner.id, actor=actor,
        before=before, after={"name": partner.name, "kind": partner.kind,
                              "sectors": list(partner.sectors), "area": partner.area_codes,
                              "active": partner.active})
    return partner


def add_partner_member(session: Session, actor: User | None, partner: Partner, user: User) -> None:
    require(actor is None or actor.role == "admin", "Hanya admin yang menautkan akun mitra.")
    if user.role != "mitra":
        raise PartnershipError(f"Akun {user.username} berperan {user.role}, bukan mitra.")
    user.organisation = partner.name
    member = session.get(PartnerMember, user.id)
    if member is None:
        session.add(PartnerMember(user_id=user.id, partner_id=partner.id))
    else:
        member.partner_id = partner.id
    log(session, "partnerships.partner.member_added", "partner", partner.id, actor=actor,
        after={"user": user.username})

"""Beneficiaries of mentoring: households, UMKM (with their permits and photos) and business
groups. Each use case takes the session and the acting user (None: the command line,
trusted) and leaves committing to the caller."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mitradesa.accounts.models import User
from mitradesa.audit import log
from mitradesa.db.versioning import check_version, save_edit
from mitradesa.errors import ConflictError
from mitradesa.mentoring.checks import (
    Problems,
    digits16,
    in_scope,
    may_edit_village,
    not_negative,
    village,
)
from mitradesa.mentoring.errors import MentoringError
from mitradesa.mentoring.models import (
    Enrolment,
    Group,
    GroupMember,
    Household,
    Umkm,
    UmkmPhoto,
)
from mitradesa.mentoring.vocab import WELFARE_CLASSES
from mitradesa.partnerships import documents
from mitradesa.partnerships.errors import PartnershipError

PHOTO_TYPES = frozenset({"image/jpeg", "image/png"})


def beneficiary_of(enrolment: Enrolment) -> Household | Umkm | Group:
    return enrolment.umkm or enrolment.household or enrolment.group  # type: ignore[return-value]


def beneficiary_village(enrolment: Enrolment) -> str:
    return beneficiary_of(enrolment).village_code


def who_of(beneficiary: Household | Umkm | Group) -> str:
    """The name a beneficiary is known by."""
    return getattr(beneficiary, "name", None) or getattr(beneficiary, "head_name", "")


def register_household(
    session: Session, actor: User | None, *, kk_number: str, head_name: str,
    village_code: str, welfare_class: str, members: int = 1, head_nik: str = "",
    p3ke_decile: int | None = None, monthly_income_rupiah: int | None = None,
    demo: bool = False,
) -> Household:
    code = village(session, village_code)
    may_edit_village(actor, code)
    problems = Problems()
    kk = nik = ""
    with problems.checking():
        kk = digits16(kk_number, "Nomor KK", required=True)
    with problems.checking():
        nik = digits16(head_nik, "NIK kepala keluarga", required=False)
    if not head_name.strip():
        problems.add("Nama kepala keluarga wajib diisi.")
    if welfare_class not in WELFARE_CLASSES:
        problems.add(f"Kelas kesejahteraan “{welfare_class}” tidak dikenal; pilih dari: "
                     f"{', '.join(WELFARE_CLASSES)}.")
    if p3ke_decile is not None and not 1 <= p3ke_decile <= 10:
        problems.add(f"Desil P3KE bernilai 1 (termiskin) sampai 10; yang diisi: {p3ke_decile}.")
    if members < 1:
        problems.add(f"Jumlah anggota keluarga paling sedikit 1; yang diisi: {members}.")
    with problems.checking():
        not_negative(monthly_income_rupiah, "Pendapatan")
    problems.raise_any()
    existing = session.scalar(select(Household).where(Household.kk_number == kk))
    if existing is not None:
        raise ConflictError(f"Nomor KK {kk} sudah terdaftar (rumah tangga nomor {existing.id}, "
                            f"desa {existing.village_code}).", existing_id=existing.id)
    household = Household(
        kk_number=kk, head_name=head_name.strip(), head_nik=nik, members=members,
        welfare_class=welfare_class, p3ke_decile=p3ke_decile, village_code=code,
        monthly_income_rupiah=not_negative(monthly_income_rupiah, "Pendapatan"), demo=demo,
        created_by=getattr(actor, "id", None),
    )
    session.add(household)
    session.flush()
    log(session, "mentoring.household.created", "household", household.id, actor=actor,
        after={"kk_number": kk, "nik": nik, "village": code, "welfare_class": welfare_class})
    return household


def register_umkm(
    session: Session, actor: User | None, *, name: str, owner_name: str, village_code: str,
    owner_nik: str = "", sector: str = "", products: str = "", nib: str = "", pirt: str = "",
    halal: str = "", bpom: str = "", employees: int = 0, capital_rupiah: int | None = None,
    monthly_turnover_rupiah: int | None = None, household_id: int | None = None,
    demo: bool = False,
) -> Umkm:
    code = village(session, village_code)
    may_edit_village(actor, code)
    problems = Problems()
    if not name.strip():
        problems.add("Nama usaha wajib diisi.")
    if not owner_name.strip():
        problems.add("Nama pemilik wajib diisi.")
    nik = ""
    with problems.checking():
        nik = digits16(owner_nik, "NIK pemilik", required=False)
    for value, what in ((employees, "Tenaga kerja"), (capital_rupiah, "Modal"),
                        (monthly_turnover_rupiah, "Omzet")):
        with problems.checking():
            not_negative(value, what)
    problems.raise_any()
    if household_id is not None:
        in_scope(session, actor, Household, household_id, "Rumah tangga")
    umkm = Umkm(
        name=name.strip(), owner_name=owner_name.strip(), owner_nik=nik, village_code=code,
        sector=sector.strip(), products=products.strip(), nib=nib.strip(), pirt=pirt.strip(),
        halal=halal.strip(), bpom=bpom.strip(),
        employees=not_negative(employees, "Tenaga kerja") or 0,
        capital_rupiah=not_negative(capital_rupiah, "Modal"),
        monthly_turnover_rupiah=not_negative(monthly_turnover_rupiah, "Omzet"),
        household_id=household_id, demo=demo, created_by=getattr(actor, "id", None),
    )
    session.add(umkm)
    session.flush()
    log(session, "mentoring.umkm.created", "umkm", umkm.id, actor=actor,
        after={"name": umkm.name, "nik": nik, "village": code})
    return umkm


def update_umkm(session: Session, actor: User | None, umkm: Umkm, *,
                expected_version: int | None = None, **changes: Any) -> Umkm:
    may_edit_village(actor, umkm.village_code)
    check_version(umkm, expected_version, f"Data UMKM “{umkm.name}”")
    allowed = {"name", "owner_name", "sector", "products", "nib", "pirt", "halal", "bpom",
               "employees", "capital_rupiah", "monthly_turnover_rupiah"}
    unknown = set(changes) - allowed
    if unknown:
        raise MentoringError(f"Isian tidak dikenal: {', '.join(sorted(unknown))}.")
    before = {k: getattr(umkm, k) for k in changes}
    for key, value in changes.items():
        setattr(umkm, key, value.strip() if isinstance(value, str) else value)
    save_edit(session, umkm, f"Data UMKM “{umkm.name}”")
    log(session, "mentoring.umkm.updated", "umkm", umkm.id, actor=actor, before=before,
        after=changes)
    return umkm


def add_umkm_photo(
    session: Session, actor: User | None, umkm: Umkm, *, filename: str, content: bytes,
    store_dir: Path,
) -> UmkmPhoto:
    """Keep a photo of the business: JPEG or PNG, checked by its content."""
    may_edit_village(actor, umkm.village_code)
    try:
        if content and documents.detect_type(content, filename)[0] not in PHOTO_TYPES:
            raise MentoringError(f"Berkas “{documents.safe_filename(filename)}” bukan foto: "
                                 "hanya JPEG atau PNG (diperiksa dari isinya).")
        stored = documents.store(content, filename, store_dir)
    except PartnershipError as exc:
        raise MentoringError(exc.message.replace("PDF, JPEG, PNG, XLSX atau DOCX",
                                                 "JPEG atau PNG")) from None
    photo = UmkmPhoto(umkm_id=umkm.id, filename=stored.filename,
                      content_type=stored.content_type, size=stored.size, sha256=stored.sha256,
                      stored_path=str(stored.path))
    session.add(photo)
    session.flush()
    log(session, "mentoring.umkm.photo_added", "umkm", umkm.id, actor=actor,
        after={"photo": photo.id, "filename": photo.filename, "sha256": photo.sha256})
    return photo


def create_group(
    session: Session, actor: User | None, *, name: str, village_code: str, sector: str = "",
    products: str = "", household_ids: list[int] | None = None,
    umkm_ids: list[int] | None = None, demo: bool = False,
) -> Group:
    code = village(session, village_code)
    may_edit_village(actor, code)
    if not name.strip():
        raise MentoringError("Nama kelompok wajib diisi.")
    group = Group(name=name.strip(), village_code=code, sector=sector.strip(),
                  products=products.strip(), demo=demo, created_by=getattr(actor, "id", None))
    members = [(in_scope(session, actor, Household, key, "Rumah tangga"), "household_id")
               for key in dict.fromkeys(household_ids or [])]
    members += [(in_scope(session, actor, Umkm, key, "UMKM"), "umkm_id")
                for key in dict.fromkeys(umkm_ids or [])]
    elsewhere = [f"{who_of(m)} ({m.village_code})" for m, _ in members if m.village_code != code]
    if elsewhere:
        raise MentoringError(f"Anggota kelompok harus dari desa kelompok itu ({code}); dari desa "
                             f"lain: {', '.join(elsewhere)}.")
    for member, column in members:
        group.members.append(GroupMember(**{column: member.id}))
    session.add(group)
    session.flush()
    log(session, "mentoring.group.created", "group", group.id, actor=actor,
        after={"name": group.name, "members": len(group.members)})
    return group

"""Use cases of economic mentoring; the CLI, the API and the pages call these.

Each takes the session and the acting user (None: the command line, trusted) and leaves
committing to the caller.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mitradesa.accounts.models import User
from mitradesa.accounts.scope import can_see_village
from mitradesa.audit import log
from mitradesa.db.versioning import check_version, save_edit
from mitradesa.errors import ConflictError, NotFoundError, PermissionDeniedError
from mitradesa.mentoring.errors import GraduationRefusedError, MentoringError
from mitradesa.mentoring.models import (
    Assessment,
    Attendance,
    Buyer,
    Delivery,
    Enrolment,
    Group,
    GroupMember,
    Household,
    MentoringSession,
    Outcome,
    Program,
    ProgramVillage,
    StageChange,
    SupplyContract,
    Umkm,
    UmkmPhoto,
)
from mitradesa.mentoring.stages import (
    BeneficiaryState,
    CriterionCheck,
    check_criteria,
    place,
    validate_criteria,
)
from mitradesa.mentoring.vocab import (
    BUYER_KINDS,
    DEFAULT_STAGES,
    FUNDERS,
    LEAVE_REASONS,
    SESSION_KINDS,
    TARGET_TYPES,
    WELFARE_CLASSES,
)
from mitradesa.partnerships import documents
from mitradesa.partnerships.errors import PartnershipError
from mitradesa.partnerships.models import Commitment
from mitradesa.regions.models import VILLAGE_KINDS
from mitradesa.regions.queries import get_region

EDITORS = frozenset({"admin", "pendamping", "operator_desa"})
_SIXTEEN_DIGITS = re.compile(r"^\d{16}$")


# ------------------------------------------------------------------ shared checks


def _may_edit_village(actor: User | None, village_code: str) -> None:
    if actor is None:
        return
    if actor.role not in EDITORS or not can_see_village(actor, village_code):
        raise PermissionDeniedError("Anda tidak berwenang mencatat data untuk desa ini.")


def _village(session: Session, code: str) -> str:
    region = get_region(session, code)
    if region.kind not in VILLAGE_KINDS:
        raise MentoringError(f"{region.code} ({region.name}) bukan desa atau kelurahan.")
    return region.code


def _digits16(value: str, what: str, *, required: bool) -> str:
    clean = re.sub(r"\s+", "", value or "")
    if not clean and not required:
        return ""
    if not _SIXTEEN_DIGITS.match(clean):
        raise MentoringError(f"{what} harus 16 angka; yang diisi: “{value}”.")
    return clean


def _not_negative(value: int | None, what: str) -> int | None:
    if value is not None and value < 0:
        raise MentoringError(f"{what} tidak boleh negatif.")
    return value


def _get(session: Session, model: type, key: int, what: str) -> Any:
    found = session.get(model, key)
    if found is None:
        raise NotFoundError(f"{what} nomor {key} tidak ditemukan.")
    return found


def get_program(session: Session, program_id: int) -> Program:
    return _get(session, Program, program_id, "Program")


def get_enrolment(session: Session, enrolment_id: int) -> Enrolment:
    return _get(session, Enrolment, enrolment_id, "Peserta program")


def beneficiary_of(enrolment: Enrolment) -> Household | Umkm | Group:
    return enrolment.umkm or enrolment.household or enrolment.group  # type: ignore[return-value]


def beneficiary_village(enrolment: Enrolment) -> str:
    return beneficiary_of(enrolment).village_code


# ------------------------------------------------------------------ beneficiaries


def register_household(
    session: Session, actor: User | None, *, kk_number: str, head_name: str,
    village_code: str, welfare_class: str, members: int = 1, head_nik: str = "",
    p3ke_decile: int | None = None, monthly_income_rupiah: int | None = None,
    demo: bool = False,
) -> Household:
    code = _village(session, village_code)
    _may_edit_village(actor, code)
    kk = _digits16(kk_number, "Nomor KK", required=True)
    nik = _digits16(head_nik, "NIK kepala keluarga", required=False)
    if welfare_class not in WELFARE_CLASSES:
        raise MentoringError(f"Kelas kesejahteraan “{welfare_class}” tidak dikenal; pilih dari: "
                             f"{', '.join(WELFARE_CLASSES)}.")
    if p3ke_decile is not None and not 1 <= p3ke_decile <= 10:
        raise MentoringError("Desil P3KE bernilai 1 (termiskin) sampai 10.")
    if members < 1:
        raise MentoringError("Jumlah anggota keluarga paling sedikit 1.")
    existing = session.scalar(select(Household).where(Household.kk_number == kk))
    if existing is not None:
        raise ConflictError(f"Nomor KK {kk} sudah terdaftar (rumah tangga nomor {existing.id}, "
                            f"desa {existing.village_code}).", existing_id=existing.id)
    if not head_name.strip():
        raise MentoringError("Nama kepala keluarga wajib diisi.")
    household = Household(
        kk_number=kk, head_name=head_name.strip(), head_nik=nik, members=members,
        welfare_class=welfare_class, p3ke_decile=p3ke_decile, village_code=code,
        monthly_income_rupiah=_not_negative(monthly_income_rupiah, "Pendapatan"), demo=demo,
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
    code = _village(session, village_code)
    _may_edit_village(actor, code)
    if not name.strip() or not owner_name.strip():
        raise MentoringError("Nama usaha dan nama pemilik wajib diisi.")
    nik = _digits16(owner_nik, "NIK pemilik", required=False)
    if household_id is not None:
        _get(session, Household, household_id, "Rumah tangga")
    umkm = Umkm(
        name=name.strip(), owner_name=owner_name.strip(), owner_nik=nik, village_code=code,
        sector=sector.strip(), products=products.strip(), nib=nib.strip(), pirt=pirt.strip(),
        halal=halal.strip(), bpom=bpom.strip(),
        employees=_not_negative(employees, "Tenaga kerja") or 0,
        capital_rupiah=_not_negative(capital_rupiah, "Modal"),
        monthly_turnover_rupiah=_not_negative(monthly_turnover_rupiah, "Omzet"),
        household_id=household_id, demo=demo, created_by=getattr(actor, "id", None),
    )
    session.add(umkm)
    session.flush()
    log(session, "mentoring.umkm.created", "umkm", umkm.id, actor=actor,
        after={"name": umkm.name, "nik": nik, "village": code})
    return umkm


def update_umkm(session: Session, actor: User | None, umkm: Umkm, *,
                expected_version: int | None = None, **changes: Any) -> Umkm:
    _may_edit_village(actor, umkm.village_code)
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


PHOTO_TYPES = frozenset({"image/jpeg", "image/png"})


def add_umkm_photo(
    session: Session, actor: User | None, umkm: Umkm, *, filename: str, content: bytes,
    store_dir: Path,
) -> UmkmPhoto:
    """Keep a photo of the business: JPEG or PNG, checked by its content."""
    _may_edit_village(actor, umkm.village_code)
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
    code = _village(session, village_code)
    _may_edit_village(actor, code)
    if not name.strip():
        raise MentoringError("Nama kelompok wajib diisi.")
    group = Group(name=name.strip(), village_code=code, sector=sector.strip(),
                  products=products.strip(), demo=demo, created_by=getattr(actor, "id", None))
    for household_id in household_ids or []:
        _get(session, Household, household_id, "Rumah tangga")
        group.members.append(GroupMember(household_id=household_id))
    for umkm_id in umkm_ids or []:
        _get(session, Umkm, umkm_id, "UMKM")
        group.members.append(GroupMember(umkm_id=umkm_id))
    session.add(group)
    session.flush()
    log(session, "mentoring.group.created", "group", group.id, actor=actor,
        after={"name": group.name, "members": len(group.members)})
    return group


# ------------------------------------------------------------------ programs and enrolment


def create_program(
    session: Session, actor: User | None, *, name: str, funder: str, target_type: str,
    village_codes: list[str], stages: list[str] | None = None,
    graduation_criteria: list[dict[str, Any]] | None = None, budget_rupiah: int = 0,
    start_date: date | None = None, end_date: date | None = None, funder_note: str = "",
    commitment_id: int | None = None, demo: bool = False,
) -> Program:
    if actor is not None and actor.role not in ("admin", "pendamping"):
        raise PermissionDeniedError("Hanya DPMD atau pendamping yang membuat program.")
    if not name.strip():
        raise MentoringError("Nama program wajib diisi.")
    if funder not in FUNDERS:
        raise MentoringError(f"Sumber dana “{funder}” tidak dikenal; pilih dari: "
                             f"{', '.join(FUNDERS)}.")
    if target_type not in TARGET_TYPES:
        raise MentoringError(f"Sasaran “{target_type}” tidak dikenal; pilih dari: "
                             f"{', '.join(TARGET_TYPES)}.")
    names = [s.strip() for s in (stages or list(DEFAULT_STAGES)) if s and s.strip()]
    if len(names) < 3:
        raise MentoringError("Model tahap memerlukan sedikitnya 3 tahap: asesmen, satu tahap "
                             "pendampingan, dan mandiri.")
    try:
        criteria = validate_criteria(graduation_criteria or [])
    except ValueError as exc:
        raise MentoringError(f"Kriteria kelulusan tidak sah: {exc}.") from None
    if not criteria:
        raise MentoringError("Program memerlukan kriteria kelulusan yang jelas.")
    if start_date and end_date and end_date < start_date:
        raise MentoringError("Tanggal selesai tidak boleh sebelum tanggal mulai.")
    if commitment_id is not None:
        _get(session, Commitment, commitment_id, "Komitmen kerja sama")
    program = Program(
        name=name.strip(), funder=funder, funder_note=funder_note.strip(),
        commitment_id=commitment_id, target_type=target_type, start_date=start_date,
        end_date=end_date, budget_rupiah=_not_negative(budget_rupiah, "Anggaran") or 0,
        stages=names, graduation_criteria=criteria, demo=demo,
        created_by=getattr(actor, "id", None),
    )
    program.villages = [ProgramVillage(village_code=_village(session, c))
                        for c in dict.fromkeys(village_codes)]
    if actor is not None and actor.role == "pendamping" and not all(
        can_see_village(actor, c) for c in program.village_codes
    ):
        raise PermissionDeniedError("Sebagian desa program di luar wilayah kerja Anda.")
    session.add(program)
    session.flush()
    log(session, "mentoring.program.created", "program", program.id, actor=actor,
        after={"name": program.name, "target": target_type, "villages": program.village_codes})
    return program


def enrol(
    session: Session, actor: User | None, program: Program, *, on: date,
    umkm_id: int | None = None, household_id: int | None = None, group_id: int | None = None,
) -> Enrolment:
    chosen = {"umkm": umkm_id, "household": household_id, "group": group_id}
    given = [k for k, v in chosen.items() if v is not None]
    if given != [program.target_type]:
        raise MentoringError(f"Program ini untuk {TARGET_TYPES[program.target_type]}; pilih "
                             "satu penerima manfaat jenis itu.")
    model = {"umkm": Umkm, "household": Household, "group": Group}[program.target_type]
    beneficiary = _get(session, model, chosen[program.target_type],
                       TARGET_TYPES[program.target_type])
    _may_edit_village(actor, beneficiary.village_code)
    if program.village_codes and beneficiary.village_code not in program.village_codes:
        raise MentoringError(f"Desa {beneficiary.village_code} bukan desa sasaran program ini.")
    column = getattr(Enrolment, f"{program.target_type}_id")
    active = session.scalar(select(Enrolment.id).where(
        Enrolment.program_id == program.id, column == beneficiary.id,
        Enrolment.status == "aktif"))
    if active:
        raise ConflictError("Penerima manfaat ini sudah aktif di program ini.")
    enrolment = Enrolment(program_id=program.id, stage=1, status="aktif", enrolled_on=on,
                          created_by=getattr(actor, "id", None), **{
                              f"{program.target_type}_id": beneficiary.id})
    session.add(enrolment)
    session.flush()
    session.refresh(enrolment)
    enrolment.stage_changes.append(StageChange(from_stage=None, to_stage=1, note="terdaftar",
                                               actor_name=_name(actor)))
    enrolment.outcomes.append(_baseline(beneficiary, on))
    session.flush()
    log(session, "mentoring.enrolment.created", "enrolment", enrolment.id, actor=actor,
        after={"program": program.id, program.target_type: beneficiary.id})
    return enrolment


def _baseline(beneficiary: Household | Umkm | Group, on: date) -> Outcome:
    """The beneficiary's figures at enrolment: the baseline outcomes are measured against."""
    if isinstance(beneficiary, Umkm):
        return Outcome(measured_on=on, monthly_turnover_rupiah=beneficiary.monthly_turnover_rupiah,
                       employees=beneficiary.employees, notes="baseline saat mendaftar")
    if isinstance(beneficiary, Household):
        return Outcome(measured_on=on, household_income_rupiah=beneficiary.monthly_income_rupiah,
                       welfare_class=beneficiary.welfare_class, notes="baseline saat mendaftar")
    return Outcome(measured_on=on, notes="baseline saat mendaftar")


def _name(actor: User | None) -> str:
    return getattr(actor, "username", None) or "system"


def _active(enrolment: Enrolment) -> None:
    if enrolment.status != "aktif":
        raise MentoringError(f"Peserta ini sudah {enrolment.status} dari program; riwayatnya "
                             "tetap tersimpan.")


def assess(
    session: Session, actor: User | None, enrolment: Enrolment, *, on: date,
    answers: dict[str, bool], notes: str = "",
) -> Assessment:
    """Record the needs assessment and place the beneficiary at the stage it needs."""
    _may_edit_village(actor, beneficiary_village(enrolment))
    _active(enrolment)
    stage = place(answers, stage_count=len(enrolment.program.stages))
    assessment = Assessment(enrolment_id=enrolment.id, assessed_on=on, answers=dict(answers),
                            placed_stage=stage, notes=notes.strip(),
                            created_by=getattr(actor, "id", None))
    enrolment.assessments.append(assessment)
    _set_stage(enrolment, stage, actor, f"hasil asesmen {on.isoformat()}")
    session.flush()
    log(session, "mentoring.assessment.recorded", "enrolment", enrolment.id, actor=actor,
        after={"answers": answers, "stage": stage})
    return assessment


def _set_stage(enrolment: Enrolment, stage: int, actor: User | None, note: str) -> None:
    if stage != enrolment.stage:
        enrolment.stage_changes.append(StageChange(from_stage=enrolment.stage, to_stage=stage,
                                                   note=note, actor_name=_name(actor)))
        enrolment.stage = stage


def move_stage(
    session: Session, actor: User | None, enrolment: Enrolment, stage: int, note: str = ""
) -> None:
    _may_edit_village(actor, beneficiary_village(enrolment))
    _active(enrolment)
    last = len(enrolment.program.stages)
    if stage == last:
        raise MentoringError("Tahap terakhir (mandiri) dicapai lewat kelulusan, yang memeriksa "
                             "kriteria program.")
    if not 1 <= stage < last:
        raise MentoringError(f"Tahap harus 1 sampai {last - 1}.")
    if stage < enrolment.stage and not note.strip():
        raise MentoringError("Turun tahap memerlukan catatan alasannya.")
    _set_stage(enrolment, stage, actor, note.strip())
    session.flush()
    log(session, "mentoring.enrolment.stage", "enrolment", enrolment.id, actor=actor,
        after={"stage": stage, "note": note.strip()})


def state_of(session: Session, enrolment: Enrolment) -> BeneficiaryState:
    """The latest known figures of the beneficiary, for the graduation criteria."""
    beneficiary = beneficiary_of(enrolment)
    latest: dict[str, Any] = {}
    for outcome in enrolment.outcomes:  # oldest first: later values win
        for key in ("monthly_turnover_rupiah", "employees", "household_income_rupiah",
                    "welfare_class"):
            if getattr(outcome, key) is not None:
                latest[key] = getattr(outcome, key)
    contracts = 0
    if isinstance(beneficiary, Umkm | Group):
        column = SupplyContract.umkm_id if isinstance(beneficiary, Umkm) else \
            SupplyContract.group_id
        today = date.today()
        contracts = sum(1 for c in session.scalars(select(SupplyContract).where(
            column == beneficiary.id)) if c.end_date is None or c.end_date >= today)
    return BeneficiaryState(
        monthly_turnover=latest.get("monthly_turnover_rupiah"),
        household_income=latest.get("household_income_rupiah"),
        welfare_class=latest.get("welfare_class"),
        employees=latest.get("employees"), buyer_contracts=contracts,
        legality=beneficiary.legality if isinstance(beneficiary, Umkm) else frozenset(),
    )


def graduation_checks(session: Session, enrolment: Enrolment) -> list[CriterionCheck]:
    return check_criteria(enrolment.program.graduation_criteria, state_of(session, enrolment))


def graduate(session: Session, actor: User | None, enrolment: Enrolment, *, on: date) -> None:
    """Graduate the beneficiary, or refuse and name the criteria that do not hold yet."""
    _may_edit_village(actor, beneficiary_village(enrolment))
    _active(enrolment)
    unmet = [c for c in graduation_checks(session, enrolment) if not c.met]
    if unmet:
        raise GraduationRefusedError(
            "Belum dapat lulus. Kriteria yang belum terpenuhi: "
            + "; ".join(f"{c.label} ({c.detail})" for c in unmet) + ".",
            [c.label for c in unmet],
        )
    _set_stage(enrolment, len(enrolment.program.stages), actor, "lulus: semua kriteria terpenuhi")
    enrolment.status = "lulus"
    enrolment.left_on = on
    enrolment.leave_reason = "lulus"
    session.flush()
    log(session, "mentoring.enrolment.graduated", "enrolment", enrolment.id, actor=actor,
        after={"on": on.isoformat()})


def leave(
    session: Session, actor: User | None, enrolment: Enrolment, *, reason: str, on: date,
    note: str = "",
) -> None:
    _may_edit_village(actor, beneficiary_village(enrolment))
    _active(enrolment)
    if reason not in LEAVE_REASONS or reason == "lulus":
        raise MentoringError("Alasan keluar: " + ", ".join(
            k for k in LEAVE_REASONS if k != "lulus") + " (kelulusan lewat pemeriksaan kriteria).")
    enrolment.status = "keluar"
    enrolment.left_on = on
    enrolment.leave_reason = reason
    enrolment.leave_note = note.strip()
    session.flush()
    log(session, "mentoring.enrolment.left", "enrolment", enrolment.id, actor=actor,
        after={"reason": reason, "on": on.isoformat()})


# ------------------------------------------------------------------ sessions and outcomes


def record_session(
    session: Session, actor: User | None, program: Program, *, held_on: date, kind: str,
    mentor: str, topic: str, attended: list[int], absent: list[int] | None = None,
    village_code: str | None = None, notes: str = "",
) -> MentoringSession:
    if actor is not None and actor.role not in ("admin", "pendamping"):
        raise PermissionDeniedError("Hanya pendamping yang mencatat sesi.")
    if kind not in SESSION_KINDS:
        raise MentoringError(f"Jenis sesi “{kind}” tidak dikenal; pilih dari: "
                             f"{', '.join(SESSION_KINDS)}.")
    if not mentor.strip() or not topic.strip():
        raise MentoringError("Pendamping dan topik sesi wajib diisi.")
    members = {e.id for e in session.scalars(select(Enrolment).where(
        Enrolment.program_id == program.id))}
    strangers = [i for i in [*attended, *(absent or [])] if i not in members]
    if strangers:
        raise MentoringError(f"Peserta {strangers} bukan peserta program ini.")
    record = MentoringSession(
        program_id=program.id, held_on=held_on, kind=kind, mentor=mentor.strip(),
        topic=topic.strip(), notes=notes.strip(),
        village_code=_village(session, village_code) if village_code else None,
        created_by=getattr(actor, "id", None),
    )
    record.attendance = [Attendance(enrolment_id=i, present=True) for i in dict.fromkeys(attended)]
    record.attendance += [Attendance(enrolment_id=i, present=False)
                          for i in dict.fromkeys(absent or []) if i not in attended]
    session.add(record)
    session.flush()
    log(session, "mentoring.session.recorded", "program", program.id, actor=actor,
        after={"session": record.id, "present": len(attended)})
    return record


def record_outcome(
    session: Session, actor: User | None, enrolment: Enrolment, *, measured_on: date,
    monthly_turnover_rupiah: int | None = None, employees: int | None = None,
    household_income_rupiah: int | None = None, welfare_class: str | None = None,
    notes: str = "",
) -> Outcome:
    """A measurement; it also updates the beneficiary's current figures."""
    _may_edit_village(actor, beneficiary_village(enrolment))
    if welfare_class is not None and welfare_class not in WELFARE_CLASSES:
        raise MentoringError(f"Kelas kesejahteraan “{welfare_class}” tidak dikenal.")
    values = (monthly_turnover_rupiah, employees, household_income_rupiah, welfare_class)
    if all(v is None for v in values):
        raise MentoringError("Isi sedikitnya satu ukuran hasil (omzet, tenaga kerja, "
                             "pendapatan atau kelas kesejahteraan).")
    outcome = Outcome(
        enrolment_id=enrolment.id, measured_on=measured_on,
        monthly_turnover_rupiah=_not_negative(monthly_turnover_rupiah, "Omzet"),
        employees=_not_negative(employees, "Tenaga kerja"),
        household_income_rupiah=_not_negative(household_income_rupiah, "Pendapatan"),
        welfare_class=welfare_class, notes=notes.strip(), created_by=getattr(actor, "id", None),
    )
    enrolment.outcomes.append(outcome)
    beneficiary = beneficiary_of(enrolment)
    if isinstance(beneficiary, Umkm):
        if monthly_turnover_rupiah is not None:
            beneficiary.monthly_turnover_rupiah = monthly_turnover_rupiah
        if employees is not None:
            beneficiary.employees = employees
    elif isinstance(beneficiary, Household):
        if household_income_rupiah is not None:
            beneficiary.monthly_income_rupiah = household_income_rupiah
        if welfare_class is not None:
            beneficiary.welfare_class = welfare_class
    session.flush()
    log(session, "mentoring.outcome.recorded", "enrolment", enrolment.id, actor=actor,
        after={"measured_on": measured_on.isoformat()})
    return outcome


# ------------------------------------------------------------------ markets


def create_buyer(
    session: Session, actor: User | None, *, name: str, kind: str, address: str = "",
    contact: str = "", demo: bool = False,
) -> Buyer:
    if actor is not None and actor.role not in ("admin", "pendamping"):
        raise PermissionDeniedError("Hanya pendamping yang mencatat pembeli.")
    if kind not in BUYER_KINDS:
        raise MentoringError(f"Jenis pembeli “{kind}” tidak dikenal; pilih dari: "
                             f"{', '.join(BUYER_KINDS)}.")
    if not name.strip():
        raise MentoringError("Nama pembeli wajib diisi.")
    buyer = Buyer(name=name.strip(), kind=kind, address=address.strip(),
                  contact=contact.strip(), demo=demo, created_by=getattr(actor, "id", None))
    session.add(buyer)
    session.flush()
    log(session, "mentoring.buyer.created", "buyer", buyer.id, actor=actor,
        after={"name": buyer.name})
    return buyer


def create_contract(
    session: Session, actor: User | None, *, buyer_id: int, product: str, start_date: date,
    price_rupiah: int, unit: str = "kg", volume_per_month: int | None = None,
    end_date: date | None = None, umkm_id: int | None = None, group_id: int | None = None,
) -> SupplyContract:
    if (umkm_id is None) == (group_id is None):
        raise MentoringError("Kontrak pasok dibuat untuk satu UMKM atau satu kelompok.")
    supplier = (_get(session, Umkm, umkm_id, "UMKM") if umkm_id is not None
                else _get(session, Group, group_id, "Kelompok"))
    _may_edit_village(actor, supplier.village_code)
    _get(session, Buyer, buyer_id, "Pembeli")
    if end_date and end_date < start_date:
        raise MentoringError("Tanggal selesai kontrak tidak boleh sebelum tanggal mulai.")
    if not product.strip():
        raise MentoringError("Produk yang dipasok wajib diisi.")
    contract = SupplyContract(
        buyer_id=buyer_id, umkm_id=umkm_id, group_id=group_id, product=product.strip(),
        unit=unit.strip() or "kg", price_rupiah=_not_negative(price_rupiah, "Harga") or 0,
        volume_per_month=_not_negative(volume_per_month, "Volume"), start_date=start_date,
        end_date=end_date, created_by=getattr(actor, "id", None),
    )
    session.add(contract)
    session.flush()
    log(session, "mentoring.contract.created", "contract", contract.id, actor=actor,
        after={"buyer": buyer_id, "product": contract.product})
    return contract


def record_delivery(
    session: Session, actor: User | None, contract: SupplyContract, *, delivered_on: date,
    volume: int, value_rupiah: int,
) -> Delivery:
    supplier_village = (contract.umkm_id and session.get(Umkm, contract.umkm_id).village_code) \
        or session.get(Group, contract.group_id).village_code
    _may_edit_village(actor, supplier_village)
    if volume <= 0:
        raise MentoringError("Volume pengiriman harus lebih dari 0.")
    delivery = Delivery(contract_id=contract.id, delivered_on=delivered_on, volume=volume,
                        value_rupiah=_not_negative(value_rupiah, "Nilai") or 0,
                        created_by=getattr(actor, "id", None))
    contract.deliveries.append(delivery)
    session.flush()
    log(session, "mentoring.delivery.recorded", "contract", contract.id, actor=actor,
        after={"volume": volume, "value_rupiah": value_rupiah})
    return delivery

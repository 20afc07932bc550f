"""Mentoring API: programs with their dashboard, enrolments and their stages, households and
UMKM, sessions, and duplicates (buyers, contracts, deliveries and success stories:
`mentoring_markets`).

Handlers only translate: every action goes through the use cases of `mentoring`, which check what
the user may change. What lies outside the user's scope answers 404 as if it did not exist; lists
hold only what the user may see; a partner's (mitra) account sees no mentoring records (empty
lists, 403 elsewhere, by the rules in `web/permissions.py`). NIK and KK numbers are masked for
every role but admin and pendamping.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Query
from sqlalchemy import select

from mitradesa.accounts.models import User
from mitradesa.accounts.scope import can_see_village
from mitradesa.errors import NotFoundError
from mitradesa.mentoring import beneficiaries, enrolments, outcomes, programs, queries
from mitradesa.mentoring.models import (
    Enrolment,
    Household,
    MentoringSession,
    Program,
    Umkm,
)
from mitradesa.mentoring.queries import mask_nik
from mitradesa.regions.codes import is_within
from mitradesa.regions.queries import get_region
from mitradesa.web.api.mentoring_schemas import (
    AreaRead,
    AssessmentCreate,
    DashboardRead,
    DuplicatesRead,
    EnrolmentCreate,
    EnrolmentDetailRead,
    EnrolmentRead,
    GraduationCreate,
    HouseholdCreate,
    HouseholdRead,
    LeaveCreate,
    OutcomeCreate,
    PersonServedRead,
    ProgramCreate,
    ProgramDetailRead,
    ProgramRead,
    SessionCreate,
    SessionRead,
    SpreadRead,
    StageCountRead,
    StageUpdate,
    UmkmCreate,
    UmkmRead,
)
from mitradesa.web.api.schemas import ErrorRead
from mitradesa.web.security import CurrentUser, SessionDep

ERRORS = {code: {"model": ErrorRead} for code in (400, 401, 403, 404, 409, 422)}
router = APIRouter(tags=["mentoring"], responses=ERRORS)
VILLAGE_FILTER = Query(None, description="Only under this region code (a kecamatan or desa)")


# ------------------------------------------------------------------ what a user may see


def reader(user: User) -> bool:
    """Mentoring records are for DPMD, pendamping, operators and viewers, not partners."""
    return user.role != "mitra"


def sees(user: User, village_code: str) -> bool:
    return reader(user) and can_see_village(user, village_code)


def _program(db: SessionDep, user: User, program_id: int) -> Program:
    program = programs.get_program(db, program_id)
    if program not in queries.visible_programs(db, user):
        raise NotFoundError(f"Program nomor {program_id} tidak ditemukan.")
    return program


def _enrolment(db: SessionDep, user: User, enrolment_id: int) -> Enrolment:
    enrolment = enrolments.get_enrolment(db, enrolment_id)
    if not sees(user, beneficiaries.beneficiary_village(enrolment)):
        raise NotFoundError(f"Peserta program nomor {enrolment_id} tidak ditemukan.")
    return enrolment


def visible(db: SessionDep, user: User, model: type, key: int, what: str) -> Any:
    """A household, UMKM or group in the user's scope; 404 otherwise."""
    found = db.get(model, key)
    if found is None or not sees(user, found.village_code):
        raise NotFoundError(f"{what} nomor {key} tidak ditemukan.")
    return found


def _under(prefix: str | None, code: str) -> bool:
    return prefix is None or is_within(code, prefix)


# ------------------------------------------------------------------ converting


def _spread(spread: queries.Spread) -> SpreadRead:
    return SpreadRead(jumlah=spread.count, median=spread.median, q1=spread.q1, q3=spread.q3)


def _area(area: queries.AreaFigures) -> AreaRead:
    return AreaRead(kode=area.code, nama=area.name, peserta=area.people, lulus=area.graduated,
                    perubahan=_spread(area.change))


def program_detail(db: SessionDep, user: User, program: Program) -> ProgramDetailRead:
    board = queries.dashboard(db, program, user)
    return ProgramDetailRead(
        **queries.program_row(db, program, user),
        dasbor=DashboardRead(
            per_tahap=[StageCountRead(tahap=i, nama=name, jumlah=count)
                       for i, (name, count) in enumerate(board.per_stage, start=1)],
            aktif=board.active, lulus=board.graduated, keluar=board.left,
            tingkat_kelulusan=board.graduation_rate, ukuran=board.measure,
            perubahan=_spread(board.change),
            per_desa=[_area(a) for a in board.by_village],
            per_kecamatan=[_area(a) for a in board.by_kecamatan],
        ),
    )


def enrolment_detail(db: SessionDep, user: User, enrolment: Enrolment) -> EnrolmentDetailRead:
    return EnrolmentDetailRead(
        **queries.enrolment_row(enrolment, user),
        program_id=enrolment.program_id, catatan_keluar=enrolment.leave_note,
        riwayat_tahap=[{"dari": c.from_stage, "ke": c.to_stage, "tanggal": c.occurred_on,
                        "waktu": c.at.isoformat(),
                        "oleh": c.actor_name, "catatan": c.note}
                       for c in enrolment.stage_changes],
        asesmen=[{"id": a.id, "tanggal": a.assessed_on, "jawaban": a.answers,
                  "tahap": a.placed_stage, "catatan": a.notes} for a in enrolment.assessments],
        hasil=[{"id": o.id, "tanggal": o.measured_on, "omzet_bulanan": o.monthly_turnover_rupiah,
                "tenaga_kerja": o.employees,
                "pendapatan_rumah_tangga": o.household_income_rupiah,
                "kelas_kesejahteraan": o.welfare_class, "catatan": o.notes}
               for o in enrolment.outcomes],
        kriteria_kelulusan=[{"label": c.label, "terpenuhi": c.met, "keterangan": c.detail}
                            for c in outcomes.graduation_checks(db, enrolment)],
    )


def household_read(household: Household, user: User) -> HouseholdRead:
    return HouseholdRead(
        id=household.id, no_kk=mask_nik(household.kk_number, user),
        nama_kepala_keluarga=household.head_name,
        nik_kepala_keluarga=mask_nik(household.head_nik, user), anggota=household.members,
        kelas_kesejahteraan=household.welfare_class, desil_p3ke=household.p3ke_decile,
        desa=household.village_code, pendapatan_bulanan=household.monthly_income_rupiah,
        demo=household.demo,
    )


def umkm_read(umkm: Umkm, user: User) -> UmkmRead:
    return UmkmRead(
        id=umkm.id, nama=umkm.name, pemilik=umkm.owner_name,
        nik_pemilik=mask_nik(umkm.owner_nik, user), desa=umkm.village_code, sektor=umkm.sector,
        produk=umkm.products, nib=umkm.nib, pirt=umkm.pirt, halal=umkm.halal, bpom=umkm.bpom,
        tenaga_kerja=umkm.employees, modal_rupiah=umkm.capital_rupiah,
        omzet_bulanan=umkm.monthly_turnover_rupiah, rumah_tangga_id=umkm.household_id,
        demo=umkm.demo,
    )


def _session_read(record: MentoringSession) -> SessionRead:
    return SessionRead(
        id=record.id, program_id=record.program_id, tanggal=record.held_on, jenis=record.kind,
        pendamping=record.mentor, topik=record.topic, desa=record.village_code,
        hadir=sorted(a.enrolment_id for a in record.attendance if a.present),
        tidak_hadir=sorted(a.enrolment_id for a in record.attendance if not a.present),
        catatan=record.notes,
    )


# ------------------------------------------------------------------ programs


@router.get("/programs", response_model=list[ProgramRead])
def api_programs(db: SessionDep, user: CurrentUser) -> list[ProgramRead]:
    """Programs with a village in the user's scope, each with its beneficiaries per status."""
    return [ProgramRead(**queries.program_row(db, p, user))
            for p in queries.visible_programs(db, user)]


@router.get("/programs/{program_id}", response_model=ProgramDetailRead)
def api_program(program_id: int, db: SessionDep, user: CurrentUser) -> ProgramDetailRead:
    """One program and its dashboard: people per stage, graduation rate, and the change of the
    main outcome (median and quartiles) by village and kecamatan."""
    return program_detail(db, user, _program(db, user, program_id))


@router.post("/programs", response_model=ProgramDetailRead, status_code=201)
def api_create_program(
    body: ProgramCreate, db: SessionDep, user: CurrentUser
) -> ProgramDetailRead:
    """A program with its stage model and explicit graduation criteria (admin, or a
    pendamping for villages in their scope)."""
    program = programs.create_program(
        db, user, name=body.nama, funder=body.sumber_dana, target_type=body.sasaran,
        village_codes=[get_region(db, c).code for c in body.desa], stages=body.tahap,
        graduation_criteria=[c.model_dump(exclude_none=True) for c in body.kriteria],
        budget_rupiah=body.anggaran_rupiah, start_date=body.mulai, end_date=body.selesai,
        funder_note=body.catatan_sumber_dana, commitment_id=body.komitmen_id,
    )
    db.commit()
    return program_detail(db, user, program)


@router.post("/programs/{program_id}/sessions", response_model=SessionRead, status_code=201)
def api_create_session(
    program_id: int, body: SessionCreate, db: SessionDep, user: CurrentUser
) -> SessionRead:
    """A training or a visit with its attendance (enrolment ids of this program)."""
    record = programs.record_session(
        db, user, _program(db, user, program_id), held_on=body.tanggal, kind=body.jenis,
        mentor=body.pendamping, topic=body.topik, attended=body.hadir, absent=body.tidak_hadir,
        village_code=body.desa, notes=body.catatan,
    )
    db.commit()
    return _session_read(record)


# ------------------------------------------------------------------ enrolments


@router.get("/programs/{program_id}/enrolments", response_model=list[EnrolmentRead])
def api_enrolments(program_id: int, db: SessionDep, user: CurrentUser) -> list[EnrolmentRead]:
    """The program's beneficiaries in the user's scope: stage, status, baseline and latest."""
    program = _program(db, user, program_id)
    return [EnrolmentRead(**queries.enrolment_row(e, user))
            for e in queries.program_enrolments(db, program, user)]


@router.post("/programs/{program_id}/enrolments", response_model=EnrolmentDetailRead,
             status_code=201)
def api_create_enrolment(
    program_id: int, body: EnrolmentCreate, db: SessionDep, user: CurrentUser
) -> EnrolmentDetailRead:
    """Enrol a household, UMKM or group (the program's target) at stage 1; its current
    figures become the baseline."""
    enrolment = enrolments.enrol(
        db, user, _program(db, user, program_id), on=body.tanggal or date.today(),
        umkm_id=body.umkm_id, household_id=body.household_id, group_id=body.group_id,
    )
    db.commit()
    return enrolment_detail(db, user, enrolment)


@router.get("/enrolments/{enrolment_id}", response_model=EnrolmentDetailRead)
def api_enrolment(enrolment_id: int, db: SessionDep, user: CurrentUser) -> EnrolmentDetailRead:
    """One beneficiary in one program: stage history, assessments, outcomes, and each
    graduation criterion met or not."""
    return enrolment_detail(db, user, _enrolment(db, user, enrolment_id))


@router.post("/enrolments/{enrolment_id}/assessment", response_model=EnrolmentDetailRead,
             status_code=201)
def api_assess(
    enrolment_id: int, body: AssessmentCreate, db: SessionDep, user: CurrentUser
) -> EnrolmentDetailRead:
    """Record the needs assessment; the beneficiary moves to the stage of its first unmet
    need."""
    enrolment = _enrolment(db, user, enrolment_id)
    enrolments.assess(db, user, enrolment, on=body.tanggal or date.today(), answers=body.jawaban,
                    notes=body.catatan)
    db.commit()
    return enrolment_detail(db, user, enrolment)


@router.post("/enrolments/{enrolment_id}/stage", response_model=EnrolmentDetailRead)
def api_move_stage(
    enrolment_id: int, body: StageUpdate, db: SessionDep, user: CurrentUser
) -> EnrolmentDetailRead:
    """Move to another stage (moving back needs a note; the last stage only by graduating)."""
    enrolment = _enrolment(db, user, enrolment_id)
    enrolments.move_stage(db, user, enrolment, body.tahap, note=body.catatan,
                          on=body.tanggal or date.today())
    db.commit()
    return enrolment_detail(db, user, enrolment)


@router.post("/enrolments/{enrolment_id}/outcomes", response_model=EnrolmentDetailRead,
             status_code=201)
def api_record_outcome(
    enrolment_id: int, body: OutcomeCreate, db: SessionDep, user: CurrentUser
) -> EnrolmentDetailRead:
    """A measurement (turnover, employees, household income, welfare class)."""
    enrolment = _enrolment(db, user, enrolment_id)
    outcomes.record_outcome(
        db, user, enrolment, measured_on=body.tanggal or date.today(),
        monthly_turnover_rupiah=body.omzet_bulanan, employees=body.tenaga_kerja,
        household_income_rupiah=body.pendapatan_rumah_tangga,
        welfare_class=body.kelas_kesejahteraan, notes=body.catatan,
    )
    db.commit()
    return enrolment_detail(db, user, enrolment)


@router.post("/enrolments/{enrolment_id}/graduate", response_model=EnrolmentDetailRead)
def api_graduate(
    enrolment_id: int, body: GraduationCreate, db: SessionDep, user: CurrentUser
) -> EnrolmentDetailRead:
    """Graduate when every criterion holds; refused with 409, reason `graduation_refused`, and
    `unmet` naming the criteria that do not hold yet."""
    enrolment = _enrolment(db, user, enrolment_id)
    enrolments.graduate(db, user, enrolment, on=body.tanggal or date.today())
    db.commit()
    return enrolment_detail(db, user, enrolment)


@router.post("/enrolments/{enrolment_id}/leave", response_model=EnrolmentDetailRead)
def api_leave(
    enrolment_id: int, body: LeaveCreate, db: SessionDep, user: CurrentUser
) -> EnrolmentDetailRead:
    """Leave the program with a reason and a date; the record stays."""
    enrolment = _enrolment(db, user, enrolment_id)
    enrolments.leave(db, user, enrolment, reason=body.alasan, on=body.tanggal or date.today(),
                   note=body.catatan)
    db.commit()
    return enrolment_detail(db, user, enrolment)


# ------------------------------------------------------------------ households and UMKM


@router.get("/households", response_model=list[HouseholdRead])
def api_households(
    db: SessionDep, user: CurrentUser, desa: str | None = VILLAGE_FILTER,
    kelas: str | None = Query(None, description="Only this welfare class, e.g. prasejahtera"),
) -> list[HouseholdRead]:
    """Households in the user's scope."""
    prefix = get_region(db, desa).code if desa else None
    query = select(Household).order_by(Household.village_code, Household.id)
    if kelas:
        query = query.where(Household.welfare_class == kelas)
    return [household_read(h, user) for h in db.scalars(query)
            if _under(prefix, h.village_code) and sees(user, h.village_code)]


@router.get("/households/{household_id}", response_model=HouseholdRead)
def api_household(household_id: int, db: SessionDep, user: CurrentUser) -> HouseholdRead:
    return household_read(visible(db, user, Household, household_id, "Rumah tangga"), user)


@router.post("/households", response_model=HouseholdRead, status_code=201)
def api_create_household(
    body: HouseholdCreate, db: SessionDep, user: CurrentUser
) -> HouseholdRead:
    """Register a household (KK 16 digits, once; in a village the user may edit)."""
    household = beneficiaries.register_household(
        db, user, kk_number=body.no_kk, head_name=body.nama_kepala_keluarga,
        head_nik=body.nik_kepala_keluarga, village_code=body.desa,
        welfare_class=body.kelas_kesejahteraan, members=body.anggota,
        p3ke_decile=body.desil_p3ke, monthly_income_rupiah=body.pendapatan_bulanan,
    )
    db.commit()
    return household_read(household, user)


@router.get("/umkm", response_model=list[UmkmRead])
def api_umkm_list(
    db: SessionDep, user: CurrentUser, desa: str | None = VILLAGE_FILTER
) -> list[UmkmRead]:
    """UMKM in the user's scope."""
    prefix = get_region(db, desa).code if desa else None
    found = db.scalars(select(Umkm).order_by(Umkm.village_code, Umkm.id))
    return [umkm_read(u, user) for u in found
            if _under(prefix, u.village_code) and sees(user, u.village_code)]


@router.get("/umkm/{umkm_id}", response_model=UmkmRead)
def api_umkm(umkm_id: int, db: SessionDep, user: CurrentUser) -> UmkmRead:
    return umkm_read(visible(db, user, Umkm, umkm_id, "UMKM"), user)


@router.post("/umkm", response_model=UmkmRead, status_code=201)
def api_create_umkm(body: UmkmCreate, db: SessionDep, user: CurrentUser) -> UmkmRead:
    """Register an UMKM in a village the user may edit."""
    umkm = beneficiaries.register_umkm(
        db, user, name=body.nama, owner_name=body.pemilik, owner_nik=body.nik_pemilik,
        village_code=body.desa, sector=body.sektor, products=body.produk, nib=body.nib,
        pirt=body.pirt, halal=body.halal, bpom=body.bpom, employees=body.tenaga_kerja,
        capital_rupiah=body.modal_rupiah, monthly_turnover_rupiah=body.omzet_bulanan,
        household_id=body.rumah_tangga_id,
    )
    db.commit()
    return umkm_read(umkm, user)


# ------------------------------------------------------------------ duplication and gaps


@router.get("/duplicates", response_model=DuplicatesRead)
def api_duplicates(
    db: SessionDep, user: CurrentUser, desa: str | None = VILLAGE_FILTER
) -> DuplicatesRead:
    """People (by NIK, or KK) active in more than one program, and prasejahtera households no
    program reaches — within the user's scope."""
    prefix = get_region(db, desa).code if desa else ""
    if not reader(user):
        return DuplicatesRead(dilayani_beberapa_program=[], prasejahtera_belum_terjangkau=[])
    several = []
    for person in queries.served_by_several(db):
        if any(sees(user, v) and _under(prefix or None, v) for v in person.villages):
            label, _space, number = person.key.partition(" ")
            several.append(PersonServedRead(kunci=f"{label} {mask_nik(number, user)}",
                                            nama=person.names, program=person.programs,
                                            desa=person.villages))
    unreached = [household_read(h, user) for h in queries.unreached_prasejahtera(db, prefix)
                 if sees(user, h.village_code)]
    return DuplicatesRead(dilayani_beberapa_program=several,
                          prasejahtera_belum_terjangkau=unreached)

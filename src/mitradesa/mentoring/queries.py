"""Reading mentoring: beneficiary listings, the program dashboard, de-duplication, success
stories, and NIK masking by role."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mitradesa.accounts.models import User
from mitradesa.accounts.scope import can_see_village
from mitradesa.masking import number_for
from mitradesa.mentoring.beneficiaries import beneficiary_of
from mitradesa.mentoring.checks import unscoped
from mitradesa.mentoring.models import (
    Enrolment,
    Group,
    Household,
    Outcome,
    Program,
    SupplyContract,
    Umkm,
)
from mitradesa.mentoring.outcomes import (
    Figures,
    baseline,
    enrolment_baseline,
    enrolment_latest,
    in_order,
    latest,
)
from mitradesa.mentoring.stages import criterion_label
from mitradesa.regions.models import Region


def mask_nik(nik: str, user: User | None) -> str:
    """A NIK or KK number as `user` may see it (the policy is in `mitradesa.masking`)."""
    return number_for(nik, user)


def visible_programs(session: Session, user: User | None) -> list[Program]:
    programs = list(session.scalars(select(Program).order_by(Program.id)))
    if user is None:
        return programs
    if user.role == "mitra":
        return []
    if unscoped(user):
        return programs
    # A program without villages concerns the whole regency: DPMD staff only.
    return [p for p in programs if any(can_see_village(user, c) for c in p.village_codes)]


def outcome_figures(outcome: Outcome | Figures | None) -> dict[str, Any]:
    """An outcome as `{tanggal, omzet_bulanan, tenaga_kerja, pendapatan_rumah_tangga,
    kelas_kesejahteraan}`, only the measures it holds."""
    if outcome is None or outcome.measured_on is None:
        return {}
    return {k: v for k, v in (
        ("tanggal", outcome.measured_on.isoformat()),
        ("omzet_bulanan", outcome.monthly_turnover_rupiah), ("tenaga_kerja", outcome.employees),
        ("pendapatan_rumah_tangga", outcome.household_income_rupiah),
        ("kelas_kesejahteraan", outcome.welfare_class),
    ) if v is not None}


def enrolment_row(enrolment: Enrolment, user: User | None) -> dict[str, Any]:
    """One beneficiary of a program: `mentoring beneficiaries --format json` and the API."""
    beneficiary = beneficiary_of(enrolment)
    kind = enrolment.program.target_type
    row: dict[str, Any] = {
        "peserta_id": enrolment.id, "jenis": kind, "id": beneficiary.id,
        "desa": beneficiary.village_code, "tahap": enrolment.stage,
        "nama_tahap": enrolment.program.stages[enrolment.stage - 1],
        "status": enrolment.status, "terdaftar": enrolment.enrolled_on.isoformat(),
        "keluar": enrolment.left_on.isoformat() if enrolment.left_on else None,
        "alasan_keluar": enrolment.leave_reason,
        "baseline": outcome_figures(enrolment_baseline(enrolment)),
        "terbaru": outcome_figures(enrolment_latest(enrolment)),
    }
    if isinstance(beneficiary, Umkm):
        row |= {"nama": beneficiary.name, "pemilik": beneficiary.owner_name,
                "nik": mask_nik(beneficiary.owner_nik, user)}
    elif isinstance(beneficiary, Household):
        row |= {"nama": beneficiary.head_name, "no_kk": mask_nik(beneficiary.kk_number, user),
                "nik": mask_nik(beneficiary.head_nik, user)}
    else:
        row |= {"nama": beneficiary.name}
    return row


def program_enrolments(session: Session, program: Program, user: User | None) -> list[Enrolment]:
    enrolments = list(session.scalars(
        select(Enrolment).where(Enrolment.program_id == program.id).order_by(Enrolment.id)))
    if user is None:
        return enrolments
    return [e for e in enrolments if can_see_village(user, beneficiary_of(e).village_code)]


def status_counts(session: Session, programs: list[Program],
                  user: User) -> dict[int, dict[str, int]]:
    """Each program's enrolments the user may see, per status (aktif, lulus, keluar): one
    query of three columns, not every enrolment with its beneficiary and history."""
    village = func.coalesce(Umkm.village_code, Household.village_code, Group.village_code)
    rows = session.execute(
        select(Enrolment.program_id, Enrolment.status, village)
        .outerjoin(Umkm, Umkm.id == Enrolment.umkm_id)
        .outerjoin(Household, Household.id == Enrolment.household_id)
        .outerjoin(Group, Group.id == Enrolment.group_id)
        .where(Enrolment.program_id.in_([p.id for p in programs])))
    counts = {p.id: dict.fromkeys(("aktif", "lulus", "keluar"), 0) for p in programs}
    for program_id, status, code in rows:
        if status in counts[program_id] and can_see_village(user, code):
            counts[program_id][status] += 1
    return counts


def program_row(session: Session, program: Program, user: User | None) -> dict[str, Any]:
    """One program: `mentoring programs --format json` and the API. `jumlah` counts the
    enrolments the user may see, per status."""
    counts = Counter(e.status for e in program_enrolments(session, program, user))
    return {
        "id": program.id, "nama": program.name, "sumber_dana": program.funder,
        "catatan_sumber_dana": program.funder_note, "komitmen_id": program.commitment_id,
        "sasaran": program.target_type, "desa": program.village_codes,
        "mulai": program.start_date.isoformat() if program.start_date else None,
        "selesai": program.end_date.isoformat() if program.end_date else None,
        "anggaran_rupiah": program.budget_rupiah, "tahap": list(program.stages),
        "kriteria": [{**c, "label": criterion_label(c)} for c in program.graduation_criteria],
        "jumlah": {status: counts[status] for status in ("aktif", "lulus", "keluar")},
        "demo": program.demo,
    }


@dataclass
class Spread:
    """A change in a measure: how many, the median and the quartiles."""

    count: int
    median: float | None
    q1: float | None
    q3: float | None


def spread(values: list[float]) -> Spread:
    if not values:
        return Spread(0, None, None, None)
    if len(values) == 1:
        return Spread(1, values[0], values[0], values[0])
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return Spread(len(values), median, q1, q3)


@dataclass
class AreaFigures:
    code: str
    name: str
    people: int = 0
    graduated: int = 0
    changes: list[float] = field(default_factory=list)

    @property
    def change(self) -> Spread:
        return spread(self.changes)


@dataclass
class Dashboard:
    program: Program
    per_stage: list[tuple[str, int]]
    active: int
    graduated: int
    left: int
    measure: str  # which outcome the changes are in
    change: Spread
    by_village: list[AreaFigures]
    by_kecamatan: list[AreaFigures]

    @property
    def graduation_rate(self) -> float | None:
        finished = self.graduated + self.left
        total = finished + self.active
        return self.graduated / total if total else None


def _change(enrolment: Enrolment, key: str) -> float | None:
    """Latest against baseline; None until the measure was taken twice."""
    measured = [o for o in in_order(enrolment.outcomes, enrolment.enrolled_on)
                if getattr(o, key) is not None]
    if len(measured) < 2:
        return None
    first, last = enrolment_baseline(enrolment), enrolment_latest(enrolment)
    return float(getattr(last, key) - getattr(first, key))


def dashboard(session: Session, program: Program, user: User | None) -> Dashboard:
    """People per stage (active ones), graduation rate, and the change of the main outcome
    (turnover for UMKM and groups, household income for households) with its spread, by
    village and kecamatan."""
    enrolments = program_enrolments(session, program, user)
    key = ("household_income_rupiah" if program.target_type == "household"
           else "monthly_turnover_rupiah")
    stages = Counter(e.stage for e in enrolments if e.status == "aktif")
    stages[len(program.stages)] += sum(1 for e in enrolments if e.status == "lulus")
    villages: dict[str, AreaFigures] = {}
    kecamatan: dict[str, AreaFigures] = {}
    codes = {beneficiary_of(e).village_code for e in enrolments}
    names = dict(session.execute(select(Region.code, Region.name).where(
        Region.code.in_(codes | {c.rsplit(".", 1)[0] for c in codes}))).all()) if codes else {}
    all_changes: list[float] = []
    for enrolment in enrolments:
        village = beneficiary_of(enrolment).village_code
        kec = village.rsplit(".", 1)[0]
        if village.count(".") == 4:  # a desa persiapan counts in its parent's kecamatan
            kec = village.split(".P")[0].rsplit(".", 1)[0]
        change = _change(enrolment, key)
        for table, code in ((villages, village), (kecamatan, kec)):
            area = table.setdefault(code, AreaFigures(code, names.get(code, code)))
            area.people += 1
            area.graduated += enrolment.status == "lulus"
            if change is not None:
                area.changes.append(change)
        if change is not None:
            all_changes.append(change)
    return Dashboard(
        program=program,
        per_stage=[(name, stages[i]) for i, name in enumerate(program.stages, start=1)],
        active=sum(1 for e in enrolments if e.status == "aktif"),
        graduated=sum(1 for e in enrolments if e.status == "lulus"),
        left=sum(1 for e in enrolments if e.status == "keluar"),
        measure=key, change=spread(all_changes),
        by_village=sorted(villages.values(), key=lambda a: a.code),
        by_kecamatan=sorted(kecamatan.values(), key=lambda a: a.code),
    )


@dataclass
class PersonServed:
    key: str  # NIK or KK
    names: list[str]
    programs: list[str]
    villages: list[str]


def served_by_several(session: Session) -> list[PersonServed]:
    """People (by NIK, or KK for households) active in more than one program, across
    villages: a household head who also owns an enrolled UMKM counts once."""
    by_person: dict[str, dict[str, set[str]]] = defaultdict(
        lambda: {"names": set(), "programs": set(), "villages": set()})
    for enrolment in session.scalars(select(Enrolment).where(Enrolment.status == "aktif")):
        beneficiary = beneficiary_of(enrolment)
        keys: list[str] = []
        if isinstance(beneficiary, Umkm) and beneficiary.owner_nik:
            keys.append(f"NIK {beneficiary.owner_nik}")
        if isinstance(beneficiary, Household):
            keys.append(f"NIK {beneficiary.head_nik}" if beneficiary.head_nik
                        else f"KK {beneficiary.kk_number}")
        for key in keys:
            entry = by_person[key]
            entry["names"].add(getattr(beneficiary, "owner_name", None)
                               or getattr(beneficiary, "head_name", ""))
            entry["programs"].add(enrolment.program.name)
            entry["villages"].add(beneficiary.village_code)
    return [PersonServed(key, sorted(v["names"]), sorted(v["programs"]), sorted(v["villages"]))
            for key, v in sorted(by_person.items()) if len(v["programs"]) > 1]


def unreached_prasejahtera(session: Session, village_prefix: str = "") -> list[Household]:
    """Prasejahtera households that no program serves now."""
    served = select(Enrolment.household_id).where(
        Enrolment.status == "aktif", Enrolment.household_id.is_not(None))
    query = select(Household).where(Household.welfare_class == "prasejahtera",
                                    Household.id.not_in(served))
    if village_prefix:
        query = query.where(Household.village_code.like(f"{village_prefix}%"))
    return list(session.scalars(query.order_by(Household.village_code, Household.id)))


@dataclass
class SuccessStory:
    umkm: Umkm
    baseline: Figures | None
    latest: Figures | None
    programs: list[Enrolment]
    contracts: list[SupplyContract]

    @property
    def delivered_value(self) -> int:
        return sum(d.value_rupiah for c in self.contracts for d in c.deliveries)

    @property
    def delivered_volume(self) -> dict[str, int]:
        totals: Counter[str] = Counter()
        for contract in self.contracts:
            totals[contract.unit] += sum(d.volume for d in contract.deliveries)
        return dict(totals)


def success_story(session: Session, umkm: Umkm) -> SuccessStory:
    """Baseline against now, programs, buyers, certifications — from the records only."""
    enrolments = list(session.scalars(select(Enrolment).where(Enrolment.umkm_id == umkm.id)
                                      .order_by(Enrolment.enrolled_on)))
    measured = [o for e in enrolments for o in e.outcomes if o.measured_on >= e.enrolled_on]
    contracts = list(session.scalars(select(SupplyContract).where(
        SupplyContract.umkm_id == umkm.id).order_by(SupplyContract.start_date)))
    return SuccessStory(umkm, baseline(measured), latest(measured), enrolments, contracts)


def current_figures(session: Session, umkm: Umkm) -> Figures:
    """What the UMKM card shows: its latest measurement in any program, else the figures it
    was registered with."""
    measured = [o for e in session.scalars(select(Enrolment).where(Enrolment.umkm_id == umkm.id))
                for o in e.outcomes if o.measured_on >= e.enrolled_on]
    return latest(measured) or Figures(monthly_turnover_rupiah=umkm.monthly_turnover_rupiah,
                                       employees=umkm.employees)

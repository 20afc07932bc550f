"""Enrolments: a beneficiary joins a program, is assessed and placed at a stage, moves
between stages, and leaves — by graduating (every criterion met) or with a reason."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from mitradesa.accounts.models import User
from mitradesa.audit import log
from mitradesa.errors import ConflictError
from mitradesa.mentoring.beneficiaries import beneficiary_village
from mitradesa.mentoring.checks import (
    FAR_FUTURE_DAYS,
    actor_name,
    get_or_404,
    in_scope,
    may_edit_village,
    not_before,
    not_future,
)
from mitradesa.mentoring.errors import GraduationRefusedError, MentoringError
from mitradesa.mentoring.locks import lock_enrolment
from mitradesa.mentoring.models import (
    Assessment,
    Enrolment,
    Group,
    Household,
    Program,
    StageChange,
    Umkm,
)
from mitradesa.mentoring.outcomes import baseline_of, graduation_checks
from mitradesa.mentoring.stages import place
from mitradesa.mentoring.vocab import LEAVE_REASONS, TARGET_TYPES
from mitradesa.reports.formatting import long_date


def get_enrolment(session: Session, enrolment_id: int) -> Enrolment:
    return get_or_404(session, Enrolment, enrolment_id, "Peserta program")


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
    beneficiary = in_scope(session, actor, model, chosen[program.target_type],
                           TARGET_TYPES[program.target_type])
    may_edit_village(actor, beneficiary.village_code)
    _enrolment_date(program, on)
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
                                               occurred_on=on, actor_name=actor_name(actor)))
    enrolment.outcomes.append(baseline_of(beneficiary, on))
    session.flush()
    log(session, "mentoring.enrolment.created", "enrolment", enrolment.id, actor=actor,
        after={"program": program.id, program.target_type: beneficiary.id})
    return enrolment


def _enrolment_date(program: Program, on: date) -> None:
    furthest = date.today() + timedelta(days=FAR_FUTURE_DAYS)
    if on > furthest:
        raise MentoringError(f"Tanggal terdaftar {long_date(on)} terlalu jauh ke depan: paling "
                             f"lambat {long_date(furthest)} ({FAR_FUTURE_DAYS} hari dari hari "
                             "ini).")
    not_before(on, program.start_date, "Tanggal terdaftar", "program dimulai")


def _step_date(enrolment: Enrolment, on: date, what: str) -> None:
    """A step of the enrolment happened on a day that was, after the enrolment."""
    not_future(on, what)
    not_before(on, enrolment.enrolled_on, what, "tanggal terdaftar")


def _active(enrolment: Enrolment) -> None:
    if enrolment.status != "aktif":
        raise MentoringError(f"Peserta ini sudah {enrolment.status} dari program; riwayatnya "
                             "tetap tersimpan.")


def assess(
    session: Session, actor: User | None, enrolment: Enrolment, *, on: date,
    answers: dict[str, bool], notes: str = "",
) -> Assessment:
    """Record the needs assessment and place the beneficiary at the stage it needs."""
    may_edit_village(actor, beneficiary_village(enrolment))
    lock_enrolment(session, enrolment)
    _active(enrolment)
    _step_date(enrolment, on, "Tanggal asesmen")
    stage = place(answers, stage_count=len(enrolment.program.stages))
    assessment = Assessment(enrolment_id=enrolment.id, assessed_on=on, answers=dict(answers),
                            placed_stage=stage, notes=notes.strip(),
                            created_by=getattr(actor, "id", None))
    enrolment.assessments.append(assessment)
    _set_stage(enrolment, stage, actor, f"hasil asesmen {long_date(on)}", on)
    session.flush()
    log(session, "mentoring.assessment.recorded", "enrolment", enrolment.id, actor=actor,
        after={"answers": answers, "stage": stage})
    return assessment


def _set_stage(enrolment: Enrolment, stage: int, actor: User | None, note: str,
               on: date) -> None:
    if stage != enrolment.stage:
        enrolment.stage_changes.append(StageChange(
            from_stage=enrolment.stage, to_stage=stage, note=note, occurred_on=on,
            actor_name=actor_name(actor)))
        enrolment.stage = stage


def move_stage(
    session: Session, actor: User | None, enrolment: Enrolment, stage: int, note: str = "",
    on: date | None = None,
) -> None:
    """Move to `stage`; `on` is the day the step happened (default today)."""
    may_edit_village(actor, beneficiary_village(enrolment))
    lock_enrolment(session, enrolment)
    _active(enrolment)
    on = on or date.today()
    _step_date(enrolment, on, "Tanggal pindah tahap")
    last = len(enrolment.program.stages)
    if stage == last:
        raise MentoringError("Tahap terakhir (mandiri) dicapai lewat kelulusan, yang memeriksa "
                             "kriteria program.")
    if not 1 <= stage < last:
        raise MentoringError(f"Tahap harus 1 sampai {last - 1}.")
    if stage < enrolment.stage and not note.strip():
        raise MentoringError("Turun tahap memerlukan catatan alasannya.")
    _set_stage(enrolment, stage, actor, note.strip(), on)
    session.flush()
    log(session, "mentoring.enrolment.stage", "enrolment", enrolment.id, actor=actor,
        after={"stage": stage, "note": note.strip(), "on": on.isoformat()})


def graduate(session: Session, actor: User | None, enrolment: Enrolment, *, on: date) -> None:
    """Graduate the beneficiary, or refuse and name the criteria that do not hold yet."""
    may_edit_village(actor, beneficiary_village(enrolment))
    lock_enrolment(session, enrolment)
    _active(enrolment)
    _step_date(enrolment, on, "Tanggal lulus")
    unmet = [c for c in graduation_checks(session, enrolment) if not c.met]
    if unmet:
        raise GraduationRefusedError(
            "Belum dapat lulus. Kriteria yang belum terpenuhi: "
            + "; ".join(f"{c.label} ({c.detail})" for c in unmet) + ".",
            [c.label for c in unmet],
        )
    _set_stage(enrolment, len(enrolment.program.stages), actor, "lulus: semua kriteria terpenuhi",
               on)
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
    may_edit_village(actor, beneficiary_village(enrolment))
    lock_enrolment(session, enrolment)
    _active(enrolment)
    _step_date(enrolment, on, "Tanggal keluar")
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

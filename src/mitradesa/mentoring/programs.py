"""Mentoring programs (their stage model, graduation criteria and villages) and the sessions
held in them with their attendance."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mitradesa.accounts.models import User
from mitradesa.accounts.scope import can_see_village
from mitradesa.audit import log
from mitradesa.errors import NotFoundError, PermissionDeniedError
from mitradesa.mentoring.beneficiaries import beneficiary_village
from mitradesa.mentoring.checks import (
    Problems,
    get_or_404,
    not_before,
    not_future,
    not_negative,
    unscoped,
    village,
)
from mitradesa.mentoring.errors import MentoringError
from mitradesa.mentoring.models import (
    Attendance,
    Enrolment,
    MentoringSession,
    Program,
    ProgramVillage,
)
from mitradesa.mentoring.stages import validate_criteria
from mitradesa.mentoring.vocab import DEFAULT_STAGES, FUNDERS, SESSION_KINDS, TARGET_TYPES
from mitradesa.partnerships.access import can_see_agreement
from mitradesa.partnerships.models import Agreement, Commitment
from mitradesa.reports.formatting import long_date


def get_program(session: Session, program_id: int) -> Program:
    return get_or_404(session, Program, program_id, "Program")


def create_program(
    session: Session, actor: User | None, *, name: str, funder: str, target_type: str,
    village_codes: list[str], stages: list[str] | None = None,
    graduation_criteria: list[dict[str, Any]] | None = None, budget_rupiah: int = 0,
    start_date: date | None = None, end_date: date | None = None, funder_note: str = "",
    commitment_id: int | None = None, demo: bool = False,
) -> Program:
    if actor is not None and actor.role not in ("admin", "pendamping"):
        raise PermissionDeniedError("Hanya DPMD atau pendamping yang membuat program.")
    problems = Problems()
    if not name.strip():
        problems.add("Nama program wajib diisi.")
    if funder not in FUNDERS:
        problems.add(f"Sumber dana “{funder}” tidak dikenal; pilih dari: {', '.join(FUNDERS)}.")
    if target_type not in TARGET_TYPES:
        problems.add(f"Sasaran “{target_type}” tidak dikenal; pilih dari: "
                     f"{', '.join(TARGET_TYPES)}.")
    names = [s.strip() for s in (stages or list(DEFAULT_STAGES)) if s and s.strip()]
    if len(names) < 3:
        problems.add("Model tahap memerlukan sedikitnya 3 tahap: asesmen, satu tahap "
                     "pendampingan, dan mandiri.")
    criteria: list[dict[str, Any]] = []
    try:
        criteria = validate_criteria(graduation_criteria or [])
    except ValueError as exc:
        problems.add(f"Kriteria kelulusan tidak sah: {exc}.")
    else:
        if not criteria:
            problems.add("Program memerlukan kriteria kelulusan yang jelas.")
    if start_date and end_date and end_date < start_date:
        problems.add(f"Tanggal selesai {long_date(end_date)} sebelum tanggal mulai "
                     f"{long_date(start_date)}.")
    with problems.checking():
        not_negative(budget_rupiah, "Anggaran")
    if not village_codes and not unscoped(actor):
        problems.add("Pilih sedikitnya satu desa sasaran program di wilayah kerja Anda; "
                     "program tanpa desa hanya dibuat oleh DPMD tingkat kabupaten.")
    problems.raise_any()
    if commitment_id is not None:
        commitment = get_or_404(session, Commitment, commitment_id, "Komitmen kerja sama")
        agreement = session.get(Agreement, commitment.agreement_id)
        if actor is not None and not can_see_agreement(session, actor, agreement):
            raise NotFoundError(f"Komitmen kerja sama nomor {commitment_id} tidak ditemukan.")
    program = Program(
        name=name.strip(), funder=funder, funder_note=funder_note.strip(),
        commitment_id=commitment_id, target_type=target_type, start_date=start_date,
        end_date=end_date, budget_rupiah=not_negative(budget_rupiah, "Anggaran") or 0,
        stages=names, graduation_criteria=criteria, demo=demo,
        created_by=getattr(actor, "id", None),
    )
    program.villages = [ProgramVillage(village_code=village(session, c, actor))
                        for c in dict.fromkeys(village_codes)]
    session.add(program)
    session.flush()
    log(session, "mentoring.program.created", "program", program.id, actor=actor,
        after={"name": program.name, "target": target_type, "villages": program.village_codes})
    return program


def _attendees(session: Session, actor: User | None, program: Program,
               ids: list[int]) -> dict[int, Enrolment]:
    """The enrolments a session's attendance names: each of this program and in the actor's
    scope; any other answers as if it did not exist."""
    found = {e.id: e for e in session.scalars(select(Enrolment).where(
        Enrolment.id.in_(set(ids)), Enrolment.program_id == program.id))} if ids else {}
    strangers = sorted({i for i in ids if i not in found or (
        actor is not None and not can_see_village(actor, beneficiary_village(found[i])))})
    if strangers:
        raise NotFoundError(f"Peserta program nomor {', '.join(map(str, strangers))} tidak "
                            "ditemukan di program ini.")
    return found


def record_session(
    session: Session, actor: User | None, program: Program, *, held_on: date, kind: str,
    mentor: str, topic: str, attended: list[int], absent: list[int] | None = None,
    village_code: str | None = None, notes: str = "",
) -> MentoringSession:
    if actor is not None and actor.role not in ("admin", "pendamping"):
        raise PermissionDeniedError("Hanya pendamping yang mencatat sesi.")
    problems = Problems()
    if kind not in SESSION_KINDS:
        problems.add(f"Jenis sesi “{kind}” tidak dikenal; pilih dari: "
                     f"{', '.join(SESSION_KINDS)}.")
    if not mentor.strip() or not topic.strip():
        problems.add("Pendamping dan topik sesi wajib diisi.")
    with problems.checking():
        not_future(held_on, "Tanggal sesi")
        not_before(held_on, program.start_date, "Tanggal sesi", "program dimulai")
    problems.raise_any()
    code = village(session, village_code, actor) if village_code else None
    if code and program.village_codes and code not in program.village_codes:
        raise MentoringError(f"Desa {code} bukan desa sasaran program ini.")
    members = _attendees(session, actor, program, [*attended, *(absent or [])])
    late = [f"nomor {e.id} (terdaftar {long_date(e.enrolled_on)})" for e in members.values()
            if e.enrolled_on > held_on]
    if late:
        raise MentoringError(f"Sesi {long_date(held_on)} diadakan sebelum peserta ini terdaftar: "
                             f"{', '.join(late)}.")
    record = MentoringSession(
        program_id=program.id, held_on=held_on, kind=kind, mentor=mentor.strip(),
        topic=topic.strip(), notes=notes.strip(), village_code=code,
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

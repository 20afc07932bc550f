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
from mitradesa.errors import PermissionDeniedError
from mitradesa.mentoring.checks import get_or_404, not_negative, village
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
from mitradesa.partnerships.models import Commitment


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
        get_or_404(session, Commitment, commitment_id, "Komitmen kerja sama")
    program = Program(
        name=name.strip(), funder=funder, funder_note=funder_note.strip(),
        commitment_id=commitment_id, target_type=target_type, start_date=start_date,
        end_date=end_date, budget_rupiah=not_negative(budget_rupiah, "Anggaran") or 0,
        stages=names, graduation_criteria=criteria, demo=demo,
        created_by=getattr(actor, "id", None),
    )
    program.villages = [ProgramVillage(village_code=village(session, c))
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
        village_code=village(session, village_code) if village_code else None,
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

"""One participant of a program: its facts, the needs assessment that places its stage, the
stage history and moves, outcomes, the graduation check and leaving."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from mitradesa.accounts.models import User
from mitradesa.errors import MitradesaError, PermissionDeniedError
from mitradesa.mentoring import beneficiaries, enrolments, outcomes, queries
from mitradesa.mentoring.errors import GraduationRefusedError
from mitradesa.mentoring.models import Attendance, Enrolment, MentoringSession
from mitradesa.mentoring.stages import DEFAULT_NEEDS
from mitradesa.web.pages.mentoring_forms import (
    Form,
    FormValues,
    blank,
    can_edit,
    place_names,
    see_village,
    show,
    submitted,
)
from mitradesa.web.security import CurrentUser, SessionDep
from mitradesa.web.templating import N_

router = APIRouter()
TEMPLATE = "mentoring/enrolment.html"


def visible_enrolment(db: Session, user: User, enrolment_id: int) -> Enrolment:
    enrolment = enrolments.get_enrolment(db, enrolment_id)
    see_village(user, beneficiaries.beneficiary_village(enrolment), "Peserta program",
                enrolment_id)
    return enrolment


def enrolment_context(db: Session, user: User, enrolment: Enrolment,
                      forms: dict[str, Form] | None = None,
                      refused: GraduationRefusedError | None = None) -> dict[str, Any]:
    forms = forms or {}
    beneficiary = beneficiaries.beneficiary_of(enrolment)
    program = enrolment.program
    last = enrolment.assessments[-1] if enrolment.assessments else None
    attended = db.execute(
        select(MentoringSession, Attendance.present).join(Attendance)
        .where(Attendance.enrolment_id == enrolment.id)
        .order_by(MentoringSession.held_on.desc())).all()
    return {
        "enrolment": enrolment, "program": program, "b": beneficiary,
        "kind": program.target_type, "row": queries.enrolment_row(enrolment, user),
        "names": place_names(db, {beneficiary.village_code}),
        "stages": program.stages, "last_stage": len(program.stages),
        "checks": outcomes.graduation_checks(db, enrolment), "refused": refused,
        "needs": DEFAULT_NEEDS, "last_assessment": last, "attended": attended,
        "can_edit": can_edit(user, beneficiary.village_code),
        "active": enrolment.status == "aktif",
        "assess_form": forms.get("assess") or blank(
            tanggal=date.today(),
            jawaban=[k for k, v in (last.answers if last else {}).items() if v]),
        "stage_form": forms.get("stage") or blank(tahap=enrolment.stage, tanggal=date.today()),
        "outcome_form": forms.get("outcome") or blank(tanggal=date.today()),
        "graduate_form": forms.get("graduate") or blank(tanggal=date.today()),
        "leave_form": forms.get("leave") or blank(tanggal=date.today()),
    }


@router.get("/pendampingan/peserta/{enrolment_id}")
def mentoring_enrolment(
    enrolment_id: int, request: Request, db: SessionDep, user: CurrentUser
) -> Response:
    enrolment = visible_enrolment(db, user, enrolment_id)
    return show(request, TEMPLATE, enrolment_context(db, user, enrolment))


def _done(enrolment: Enrolment, ok: str, anchor: str) -> Response:
    return RedirectResponse(f"/pendampingan/peserta/{enrolment.id}?ok={ok}#{anchor}",
                            status_code=303)


def _again(request: Request, db: Session, user: User, enrolment: Enrolment, name: str,
           form: Form) -> Response:
    db.rollback()
    context = enrolment_context(db, user, enrolment, {name: form})
    return show(request, TEMPLATE, context, status_code=form.status)


@router.post("/pendampingan/peserta/{enrolment_id}/asesmen")
def mentoring_assess(
    enrolment_id: int, request: Request, db: SessionDep, user: CurrentUser, values: FormValues
) -> Response:
    enrolment = visible_enrolment(db, user, enrolment_id)
    form = submitted(request, values)
    on = form.day("tanggal", N_("Assessment date"))
    answers = {key: form.has("jawaban", key) for key, _stage, _question in DEFAULT_NEEDS}
    if on is not None:
        try:
            enrolments.assess(db, user, enrolment, on=on, answers=answers,
                            notes=form.text("catatan", N_("Notes"), limit=2000, lines=True))
        except PermissionDeniedError:
            raise
        except MitradesaError as exc:
            form.fail(exc)
        else:
            db.commit()
            return _done(enrolment, "asesmen", "asesmen")
    return _again(request, db, user, enrolment, "assess", form)


@router.post("/pendampingan/peserta/{enrolment_id}/tahap")
def mentoring_move_stage(
    enrolment_id: int, request: Request, db: SessionDep, user: CurrentUser, values: FormValues
) -> Response:
    enrolment = visible_enrolment(db, user, enrolment_id)
    form = submitted(request, values)
    stage = form.amount("tahap", N_("Stage"), required=True, minimum=1)
    on = form.day("tanggal", N_("Date of the move"), required=False) or date.today()
    note = form.text("catatan", N_("Note"), limit=2000, lines=True)
    if stage is not None and not form.errors:
        try:
            enrolments.move_stage(db, user, enrolment, stage, note=note, on=on)
        except PermissionDeniedError:
            raise
        except MitradesaError as exc:
            form.fail(exc)
        else:
            db.commit()
            return _done(enrolment, "tahap", "tahap")
    return _again(request, db, user, enrolment, "stage", form)


@router.post("/pendampingan/peserta/{enrolment_id}/hasil")
def mentoring_record_outcome(
    enrolment_id: int, request: Request, db: SessionDep, user: CurrentUser, values: FormValues
) -> Response:
    enrolment = visible_enrolment(db, user, enrolment_id)
    form = submitted(request, values)
    measured_on = form.day("tanggal", N_("Measured on"))
    figures = {
        "monthly_turnover_rupiah": form.amount("omzet", N_("Monthly turnover")),
        "employees": form.amount("tenaga_kerja", N_("Workers")),
        "household_income_rupiah": form.amount("pendapatan", N_("Monthly household income")),
        "welfare_class": form.v("kelas") or None,
    }
    notes = form.text("catatan", N_("Notes"), limit=2000, lines=True)
    if measured_on is not None:
        try:  # even when the form has problems: every problem is shown at once
            outcomes.record_outcome(db, user, enrolment, measured_on=measured_on, notes=notes,
                                    **figures)
        except PermissionDeniedError:
            raise
        except MitradesaError as exc:
            form.fail(exc)
        if not form.errors:
            db.commit()
            return _done(enrolment, "hasil", "hasil")
    return _again(request, db, user, enrolment, "outcome", form)


@router.post("/pendampingan/peserta/{enrolment_id}/lulus")
def mentoring_graduate(
    enrolment_id: int, request: Request, db: SessionDep, user: CurrentUser, values: FormValues
) -> Response:
    """Graduate, or show the criteria that do not hold yet (HTTP 409)."""
    enrolment = visible_enrolment(db, user, enrolment_id)
    form = submitted(request, values)
    on = form.day("tanggal", N_("Graduation date"))
    if on is not None:
        try:
            enrolments.graduate(db, user, enrolment, on=on)
        except PermissionDeniedError:
            raise
        except GraduationRefusedError as exc:
            db.rollback()
            context = enrolment_context(db, user, enrolment, {"graduate": form}, refused=exc)
            return show(request, TEMPLATE, context, status_code=409)
        except MitradesaError as exc:
            form.fail(exc)
        else:
            db.commit()
            return _done(enrolment, "lulus", "kelulusan")
    return _again(request, db, user, enrolment, "graduate", form)


@router.post("/pendampingan/peserta/{enrolment_id}/keluar")
def mentoring_leave(
    enrolment_id: int, request: Request, db: SessionDep, user: CurrentUser, values: FormValues
) -> Response:
    enrolment = visible_enrolment(db, user, enrolment_id)
    form = submitted(request, values)
    on = form.day("tanggal", N_("Date of leaving"))
    if not form.v("alasan"):
        form.errors.append(form.tr(N_("Choose the reason for leaving.")))
    if not form.errors and on is not None:
        try:
            enrolments.leave(db, user, enrolment, reason=form.v("alasan"), on=on,
                           note=form.text("catatan", N_("Note"), limit=2000, lines=True))
        except PermissionDeniedError:
            raise
        except MitradesaError as exc:
            form.fail(exc)
        else:
            db.commit()
            return _done(enrolment, "keluar", "keluar")
    return _again(request, db, user, enrolment, "leave", form)

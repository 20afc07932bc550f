"""Economic mentoring (pendampingan): the programs, a program's dashboard, its participants,
enrolment and the sessions with their attendance.

Every action goes through the use cases of `mitradesa.mentoring`, which check who may do it; the
pages only show what the user may read, and keep what was typed when something is refused.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from mitradesa.accounts.models import User
from mitradesa.accounts.scope import can_see_village
from mitradesa.errors import MitradesaError, NotFoundError, PermissionDeniedError
from mitradesa.mentoring import enrolments, programs, queries
from mitradesa.mentoring.checks import unscoped
from mitradesa.mentoring.models import Enrolment, Group, Household, MentoringSession, Program, Umkm
from mitradesa.mentoring.stages import criterion_label
from mitradesa.mentoring.vocab import DEFAULT_STAGES, FUNDERS, LEGALITY
from mitradesa.web import table_downloads as downloads
from mitradesa.web.page_cache import cached_page
from mitradesa.web.pages import mentoring_downloads
from mitradesa.web.pages.mentoring_forms import (
    Form,
    FormValues,
    blank,
    can_edit,
    is_staff,
    place_names,
    reader,
    show,
    submitted,
    village_choices,
)
from mitradesa.web.pages.mentoring_people import register_from_form
from mitradesa.web.security import CurrentUser, SessionDep
from mitradesa.web.templating import N_

router = APIRouter()
VALUE_CRITERIA = ("omzet_minimal", "pendapatan_minimal", "tenaga_kerja_minimal")
FLAG_CRITERIA = ("kontrak_pembeli", "di_atas_prasejahtera")
MODELS: dict[str, type] = {"umkm": Umkm, "household": Household, "group": Group}


def visible_program(db: Session, user: User, program_id: int) -> Program:
    reader(user)
    program = programs.get_program(db, program_id)
    if program not in queries.visible_programs(db, user):
        raise NotFoundError(f"Program nomor {program_id} tidak ditemukan.")
    return program


# ------------------------------------------------------------------ the programs


def _program_form_defaults() -> Form:
    return blank(tahap="\n".join(DEFAULT_STAGES), sumber_dana="apbd", sasaran="umkm")


def _home_context(db: Session, user: User, form: Form | None = None) -> dict[str, Any]:
    shown = queries.visible_programs(db, user)
    counts = queries.status_counts(db, shown, user)
    names = place_names(db, {c for p in shown for c in p.village_codes})
    return {
        "village_names": {p.id: ", ".join(names.get(c, c) for c in p.village_codes)
                          for p in shown},
        "programs": shown, "counts": counts, "form": form or _program_form_defaults(),
        "can_create": is_staff(user),
        "villages": village_choices(db, user) if is_staff(user) else [],
        "value_criteria": VALUE_CRITERIA, "flag_criteria": FLAG_CRITERIA,
        "funders": list(FUNDERS), "legality": LEGALITY,
    }


@router.get("/pendampingan")
@cached_page
def mentoring_home(request: Request, db: SessionDep, user: CurrentUser) -> Response:
    reader(user)
    return show(request, "mentoring/home.html", _home_context(db, user))


def _criteria_from(form: Form) -> list[dict[str, Any]]:
    criteria: list[dict[str, Any]] = []
    for kind in VALUE_CRITERIA:
        value = form.amount(f"nilai_{kind}", CRITERIA_FORM_LABELS[kind])
        if value is not None:
            criteria.append({"kind": kind, "value": value})
    criteria += [{"kind": kind} for kind in FLAG_CRITERIA if form.has("kriteria", kind)]
    criteria += [{"kind": "legalitas", "value": key} for key in LEGALITY
                 if form.has("legalitas", key)]
    return criteria


CRITERIA_FORM_LABELS = {
    "omzet_minimal": N_("Minimum monthly turnover"),
    "pendapatan_minimal": N_("Minimum monthly household income"),
    "tenaga_kerja_minimal": N_("Minimum number of workers"),
}


@router.post("/pendampingan/program")
def mentoring_create_program(
    request: Request, db: SessionDep, user: CurrentUser, values: FormValues
) -> Response:
    reader(user)
    form = submitted(request, values)
    name = form.text("nama", N_("Program name"))  # the program's rules say what is missing
    # An empty budget is a question left open, not a zero: it is named and refused.
    budget = form.amount("anggaran", N_("Budget"), required=True) or 0
    start, end = form.day("mulai", N_("Start date"), required=False), form.day(
        "selesai", N_("End date"), required=False)
    criteria = _criteria_from(form)
    villages = form.all("desa")
    if not villages and unscoped(user):  # for scoped users the program's rules say it
        form.errors.append(form.tr(N_("Choose at least one village of the program.")))
    program = None
    try:  # even when the form has problems: every problem is shown at once
        program = programs.create_program(
            db, user, name=name, funder=form.v("sumber_dana"),
            funder_note=form.text("catatan_dana", N_("Funding note")),
            target_type=form.v("sasaran"), village_codes=villages,
            stages=form.v("tahap").splitlines(), graduation_criteria=criteria,
            budget_rupiah=budget, start_date=start, end_date=end)
    except PermissionDeniedError:
        raise
    except MitradesaError as exc:
        form.fail(exc)
    if program is not None and not form.errors:
        db.commit()
        return RedirectResponse(f"/pendampingan/program/{program.id}", status_code=303)
    db.rollback()
    return show(request, "mentoring/home.html", _home_context(db, user, form),
                status_code=form.status)


# ------------------------------------------------------------------ one program


def _candidates(db: Session, user: User, program: Program) -> list[Any]:
    """Beneficiaries of the program's kind in its villages that the user may enrol and that
    are not active in it yet."""
    model = MODELS[program.target_type]
    query = select(model).order_by(model.village_code, model.id)
    if program.village_codes:
        query = query.where(model.village_code.in_(program.village_codes))
    column = getattr(Enrolment, f"{program.target_type}_id")
    active = set(db.scalars(select(column).where(
        Enrolment.program_id == program.id, Enrolment.status == "aktif")))
    return [b for b in db.scalars(query) if b.id not in active and can_edit(user, b.village_code)]


def program_context(db: Session, user: User, program: Program,
                    forms: dict[str, Form] | None = None) -> dict[str, Any]:
    members = queries.program_enrolments(db, program, user)
    board = queries.dashboard(db, program, user)
    rows = [queries.enrolment_row(e, user) for e in members]
    sessions = [s for s in db.scalars(
        select(MentoringSession).where(MentoringSession.program_id == program.id)
        .order_by(MentoringSession.held_on.desc(), MentoringSession.id.desc()))
        if s.village_code is None or can_see_village(user, s.village_code)]
    own_villages = [c for c in program.village_codes if can_edit(user, c)]
    active = [e for e in members if e.status == "aktif"]
    forms = forms or {}
    names = place_names(db, set(program.village_codes) | {r["desa"] for r in rows})
    top = max((count for _name, count in board.per_stage), default=0)
    return {
        "program": program, "board": board, "rows": rows, "sessions": sessions,
        "names": names, "top": top,
        "criteria": [criterion_label(c) for c in program.graduation_criteria],
        "candidates": _candidates(db, user, program), "own_villages": own_villages,
        "active": active, "visible_ids": {e.id for e in members},
        "can_enrol": bool(own_villages), "can_record": is_staff(user) and bool(active),
        "enrol_form": forms.get("enrol") or blank(cara="pilih", tanggal=date.today()),
        "new_form": forms.get("new") or blank(cara="baru", tanggal=date.today(),
                                               desa=own_villages[0] if own_villages else None),
        "session_form": forms.get("session") or blank(
            tanggal=date.today(), jenis="pelatihan", hadir=[e.id for e in active],
            pendamping=user.full_name or user.username),
    }


@router.get("/pendampingan/program/{program_id}")
@cached_page
def mentoring_program(
    program_id: int, request: Request, db: SessionDep, user: CurrentUser
) -> Response:
    program = visible_program(db, user, program_id)
    context = program_context(db, user, program)
    fmt = downloads.wanted_format(request)
    if fmt:
        table = mentoring_downloads.participant_table(
            program, context["rows"], context["names"], downloads.gettext_for(request),
            demo=program.demo)
        return downloads.download(request, table, fmt)
    return show(request, "mentoring/program.html", context)


@router.post("/pendampingan/program/{program_id}/peserta")
def mentoring_enrol(
    program_id: int, request: Request, db: SessionDep, user: CurrentUser, values: FormValues
) -> Response:
    """Enrol a recorded beneficiary, or record a new one and enrol it, all or nothing."""
    program = visible_program(db, user, program_id)
    form = submitted(request, values)
    new = form.v("cara") == "baru"
    on = form.day("tanggal", N_("Enrolment date"))
    chosen = form.ids("penerima")
    if not new and not chosen:
        form.errors.append(form.tr(N_("Choose the beneficiary to enrol.")))
    enrolment = None
    if not form.errors:
        try:
            if new:
                beneficiary = register_from_form(db, user, program.target_type, form)
                beneficiary_id = beneficiary.id if beneficiary is not None else None
            else:
                beneficiary_id = chosen[0]
            if beneficiary_id is not None and on is not None:
                enrolment = enrolments.enrol(db, user, program, on=on, **{
                    f"{program.target_type}_id": beneficiary_id})
        except PermissionDeniedError:
            raise
        except MitradesaError as exc:
            form.fail(exc)
    if enrolment is not None and not form.errors:
        db.commit()
        return RedirectResponse(f"/pendampingan/peserta/{enrolment.id}", status_code=303)
    db.rollback()
    context = program_context(db, user, program, {"new" if new else "enrol": form})
    return show(request, "mentoring/program.html", context, status_code=form.status)


@router.post("/pendampingan/program/{program_id}/sesi")
def mentoring_record_session(
    program_id: int, request: Request, db: SessionDep, user: CurrentUser, values: FormValues
) -> Response:
    """A training or a visit; ticked participants attended, the others were absent."""
    program = visible_program(db, user, program_id)
    form = submitted(request, values)
    held_on = form.day("tanggal", N_("Date"))
    present = form.ids("hadir")
    listed = form.ids("peserta")
    if held_on is not None:
        try:
            programs.record_session(
                db, user, program, held_on=held_on, kind=form.v("jenis"),
                mentor=form.text("pendamping", N_("Mentor")),
                topic=form.text("topik", N_("Topic")), attended=present,
                absent=[i for i in listed if i not in present],
                village_code=form.v("desa") or None,
                notes=form.text("catatan", N_("Notes"), limit=2000, lines=True))
        except PermissionDeniedError:
            raise
        except MitradesaError as exc:
            form.fail(exc)
        if not form.errors:
            db.commit()
            return RedirectResponse(f"/pendampingan/program/{program.id}?ok=sesi#sesi",
                                    status_code=303)
    db.rollback()
    context = program_context(db, user, program, {"session": form})
    return show(request, "mentoring/program.html", context, status_code=form.status)


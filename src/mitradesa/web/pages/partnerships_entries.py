"""What is added to an agreement from its page: commitments, progress reports (with optional
evidence), the evaluation and documents. A refused form comes back in place, values kept."""

from __future__ import annotations

import re
from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import Response

from mitradesa.errors import MitradesaError
from mitradesa.formatting import long_date
from mitradesa.partnerships import services
from mitradesa.partnerships.models import ProgressReport
from mitradesa.web.pages import partnerships as shared
from mitradesa.web.pages.partnerships import (
    FormDep,
    check_anyway,
    done,
    submitted,
    upload_of,
    visible_agreement,
)
from mitradesa.web.pages.partnerships_agreements import refused
from mitradesa.web.security import CurrentUser, SessionDep
from mitradesa.web.templating import N_

router = APIRouter()


@router.post("/kerja-sama/{agreement_id}/komitmen")
def agreement_add_commitment(agreement_id: int, request: Request, db: SessionDep,
                             user: CurrentUser, data: FormDep) -> Response:
    agreement = visible_agreement(db, user, agreement_id)
    form = submitted(request, data)
    activity = form.text("kegiatan", N_("Activity"))
    budget = form.amount("anggaran", N_("Budget (Rp)"), required=True)
    due = form.day("tenggat", N_("Due date"))
    partner = form.ids("mitra")
    indicators = [k for k in re.split(r"[,;\n]+", form.v("indikator")) if k.strip()]

    def add() -> object:
        return services.add_commitment(
            db, user, agreement, activity=activity, budget_rupiah=budget or 0,
            village_codes=form.all("desa") or None, indicators=indicators, due_date=due,
            partner_id=partner[0] if partner else None,
        )

    if form.errors:
        check_anyway(db, form, add)
        return refused(request, db, user, agreement_id, "komitmen", form)
    try:
        add()
    except MitradesaError as exc:
        return refused(request, db, user, agreement_id, "komitmen", form, exc)
    db.commit()
    return done(f"/kerja-sama/{agreement_id}", "komitmen", "komitmen")


@router.post("/kerja-sama/{agreement_id}/laporan")
def agreement_add_report(agreement_id: int, request: Request, db: SessionDep,
                         user: CurrentUser, data: FormDep) -> Response:
    """A progress report, and its evidence when a file is attached (both or neither)."""
    agreement = visible_agreement(db, user, agreement_id)
    form = submitted(request, data)
    reported_on = form.day("tanggal", N_("Report date"), required=True)
    summary = form.text("ringkasan", N_("What was done"), lines=True, limit=5000)
    spent = form.amount("realisasi", N_("Spent (Rp)"), required=True)  # 0 is typed, not assumed
    progress = form.whole("kemajuan", N_("Progress (per cent)"), low=0, high=100)
    commitment = form.ids("komitmen")
    evidence = upload_of(data, "bukti")

    def add(day: date) -> ProgressReport:
        return services.add_report(
            db, user, agreement, reported_on=day, summary=summary,
            spent_rupiah=spent or 0, commitment_id=commitment[0] if commitment else None,
            village_code=form.v("desa").strip() or None, progress_percent=progress,
        )

    if form.errors or reported_on is None:
        # the other objections too; a missing date is already named, today stands in for it
        check_anyway(db, form, lambda: add(reported_on or date.today()))
        return refused(request, db, user, agreement_id, "laporan", form)
    try:
        report = add(reported_on)
        if evidence is not None:
            services.add_document(
                db, user, agreement, kind="bukti_laporan", filename=evidence[0],
                content=evidence[1], store_dir=shared.documents_dir(), report_id=report.id,
                title=f"Bukti laporan {long_date(reported_on)}",
            )
    except MitradesaError as exc:
        return refused(request, db, user, agreement_id, "laporan", form, exc)
    db.commit()
    return done(f"/kerja-sama/{agreement_id}", "laporan", "laporan")


@router.post("/kerja-sama/{agreement_id}/evaluasi")
def agreement_evaluate(agreement_id: int, request: Request, db: SessionDep, user: CurrentUser,
                       data: FormDep) -> Response:
    agreement = visible_agreement(db, user, agreement_id)
    form = submitted(request, data)
    evaluated_on = form.day("tanggal", N_("Evaluation date"), required=True)
    summary = form.text("ringkasan", N_("Findings"), lines=True, limit=5000)
    rating = form.whole("nilai", N_("Rating"), low=1, high=5, required=True)
    recommendation = form.text("rekomendasi", N_("Recommendation"), lines=True, limit=5000)

    def record(day: date, score: int) -> object:
        return services.record_evaluation(db, user, agreement, evaluated_on=day,
                                          summary=summary, rating=score,
                                          recommendation=recommendation)

    if form.errors or evaluated_on is None or rating is None:
        # the other objections too; what the form already named has a neutral stand-in
        check_anyway(db, form, lambda: record(evaluated_on or date.today(), rating or 3))
        return refused(request, db, user, agreement_id, "evaluasi", form)
    try:
        record(evaluated_on, rating)
    except MitradesaError as exc:
        return refused(request, db, user, agreement_id, "evaluasi", form, exc)
    db.commit()
    return done(f"/kerja-sama/{agreement_id}", "evaluasi", "evaluasi")


@router.post("/kerja-sama/{agreement_id}/dokumen")
def agreement_upload(agreement_id: int, request: Request, db: SessionDep, user: CurrentUser,
                     data: FormDep) -> Response:
    """One document: its kind and the file, checked by content (PDF, JPEG, PNG, XLSX, DOCX)."""
    agreement = visible_agreement(db, user, agreement_id)
    form = submitted(request, data)
    title = form.text("judul", N_("Title"), limit=300)
    upload = upload_of(data, "berkas")
    if upload is None:
        form.errors.append(form.tr(N_("Choose the file to upload.")))
    if form.errors or upload is None:
        return refused(request, db, user, agreement_id, "dokumen", form)
    try:
        services.add_document(db, user, agreement, kind=form.v("jenis"), filename=upload[0],
                              content=upload[1], store_dir=shared.documents_dir(), title=title,
                              village_codes=form.all("desa"),
                              covers_several=bool(form.v("mencakup_beberapa")))
    except MitradesaError as exc:
        return refused(request, db, user, agreement_id, "dokumen", form, exc)
    db.commit()
    return done(f"/kerja-sama/{agreement_id}", "dokumen", "dokumen")

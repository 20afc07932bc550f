"""Agreement pages: create and edit, the detail with its lifecycle (next steps and what each
still needs), and the download of its documents, only within the agreement's scope."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response
from sqlalchemy.orm import Session

from mitradesa.accounts.models import User
from mitradesa.accounts.scope import can_see_village
from mitradesa.db.versioning import form_version
from mitradesa.errors import MitradesaError, NotFoundError, PermissionDeniedError
from mitradesa.partnerships import access, queries, services
from mitradesa.partnerships.lifecycle import (
    IRREVERSIBLE,
    REQUIRED_DOCUMENTS,
    TERMINAL,
    AgreementFacts,
    missing_for,
    next_stages,
)
from mitradesa.partnerships.models import Agreement
from mitradesa.partnerships.progress import REVIEWERS
from mitradesa.partnerships.report_flags import flags_of
from mitradesa.partnerships.vocab import MINIMUM_CONTENT
from mitradesa.web.i18n import page_locale
from mitradesa.web.pages.partnerships import (
    Form,
    FormDep,
    blank,
    check_anyway,
    done,
    show,
    submitted,
    village_choices,
    visible_agreement,
)
from mitradesa.web.security import CurrentUser, SessionDep
from mitradesa.web.templating import N_

router = APIRouter()
NOTE_STAGES = ("perubahan", "diakhiri")  # steps that need a reason
TEXTS = {  # minimum-content text fields and their labels on the form
    "ruang_lingkup": N_("Scope"),
    "bidang": N_("Field of cooperation"),
    "tata_cara_pelaksanaan": N_("Implementation procedure"),
    "hak_kewajiban": N_("Rights and obligations"),
    "pendanaan": N_("Funding (source)"),
    "tata_cara_perubahan": N_("Change, postponement and cancellation procedure"),
    "penyelesaian_perselisihan": N_("Dispute settlement"),
}


# ------------------------------------------------------------------ the agreement form


def agreement_defaults(agreement: Agreement | None) -> Form:
    if agreement is None:
        return blank(laporan_setiap="90")
    return blank(
        judul=agreement.title, nomor=agreement.number, mou=agreement.mou_id,
        mitra=agreement.partner_ids, desa=agreement.village_codes, lingkup=agreement.scope,
        nilai=agreement.value_rupiah, mulai=agreement.start_date, selesai=agreement.end_date,
        tanda_tangan=agreement.signed_on, laporan_setiap=agreement.report_every_days,
        **{key: getattr(agreement, key) for key in TEXTS},
    )


def read_agreement_form(form: Form, *, locked: bool) -> dict[str, Any]:
    """The keywords of services.create_agreement / update_agreement. While the text is locked
    (being signed or carried out) only the title, number and signing date are sent."""
    data: dict[str, Any] = {
        "title": form.text("judul", N_("Title")),  # required: the use case says so
        "number": form.text("nomor", N_("Number"), limit=100),
        "signed_on": form.day("tanda_tangan", N_("Signing date")),
    }
    if locked:
        return data
    mou = form.ids("mou")
    data.update(
        mou_id=mou[0] if mou else None,
        partner_ids=form.ids("mitra"),
        village_codes=form.all("desa"),
        scope=form.all("lingkup"),
        value_rupiah=form.amount("nilai", N_("Value (Rp)")),
        start_date=form.day("mulai", N_("Start date")),
        end_date=form.day("selesai", N_("End date")),
        report_every_days=form.whole("laporan_setiap", N_("Report every (days)"), low=7,
                                     high=366),
        **{key: form.text(key, label, lines=True, limit=5000) for key, label in TEXTS.items()},
    )
    return data


def _form_context(db: Session, user: User, agreement: Agreement | None, form: Form) -> dict:
    locked = agreement is not None and agreement.stage in services.LOCKED_STAGES
    partners = queries.visible_partners(db, user)
    # villages of the agreement the user may not touch: carried as they are, not offered
    outside = [c for c in (agreement.village_codes if agreement else [])
               if not can_see_village(user, c)]
    names = queries.village_names(db, outside)
    return {
        "kept_villages": [(c, names.get(c, c)) for c in outside],
        "agreement": agreement, "form": form, "locked": locked, "texts": TEXTS,
        "partner_options": partners, "partner_pairs": [(p.id, p.name) for p in partners],
        "mou_options": queries.visible_mous(db, user),
        "village_options": [] if locked else village_choices(db, user),
    }


@router.get("/kerja-sama/baru")
def agreement_new_form(request: Request, db: SessionDep, user: CurrentUser) -> Response:
    return show(request, "partnerships/agreement_form.html",
                _form_context(db, user, None, agreement_defaults(None)))


@router.post("/kerja-sama/baru")
def agreement_create(request: Request, db: SessionDep, user: CurrentUser,
                     data: FormDep) -> Response:
    form = submitted(request, data)
    fields = read_agreement_form(form, locked=False)
    status = 400
    if form.errors:
        check_anyway(db, form, lambda: services.create_agreement(db, user, **fields))
    else:
        try:
            agreement = services.create_agreement(db, user, **fields)
            db.commit()
            return done(f"/kerja-sama/{agreement.id}", "baru")
        except MitradesaError as exc:
            db.rollback()
            form.fail(exc)
            status = exc.status
    return show(request, "partnerships/agreement_form.html",
                _form_context(db, user, None, form), status_code=status)


@router.get("/kerja-sama/{agreement_id}/ubah")
def agreement_edit_form(agreement_id: int, request: Request, db: SessionDep,
                        user: CurrentUser) -> Response:
    agreement = _editable(db, user, agreement_id)
    return show(request, "partnerships/agreement_form.html",
                _form_context(db, user, agreement, agreement_defaults(agreement)))


@router.post("/kerja-sama/{agreement_id}/ubah")
def agreement_edit(agreement_id: int, request: Request, db: SessionDep, user: CurrentUser,
                   data: FormDep) -> Response:
    agreement = _editable(db, user, agreement_id)
    form = submitted(request, data)
    fields = read_agreement_form(form, locked=agreement.stage in services.LOCKED_STAGES)
    fields.pop("mou_id", None)  # the MoU is chosen when the agreement is created
    fields["expected_version"] = form_version(form.v("versi"))
    status = 400
    if form.errors:
        check_anyway(db, form, lambda: services.update_agreement(db, user, agreement, **fields))
    else:
        try:
            services.update_agreement(db, user, agreement, **fields)
            db.commit()
            return done(f"/kerja-sama/{agreement.id}", "ubah", "isi")
        except MitradesaError as exc:
            db.rollback()
            form.fail(exc)
            status = exc.status
            agreement = services.get_agreement(db, agreement_id)
    return show(request, "partnerships/agreement_form.html",
                _form_context(db, user, agreement, form), status_code=status)


def _editable(db: Session, user: User, agreement_id: int) -> Agreement:
    agreement = visible_agreement(db, user, agreement_id)
    if not access.can_edit_agreement(db, user, agreement):
        raise PermissionDeniedError("Anda tidak berwenang mengubah perjanjian ini.")
    return agreement


# ------------------------------------------------------------------ the detail page


def _content(agreement: Agreement, filled: frozenset[str]) -> list[dict[str, Any]]:
    """The minimum content (Permendagri 96/2017), each with whether it is filled in."""
    rows = []
    for key, label in MINIMUM_CONTENT.items():
        value: Any = getattr(agreement, key, None) if key != "jangka_waktu" else None
        rows.append({"key": key, "label": label, "value": value, "filled": key in filled})
    return rows


def evaluation_defaults(agreement: Agreement) -> Form:
    found = agreement.evaluation
    if found is None:
        return blank(tanggal=date.today())
    return blank(tanggal=found.evaluated_on, ringkasan=found.summary, nilai=found.rating,
                 rekomendasi=found.recommendation)


def next_document_kind(agreement: Agreement, facts: AgreementFacts) -> str:
    """The first document the next forward step still needs: the upload form's default."""
    for target in next_stages(facts)[:1]:
        for kind in REQUIRED_DOCUMENTS.get(target, ()):
            if kind not in facts.documents:
                return kind
    if facts.stage == "perubahan" and "adendum" not in facts.documents:
        return "adendum"
    return "lainnya"


def _step(facts: AgreementFacts, target: str) -> dict[str, Any]:
    """A next step as the page shows it: the reason and the confirmation are asked on its
    form, so they are not listed as missing; `reason_needed` says why a closing needs one."""
    missing = missing_for(facts, target, note="-" if target in NOTE_STAGES else "")
    if target == "selesai":
        with_reason = missing_for(facts, target, note="-")
        reason_needed = [m for m in missing if m not in with_reason]
        missing = with_reason
    else:
        reason_needed = []
    return {"stage": target, "needs_note": target in NOTE_STAGES, "missing": missing,
            "reason_needed": reason_needed, "irreversible": target in IRREVERSIBLE}


def detail_context(db: Session, user: User, agreement: Agreement,
                   forms: dict[str, Form] | None = None, locale: str = "id") -> dict[str, Any]:
    codes = set(agreement.village_codes)
    for item in agreement.commitments:
        codes.update(item.village_codes)
    names = queries.village_names(db, list(codes))
    facts = services.facts_of(agreement, names)
    steps = [_step(facts, target) for target in next_stages(facts)]
    forms = forms or {}
    defaults = {
        "tahap": blank(), "komitmen": blank(desa=agreement.village_codes),
        "laporan": blank(tanggal=date.today(), desa=""),
        "evaluasi": evaluation_defaults(agreement),
        "dokumen": blank(jenis=next_document_kind(agreement, facts)),
        "verifikasi": blank(),
    }
    reachable = [c for c in agreement.village_codes
                 if user.role == "mitra" or can_see_village(user, c)]
    return {
        "agreement": agreement,
        "facts": facts,
        "steps": steps,
        "content": _content(agreement, facts.filled),
        "names": names,
        "village_pairs": [(c, names.get(c, c)) for c in agreement.village_codes],
        "linkable": {c for c in agreement.village_codes if can_see_village(user, c)},
        "required_documents": REQUIRED_DOCUMENTS,
        "can_edit": access.can_edit_agreement(db, user, agreement)
        and agreement.stage not in TERMINAL,
        "can_report": access.can_report_on(db, user, agreement),
        "can_upload": access.can_upload_to(db, user, agreement),
        "reporting": agreement.stage in services.REPORTING_STAGES,
        "locked": agreement.stage in services.LOCKED_STAGES,
        "spent": sum(r.spent_rupiah for r in agreement.reports if r.verified),
        "awaiting": sum(r.spent_rupiah for r in agreement.reports if r.status == "diajukan"),
        "report_flags": {r.id: flags_of(agreement, r, locale) for r in agreement.reports},
        "can_review": user.role in REVIEWERS and access.can_edit_agreement(db, user, agreement),
        "upload_village_pairs": [(c, names.get(c, c)) for c in reachable]
        if len(agreement.village_codes) > 1 else [],
        "committed": sum(c.budget_rupiah for c in agreement.commitments),
        "forms": {**defaults, **forms},
        "failed": next(iter(forms), None),
    }


@router.get("/kerja-sama/{agreement_id}")
def agreement_page(agreement_id: int, request: Request, db: SessionDep,
                   user: CurrentUser) -> Response:
    agreement = visible_agreement(db, user, agreement_id)
    return show(request, "partnerships/agreement.html",
                detail_context(db, user, agreement, locale=page_locale(request)))


def refused(request: Request, db: Session, user: User, agreement_id: int, section: str,
            form: Form, error: MitradesaError | None = None) -> Response:
    """The detail page again, the refused form in place with its message and its values."""
    db.rollback()
    if error is not None:
        form.fail(error)
    agreement = visible_agreement(db, user, agreement_id)
    status = error.status if error is not None else 400
    return show(request, "partnerships/agreement.html",
                detail_context(db, user, agreement, {section: form}, page_locale(request)),
                status_code=status)


@router.post("/kerja-sama/{agreement_id}/tahap")
def agreement_advance(agreement_id: int, request: Request, db: SessionDep, user: CurrentUser,
                      data: FormDep) -> Response:
    agreement = visible_agreement(db, user, agreement_id)
    form = submitted(request, data)
    target = form.v("tahap")
    note = form.text("catatan", N_("Reason"), lines=True, limit=2000)
    try:
        services.advance(db, user, agreement, target, note, confirmed=bool(form.v("konfirmasi")))
    except MitradesaError as exc:
        return refused(request, db, user, agreement_id, "tahap", form, exc)
    db.commit()
    return done(f"/kerja-sama/{agreement_id}", "tahap", "tahap")


@router.post("/kerja-sama/{agreement_id}/laporan/{report_id}/verifikasi")
def agreement_verify_report(agreement_id: int, report_id: int, request: Request,
                            db: SessionDep, user: CurrentUser, data: FormDep) -> Response:
    """DPMD verifies a partner's progress report, or returns it with a note."""
    agreement = visible_agreement(db, user, agreement_id)
    form = submitted(request, data)
    note = form.text("catatan", N_("Note"), lines=True, limit=5000)
    try:
        services.review_report(db, user, agreement, report_id, decision=form.v("keputusan"),
                               note=note)
    except MitradesaError as exc:
        if exc.status == 404:
            raise
        form.values["laporan"] = [str(report_id)]
        return refused(request, db, user, agreement_id, "verifikasi", form, exc)
    db.commit()
    return done(f"/kerja-sama/{agreement_id}", "verifikasi", f"laporan-{report_id}")


@router.get("/kerja-sama/{agreement_id}/dokumen/{document_id}")
def agreement_document(agreement_id: int, document_id: int, db: SessionDep,
                       user: CurrentUser) -> Response:
    """The stored file, for who may see the agreement; the path comes from the database."""
    agreement = visible_agreement(db, user, agreement_id)
    document = next((d for d in agreement.documents if d.id == document_id), None)
    if document is None or not Path(document.stored_path).is_file():
        raise NotFoundError(f"Dokumen nomor {document_id} tidak ditemukan pada perjanjian ini.")
    return FileResponse(document.stored_path, media_type=document.content_type,
                        filename=document.filename, content_disposition_type="attachment")

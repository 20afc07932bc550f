"""Partnerships API: partners, MoUs, agreements and their lifecycle, commitments, reports,
evaluation, documents, reminders and matching. Handlers only translate: every action goes
through `partnerships.services`, which checks what the user may do; what a user may not see
answers 404 as if it did not exist."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, Literal

from fastapi import APIRouter, File, Form, Query, UploadFile
from fastapi.responses import FileResponse

from mitradesa.accounts.models import User
from mitradesa.accounts.scope import can_see_village
from mitradesa.errors import NotFoundError
from mitradesa.partnerships import matching, queries, services
from mitradesa.partnerships.errors import PartnershipError
from mitradesa.partnerships.lifecycle import missing_for, next_stages
from mitradesa.partnerships.models import Agreement, AgreementDocument, Mou, Partner
from mitradesa.partnerships.reminders import reminders
from mitradesa.partnerships.report_flags import flags_of
from mitradesa.partnerships.vocab import DOCUMENT_KINDS, PARTNER_KINDS, STAGES
from mitradesa.regions.errors import RegionNotFoundError
from mitradesa.regions.models import VILLAGE_KINDS
from mitradesa.regions.queries import get_region
from mitradesa.settings import get_settings
from mitradesa.web.api.partnership_schemas import (
    AgreementCreate,
    AgreementDetailRead,
    AgreementRead,
    AgreementUpdate,
    CommitmentCreate,
    CommitmentRead,
    DocumentRead,
    EvaluationRead,
    EvaluationUpdate,
    GapRead,
    MouCreate,
    MouRead,
    NextStepRead,
    PartnerCreate,
    PartnerMatchRead,
    PartnerRead,
    PartnerUpdate,
    ReminderRead,
    ReportCreate,
    ReportRead,
    ReportReview,
    StageEventRead,
    TransitionCreate,
    TransitionRead,
    VillageMatchRead,
)
from mitradesa.web.api.schemas import ErrorRead
from mitradesa.web.security import CurrentUser, SessionDep

ERRORS = {code: {"model": ErrorRead} for code in (400, 401, 403, 404, 409, 422)}
router = APIRouter(tags=["partnerships"], responses=ERRORS)
# API field → keyword of services.create_agreement / update_agreement.
CONTENT_FIELDS = {
    "ruang_lingkup": "ruang_lingkup", "bidang": "bidang",
    "tata_cara_pelaksanaan": "tata_cara_pelaksanaan", "hak_kewajiban": "hak_kewajiban",
    "pendanaan": "pendanaan", "tata_cara_perubahan": "tata_cara_perubahan",
    "penyelesaian_perselisihan": "penyelesaian_perselisihan", "nilai_rupiah": "value_rupiah",
    "tanggal_mulai": "start_date", "tanggal_selesai": "end_date",
    "tanggal_tanda_tangan": "signed_on", "laporan_setiap_hari": "report_every_days",
}
CONTACT_FIELDS = {"kontak_nama": "contact_name", "kontak_telepon": "contact_phone",
                  "kontak_email": "contact_email", "alamat": "address", "catatan": "notes"}


def documents_dir() -> Path:
    """Where uploads are kept (tests point it elsewhere)."""
    return get_settings().data_dir / "documents"


# ------------------------------------------------------------------ what a user may see


def _partner(db: SessionDep, user: User, partner_id: int) -> Partner:
    return services.visible_partner(db, user, partner_id)


def _mou(db: SessionDep, user: User, mou_id: int) -> Mou:
    return services.visible_mou(db, user, mou_id)


def _agreement(db: SessionDep, user: User, agreement_id: int) -> Agreement:
    return services.visible_agreement(db, user, agreement_id)


# ------------------------------------------------------------------ converting


def partner_read(partner: Partner) -> PartnerRead:
    return PartnerRead(
        id=partner.id, nama=partner.name, jenis=partner.kind,
        jenis_label=PARTNER_KINDS.get(partner.kind, partner.kind), bidang=list(partner.sectors),
        wilayah=partner.area_codes, kontak_nama=partner.contact_name,
        kontak_telepon=partner.contact_phone, kontak_email=partner.contact_email,
        alamat=partner.address, catatan=partner.notes, aktif=partner.active,
        versi=partner.version,
    )


def mou_read(mou: Mou) -> MouRead:
    return MouRead(
        id=mou.id, nomor=mou.number, judul=mou.title, wilayah=mou.region_code,
        penandatangan=mou.signatory, tanggal_tanda_tangan=mou.signed_on,
        tanggal_mulai=mou.start_date, tanggal_selesai=mou.end_date, lingkup=list(mou.scope),
        catatan=mou.notes, mitra=[{"id": p.id, "nama": p.name} for p in mou.partners],
        demo=mou.demo,
    )


def _document_read(agreement: Agreement, document: AgreementDocument) -> DocumentRead:
    return DocumentRead(
        id=document.id, jenis=document.kind,
        jenis_label=DOCUMENT_KINDS.get(document.kind, document.kind), judul=document.title,
        nama_berkas=document.filename, tipe=document.content_type, ukuran=document.size,
        sha256=document.sha256, laporan_id=document.report_id,
        desa=list(document.village_codes or []),
        diunggah=document.uploaded_at.isoformat(),
        unduh=f"/api/v1/agreements/{agreement.id}/documents/{document.id}",
    )


def _commitment_read(c: Any) -> CommitmentRead:
    return CommitmentRead(id=c.id, kegiatan=c.activity, anggaran_rupiah=c.budget_rupiah,
                          desa=list(c.village_codes), indikator=list(c.indicators),
                          tenggat=c.due_date, mitra_id=c.partner_id)


def _report_read(agreement: Agreement, r: Any) -> ReportRead:
    return ReportRead(id=r.id, tanggal=r.reported_on, ringkasan=r.summary,
                      realisasi_rupiah=r.spent_rupiah, komitmen_id=r.commitment_id,
                      desa=r.village_code, kemajuan_persen=r.progress_percent,
                      status=r.status, catatan_verifikasi=r.review_note,
                      tanda=flags_of(agreement, r))


def agreement_detail(db: SessionDep, agreement: Agreement) -> AgreementDetailRead:
    base = queries.listing(db, [agreement])[0]
    facts = services.facts_of(agreement, {v["kode"]: v["nama"] for v in base["desa"]})
    steps = []
    for target in next_stages(facts):
        missing = missing_for(facts, target)
        steps.append(NextStepRead(tahap=target, label=STAGES[target], boleh=not missing,
                                  kurang=missing))
    evaluation = agreement.evaluation
    return AgreementDetailRead(
        **base,
        versi=agreement.version,
        tahap_label=STAGES.get(agreement.stage, agreement.stage),
        tahap_sebelum_perubahan=agreement.stage_before_change,
        alasan_pengakhiran=agreement.termination_reason,
        ruang_lingkup=agreement.ruang_lingkup, bidang=agreement.bidang,
        tata_cara_pelaksanaan=agreement.tata_cara_pelaksanaan,
        hak_kewajiban=agreement.hak_kewajiban, pendanaan=agreement.pendanaan,
        tata_cara_perubahan=agreement.tata_cara_perubahan,
        penyelesaian_perselisihan=agreement.penyelesaian_perselisihan,
        laporan_setiap_hari=agreement.report_every_days,
        komitmen=[_commitment_read(c) for c in agreement.commitments],
        laporan=[_report_read(agreement, r) for r in agreement.reports],
        evaluasi=None if evaluation is None else EvaluationRead(
            tanggal=evaluation.evaluated_on, ringkasan=evaluation.summary,
            nilai=evaluation.rating, rekomendasi=evaluation.recommendation),
        dokumen=[_document_read(agreement, d) for d in agreement.documents],
        riwayat=[StageEventRead(dari=e.from_stage, ke=e.to_stage, waktu=e.at.isoformat(),
                                oleh=e.actor_name, catatan=e.note) for e in agreement.events],
        langkah_berikut=steps,
    )


def _content(body: AgreementCreate | AgreementUpdate, *, fields: set[str]) -> dict[str, Any]:
    data = body.model_dump(include=fields)
    return {CONTENT_FIELDS[k]: v for k, v in data.items() if k in CONTENT_FIELDS}


def _gap(g: matching.IndicatorGap) -> GapRead:
    return GapRead(indikator=g.key, nama=g.name, skor=g.score, nilai=g.nilai,
                   bidang=list(g.sectors), pelaku=g.actors, skor_berikut=g.to_level)


# ------------------------------------------------------------------ partners


@router.get("/partners", response_model=list[PartnerRead])
def api_partners(db: SessionDep, user: CurrentUser) -> list[PartnerRead]:
    """Partners by name (a mitra user sees its own only)."""
    return [partner_read(p) for p in queries.visible_partners(db, user)]


@router.get("/partners/{partner_id}", response_model=PartnerRead)
def api_partner(partner_id: int, db: SessionDep, user: CurrentUser) -> PartnerRead:
    return partner_read(_partner(db, user, partner_id))


@router.post("/partners", response_model=PartnerRead, status_code=201)
def api_create_partner(body: PartnerCreate, db: SessionDep, user: CurrentUser) -> PartnerRead:
    """Record a partner (DPMD: admin or pendamping)."""
    partner = services.create_partner(
        db, user, name=body.nama, kind=body.jenis, sectors=body.bidang, area_codes=body.wilayah,
        **{CONTACT_FIELDS[k]: getattr(body, k) for k in CONTACT_FIELDS},
    )
    db.commit()
    return partner_read(partner)


@router.patch("/partners/{partner_id}", response_model=PartnerRead)
def api_update_partner(
    partner_id: int, body: PartnerUpdate, db: SessionDep, user: CurrentUser
) -> PartnerRead:
    """Change a partner; only the fields sent change."""
    sent = body.model_dump(exclude_unset=True)
    partner = services.update_partner(
        db, user, _partner(db, user, partner_id), name=sent.get("nama"), kind=sent.get("jenis"),
        sectors=sent.get("bidang"), area_codes=sent.get("wilayah"), active=sent.get("aktif"),
        expected_version=sent.get("versi"),
        **{CONTACT_FIELDS[k]: v for k, v in sent.items() if k in CONTACT_FIELDS},
    )
    db.commit()
    return partner_read(partner)


@router.get("/partners/{partner_id}/matching-villages", response_model=list[VillageMatchRead])
def api_partner_matching_villages(
    partner_id: int, db: SessionDep, user: CurrentUser,
    year: int | None = Query(None, ge=2015, le=2100),
    limit: int = Query(50, ge=1, le=500),
    indeks: Literal["idm", "indeks_desa"] | None = Query(
        None, description="Default: the family of the newest year in the partner's area"),
) -> list[VillageMatchRead]:
    """Villages whose weakest IDM indicators lie in the partner's sectors, ranked by the
    expected IDM gain, with the reasons (staff with a scope: their villages only)."""
    partner = _partner(db, user, partner_id)
    found = matching.villages_for_partner(db, partner, year=year, limit=limit, family=indeks)
    if user.role != "mitra":
        found = [m for m in found if can_see_village(user, m.village_code)]
    return [VillageMatchRead(
        indeks=m.family, kode_desa=m.village_code, nama_desa=m.village_name,
        kecamatan=m.kecamatan, tahun=m.year,
        idm=m.idm, status=m.status, status_berikut=m.next_status, tambahan_idm=m.gain,
        idm_setelah=m.idm_after, naik_status=m.lifts_status, di_wilayah_mitra=m.in_area,
        indikator=[_gap(g) for g in m.indicators], alasan=m.reasons,
    ) for m in found]


@router.get("/villages/{kode}/matching-partners", response_model=list[PartnerMatchRead])
def api_village_matching_partners(
    kode: str, db: SessionDep, year: int | None = Query(None, ge=2015, le=2100),
    indeks: Literal["idm", "indeks_desa"] | None = Query(
        None, description="Default: the family of the village's newest year"),
) -> list[PartnerMatchRead]:
    """Active partners likely to fund the village's gaps, with the reasons."""
    village = get_region(db, kode)
    if village.kind not in VILLAGE_KINDS:
        raise RegionNotFoundError(f"{village.code} ({village.name}) bukan desa atau kelurahan.")
    return [PartnerMatchRead(
        indeks=m.family, tahun=m.year, mitra_id=m.partner_id, nama=m.name, jenis=m.kind,
        bidang=m.sectors,
        di_wilayah_mitra=m.in_area, tambahan_idm=m.gain, naik_status=m.lifts_status,
        indikator=[_gap(g) for g in m.indicators], alasan=m.reasons,
    ) for m in matching.partners_for_village(db, village.code, year=year, family=indeks)]


# ------------------------------------------------------------------ MoUs


@router.get("/mous", response_model=list[MouRead])
def api_mous(db: SessionDep, user: CurrentUser) -> list[MouRead]:
    """Regency MoUs, newest first (a mitra user: those its partner signed)."""
    return [mou_read(m) for m in queries.visible_mous(db, user)]


@router.get("/mous/{mou_id}", response_model=MouRead)
def api_mou(mou_id: int, db: SessionDep, user: CurrentUser) -> MouRead:
    return mou_read(_mou(db, user, mou_id))


@router.post("/mous", response_model=MouRead, status_code=201)
def api_create_mou(body: MouCreate, db: SessionDep, user: CurrentUser) -> MouRead:
    """Record an MoU signed by the Bupati (admin)."""
    mou = services.create_mou(
        db, user, title=body.judul, region_code=body.wilayah, partner_ids=body.mitra_ids,
        number=body.nomor, signatory=body.penandatangan, signed_on=body.tanggal_tanda_tangan,
        start_date=body.tanggal_mulai, end_date=body.tanggal_selesai, scope=body.lingkup,
        notes=body.catatan,
    )
    db.commit()
    return mou_read(mou)


# ------------------------------------------------------------------ agreements


@router.get("/agreements", response_model=list[AgreementRead])
def api_agreements(
    db: SessionDep, user: CurrentUser,
    stage: str | None = Query(None, description="Only this stage, e.g. pelaksanaan"),
    partner: int | None = Query(None, description="Only agreements of this partner id"),
    village: str | None = Query(None, description="Only agreements covering this village"),
) -> list[AgreementRead]:
    """The agreements the user may see, newest first."""
    if stage is not None and stage not in STAGES:
        raise PartnershipError(
            f"Tahap “{stage}” tidak dikenal. Pilih dari: {', '.join(STAGES)}."
        )
    code = get_region(db, village).code if village else None
    found = queries.visible_agreements(db, user, stage=stage, partner_id=partner,
                                       village_code=code)
    return [AgreementRead(**item) for item in queries.listing(db, found)]


@router.get("/agreements/{agreement_id}", response_model=AgreementDetailRead)
def api_agreement(agreement_id: int, db: SessionDep, user: CurrentUser) -> AgreementDetailRead:
    """One agreement: content, commitments, reports, evaluation, documents (metadata), the
    stage history, and each next step with what it still needs."""
    return agreement_detail(db, _agreement(db, user, agreement_id))


@router.post("/agreements", response_model=AgreementDetailRead, status_code=201)
def api_create_agreement(
    body: AgreementCreate, db: SessionDep, user: CurrentUser
) -> AgreementDetailRead:
    """Start an agreement in the persiapan stage (admin, or a pendamping for villages in
    their scope)."""
    agreement = services.create_agreement(
        db, user, title=body.judul, partner_ids=body.mitra_ids, village_codes=body.desa,
        scope=body.lingkup, mou_id=body.mou_id, number=body.nomor,
        **_content(body, fields=body.model_fields_set),
    )
    db.commit()
    return agreement_detail(db, agreement)


@router.patch("/agreements/{agreement_id}", response_model=AgreementDetailRead)
def api_update_agreement(
    agreement_id: int, body: AgreementUpdate, db: SessionDep, user: CurrentUser
) -> AgreementDetailRead:
    """Change an agreement; only the fields sent change."""
    sent = body.model_fields_set
    agreement = services.update_agreement(
        db, user, _agreement(db, user, agreement_id),
        partner_ids=body.mitra_ids if "mitra_ids" in sent else None,
        village_codes=body.desa if "desa" in sent else None,
        scope=body.lingkup if "lingkup" in sent else None,
        title=body.judul if "judul" in sent else None,
        number=body.nomor if "nomor" in sent else None,
        expected_version=body.versi,
        **_content(body, fields=sent),
    )
    db.commit()
    return agreement_detail(db, agreement)


@router.post("/agreements/{agreement_id}/transitions", response_model=TransitionRead,
             status_code=201)
def api_agreement_transition(
    agreement_id: int, body: TransitionCreate, db: SessionDep, user: CurrentUser
) -> TransitionRead:
    """Move the agreement to `target`. Refused with 409, reason `transition_refused`, and
    `missing` listing what the step needs (for selesai and diakhiri: `"konfirmasi": true`)."""
    agreement = _agreement(db, user, agreement_id)
    event = services.advance(db, user, agreement, body.target, body.note,
                             confirmed=body.konfirmasi)
    db.commit()
    return TransitionRead(id=agreement.id, tahap=agreement.stage,
                          tahap_label=STAGES[agreement.stage], dari=event.from_stage)


@router.post("/agreements/{agreement_id}/commitments", response_model=CommitmentRead,
             status_code=201)
def api_create_commitment(
    agreement_id: int, body: CommitmentCreate, db: SessionDep, user: CurrentUser
) -> CommitmentRead:
    commitment = services.add_commitment(
        db, user, _agreement(db, user, agreement_id), activity=body.kegiatan,
        budget_rupiah=body.anggaran_rupiah, village_codes=body.desa, indicators=body.indikator,
        due_date=body.tenggat, partner_id=body.mitra_id,
    )
    db.commit()
    return _commitment_read(commitment)


@router.post("/agreements/{agreement_id}/reports", response_model=ReportRead, status_code=201)
def api_create_report(
    agreement_id: int, body: ReportCreate, db: SessionDep, user: CurrentUser
) -> ReportRead:
    """A progress report (the partner's own people may report too)."""
    agreement = _agreement(db, user, agreement_id)
    report = services.add_report(
        db, user, agreement, reported_on=body.tanggal,
        summary=body.ringkasan, spent_rupiah=body.realisasi_rupiah,
        commitment_id=body.komitmen_id, village_code=body.desa,
        progress_percent=body.kemajuan_persen,
    )
    db.commit()
    return _report_read(agreement, report)


@router.post("/agreements/{agreement_id}/reports/{report_id}/verification",
             response_model=ReportRead)
def api_verify_report(
    agreement_id: int, report_id: int, body: ReportReview, db: SessionDep, user: CurrentUser
) -> ReportRead:
    """DPMD verifies a submitted progress report (`keputusan: diverifikasi`) or returns it
    to the partner with a note (`dikembalikan`); only verified figures count in reports,
    planning and analysis."""
    agreement = _agreement(db, user, agreement_id)
    report = services.review_report(db, user, agreement, report_id, decision=body.keputusan,
                                    note=body.catatan)
    db.commit()
    return _report_read(agreement, report)


@router.put("/agreements/{agreement_id}/evaluation", response_model=EvaluationRead)
def api_put_evaluation(
    agreement_id: int, body: EvaluationUpdate, db: SessionDep, user: CurrentUser
) -> EvaluationRead:
    """Record (or replace) the evaluation, in the evaluasi stage."""
    evaluation = services.record_evaluation(
        db, user, _agreement(db, user, agreement_id), evaluated_on=body.tanggal,
        summary=body.ringkasan, rating=body.nilai, recommendation=body.rekomendasi,
    )
    db.commit()
    return EvaluationRead(tanggal=evaluation.evaluated_on, ringkasan=evaluation.summary,
                          nilai=evaluation.rating, rekomendasi=evaluation.recommendation)


@router.post("/agreements/{agreement_id}/documents", response_model=DocumentRead,
             status_code=201)
def api_upload_document(
    agreement_id: int, db: SessionDep, user: CurrentUser,
    berkas: UploadFile = File(..., description="PDF, JPEG, PNG, XLSX or DOCX; at most 20 MB"),
    jenis: str = Form(..., description="Document kind, e.g. kak, surat_penawaran"),
    judul: str = Form(""),
    laporan_id: int | None = Form(None, description="The progress report it proves"),
    desa: list[str] = Form([], description="The villages it is for: required for documents "
                           "each village makes (keputusan_musdes, rkp_desa) when the agreement "
                           "has several; several villages state that one file covers them"),
    mencakup_beberapa: bool = Form(False, description="The file (already uploaded under "
                                   "another kind) covers several requirements"),
) -> DocumentRead:
    """Upload a document (multipart); its type is checked from the content. One file meets
    one requirement unless `desa` names several villages or `mencakup_beberapa` is true."""
    agreement = _agreement(db, user, agreement_id)
    content = berkas.file.read()  # whole: the body limit bounds it; a refusal states its size
    document = services.add_document(
        db, user, agreement, kind=jenis, filename=berkas.filename or "berkas", content=content,
        store_dir=documents_dir(), title=judul, report_id=laporan_id, village_codes=desa,
        covers_several=mencakup_beberapa,
    )
    db.commit()
    return _document_read(agreement, document)


@router.get("/agreements/{agreement_id}/documents/{document_id}",
            response_class=FileResponse)
def api_download_document(
    agreement_id: int, document_id: int, db: SessionDep, user: CurrentUser
) -> FileResponse:
    """The file itself, for who may see the agreement."""
    agreement = _agreement(db, user, agreement_id)
    document = next((d for d in agreement.documents if d.id == document_id), None)
    if document is None or not Path(document.stored_path).is_file():
        raise NotFoundError(f"Dokumen nomor {document_id} tidak ditemukan pada perjanjian ini.")
    return FileResponse(document.stored_path, media_type=document.content_type,
                        filename=document.filename)


@router.get("/reminders", response_model=list[ReminderRead])
def api_reminders(
    db: SessionDep, user: CurrentUser,
    today: date | None = Query(None, description="Default: today"),
) -> list[ReminderRead]:
    """Agreements ending within 90 days, progress reports overdue, stages stalled over 60
    days — among the agreements the user may see."""
    found = reminders(queries.visible_agreements(db, user), today or date.today())
    return [ReminderRead(jenis=r.kind, label=r.label, perjanjian_id=r.agreement_id,
                         judul=r.title, pesan=r.message, hari=r.days) for r in found]

"""Use cases of partnerships: the CLI, the API and the pages call these, nothing else.

Each takes the session and the acting user (None: the system or the operator at the
command line, who is trusted) and leaves committing to the caller.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mitradesa.accounts.models import User
from mitradesa.audit import log
from mitradesa.db.base import utcnow
from mitradesa.db.versioning import check_version, save_edit
from mitradesa.errors import ConflictError, NotFoundError, PermissionDeniedError
from mitradesa.idm.catalogue import find_indicator
from mitradesa.partnerships import access, documents
from mitradesa.partnerships.errors import PartnershipError, TransitionRefusedError
from mitradesa.partnerships.lifecycle import ACTIVE, AgreementFacts, missing_for
from mitradesa.partnerships.models import (
    Agreement,
    AgreementDocument,
    AgreementVillage,
    Commitment,
    Evaluation,
    Mou,
    Partner,
    PartnerArea,
    PartnerMember,
    ProgressReport,
    StageEvent,
)
from mitradesa.partnerships.vocab import (
    DOCUMENT_KINDS,
    MINIMUM_CONTENT,
    PARTNER_KINDS,
    SECTORS,
    STAGES,
)
from mitradesa.regions.models import VILLAGE_KINDS
from mitradesa.regions.queries import get_region

TEXT_FIELDS = ("ruang_lingkup", "bidang", "tata_cara_pelaksanaan", "hak_kewajiban", "pendanaan",
               "tata_cara_perubahan", "penyelesaian_perselisihan")
# While an agreement is being signed or carried out its text is fixed: change it through a
# perubahan (amendment).
LOCKED_STAGES = frozenset({"penandatanganan", "pelaksanaan", "evaluasi"})
REPORTING_STAGES = frozenset({"pelaksanaan", "evaluasi"})
_INDICATOR = re.compile(r"^\s*(IKS|IKE|IKL)\s*(\d{1,2})\s*$", re.IGNORECASE)


# ------------------------------------------------------------------ checks shared by use cases


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDeniedError(message)


def _sectors(values: list[str], what: str) -> list[str]:
    clean = [v.strip().lower() for v in values if v and v.strip()]
    unknown = [v for v in clean if v not in SECTORS]
    if unknown:
        raise PartnershipError(
            f"{what} tidak dikenal: {', '.join(unknown)}. Pilih dari: {', '.join(SECTORS)}."
        )
    return sorted(set(clean), key=list(SECTORS).index)


def _villages(session: Session, codes: list[str]) -> list[str]:
    result: list[str] = []
    for raw in codes:
        region = get_region(session, raw)
        if region.kind not in VILLAGE_KINDS:
            raise PartnershipError(f"{region.code} ({region.name}) bukan desa atau kelurahan.")
        if region.code not in result:
            result.append(region.code)
    return result


def indicator_keys(values: list[str]) -> list[str]:
    """["ike 7", "IKS 30"] → ["IKE 7", "IKS 30"], each checked against the catalogue."""
    keys: list[str] = []
    for value in values:
        match = _INDICATOR.match(value or "")
        if not match or find_indicator(match[1].upper(), int(match[2])) is None:
            raise PartnershipError(f"Indikator IDM “{value}” tidak dikenal; tulis seperti “IKE 7”.")
        key = f"{match[1].upper()} {int(match[2])}"
        if key not in keys:
            keys.append(key)
    return keys


def _rupiah(value: int | None, what: str) -> int | None:
    if value is not None and value < 0:
        raise PartnershipError(f"{what} tidak boleh negatif.")
    return value


def _dates(start: date | None, end: date | None) -> None:
    if start and end and end < start:
        raise PartnershipError("Tanggal selesai tidak boleh sebelum tanggal mulai.")


def get_partner(session: Session, partner_id: int) -> Partner:
    partner = session.get(Partner, partner_id)
    if partner is None:
        raise NotFoundError(f"Mitra nomor {partner_id} tidak ditemukan.")
    return partner


def get_agreement(session: Session, agreement_id: int) -> Agreement:
    agreement = session.get(Agreement, agreement_id)
    if agreement is None:
        raise NotFoundError(f"Perjanjian kerja sama nomor {agreement_id} tidak ditemukan.")
    return agreement


def get_mou(session: Session, mou_id: int) -> Mou:
    mou = session.get(Mou, mou_id)
    if mou is None:
        raise NotFoundError(f"Nota kesepahaman nomor {mou_id} tidak ditemukan.")
    return mou


# ------------------------------------------------------------------ partners


def create_partner(
    session: Session, actor: User | None, *, name: str, kind: str, sectors: list[str],
    area_codes: list[str] | None = None, contact_name: str = "", contact_phone: str = "",
    contact_email: str = "", address: str = "", notes: str = "",
) -> Partner:
    _require(actor is None or access.can_edit_partners(actor), "Hanya DPMD yang mencatat mitra.")
    name = " ".join((name or "").split())
    if not name:
        raise PartnershipError("Nama mitra wajib diisi.")
    if kind not in PARTNER_KINDS:
        raise PartnershipError(
            f"Jenis mitra “{kind}” tidak dikenal. Pilih dari: {', '.join(PARTNER_KINDS)}."
        )
    if session.scalar(select(Partner.id).where(func.lower(Partner.name) == name.lower())):
        raise ConflictError(f"Mitra bernama “{name}” sudah ada.")
    partner = Partner(
        name=name, kind=kind, sectors=_sectors(sectors, "Bidang mitra"),
        contact_name=contact_name.strip(), contact_phone=contact_phone.strip(),
        contact_email=contact_email.strip(), address=address.strip(), notes=notes.strip(),
        created_by=getattr(actor, "id", None),
    )
    for code in area_codes or []:
        partner.areas.append(PartnerArea(region_code=get_region(session, code).code))
    session.add(partner)
    session.flush()
    log(session, "partnerships.partner.created", "partner", partner.id, actor=actor,
        after={"name": name, "kind": kind, "sectors": partner.sectors,
               "area": partner.area_codes})
    return partner


def update_partner(
    session: Session, actor: User | None, partner: Partner, *, name: str | None = None,
    kind: str | None = None, sectors: list[str] | None = None,
    area_codes: list[str] | None = None, active: bool | None = None,
    expected_version: int | None = None, **contact: str,
) -> Partner:
    """Change what is given (None: keep); `contact` takes contact_name, contact_phone,
    contact_email, address and notes. `expected_version`: the version the edit was based on;
    refused if the partner changed since."""
    _require(actor is None or access.can_edit_partners(actor), "Hanya DPMD yang mengubah mitra.")
    check_version(partner, expected_version, f"Mitra “{partner.name}”")
    unknown = set(contact) - {"contact_name", "contact_phone", "contact_email", "address", "notes"}
    if unknown:
        raise PartnershipError(f"Isian tidak dikenal: {', '.join(sorted(unknown))}.")
    before = {"name": partner.name, "kind": partner.kind, "sectors": list(partner.sectors),
              "area": partner.area_codes, "active": partner.active}
    if name is not None:
        name = " ".join(name.split())
        if not name:
            raise PartnershipError("Nama mitra wajib diisi.")
        clash = session.scalar(select(Partner.id).where(func.lower(Partner.name) == name.lower(),
                                                        Partner.id != partner.id))
        if clash:
            raise ConflictError(f"Mitra bernama “{name}” sudah ada.")
        partner.name = name
    if kind is not None:
        if kind not in PARTNER_KINDS:
            raise PartnershipError(
                f"Jenis mitra “{kind}” tidak dikenal. Pilih dari: {', '.join(PARTNER_KINDS)}."
            )
        partner.kind = kind
    if sectors is not None:
        partner.sectors = _sectors(sectors, "Bidang mitra")
    if area_codes is not None:
        wanted = list(dict.fromkeys(get_region(session, code).code for code in area_codes))
        partner.areas = [a for a in partner.areas if a.region_code in wanted]
        have = set(partner.area_codes)
        partner.areas += [PartnerArea(region_code=c) for c in wanted if c not in have]
    if active is not None:
        partner.active = active
    for key, value in contact.items():
        if value is not None:
            setattr(partner, key, value.strip())
    save_edit(session, partner, f"Mitra “{partner.name}”")
    log(session, "partnerships.partner.updated", "partner", partner.id, actor=actor,
        before=before, after={"name": partner.name, "kind": partner.kind,
                              "sectors": list(partner.sectors), "area": partner.area_codes,
                              "active": partner.active})
    return partner


def add_partner_member(session: Session, actor: User | None, partner: Partner, user: User) -> None:
    _require(actor is None or actor.role == "admin", "Hanya admin yang menautkan akun mitra.")
    if user.role != "mitra":
        raise PartnershipError(f"Akun {user.username} berperan {user.role}, bukan mitra.")
    user.organisation = partner.name
    member = session.get(PartnerMember, user.id)
    if member is None:
        session.add(PartnerMember(user_id=user.id, partner_id=partner.id))
    else:
        member.partner_id = partner.id
    log(session, "partnerships.partner.member_added", "partner", partner.id, actor=actor,
        after={"user": user.username})


# ------------------------------------------------------------------ MoUs


def create_mou(
    session: Session, actor: User | None, *, title: str, region_code: str,
    partner_ids: list[int], number: str = "", signatory: str = "",
    signed_on: date | None = None, start_date: date | None = None,
    end_date: date | None = None, scope: list[str] | None = None, notes: str = "",
    demo: bool = False,
) -> Mou:
    _require(actor is None or actor.role == "admin", "Hanya admin DPMD yang mencatat MoU.")
    if not title.strip():
        raise PartnershipError("Judul nota kesepahaman wajib diisi.")
    if not partner_ids:
        raise PartnershipError("Nota kesepahaman memerlukan sedikitnya satu mitra.")
    _dates(start_date, end_date)
    region = get_region(session, region_code)
    mou = Mou(
        title=title.strip(), number=number.strip(), region_code=region.code,
        signatory=signatory.strip(), signed_on=signed_on, start_date=start_date,
        end_date=end_date, scope=_sectors(scope or [], "Lingkup"), notes=notes.strip(),
        demo=demo, created_by=getattr(actor, "id", None),
    )
    mou.partners = [get_partner(session, pid) for pid in dict.fromkeys(partner_ids)]
    session.add(mou)
    session.flush()
    log(session, "partnerships.mou.created", "mou", mou.id, actor=actor,
        after={"title": mou.title, "partners": [p.name for p in mou.partners]})
    return mou


# ------------------------------------------------------------------ agreements


def create_agreement(
    session: Session, actor: User | None, *, title: str, partner_ids: list[int],
    village_codes: list[str], scope: list[str], mou_id: int | None = None, number: str = "",
    demo: bool = False, **content: Any,
) -> Agreement:
    _require(actor is None or actor.role in ("admin", "pendamping"),
             "Hanya DPMD atau pendamping yang memulai kerja sama.")
    if not title.strip():
        raise PartnershipError("Judul perjanjian wajib diisi.")
    agreement = Agreement(title=title.strip(), number=number.strip(), stage="persiapan",
                          demo=demo, created_by=getattr(actor, "id", None))
    if mou_id is not None:
        agreement.mou = get_mou(session, mou_id)
    agreement.partners = [get_partner(session, pid) for pid in dict.fromkeys(partner_ids)]
    agreement.villages = [AgreementVillage(village_code=c)
                          for c in _villages(session, village_codes)]
    agreement.scope = _sectors(scope, "Lingkup kerja sama")
    _apply_content(agreement, content)
    if actor is not None and actor.role == "pendamping":
        _require(access.can_see_agreement(session, actor, agreement),
                 "Desa kerja sama ini di luar wilayah kerja Anda.")
    session.add(agreement)
    session.flush()
    session.add(StageEvent(agreement_id=agreement.id, from_stage=None, to_stage="persiapan",
                           actor_id=getattr(actor, "id", None),
                           actor_name=getattr(actor, "username", "system")))
    log(session, "partnerships.agreement.created", "agreement", agreement.id, actor=actor,
        after=summary_of(agreement))
    return agreement


def _apply_content(agreement: Agreement, content: dict[str, Any]) -> None:
    unknown = set(content) - {*TEXT_FIELDS, "value_rupiah", "start_date", "end_date",
                              "signed_on", "report_every_days"}
    if unknown:
        raise PartnershipError(f"Isian tidak dikenal: {', '.join(sorted(unknown))}.")
    for key in TEXT_FIELDS:
        if key in content:
            setattr(agreement, key, (content[key] or "").strip())
    if "value_rupiah" in content:
        agreement.value_rupiah = _rupiah(content["value_rupiah"], "Nilai kerja sama")
    for key in ("start_date", "end_date", "signed_on"):
        if key in content:
            setattr(agreement, key, content[key])
    if content.get("report_every_days") is not None:
        if content["report_every_days"] < 7:
            raise PartnershipError("Jarak antarlaporan paling sedikit 7 hari.")
        agreement.report_every_days = content["report_every_days"]
    _dates(agreement.start_date, agreement.end_date)


def update_agreement(
    session: Session, actor: User | None, agreement: Agreement, *,
    partner_ids: list[int] | None = None, village_codes: list[str] | None = None,
    scope: list[str] | None = None, title: str | None = None, number: str | None = None,
    expected_version: int | None = None, **content: Any,
) -> Agreement:
    _require(actor is None or access.can_edit_agreement(session, actor, agreement),
             "Anda tidak berwenang mengubah perjanjian ini.")
    check_version(agreement, expected_version, "Perjanjian ini")
    if agreement.stage not in ACTIVE:
        raise PartnershipError(f"Perjanjian sudah {STAGES[agreement.stage].lower()}; "
                               "isinya tidak dapat diubah lagi.")
    changes_text = {k for k in content if k != "signed_on"} | {
        k for k, v in (("partners", partner_ids), ("villages", village_codes), ("scope", scope))
        if v is not None
    }
    if agreement.stage in LOCKED_STAGES and changes_text:
        raise PartnershipError(
            f"Pada tahap {STAGES[agreement.stage].lower()} isi perjanjian terkunci; ajukan "
            "tahap perubahan (adendum) untuk mengubahnya."
        )
    before = summary_of(agreement)
    if title is not None:
        if not title.strip():
            raise PartnershipError("Judul perjanjian wajib diisi.")
        agreement.title = title.strip()
    if number is not None:
        agreement.number = number.strip()
    if partner_ids is not None:
        agreement.partners = [get_partner(session, pid) for pid in dict.fromkeys(partner_ids)]
    if village_codes is not None:
        wanted = _villages(session, village_codes)
        agreement.villages = [v for v in agreement.villages if v.village_code in wanted]
        have = set(agreement.village_codes)
        agreement.villages += [AgreementVillage(village_code=c) for c in wanted if c not in have]
    if scope is not None:
        agreement.scope = _sectors(scope, "Lingkup kerja sama")
    _apply_content(agreement, content)
    save_edit(session, agreement, "Perjanjian ini")
    log(session, "partnerships.agreement.updated", "agreement", agreement.id, actor=actor,
        before=before, after=summary_of(agreement))
    return agreement


def facts_of(agreement: Agreement) -> AgreementFacts:
    filled = {key for key in TEXT_FIELDS if getattr(agreement, key).strip()}
    if agreement.start_date and agreement.end_date:
        filled.add("jangka_waktu")
    if "pendanaan" in filled and agreement.value_rupiah is None:
        filled.discard("pendanaan")
    return AgreementFacts(
        stage=agreement.stage, stage_before_change=agreement.stage_before_change,
        villages=len(agreement.villages), partners=len(agreement.partners),
        scope=len(agreement.scope), filled=frozenset(filled & set(MINIMUM_CONTENT)),
        documents=frozenset(d.kind for d in agreement.documents),
        signed_on=agreement.signed_on is not None, commitments=len(agreement.commitments),
        reports=len(agreement.reports), evaluated=agreement.evaluation is not None,
    )


def advance(
    session: Session, actor: User | None, agreement: Agreement, target: str, note: str = ""
) -> StageEvent:
    """Move the agreement to `target`, or refuse and name what is missing."""
    _require(actor is None or access.can_edit_agreement(session, actor, agreement),
             "Anda tidak berwenang mengubah tahap perjanjian ini.")
    missing = missing_for(facts_of(agreement), target, note=note)
    if missing:
        label = STAGES.get(target, target)
        raise TransitionRefusedError(
            f"Belum dapat masuk tahap {label}. Yang belum ada: {'; '.join(missing)}.", missing
        )
    origin = agreement.stage
    if target == "perubahan":
        agreement.stage_before_change = origin
    elif origin == "perubahan":
        agreement.stage_before_change = None
    if target == "diakhiri":
        agreement.termination_reason = note.strip()
    agreement.stage = target
    agreement.stage_changed_at = utcnow()
    event = StageEvent(agreement_id=agreement.id, from_stage=origin, to_stage=target,
                       actor_id=getattr(actor, "id", None),
                       actor_name=getattr(actor, "username", "system"), note=note.strip())
    agreement.events.append(event)
    session.flush()
    log(session, f"partnerships.agreement.{target}", "agreement", agreement.id, actor=actor,
        before={"stage": origin}, after={"stage": target, "note": note.strip()})
    return event


# ------------------------------------------------------------------ commitments, reports


def add_commitment(
    session: Session, actor: User | None, agreement: Agreement, *, activity: str,
    budget_rupiah: int, village_codes: list[str] | None = None,
    indicators: list[str] | None = None, due_date: date | None = None,
    partner_id: int | None = None,
) -> Commitment:
    _require(actor is None or access.can_edit_agreement(session, actor, agreement),
             "Anda tidak berwenang menambah komitmen pada perjanjian ini.")
    if agreement.stage not in ACTIVE:
        raise PartnershipError("Perjanjian yang sudah selesai atau diakhiri tidak menerima "
                               "komitmen baru.")
    if not activity.strip():
        raise PartnershipError("Nama kegiatan wajib diisi.")
    villages = _villages(session, village_codes or agreement.village_codes)
    outside = [c for c in villages if c not in agreement.village_codes]
    if outside:
        raise PartnershipError(f"Desa {', '.join(outside)} tidak termasuk perjanjian ini.")
    if partner_id is not None and partner_id not in agreement.partner_ids:
        raise PartnershipError("Mitra komitmen harus salah satu pihak perjanjian.")
    commitment = Commitment(
        agreement_id=agreement.id, activity=activity.strip(),
        budget_rupiah=_rupiah(budget_rupiah, "Anggaran") or 0, village_codes=villages,
        indicators=indicator_keys(indicators or []), due_date=due_date, partner_id=partner_id,
        created_by=getattr(actor, "id", None),
    )
    agreement.commitments.append(commitment)
    session.flush()
    log(session, "partnerships.commitment.created", "commitment", commitment.id, actor=actor,
        after={"agreement": agreement.id, "activity": commitment.activity,
               "budget_rupiah": commitment.budget_rupiah})
    return commitment


def add_report(
    session: Session, actor: User | None, agreement: Agreement, *, reported_on: date,
    summary: str, spent_rupiah: int = 0, commitment_id: int | None = None,
    village_code: str | None = None, progress_percent: int | None = None,
) -> ProgressReport:
    _require(actor is None or access.can_report_on(session, actor, agreement),
             "Anda tidak berwenang melapor pada perjanjian ini.")
    if agreement.stage not in REPORTING_STAGES:
        raise PartnershipError(
            f"Laporan kemajuan dibuat pada tahap pelaksanaan atau evaluasi; perjanjian ini "
            f"pada tahap {STAGES[agreement.stage].lower()}."
        )
    if not summary.strip():
        raise PartnershipError("Isi laporan wajib diisi.")
    if commitment_id is not None and commitment_id not in {c.id for c in agreement.commitments}:
        raise PartnershipError("Komitmen itu bukan bagian dari perjanjian ini.")
    if village_code is not None:
        village_code = get_region(session, village_code).code
        if village_code not in agreement.village_codes:
            raise PartnershipError(f"Desa {village_code} tidak termasuk perjanjian ini.")
    if progress_percent is not None and not 0 <= progress_percent <= 100:
        raise PartnershipError("Kemajuan dinyatakan 0–100 persen.")
    report = ProgressReport(
        agreement_id=agreement.id, reported_on=reported_on, summary=summary.strip(),
        spent_rupiah=_rupiah(spent_rupiah, "Realisasi") or 0, commitment_id=commitment_id,
        village_code=village_code, progress_percent=progress_percent,
        created_by=getattr(actor, "id", None),
    )
    agreement.reports.append(report)
    session.flush()
    log(session, "partnerships.report.created", "report", report.id, actor=actor,
        after={"agreement": agreement.id, "spent_rupiah": report.spent_rupiah})
    return report


def record_evaluation(
    session: Session, actor: User | None, agreement: Agreement, *, evaluated_on: date,
    summary: str, rating: int, recommendation: str = "",
) -> Evaluation:
    _require(actor is None or access.can_edit_agreement(session, actor, agreement),
             "Anda tidak berwenang mengevaluasi perjanjian ini.")
    if agreement.stage != "evaluasi":
        raise PartnershipError("Evaluasi dicatat pada tahap evaluasi.")
    if not 1 <= rating <= 5:
        raise PartnershipError("Nilai evaluasi 1 (buruk) sampai 5 (sangat baik).")
    if not summary.strip():
        raise PartnershipError("Ringkasan evaluasi wajib diisi.")
    evaluation = agreement.evaluation or Evaluation(agreement_id=agreement.id,
                                                    created_by=getattr(actor, "id", None))
    evaluation.evaluated_on = evaluated_on
    evaluation.summary = summary.strip()
    evaluation.rating = rating
    evaluation.recommendation = recommendation.strip()
    agreement.evaluation = evaluation
    session.flush()
    log(session, "partnerships.evaluation.recorded", "agreement", agreement.id, actor=actor,
        after={"rating": rating})
    return evaluation


def add_document(
    session: Session, actor: User | None, agreement: Agreement, *, kind: str, filename: str,
    content: bytes, store_dir: Path, title: str = "", report_id: int | None = None,
) -> AgreementDocument:
    _require(actor is None or access.can_upload_to(session, actor, agreement),
             "Anda tidak berwenang mengunggah dokumen untuk perjanjian ini.")
    if kind not in DOCUMENT_KINDS:
        raise PartnershipError(f"Jenis dokumen “{kind}” tidak dikenal.")
    if report_id is not None and report_id not in {r.id for r in agreement.reports}:
        raise PartnershipError("Laporan itu bukan bagian dari perjanjian ini.")
    stored = documents.store(content, filename, store_dir)
    document = AgreementDocument(
        agreement_id=agreement.id, kind=kind, title=title.strip() or DOCUMENT_KINDS[kind],
        filename=stored.filename, content_type=stored.content_type, size=stored.size,
        sha256=stored.sha256, stored_path=str(stored.path), report_id=report_id,
        uploaded_by=getattr(actor, "id", None),
    )
    agreement.documents.append(document)
    session.flush()
    log(session, "partnerships.document.uploaded", "agreement", agreement.id, actor=actor,
        after=document.as_dict())
    return document


def summary_of(agreement: Agreement) -> dict[str, Any]:
    """The agreement as one plain object: the audit log, `partnerships list` and the API."""
    return {
        "id": agreement.id, "nomor": agreement.number, "judul": agreement.title,
        "tahap": agreement.stage, "mou_id": agreement.mou_id,
        "mitra": [{"id": p.id, "nama": p.name} for p in agreement.partners],
        "desa": list(agreement.village_codes), "lingkup": list(agreement.scope),
        "tanggal_mulai": _iso(agreement.start_date), "tanggal_selesai": _iso(agreement.end_date),
        "tanggal_tanda_tangan": _iso(agreement.signed_on),
        "nilai_rupiah": agreement.value_rupiah, "demo": agreement.demo,
    }


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None

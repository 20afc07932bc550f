"""Use cases of carrying out an agreement: commitments, progress reports, the evaluation."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from mitradesa.accounts.models import User
from mitradesa.audit import log
from mitradesa.partnerships import access
from mitradesa.partnerships.agreements import REPORTING_STAGES
from mitradesa.partnerships.checks import clean_villages, indicator_keys, non_negative, require
from mitradesa.partnerships.errors import PartnershipError
from mitradesa.partnerships.lifecycle import ACTIVE
from mitradesa.partnerships.models import Agreement, Commitment, Evaluation, ProgressReport
from mitradesa.partnerships.vocab import STAGES
from mitradesa.regions.queries import get_region


def add_commitment(
    session: Session, actor: User | None, agreement: Agreement, *, activity: str,
    budget_rupiah: int, village_codes: list[str] | None = None,
    indicators: list[str] | None = None, due_date: date | None = None,
    partner_id: int | None = None,
) -> Commitment:
    require(actor is None or access.can_edit_agreement(session, actor, agreement),
             "Anda tidak berwenang menambah komitmen pada perjanjian ini.")
    if agreement.stage not in ACTIVE:
        raise PartnershipError("Perjanjian yang sudah selesai atau diakhiri tidak menerima "
                               "komitmen baru.")
    if not activity.strip():
        raise PartnershipError("Nama kegiatan wajib diisi.")
    villages = clean_villages(session, village_codes or agreement.village_codes)
    outside = [c for c in villages if c not in agreement.village_codes]
    if outside:
        raise PartnershipError(f"Desa {', '.join(outside)} tidak termasuk perjanjian ini.")
    if partner_id is not None and partner_id not in agreement.partner_ids:
        raise PartnershipError("Mitra komitmen harus salah satu pihak perjanjian.")
    commitment = Commitment(
        agreement_id=agreement.id, activity=activity.strip(),
        budget_rupiah=non_negative(budget_rupiah, "Anggaran") or 0, village_codes=villages,
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
    require(actor is None or access.can_report_on(session, actor, agreement),
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
        spent_rupiah=non_negative(spent_rupiah, "Realisasi") or 0, commitment_id=commitment_id,
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
    require(actor is None or access.can_edit_agreement(session, actor, agreement),
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

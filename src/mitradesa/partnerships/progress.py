"""Use cases of carrying out an agreement: commitments, progress reports and their review by
DPMD, the evaluation."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from mitradesa.accounts.models import User
from mitradesa.accounts.scope import can_see_village
from mitradesa.audit import log
from mitradesa.db.base import utcnow
from mitradesa.errors import NotFoundError
from mitradesa.partnerships import access
from mitradesa.partnerships.agreements import REPORTING_STAGES
from mitradesa.partnerships.checks import (
    Problems,
    clean_villages,
    indicator_keys,
    require,
    within_scope,
)
from mitradesa.partnerships.errors import PartnershipError
from mitradesa.partnerships.lifecycle import ACTIVE
from mitradesa.partnerships.models import Agreement, Commitment, Evaluation, ProgressReport
from mitradesa.partnerships.vocab import STAGES
from mitradesa.regions.queries import get_region
from mitradesa.reports.formatting import long_date

# Who records a report decides whether it waits for DPMD: a partner's own account submits
# it (diajukan); DPMD staff and the command line record what they have checked themselves.
REVIEWERS = frozenset({"admin", "pendamping"})


def add_commitment(
    session: Session, actor: User | None, agreement: Agreement, *, activity: str,
    budget_rupiah: int, village_codes: list[str] | None = None,
    indicators: list[str] | None = None, due_date: date | None = None,
    partner_id: int | None = None,
) -> Commitment:
    """A commitment for villages of the agreement that `actor` may touch (all of the
    agreement's villages when none are named)."""
    require(actor is None or access.can_edit_agreement(session, actor, agreement),
            "Anda tidak berwenang menambah komitmen pada perjanjian ini.")
    if agreement.stage not in ACTIVE:
        raise PartnershipError("Perjanjian yang sudah selesai atau diakhiri tidak menerima "
                               "komitmen baru.")
    villages = clean_villages(session, village_codes or agreement.village_codes)
    within_scope(actor, villages)
    problems = Problems()
    if not activity.strip():
        problems.add("Nama kegiatan wajib diisi.")
    if budget_rupiah is not None and budget_rupiah < 0:
        problems.add(f"Anggaran tidak boleh negatif (tertulis {budget_rupiah}).")
    outside = [c for c in villages if c not in agreement.village_codes]
    if outside:
        problems.add(f"Desa {', '.join(outside)} tidak termasuk perjanjian ini.")
    if partner_id is not None and partner_id not in agreement.partner_ids:
        problems.add("Mitra komitmen harus salah satu pihak perjanjian.")
    keys = problems.attempt(lambda: indicator_keys(indicators or []))
    problems.raise_if_any()
    commitment = Commitment(
        agreement_id=agreement.id, activity=activity.strip(), budget_rupiah=budget_rupiah or 0,
        village_codes=villages, indicators=keys or [], due_date=due_date, partner_id=partner_id,
        created_by=getattr(actor, "id", None),
    )
    agreement.commitments.append(commitment)
    session.flush()
    log(session, "partnerships.commitment.created", "commitment", commitment.id, actor=actor,
        after={"agreement": agreement.id, "activity": commitment.activity,
               "budget_rupiah": commitment.budget_rupiah})
    return commitment


def _report_target(session: Session, actor: User | None, agreement: Agreement,
                   commitment_id: int | None, village_code: str | None) -> str | None:
    """Check that the commitment and village a report is about are the agreement's and
    within the reporter's reach (a partner: its own commitments; staff: their villages)."""
    commitment = None
    if commitment_id is not None:
        commitment = next((c for c in agreement.commitments if c.id == commitment_id), None)
        if commitment is None:
            raise NotFoundError(f"Komitmen nomor {commitment_id} tidak ditemukan pada "
                                "perjanjian ini.")
        if actor is not None and actor.role == "mitra" and commitment.partner_id not in (
                None, access.partner_of(session, actor)):
            raise NotFoundError(f"Komitmen nomor {commitment_id} tidak ditemukan pada "
                                "perjanjian ini.")
    if village_code is not None:
        village_code = get_region(session, village_code).code
        within_scope(actor, [village_code])
        if village_code not in agreement.village_codes:
            raise PartnershipError(f"Desa {village_code} tidak termasuk perjanjian ini.")
    elif commitment is not None:
        within_scope(actor, commitment.village_codes or agreement.village_codes)
    return village_code


def add_report(
    session: Session, actor: User | None, agreement: Agreement, *, reported_on: date,
    summary: str, spent_rupiah: int = 0, commitment_id: int | None = None,
    village_code: str | None = None, progress_percent: int | None = None,
) -> ProgressReport:
    """A progress report. A partner's report waits for DPMD's verification (diajukan);
    one DPMD staff (or the command line) records is verified by them."""
    require(actor is None or access.can_report_on(session, actor, agreement),
            "Anda tidak berwenang melapor pada perjanjian ini.")
    if agreement.stage not in REPORTING_STAGES:
        raise PartnershipError(
            f"Laporan kemajuan dibuat pada tahap pelaksanaan atau evaluasi; perjanjian ini "
            f"pada tahap {STAGES[agreement.stage].lower()}."
        )
    village_code = _report_target(session, actor, agreement, commitment_id, village_code)
    problems = Problems()
    if not summary.strip():
        problems.add("Isi laporan wajib diisi.")
    if spent_rupiah is not None and spent_rupiah < 0:
        problems.add(f"Realisasi tidak boleh negatif (tertulis {spent_rupiah}).")
    if progress_percent is not None and not 0 <= progress_percent <= 100:
        problems.add(f"Kemajuan dinyatakan 0–100 persen (tertulis {progress_percent}).")
    today = date.today()
    if reported_on > today:
        problems.add(f"Tanggal laporan {long_date(reported_on)} belum terjadi (hari ini "
                     f"{long_date(today)}).")
    began = agreement.signed_on or agreement.start_date
    if began is not None and reported_on < began:
        problems.add(f"Tanggal laporan {long_date(reported_on)} jatuh sebelum kerja sama "
                     f"dimulai ({long_date(began)}).")
    problems.raise_if_any()
    reviewed = actor is None or actor.role in REVIEWERS
    report = ProgressReport(
        agreement_id=agreement.id, reported_on=reported_on, summary=summary.strip(),
        spent_rupiah=spent_rupiah or 0, commitment_id=commitment_id,
        village_code=village_code, progress_percent=progress_percent,
        created_by=getattr(actor, "id", None),
        status="diverifikasi" if reviewed else "diajukan",
        reviewed_by=getattr(actor, "id", None) if reviewed else None,
        reviewed_at=utcnow() if reviewed else None,
    )
    agreement.reports.append(report)
    session.flush()
    log(session, "partnerships.report.created", "report", report.id, actor=actor,
        after={"agreement": agreement.id, "spent_rupiah": report.spent_rupiah,
               "status": report.status})
    return report


def review_report(
    session: Session, actor: User | None, agreement: Agreement, report_id: int, *,
    decision: str, note: str = "",
) -> ProgressReport:
    """DPMD (admin, or a pendamping of the report's villages) verifies a submitted report,
    or returns it to the partner with a note saying what to correct."""
    require(actor is None or (actor.role in REVIEWERS
                              and access.can_edit_agreement(session, actor, agreement)),
            "Hanya DPMD (admin atau pendamping wilayahnya) yang memverifikasi laporan.")
    report = next((r for r in agreement.reports if r.id == report_id), None)
    if report is None:
        raise NotFoundError(f"Laporan nomor {report_id} tidak ditemukan pada perjanjian ini.")
    commitment = next((c for c in agreement.commitments if c.id == report.commitment_id), None)
    villages = ([report.village_code] if report.village_code
                else (commitment.village_codes if commitment else []) or agreement.village_codes)
    if actor is not None and not any(can_see_village(actor, c) for c in villages):
        # a report on villages the reviewer does not cover answers as if it did not exist
        raise NotFoundError(f"Laporan nomor {report_id} tidak ditemukan pada perjanjian ini.")
    if decision not in ("diverifikasi", "dikembalikan"):
        raise PartnershipError(f"Keputusan “{decision}” tidak dikenal: pilih diverifikasi "
                               "atau dikembalikan.")
    if report.status != "diajukan":
        raise PartnershipError(f"Laporan ini sudah {report.status}; hanya laporan yang "
                               "diajukan yang diperiksa.", reason="report_already_reviewed")
    if decision == "dikembalikan" and not note.strip():
        raise PartnershipError("Tulis catatan untuk mitra: apa yang perlu diperbaiki.")
    report.status = decision
    report.review_note = note.strip()
    report.reviewed_by = getattr(actor, "id", None)
    report.reviewed_at = utcnow()
    session.flush()
    log(session, f"partnerships.report.{decision}", "report", report.id, actor=actor,
        after={"agreement": agreement.id, "note": report.review_note})
    return report


def record_evaluation(
    session: Session, actor: User | None, agreement: Agreement, *, evaluated_on: date,
    summary: str, rating: int, recommendation: str = "",
) -> Evaluation:
    require(actor is None or access.can_edit_agreement(session, actor, agreement),
            "Anda tidak berwenang mengevaluasi perjanjian ini.")
    if agreement.stage != "evaluasi":
        raise PartnershipError("Evaluasi dicatat pada tahap evaluasi.")
    problems = Problems()
    if not 1 <= rating <= 5:
        problems.add(f"Nilai evaluasi 1 (buruk) sampai 5 (sangat baik); tertulis {rating}.")
    if not summary.strip():
        problems.add("Ringkasan evaluasi wajib diisi.")
    began = agreement.signed_on or agreement.start_date
    if began is not None and evaluated_on < began:
        problems.add(f"Tanggal evaluasi {long_date(evaluated_on)} jatuh sebelum kerja sama "
                     f"dimulai ({long_date(began)}).")
    problems.raise_if_any()
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

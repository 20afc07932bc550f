"""The use case of uploading a document to an agreement (storage and type checks:
`documents`)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy.orm import Session

from mitradesa.accounts.models import User
from mitradesa.audit import log
from mitradesa.errors import NotFoundError
from mitradesa.partnerships import access, documents
from mitradesa.partnerships.checks import clean_villages, require, within_scope
from mitradesa.partnerships.errors import PartnershipError
from mitradesa.partnerships.lifecycle import PER_VILLAGE_DOCUMENTS
from mitradesa.partnerships.models import Agreement, AgreementDocument
from mitradesa.partnerships.vocab import DOCUMENT_KINDS


def _report_villages(agreement: Agreement, report_id: int) -> list[str]:
    report = next((r for r in agreement.reports if r.id == report_id), None)
    if report is None:
        raise NotFoundError(f"Laporan nomor {report_id} tidak ditemukan pada perjanjian ini.")
    if report.village_code:
        return [report.village_code]
    commitment = next((c for c in agreement.commitments if c.id == report.commitment_id), None)
    return (commitment.village_codes if commitment else []) or agreement.village_codes


def _covered_villages(session: Session, actor: User | None, agreement: Agreement, kind: str,
                      village_codes: list[str]) -> list[str]:
    """The villages a document is for: required for the kinds needed per village (one
    village, or several when the user says one file covers them); each must be the
    agreement's and within the uploader's reach."""
    villages = clean_villages(session, village_codes)
    within_scope(actor, villages)
    outside = [c for c in villages if c not in agreement.village_codes]
    if outside:
        raise PartnershipError(f"Desa {', '.join(outside)} tidak termasuk perjanjian ini.")
    if kind in PER_VILLAGE_DOCUMENTS and not villages:
        if len(agreement.village_codes) != 1:
            raise PartnershipError(
                f"{DOCUMENT_KINDS[kind]} dibuat oleh tiap desa: pilih desa yang "
                "keputusannya ini (atau beberapa desa bila satu berkas memuat semuanya)."
            )
        villages = list(agreement.village_codes)
    return villages


def add_document(
    session: Session, actor: User | None, agreement: Agreement, *, kind: str, filename: str,
    content: bytes, store_dir: Path, title: str = "", report_id: int | None = None,
    village_codes: list[str] | None = None, covers_several: bool = False,
) -> AgreementDocument:
    """Keep an uploaded file for the agreement. One file meets one requirement: the same
    content uploaded again under another kind is refused unless the user states that it
    covers several (`covers_several`)."""
    require(actor is None or access.can_upload_to(session, actor, agreement),
            "Anda tidak berwenang mengunggah dokumen untuk perjanjian ini.")
    if kind not in DOCUMENT_KINDS:
        raise PartnershipError(f"Jenis dokumen “{kind}” tidak dikenal.")
    if report_id is not None:
        villages_of_report = _report_villages(agreement, report_id)
        if actor is not None and actor.role != "mitra":
            within_scope(actor, villages_of_report)
    villages = _covered_villages(session, actor, agreement, kind, village_codes or [])
    digest = hashlib.sha256(content).hexdigest()
    other_kinds = sorted({d.kind for d in agreement.documents
                          if d.sha256 == digest and d.kind != kind})
    if other_kinds and not covers_several:
        labels = ", ".join(DOCUMENT_KINDS[k] for k in other_kinds)
        raise PartnershipError(
            f"Berkas yang sama sudah diunggah sebagai {labels}. Satu berkas memenuhi satu "
            "persyaratan; bila berkas ini memang memuat beberapa dokumen, nyatakan demikian.",
            reason="document_reused",
        )
    stored = documents.store(content, filename, store_dir)
    document = AgreementDocument(
        agreement_id=agreement.id, kind=kind, title=title.strip() or DOCUMENT_KINDS[kind],
        filename=stored.filename, content_type=stored.content_type, size=stored.size,
        sha256=stored.sha256, stored_path=str(stored.path), report_id=report_id,
        village_codes=villages, uploaded_by=getattr(actor, "id", None),
    )
    agreement.documents.append(document)
    session.flush()
    log(session, "partnerships.document.uploaded", "agreement", agreement.id, actor=actor,
        after={**document.as_dict(), "covers_several": covers_several})
    return document

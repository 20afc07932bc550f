"""The use case of uploading a document to an agreement (storage: `documents`)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from mitradesa.accounts.models import User
from mitradesa.audit import log
from mitradesa.partnerships import access, documents
from mitradesa.partnerships.checks import require
from mitradesa.partnerships.errors import PartnershipError
from mitradesa.partnerships.models import Agreement, AgreementDocument
from mitradesa.partnerships.vocab import DOCUMENT_KINDS


def add_document(
    session: Session, actor: User | None, agreement: Agreement, *, kind: str, filename: str,
    content: bytes, store_dir: Path, title: str = "", report_id: int | None = None,
) -> AgreementDocument:
    require(actor is None or access.can_upload_to(session, actor, agreement),
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

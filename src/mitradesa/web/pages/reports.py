"""Report downloads: a partner's report as PDF or Excel, only for who may see the partner;
a region's report for a year as PDF, for DPMD staff whose scope covers the whole region."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from mitradesa.errors import NotFoundError
from mitradesa.partnerships.services import visible_partner
from mitradesa.reports.partner_data import PartnerReport, partner_report
from mitradesa.reports.partner_report import pdf_bytes, write_xlsx
from mitradesa.reports.regency_data import regency_report
from mitradesa.reports.regency_report import pdf_bytes as regency_pdf_bytes
from mitradesa.web.security import CurrentUser, SessionDep

router = APIRouter()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _report(db: SessionDep, user: CurrentUser, partner_id: int) -> PartnerReport:
    # another partner's report answers as if the partner did not exist
    return partner_report(db, visible_partner(db, user, partner_id), user, date.today())


def _download(content: bytes, media_type: str, name: str) -> Response:
    return Response(content, media_type=media_type,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/mitra/{partner_id}/laporan.pdf")
def partner_report_pdf(partner_id: int, db: SessionDep, user: CurrentUser) -> Response:
    report = _report(db, user, partner_id)
    return _download(pdf_bytes(report), "application/pdf", f"laporan-mitra-{partner_id}.pdf")


@router.get("/mitra/{partner_id}/laporan.xlsx")
def partner_report_xlsx(partner_id: int, db: SessionDep, user: CurrentUser) -> Response:
    report = _report(db, user, partner_id)
    with tempfile.TemporaryDirectory() as folder:
        path = write_xlsx(report, Path(folder) / "laporan.xlsx")
        content = path.read_bytes()
    return _download(content, XLSX, f"laporan-mitra-{partner_id}.xlsx")


@router.get("/wilayah/{kode}/laporan/{tahun}.pdf")
def regency_report_pdf(kode: str, tahun: str, db: SessionDep,
                       indeks: Annotated[str | None, Query(max_length=20)] = None) -> Response:
    """The region's report for a year, on `?indeks=idm|indeks_desa` (default: the Indeks
    Desa where the year has it, else the IDM)."""
    if not (tahun.isdigit() and len(tahun) == 4):
        raise NotFoundError(f"Tahun “{tahun[:10]}” tidak dikenal; tulis empat angka, mis. 2024.")
    asked = indeks if indeks in ("idm", "indeks_desa") else None
    report = regency_report(db, kode, int(tahun), date.today(), index=asked)
    return _download(regency_pdf_bytes(report), "application/pdf",
                     f"laporan-wilayah-{report.region.code}-{tahun}.pdf")

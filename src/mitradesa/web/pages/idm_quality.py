"""The IDM data-quality page: published figures that disagree with their own scores."""

from __future__ import annotations

import math
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from mitradesa.accounts.scope import can_see_village
from mitradesa.idm_records import queries as idm_queries
from mitradesa.idm_records.discrepancy import INTERNET_INDICATORS
from mitradesa.idm_records.quality import quality_report
from mitradesa.regions import queries
from mitradesa.regions.models import Region
from mitradesa.web import table_downloads as downloads
from mitradesa.web.page_cache import cached_page
from mitradesa.web.pages.idm import page_param, year_param
from mitradesa.web.security import CurrentUser, SessionDep
from mitradesa.web.templating import N_, render

router = APIRouter()
PAGE_SIZE = 100


IDM_COLUMNS = (
    downloads.Column(N_("Village code"), width=14), downloads.Column(N_("Village"), width=22),
    downloads.Column(N_("Kecamatan"), width=18), downloads.Column(N_("Year"), "int", 8),
    downloads.Column(N_("Published IDM"), "d4", 10),
    downloads.Column(N_("Recomputed IDM"), "d4", 10),
    downloads.Column(N_("Published status"), width=16),
    downloads.Column(N_("Recomputed status"), width=16),
    downloads.Column(N_("Cause"), width=60),
)
INDEKS_DESA_COLUMNS = (
    downloads.Column(N_("Village code"), width=14), downloads.Column(N_("Village"), width=22),
    downloads.Column(N_("Kecamatan"), width=18), downloads.Column(N_("Year"), "int", 8),
    downloads.Column(N_("Published status"), width=16),
    downloads.Column(N_("Recomputed status"), width=16),
    downloads.Column(N_("Recomputed total (points)"), "int", 12),
    downloads.Column(N_("Difference (points)"), "int", 12),
)


def _filters(year: int | None, status_changes_only: bool) -> list[tuple[str, Any]]:
    return [(N_("Year"), year or N_("All years")),
            (N_("Only where the status would change"), N_("yes") if status_changes_only else "")]


def _idm_table(region: Region, findings: list[Any], year: int | None,
               status_changes_only: bool) -> downloads.Table:
    rows = [(f.kode_desa, f.nama_desa, f.kecamatan, f.tahun, f.published["idm"],
             f.computed["idm"], f.published["status"].title(), f.computed["status"].title(),
             f.cause) for f in findings]
    return downloads.Table(
        name=N_("IDM data quality"), slug="kualitas-idm", columns=IDM_COLUMNS, rows=rows,
        region=region.name, filters=_filters(year, status_changes_only))


def _indeks_desa_table(region: Region, findings: list[Any], year: int | None,
                       status_changes_only: bool) -> downloads.Table:
    rows = [(f.kode_desa, f.nama_desa, f.kecamatan, f.tahun, (f.status_terbitan or "").title(),
             f.status_hitung_ulang.title(), f.total_hitung_ulang, f.selisih_poin)
            for f in findings]
    return downloads.Table(
        name=N_("Indeks Desa data quality"), slug="kualitas-indeks-desa",
        columns=INDEKS_DESA_COLUMNS, rows=rows, region=region.name,
        filters=_filters(year, status_changes_only))


@router.get("/wilayah/{kode}/idm/kualitas")
@cached_page
def region_idm_quality_page(
    kode: str,
    request: Request,
    db: SessionDep,
    user: CurrentUser,
    tahun: Annotated[str | None, Query(max_length=10)] = None,
    berubah: Annotated[str | None, Query(max_length=5)] = None,
    halaman: Annotated[str | None, Query(max_length=10)] = None,
) -> Response:
    region = queries.get_region(db, kode)
    year = year_param(tahun)
    status_changes_only = berubah == "1"
    report = quality_report(db, region.code, year, status_changes_only=status_changes_only)
    visible = [f for f in report.findings if can_see_village(user, f.kode_desa)]
    # The Indeks Desa's section (the other family): its own findings, under the same scope.
    indeks_desa = report.indeks_desa
    indeks_desa_visible = [f for f in indeks_desa.findings
                           if can_see_village(user, f.kode_desa)] if indeks_desa else []
    fmt = downloads.wanted_format(request)
    if fmt:
        both = request.query_params.get("tabel") == "indeks-desa"
        table = (_indeks_desa_table if both else _idm_table)(
            region, indeks_desa_visible if both else visible, year, status_changes_only)
        return downloads.download(request, table, fmt)
    pages = max(math.ceil(len(visible) / PAGE_SIZE), 1)
    page = min(page_param(halaman), pages)
    context = {
        "region": region,
        "trail": queries.ancestors(db, region),
        "report": report,
        "year": year,
        "status_changes_only": status_changes_only,
        "findings": visible[(page - 1) * PAGE_SIZE: page * PAGE_SIZE],
        "findings_total": len(visible),
        "findings_hidden": len(report.findings) - len(visible),
        "differing": sum(y.differing for y in report.years),
        "page": page,
        "pages": pages,
        "internet_indicators": INTERNET_INDICATORS,
        "all_years": idm_queries.region_years(db, region.code),
        "indeks_desa": indeks_desa,
        "indeks_desa_findings": indeks_desa_visible[:PAGE_SIZE],
        "indeks_desa_findings_total": len(indeks_desa_visible),
    }
    return render(request, "idm/quality.html", context)

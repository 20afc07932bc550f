"""The IDM data-quality page: published figures that disagree with their own scores."""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from mitradesa.accounts.scope import can_see_village
from mitradesa.idm_records import queries as idm_queries
from mitradesa.idm_records.discrepancy import INTERNET_INDICATORS
from mitradesa.idm_records.quality import quality_report
from mitradesa.regions import queries
from mitradesa.web.pages.idm import page_param, year_param
from mitradesa.web.security import CurrentUser, SessionDep
from mitradesa.web.templating import render

router = APIRouter()
PAGE_SIZE = 100


@router.get("/wilayah/{kode}/idm/kualitas")
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

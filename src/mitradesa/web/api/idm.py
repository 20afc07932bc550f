"""IDM API: a village-year as the ministry publishes it, and a region's summary."""

from __future__ import annotations

from fastapi import APIRouter, Query

from mitradesa.errors import MitradesaError
from mitradesa.idm_records import queries
from mitradesa.regions.errors import RegionNotFoundError
from mitradesa.regions.models import VILLAGE_KINDS
from mitradesa.regions.queries import get_region
from mitradesa.web.api.schemas import ErrorRead, IdmRead, IdmSummaryRead
from mitradesa.web.security import SessionDep

ERRORS = {code: {"model": ErrorRead} for code in (400, 401, 403, 404, 422)}
router = APIRouter(tags=["idm"], responses=ERRORS)


@router.get("/villages/{kode}/idm", response_model=IdmRead)
def api_village_idm(
    kode: str,
    db: SessionDep,
    year: int | None = Query(None, ge=2015, le=2100, description="Default: the latest year"),
) -> IdmRead:
    """The same object as `mitradesa idm show --format json`: figures unrounded, statuses
    upper case as the ministry writes them, and the 50 indicators with their texts."""
    village = get_region(db, kode)
    if village.kind not in VILLAGE_KINDS:
        raise RegionNotFoundError(f"{village.code} ({village.name}) bukan desa atau kelurahan.")
    result = queries.result_for(db, village.code, year)
    return IdmRead.model_validate(queries.idm_object(result, village))


@router.get("/regions/{kode}/idm", response_model=IdmSummaryRead)
def api_region_idm(
    kode: str,
    db: SessionDep,
    year: int | None = Query(None, ge=2015, le=2100, description="Default: the latest year"),
    status: str | None = Query(None, description="Only villages with this status"),
) -> IdmSummaryRead:
    """Status counts per year, the ranking of one year and a per-kecamatan summary."""
    wanted = status.upper() if status else None
    if wanted and wanted not in queries.STATUSES:
        known = ", ".join(queries.STATUSES)
        raise MitradesaError(f"Status {status!r} tidak dikenal; pilih salah satu: {known}.")
    summary = queries.region_summary(db, kode, year, wanted)
    return IdmSummaryRead(
        kode=summary.region.code,
        nama=summary.region.name,
        tahun=summary.year,
        tahun_tersedia=summary.years,
        jumlah_status={str(y): dict(c) for y, c in sorted(summary.counts.items())},
        peringkat=summary.ranking,
        kecamatan=[{**k, "status": dict(k["status"])} for k in summary.kecamatan],
        desa_tanpa_data=summary.villages_without_data,
    )

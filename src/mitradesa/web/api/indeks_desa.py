"""Indeks Desa API: a village-year (the `show` object), what-if, a region's summary, ranking."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query
from sqlalchemy.orm import Session

from mitradesa.accounts.scope import can_see_village
from mitradesa.errors import MitradesaError
from mitradesa.idm import indeks_desa as core
from mitradesa.indeks_desa_records import queries, summaries
from mitradesa.regions.errors import RegionNotFoundError
from mitradesa.regions.models import VILLAGE_KINDS, Region
from mitradesa.regions.queries import get_region
from mitradesa.web.api.indeks_desa_schemas import (
    FamilyCountsRead,
    IndeksDesaRankingRead,
    IndeksDesaRead,
    IndeksDesaSummaryRead,
    IndeksDesaWhatIfCreate,
    IndeksDesaWhatIfRead,
)
from mitradesa.web.api.schemas import ErrorRead
from mitradesa.web.security import CurrentUser, SessionDep

ERRORS = {code: {"model": ErrorRead} for code in (400, 401, 403, 404, 422)}
router = APIRouter(tags=["indeks-desa"], responses=ERRORS)
YEAR = Query(None, ge=2024, le=2100, description="Default: the latest year")
STATUS = Query(None, max_length=30, description="Only villages with this status")


def _village(db: Session, kode: str) -> Region:
    village = get_region(db, kode)
    if village.kind not in VILLAGE_KINDS:
        raise RegionNotFoundError(f"{village.code} ({village.name}) bukan desa atau kelurahan.")
    return village


def _status(status: str | None) -> str | None:
    wanted = " ".join((status or "").replace("_", " ").split()).upper() or None
    if wanted and wanted not in core.STATUSES:
        raise MitradesaError(f"Status {status!r} tidak dikenal; pilih salah satu: "
                             f"{', '.join(core.STATUSES)}.")
    return wanted


@router.get("/villages/{kode}/indeks-desa", response_model=IndeksDesaRead)
def api_village_indeks_desa(kode: str, db: SessionDep, year: int | None = YEAR) -> IndeksDesaRead:
    """The same object as `mitradesa indeks-desa show --format json`: total, nilai, the
    official status, target and gap, dimensions, and the 127 items with the ministry's
    recommendation and implementers."""
    village = _village(db, kode)
    result = queries.result_for(db, village.code, year)
    return IndeksDesaRead.model_validate(queries.indeks_desa_object(result, village))


def _figures(figures: core.IndeksDesaFigures) -> dict[str, Any]:
    return {
        "total": figures.total, "nilai": figures.nilai, "status": figures.status,
        "target_status": figures.target_status, "poin_dibutuhkan": figures.poin_dibutuhkan,
        "nilai_minimal": figures.nilai_minimal,
        "dimensi": [{"nama": p.name, "skor": p.score, "maks": p.maximum}
                    for p in figures.dimensions],
    }


def _raise(item: core.Item, old: int, new: int) -> dict[str, Any]:
    return {"no": item.no, "item": item.label, "dari": old, "ke": new, "poin": new - old}


@router.post("/villages/{kode}/indeks-desa/what-if", response_model=IndeksDesaWhatIfRead)
def api_village_indeks_desa_whatif(kode: str, body: IndeksDesaWhatIfCreate,
                                   db: SessionDep) -> IndeksDesaWhatIfRead:
    """Raise items to new levels and get the new total, nilai and status (nothing is
    stored); the same as `mitradesa indeks-desa whatif KODE --raise ITEM=LEVEL`."""
    village = _village(db, kode)
    result = queries.result_for(db, village.code, body.tahun)
    scores = [int(d) for d in result.scores]
    try:
        outcome = core.what_if(scores, body.naikkan)
    except core.IndeksDesaInputError as exc:
        raise MitradesaError(str(exc), reason="invalid_raise") from exc
    after = list(scores)
    for change in outcome.changes:
        after[change.item.position] = change.new
    return IndeksDesaWhatIfRead.model_validate({
        "kode_desa": village.code.replace(".", ""), "tahun": result.year,
        "sebelum": _figures(outcome.before), "sesudah": _figures(outcome.after),
        "perubahan": [_raise(c.item, c.old, c.new) for c in outcome.changes],
        "jalur_tercepat": [_raise(r.item, r.from_level, r.to_level)
                           for r in core.cheapest_path(after)],
    })


def _ranking(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"peringkat": r["rank"], "kode": r["kode"], "nama": r["nama"],
             "kecamatan": r["kecamatan"], "total": r["total"], "nilai": r["nilai"],
             "status": r["status"], "sumber_angka": r["sumber_angka"],
             "selisih": r["discrepancy"], "dimensi": r["dimensi"]} for r in rows]


def _summary(db: Session, user: Any, kode: str, year: int | None,
             status: str | None) -> summaries.RegionSummary:
    summary = summaries.region_summary(db, kode, year, _status(status))
    summary.ranking = [r for r in summary.ranking if can_see_village(user, r["kode"])]
    return summary


@router.get("/regions/{kode}/indeks-desa", response_model=IndeksDesaSummaryRead)
def api_region_indeks_desa(kode: str, db: SessionDep, user: CurrentUser,
                           year: int | None = YEAR,
                           status: str | None = STATUS) -> IndeksDesaSummaryRead:
    """Status counts per year of each index family (IDM and Indeks Desa apart), and for one
    Indeks Desa year: the ranking by nilai, the kecamatan and the dimension profile."""
    summary = _summary(db, user, kode, year, status)
    return IndeksDesaSummaryRead(
        kode=summary.region.code, nama=summary.region.name, tahun=summary.year,
        tahun_tersedia=summary.years,
        jumlah_status=[FamilyCountsRead(indeks=f.family, jumlah_status={
            str(y): dict(c) for y, c in sorted(f.counts.items())}) for f in summary.families],
        peringkat=_ranking(summary.ranking),  # type: ignore[arg-type]
        kecamatan=[{**k, "status": dict(k["status"])} for k in summary.kecamatan],
        profil_dimensi=summary.dimensions,
        desa_tanpa_data=summary.villages_without_data,
    )


@router.get("/regions/{kode}/indeks-desa/ranking", response_model=IndeksDesaRankingRead)
def api_region_indeks_desa_ranking(kode: str, db: SessionDep, user: CurrentUser,
                                   year: int | None = YEAR,
                                   status: str | None = STATUS) -> IndeksDesaRankingRead:
    """The villages of a region by nilai, highest first; only those with `status` when given
    (e.g. `?status=BERKEMBANG`), only those the user may see."""
    summary = _summary(db, user, kode, year, status)
    return IndeksDesaRankingRead(
        kode=summary.region.code, nama=summary.region.name, tahun=summary.year,
        status=_status(status), peringkat=_ranking(summary.ranking),  # type: ignore[arg-type]
    )

"""Registry API: regions, villages, search, desa persiapan."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Query
from sqlalchemy import select

from mitradesa.accounts.scope import can_see_region
from mitradesa.db.codes import under
from mitradesa.regions import persiapan, queries
from mitradesa.regions.codes import plain_code
from mitradesa.regions.errors import RegionNotFoundError
from mitradesa.regions.models import VILLAGE_KINDS, Region, RegionBoundary
from mitradesa.regions.search import search_regions
from mitradesa.settings import get_settings
from mitradesa.web.api.schemas import (
    ErrorRead,
    PersiapanCreate,
    PromoteCreate,
    RegionDetailRead,
    RegionRead,
    SearchHitRead,
)
from mitradesa.web.security import CurrentUser, SessionDep

ERRORS = {code: {"model": ErrorRead} for code in (400, 401, 403, 404, 409, 422)}
router = APIRouter(tags=["regions"], responses=ERRORS)


def region_read(region: Region) -> RegionRead:
    return RegionRead(
        kode=region.code,
        kode_10=plain_code(region.code),
        nama=region.name,
        jenis=region.kind,
        induk=region.parent_code,
        kode_pos=region.postal_code,
        lintang=region.latitude,
        bujur=region.longitude,
    )


def _detail(db: SessionDep, region: Region) -> RegionDetailRead:
    return RegionDetailRead(
        **region_read(region).model_dump(),
        jalur=[region_read(r) for r in queries.ancestors(db, region)],
        jumlah=queries.count_by_kind(db, region.code),
    )


@router.get("/regions", response_model=list[SearchHitRead])
def api_search_regions(
    db: SessionDep,
    user: CurrentUser,
    q: str = Query(min_length=1, max_length=100, description="Name (any spelling) or code"),
    within: str | None = Query(None, description="Only under this code"),
    limit: int = Query(20, ge=1, le=100),
) -> list[SearchHitRead]:
    """Search by name; misspellings, missing diacritics and press spellings are found."""
    hits = search_regions(db, q, within=within, prefer=get_settings().home_region, limit=limit * 3)
    result: list[SearchHitRead] = []
    for hit in hits:
        region = db.get(Region, hit.code)
        if region is not None and can_see_region(user, region.code):
            result.append(
                SearchHitRead(
                    **region_read(region).model_dump(), skor=hit.score, cocok_dengan=hit.matched
                )
            )
    return result[:limit]


@router.get("/regions/{kode}", response_model=RegionDetailRead)
def api_region(kode: str, db: SessionDep) -> RegionDetailRead:
    """One region with its ancestors and counts of what lies under it."""
    return _detail(db, queries.get_region(db, kode))


@router.get("/regions/{kode}/children", response_model=list[RegionRead])
def api_region_children(kode: str, db: SessionDep, user: CurrentUser) -> list[RegionRead]:
    """The regions directly under a region (the user's scope applies)."""
    region = queries.get_region(db, kode)
    return [
        region_read(r) for r in queries.children(db, region.code) if can_see_region(user, r.code)
    ]


@router.get("/villages/{kode}", response_model=RegionDetailRead)
def api_village(kode: str, db: SessionDep) -> RegionDetailRead:
    """One desa, kelurahan or desa persiapan."""
    region = queries.get_region(db, kode)
    if region.kind not in VILLAGE_KINDS:
        raise RegionNotFoundError(f"{region.code} ({region.name}) bukan desa atau kelurahan.")
    return _detail(db, region)


@router.get("/regions/{kode}/boundaries")
def api_region_boundaries(kode: str, db: SessionDep, user: CurrentUser) -> dict[str, Any]:
    """Imported boundaries of a region and of the regions under it, as a GeoJSON
    FeatureCollection for offline maps (empty until a GeoJSON file is imported)."""
    region = queries.get_region(db, kode)
    rows = db.execute(
        select(RegionBoundary, Region)
        .join(Region, Region.code == RegionBoundary.code)
        .where((Region.code == region.code) | under(Region.code, region.code))
    ).all()
    features = [
        {
            "type": "Feature",
            "geometry": json.loads(boundary.geometry),
            "properties": {
                "kode": r.code,
                "nama": r.name,
                "jenis": r.kind,
                "sumber": boundary.source,
            },
        }
        for boundary, r in rows
        if can_see_region(user, r.code)
    ]
    return {"type": "FeatureCollection", "features": features}


@router.post("/villages/{kode}/promote", response_model=RegionRead)
def api_promote_persiapan(
    kode: str, body: PromoteCreate, db: SessionDep, user: CurrentUser
) -> RegionRead:
    """Give the desa persiapan `kode` its definitive code (admin); the old code keeps resolving."""
    region = persiapan.promote_desa_persiapan(db, kode, body.kode_definitif, actor=user)
    db.commit()
    return region_read(region)


@router.post("/villages/{kode}/persiapan", response_model=RegionRead, status_code=201)
def api_create_persiapan(
    kode: str, body: PersiapanCreate, db: SessionDep, user: CurrentUser
) -> RegionRead:
    """Register a desa persiapan under the desa `kode` (admin)."""
    region = persiapan.add_desa_persiapan(db, kode, body.nama, actor=user)
    db.commit()
    return region_read(region)

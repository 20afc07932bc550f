"""Search API: the header search's twin, over everything the user may see."""

from __future__ import annotations

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from mitradesa.errors import PermissionDeniedError
from mitradesa.search import Hit, search
from mitradesa.web.api.schemas import ErrorRead
from mitradesa.web.security import CurrentUser, SessionDep

ERRORS = {code: {"model": ErrorRead} for code in (401, 403, 422)}
router = APIRouter(tags=["search"], responses=ERRORS)


class SearchResultRead(BaseModel):
    jenis: str = Field(description="region, partner, mou, agreement, umkm, household or group")
    nama: str
    tautan: str = Field(description="The record's page in the app")
    kunci: str = Field(description="The region code or the record's number")
    skor: float
    jenis_wilayah: str | None = Field(None, description="Regions: desa, kecamatan, …")
    cocok_dengan: str | None = Field(None, description="Regions: the alias that matched")
    tempat: str | None = Field(None, description="Village and kecamatan, or the region's path")
    orang: str | None = Field(None, description="Owner, head of household or partners")
    nik: str | None = Field(None, description="Masked unless the role sees it whole")
    no_kk: str | None = Field(None, description="Masked unless the role sees it whole")
    keterangan: str | None = Field(None, description="Partner kind, agreement stage, sector")


class SearchRead(BaseModel):
    q: str
    menurut_nomor: bool = Field(description="The query was a 16-digit NIK or KK number")
    jumlah: dict[str, int] = Field(description="Hits found per kind (more than are listed)")
    hasil: list[SearchResultRead]


def _read(hit: Hit) -> SearchResultRead:
    return SearchResultRead(
        jenis=hit.kind, nama=hit.title, tautan=hit.href, kunci=hit.key, skor=hit.score,
        jenis_wilayah=hit.region_kind or None, cocok_dengan=hit.matched or None,
        tempat=hit.place or None, orang=hit.person or None, nik=hit.nik or None,
        no_kk=hit.kk or None, keterangan=hit.note or None,
    )


@router.get("/search", response_model=SearchRead)
def api_search(
    db: SessionDep,
    user: CurrentUser,
    q: str = Query(min_length=1, max_length=100,
                   description="Words of a name, a region code, or a NIK/KK (16 digits)"),
    within: str | None = Query(None, max_length=20, description="Only under this region code"),
    limit: int = Query(10, ge=1, le=50, description="Hits per kind"),
) -> SearchRead:
    """Villages and regions, partners, MoUs, agreements, UMKM, households and business groups
    that match, grouped by kind and only what the user may see. A NIK or KK number is looked
    up exactly, for admin and pendamping only (403 for the other roles)."""
    results = search(db, user, q, within=within, limit=limit)
    if results.refused:
        raise PermissionDeniedError(
            "Pencarian menurut NIK atau nomor KK hanya untuk staf DPMD dan pendamping.")
    return SearchRead(
        q=results.query, menurut_nomor=results.by_number, jumlah=results.totals,
        hasil=[_read(hit) for _, hits in results.ordered() for hit in hits],
    )

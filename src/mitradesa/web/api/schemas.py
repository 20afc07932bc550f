"""Response schemas of the API (XRead / XCreate naming)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class RegionRead(BaseModel):
    kode: str = Field(description="Dotted Kemendagri code, e.g. 64.02.04.2001")
    kode_10: str = Field(description="The same code without dots")
    nama: str
    jenis: str = Field(
        description="provinsi/kabupaten/kota/kecamatan/desa/kelurahan/desa_persiapan"
    )
    induk: str | None = Field(description="Parent code")
    kode_pos: str | None = None
    lintang: float | None = None
    bujur: float | None = None


class RegionDetailRead(RegionRead):
    jalur: list[RegionRead] = Field(description="Ancestors, province first")
    jumlah: dict[str, int] = Field(description="Regions under it, by kind")


class SearchHitRead(RegionRead):
    skor: float
    cocok_dengan: str = Field(description="The name or alias that matched")


class PersiapanCreate(BaseModel):
    nama: str = Field(min_length=2, max_length=200)


class PromoteCreate(BaseModel):
    kode_definitif: str = Field(description="The definitive desa code, e.g. 64.02.03.2009")


class UserRead(BaseModel):
    username: str
    full_name: str
    role: str
    scope: list[str]
    organisation: str


class ErrorBody(BaseModel):
    reason: str
    message: str


class ErrorRead(BaseModel):
    error: ErrorBody

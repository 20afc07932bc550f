"""Schemas of the Indeks Desa API: field names in Bahasa Indonesia, as the CLI prints them."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class IndeksDesaRead(BaseModel):
    """The same object as `mitradesa indeks-desa show --format json`."""

    model_config = ConfigDict(extra="allow")

    kode_desa: str = Field(description="10-digit code, no dots")
    nama_desa: str
    tahun: int
    total: int = Field(description="Sum of the 127 item scores (127 … 635)")
    nilai: float = Field(description="total / 635 × 100, two decimals")
    status: str = Field(description="SANGAT TERTINGGAL … MANDIRI, upper case (the official one)")
    target_status: str
    poin_dibutuhkan: int = Field(description="Points still needed for the target status")
    nilai_minimal: float = Field(description="Nilai at the target status' threshold")
    dimensi: list[dict[str, Any]] = Field(description="The six dimensions: name, score, maximum")
    sub_dimensi: list[dict[str, Any]]
    items: list[dict[str, Any]] = Field(
        description="The 127 items: no, dimensi, sub_dimensi, indikator, item, skor, skor_maks, "
        "rekomendasi, pelaksana {pusat, provinsi, kabupaten, desa, lainnya}")


class IndeksDesaWhatIfCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tahun: int | None = Field(None, ge=2024, le=2100, description="Default: the latest year")
    naikkan: list[str] = Field(
        min_length=1, max_length=127,
        description='Raises as "ITEM=LEVEL", the item by number or by either official label, '
        'e.g. ["12=5", "Ketersediaan Fasilitas Posyandu di Desa=5"]')


class FiguresRead(BaseModel):
    total: int
    nilai: float
    status: str
    target_status: str
    poin_dibutuhkan: int
    nilai_minimal: float
    dimensi: list[dict[str, Any]]


class RaiseRead(BaseModel):
    no: int
    item: str
    dari: int
    ke: int
    poin: int


class IndeksDesaWhatIfRead(BaseModel):
    kode_desa: str
    tahun: int
    sebelum: FiguresRead = Field(description="Computed from the stored scores")
    sesudah: FiguresRead
    perubahan: list[RaiseRead]
    jalur_tercepat: list[RaiseRead] = Field(
        description="From the simulated scores: the fewest raises to the next status")


class FamilyCountsRead(BaseModel):
    indeks: str = Field(description="idm (until 2024) or indeks_desa (2024 onwards)")
    jumlah_status: dict[str, dict[str, int]] = Field(description="Year → status → villages")


class RankingRowRead(BaseModel):
    peringkat: int
    kode: str
    nama: str
    kecamatan: str
    total: int
    nilai: float
    status: str
    sumber_angka: str
    selisih: bool = Field(description="The published status differs from the computed one")
    dimensi: dict[str, int]


class IndeksDesaRankingRead(BaseModel):
    kode: str
    nama: str
    tahun: int | None
    status: str | None = Field(description="The status filtered on, if any")
    peringkat: list[RankingRowRead] = Field(description="Villages by nilai, highest first")


class IndeksDesaSummaryRead(BaseModel):
    kode: str
    nama: str
    tahun: int | None = Field(description="The Indeks Desa year of the ranking and profile")
    tahun_tersedia: list[int]
    jumlah_status: list[FamilyCountsRead] = Field(
        description="Per index family; the two families are never summed or converted")
    peringkat: list[RankingRowRead]
    kecamatan: list[dict[str, Any]] = Field(description="Villages, mean/min/max nilai, statuses")
    profil_dimensi: list[dict[str, Any]] = Field(
        description="Mean points of each dimension and their share of its maximum (%)")
    desa_tanpa_data: int

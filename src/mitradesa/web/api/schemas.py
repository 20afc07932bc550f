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


class IdmIndicatorRead(BaseModel):
    index: str = Field(description="IKS, IKE or IKL")
    no: int = Field(description="Number within its index")
    indikator: str
    skor: int = Field(ge=0, le=5)
    nilai: float = Field(description="IDM gained by raising this indicator to 5")
    keterangan: str
    kegiatan: str
    pusat: str
    prov: str
    kab: str
    desa: str
    csr: str
    lainnya: str


class IdmRead(BaseModel):
    kode_desa: str = Field(description="10-digit code, no dots")
    nama_desa: str
    tahun: int
    iks: float
    ike: float
    ikl: float
    idm: float
    status: str = Field(description="SANGAT TERTINGGAL … MANDIRI, upper case")
    target_status: str
    skor_minimal: str
    penambahan: float
    indicators: list[IdmIndicatorRead]
    sumber_angka: str = Field(description="published: the ministry's figures; computed: ours")
    selisih_hitung_ulang: dict | None = Field(
        description="Where the published figures disagree with the recomputation"
    )
    kode_dalam_berkas: str = Field(description="The code as written in the imported file")


class IdmSummaryRead(BaseModel):
    kode: str
    nama: str
    tahun: int | None = Field(description="The year of the ranking")
    tahun_tersedia: list[int]
    jumlah_status: dict[str, dict[str, int]] = Field(description="Year → status → villages")
    peringkat: list[dict] = Field(description="Villages by IDM, highest first")
    kecamatan: list[dict] = Field(description="Per kecamatan: villages, mean/min/max IDM")
    desa_tanpa_data: int

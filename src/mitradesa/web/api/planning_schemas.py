"""Request and response schemas of the planning API (XCreate / XRead naming): the same keys
as `mitradesa plan --format json`; money in whole rupiah, village codes dotted."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Kind = Literal["apbd", "dana_desa", "mitra"]


class StepCostCreate(BaseModel):
    indikator: str = Field(description="An index (IKS, IKE, IKL) or one indicator (IKE 9)")
    pendana: Kind | None = Field(None, description="The kind of funder; null: every kind")
    biaya_per_langkah: int = Field(gt=0, le=10**12, description="Rupiah for one score step")


class PlanPartnerCreate(BaseModel):
    nama: str = Field(min_length=1, max_length=200)
    anggaran: int = Field(ge=0, le=10**16)
    bidang: list[str] = Field(min_length=1, description="Sectors: umkm, pertanian, …")
    wilayah: list[str] = Field(default_factory=list,
                               description="Kecamatan or village codes; empty: the region")


class PlanCreate(BaseModel):
    tujuan: Literal["status_up", "bottom20", "total_gain"] = Field(
        "status_up", description="status_up: most villages moving up a status; bottom20: "
                                 "largest rise of the bottom 20%'s mean IDM; total_gain: "
                                 "largest total IDM gain")
    tahun: int | None = Field(None, ge=2015, le=2100, description="Default: the latest year")
    apbd: int = Field(0, ge=0, le=10**16, description="APBD kabupaten, rupiah")
    dana_desa: int = Field(0, ge=0, le=10**16, description="Dana Desa per village, rupiah")
    dana_desa_per_desa: dict[str, int] = Field(
        default_factory=dict, description="Village code → Dana Desa, instead of `dana_desa`")
    biaya_per_langkah: list[StepCostCreate] = Field(
        default_factory=list, description="Unit costs; what none names keeps the defaults "
                                          "(IKS 25, IKE 40, IKL 60 juta per step)")
    indeks: Literal["idm", "indeks_desa"] | None = Field(
        None, description="The index planned on; default: the family of the newest year. "
                          "Indeks Desa unit costs: per point, per dimension (LAYANAN_DASAR, "
                          "…) or per item ('13' or 'butir 13')")
    mode: Literal["to_five", "stacked_steps", "next_level"] = Field(
        "to_five", description="to_five: an activity raises an indicator to 5; "
                               "stacked_steps: one step at a time, part of the way allowed "
                               "(IDM only); next_level: to the next allowed level")
    aktor_katalog: bool = Field(False, description="Only the funders the ministry's texts "
                                                   "name for a gap may pay for it")
    mitra_kerja_sama: bool = Field(True, description="Include the running agreements' "
                                                     "commitments not yet spent")
    mitra_lain: list[PlanPartnerCreate] = Field(default_factory=list)
    batas_waktu: float = Field(30.0, gt=0, le=60, description="Seconds for the solver")


class RegionRef(BaseModel):
    kode: str
    nama: str


class FunderRead(BaseModel):
    id: str
    nama: str
    jenis: Kind
    anggaran: int


class PartnerMoneyRead(BaseModel):
    pendana: str = Field(description="The funder id in `pendana` and `belanja`")
    mitra_id: int | None = Field(description="null: given in the request")
    nama: str
    perjanjian_id: int | None
    perjanjian: str
    tahap: str
    komitmen: int
    realisasi: int
    desa: int = Field(description="Villages of the region it may fund")
    bidang: list[str]
    demo: bool


class StatusChangeRead(BaseModel):
    kode: str
    nama: str
    kecamatan: str
    idm_awal: float
    idm_akhir: float
    status_awal: str
    status_akhir: str


class PaymentRead(BaseModel):
    pendana: str
    rupiah: int


class ActivityRead(BaseModel):
    kode: str
    nama: str
    kecamatan: str
    indikator: str = Field(description="IKS 1 … IKL 3")
    skor_awal: int
    skor_akhir: int
    kali: int = Field(description="Times a one-step activity is taken (stacked_steps)")
    biaya: int
    kenaikan_idm: float
    pembayar: list[PaymentRead]


class PlanResultRead(BaseModel):
    metode: Literal["mip", "greedy"]
    nilai_tujuan: float = Field(description="Villages moved up, bottom-20% mean IDM after, "
                                            "or total IDM gain")
    biaya_total: int
    kenaikan_idm: float
    idm_20_terbawah_awal: float
    idm_20_terbawah_akhir: float
    desa_naik_status: int
    status_solver: str
    celah_optimalitas: float | None = Field(description="MIP gap (fraction); null for greedy")
    detik: float
    belanja_per_jenis: dict[str, int]
    belanja: dict[str, int] = Field(description="Funder id → rupiah spent")
    perubahan_status: list[StatusChangeRead]
    kegiatan: list[ActivityRead]


class PlanRead(BaseModel):
    wilayah: RegionRef
    tahun: int
    indeks: str = Field(description="idm or indeks_desa: the `idm…` figures are the Indeks "
                                    "Desa's nilai (0–100) for indeks_desa")
    nama_indeks: str
    demo: bool = Field(description="Demo data (synthetic) went into the plan")
    tujuan: str
    judul_tujuan: str
    mode_kegiatan: str
    desa: int
    kegiatan_calon: int
    anggaran_total: int
    anggaran_per_jenis: dict[str, int]
    pendana: list[FunderRead]
    mitra: list[PartnerMoneyRead]
    catatan: list[str]
    optimal: PlanResultRead = Field(description="The mixed-integer program's plan (HiGHS)")
    greedy: PlanResultRead = Field(description="Highest IDM gain per rupiah first")

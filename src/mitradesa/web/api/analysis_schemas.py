"""Response models of the analysis API: the keys of `mitradesa analysis … --format json`,
with what the web adds beside them (definitions: shared/spec/analysis.md)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class InequalityFigures(BaseModel):
    gini: float = Field(description="Population Gini: ΣΣ|xᵢ−xⱼ| / (2n²μ)")
    theil: float = Field(description="Theil T: (1/n) Σ (xᵢ/μ) ln(xᵢ/μ)")
    theil_within: float = Field(description="Theil T within kecamatan: T − T_between")
    theil_between: float = Field(
        description="Theil T between kecamatan: Σ (n_g/n)(μ_g/μ) ln(μ_g/μ)")
    cv: float = Field(description="Coefficient of variation: population sd / mean")
    bottom20_gap: float = Field(description="Median − mean of the villages at or below P20")
    villages: int
    left_out_zero: int = Field(description="Villages with index 0, left out of Theil (ln 0)")


class SigmaRead(BaseModel):
    tahun: int
    cv: float


class BetaRead(BaseModel):
    slope: float = Field(description="b in (x_t1 − x_t0)/(t1 − t0) = a + b·x_t0 + e")
    ci_low: float = Field(description="95% confidence interval of b")
    ci_high: float
    villages: int
    from_: int = Field(alias="from")
    to: int
    converging: bool = Field(description="The whole 95% interval is below 0")

    model_config = {"populate_by_name": True}


class ConvergenceRead(BaseModel):
    sigma: list[SigmaRead] = Field(description="σ-convergence: CV of IDM per year")
    beta: BetaRead | None = Field(description="None with fewer than 2 years or 3 villages")


class FamilyFields(BaseModel):
    indeks: str = Field(description="The index family of every figure: idm or indeks_desa")
    nama_indeks: str = Field(description="IDM or Indeks Desa")


class YearInequalityRead(BaseModel):
    """One year's figures of the headline value and each part, of one family: the IDM's
    (idm, iks, ike, ikl) or the Indeks Desa's (nilai and the six dimensions' raw sums)."""

    tahun: int
    villages: int
    idm: InequalityFigures | None = None
    iks: InequalityFigures | None = None
    ike: InequalityFigures | None = None
    ikl: InequalityFigures | None = None
    nilai: InequalityFigures | None = None
    layanan_dasar: InequalityFigures | None = None
    sosial: InequalityFigures | None = None
    ekonomi: InequalityFigures | None = None
    lingkungan: InequalityFigures | None = None
    aksesibilitas: InequalityFigures | None = None
    tata_kelola: InequalityFigures | None = None

    model_config = {"json_schema_extra": {"description": "Keys of the other family are null"}}


class InequalityRead(InequalityFigures, FamilyFields):
    """The headline value's figures (IDM or nilai) at the top level, each part's under
    `by_index`."""

    tahun: int
    wilayah: str
    demo: bool = Field(description="Demo (synthetic) data")
    by_index: dict[str, InequalityFigures] = Field(
        description="iks, ike, ikl; or the six dimensions of the Indeks Desa")
    convergence: ConvergenceRead
    tahun_tersedia: list[int]
    per_tahun: list[YearInequalityRead] = Field(description="Each year's figures per index")


class TargetRead(BaseModel):
    kode_desa: str
    nama_desa: str
    status: str
    idm: float | None = Field(None, description="IDM (the IDM family)")
    nilai: float | None = Field(None, description="Nilai 0–100 (the Indeks Desa)")
    dimensi_terlemah: str = Field(
        description="The lowest of IKS, IKE, IKL; or of the six dimensions (share of maximum)")
    indikator_terlemah: list[str] = Field(
        description="IDM: 'IKS 3', largest IDM gain (NILAI) first; Indeks Desa: item numbers, "
                    "furthest below their top first")
    langkah_ke_status_berikut: int | None = Field(
        description="Fewest one-point raises to the next status; None at MANDIRI")
    dekat_ambang: bool = Field(description="IDM within ±0.01 of a status bound")
    kecamatan: str
    nama_indikator_terlemah: list[str]
    langkah_per_indeks: dict[str, int] | None = Field(description="Those raises per index")
    status_sebelumnya: str | None = Field(description="Status in the year before")
    turun_status: bool | None = Field(description="A lower status than the year before; "
                                                  "None: no data that year")


class TargetingRead(FamilyFields):
    tahun: int
    desa: list[TargetRead] = Field(description="Closest to the next status first")
    tahun_sebelumnya: int | None
    jumlah_desa: int
    desa_tidak_ditampilkan: int = Field(description="Villages outside the user's scope")
    dekat_ambang: int
    turun_status: int
    batas_dekat_ambang: float = Field(description="In the headline value's units")
    demo: bool


class FragileRead(BaseModel):
    kode_desa: str
    nama_desa: str
    status: str
    peluang_status: float = Field(description="Share of draws giving the official status")
    peringkat: list[int] = Field(description="Rank interval, 2.5th–97.5th percentile (1 = top)")


class VillageRobustnessRead(FragileRead):
    kecamatan: str
    idm: float | None = None
    nilai: float | None = None
    peluang: dict[str, float] = Field(description="Status → share of draws")
    rapuh: bool


class RobustnessRead(FamilyFields):
    tahun: int
    undian: int = Field(description="Monte Carlo draws")
    desa: int = Field(description="Villages analysed")
    rapuh: list[FragileRead] = Field(description="Villages whose status is fragile")
    jumlah_rapuh: int
    batas_rapuh: float = Field(description="Fragile: official status in fewer draws than this")
    desa_tidak_ditampilkan: int
    peluang: list[VillageRobustnessRead] = Field(description="Fragile first, least certain next")
    demo: bool

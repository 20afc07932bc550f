"""Contribution API: villages with interventions against matched villages without."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from mitradesa.accounts.scope import can_see_village
from mitradesa.analysis.interventions import as_dict, contribution_for_region
from mitradesa.web.api.schemas import ErrorRead
from mitradesa.web.security import CurrentUser, SessionDep

ERRORS = {code: {"model": ErrorRead} for code in (400, 401, 403, 404, 422)}
router = APIRouter(tags=["analysis"], responses=ERRORS)


class EstimateRead(BaseModel):
    efek: float = Field(description="Difference-in-differences of the index (0–1 scale)")
    ci95: list[float] = Field(description="95% confidence interval, clustered by village")
    desa_intervensi: int
    desa_pembanding: int


class CohortRead(BaseModel):
    tahun_mulai: int
    desa_intervensi: int
    desa_pembanding: int
    perkiraan: EstimateRead | None = Field(description="None: too few villages to estimate")


class ContributionRead(BaseModel):
    wilayah: dict[str, str]
    ukuran: str = Field(description="idm or ike; nilai or ekonomi on the Indeks Desa")
    indeks: str = Field(description="The family of the series: idm or indeks_desa")
    nama_indeks: str
    catatan_indeks: str | None = Field(
        description="Why the IDM was used: the Indeks Desa's series is too short")
    jenis: str = Field(description="all, kemitraan or pendampingan")
    tahun_data: list[int]
    demo: bool
    perkiraan: EstimateRead | None = Field(description="None: see alasan_tanpa_perkiraan")
    per_kohort: list[CohortRead]
    alasan_tanpa_perkiraan: str | None = Field(
        description="no_idm, no_interventions, none_in_window, too_few or not_identified")
    pesan: str | None = Field(description="The same reason in words (Bahasa Indonesia)")
    catatan: str = Field(description="Association under stated assumptions, not proof")
    desa_calon_pembanding: int
    desa_hanya_jenis_lain: int
    desa_intervensi: list[dict[str, Any]]
    mulai_sesudah_data: list[dict[str, Any]]
    desa_tidak_ditampilkan: int = Field(description="Villages outside the user's scope")
    rerata_per_tahun: list[dict[str, Any]]


@router.get("/regions/{kode}/analysis/contribution", response_model=ContributionRead)
def api_region_contribution(
    kode: str,
    db: SessionDep,
    user: CurrentUser,
    outcome: Literal["idm", "ike", "nilai", "ekonomi"] = Query("idm"),
    kind: Literal["all", "kemitraan", "pendampingan"] = Query("all"),
    indeks: Literal["idm", "indeks_desa"] | None = Query(
        None, description="Default: the Indeks Desa when its series has 3 years or more, "
                          "else the IDM (catatan_indeks says so)"),
) -> dict[str, Any]:
    """The same object as `mitradesa analysis contribution --format json`, within one index
    family (named). Figures count every village of the region; villages outside the user's
    scope are not listed."""
    result, details = contribution_for_region(db, kode, outcome, kind, indeks)
    return as_dict(result, details, can_see=lambda code: can_see_village(user, code))

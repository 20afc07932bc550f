"""Analysis API: inequality, where to intervene and how robust statuses are, per region-year.

The objects are those of `mitradesa analysis … --format json --region KODE`, with more keys
beside them. Rows about single villages are limited to the villages the user may see; the
figures over the whole region are not.
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query

from mitradesa.accounts.scope import can_see_village
from mitradesa.analysis import results
from mitradesa.regions.queries import get_region
from mitradesa.web.api.analysis_schemas import InequalityRead, RobustnessRead, TargetingRead
from mitradesa.web.api.schemas import ErrorRead
from mitradesa.web.security import CurrentUser, SessionDep

ERRORS = {code: {"model": ErrorRead} for code in (400, 401, 403, 404, 422)}
router = APIRouter(tags=["analysis"], responses=ERRORS)
YEAR = Query(None, ge=2015, le=2100, description="Default: the latest year of the index")
INDEX = Query(None, description="idm or indeks_desa; default: the family of the newest year "
                                "with data in the region. Figures of one family only.")
Family = Literal["idm", "indeks_desa"] | None


@router.get("/regions/{kode}/analysis/inequality", response_model=InequalityRead,
            response_model_by_alias=True, response_model_exclude_unset=True)
def api_region_inequality(kode: str, db: SessionDep, year: int | None = YEAR,
                          indeks: Family = INDEX) -> dict:
    """Gini, Theil T (within/between kecamatan), CV and bottom-20% gap of the headline value
    (IDM or the Indeks Desa's nilai) and its parts (IKS, IKE, IKL or the six dimensions);
    σ- and β-convergence over the family's years; each year's figures in `per_tahun`."""
    region = get_region(db, kode)
    selection = results.select_year(db, region.code, year, indeks)
    return results.inequality(selection, results.history(db, selection))


@router.get("/regions/{kode}/analysis/targeting", response_model=TargetingRead,
            response_model_exclude_unset=True)
def api_region_targeting(kode: str, db: SessionDep, user: CurrentUser,
                         year: int | None = YEAR, indeks: Family = INDEX) -> dict:
    """Per village: weakest dimension and indicators, fewest steps to the next status, near a
    threshold, fell back a status; closest to the next status first."""
    region = get_region(db, kode)
    selection = results.select_year(db, region.code, year, indeks)
    before = results.previous(db, selection)
    return results.targeting(selection, before, lambda c: can_see_village(user, c))


@router.get("/regions/{kode}/analysis/robustness", response_model=RobustnessRead,
            response_model_exclude_unset=True)
def api_region_robustness(
    kode: str, db: SessionDep, user: CurrentUser, year: int | None = YEAR,
    indeks: Family = INDEX,
    draws: int = Query(results.DRAWS, ge=10, le=2000, description="Monte Carlo draws"),
) -> dict:
    """Monte Carlo over index weights and aggregation: each village's probability of each
    status, rank interval, and the villages whose status is fragile."""
    region = get_region(db, kode)
    selection = results.select_year(db, region.code, year, indeks)
    return results.robustness(selection, draws, lambda c: can_see_village(user, c))

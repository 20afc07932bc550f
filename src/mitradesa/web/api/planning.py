"""Planning API: a region's budget plan, computed on request (nothing is stored)."""

from __future__ import annotations

from fastapi import APIRouter

from mitradesa.analysis import planning as pl
from mitradesa.analysis import results
from mitradesa.analysis.planning_data import (
    ExtraPartner,
    PlanningError,
    PlanRequest,
    plan_as_dict,
    plan_for_region,
)
from mitradesa.regions.queries import get_region
from mitradesa.web.api.planning_schemas import PlanCreate, PlanRead
from mitradesa.web.api.schemas import ErrorRead
from mitradesa.web.security import SessionDep

ERRORS = {code: {"model": ErrorRead} for code in (400, 401, 403, 404, 422)}
router = APIRouter(tags=["planning"], responses=ERRORS)


@router.post("/regions/{kode}/plan", response_model=PlanRead)
def api_region_plan(kode: str, body: PlanCreate, db: SessionDep) -> PlanRead:
    """The best plan for the objective within the budgets (a mixed-integer program, HiGHS)
    beside the greedy plan on the same data: spending per funder, villages changing status,
    activities and who pays them, the optimality gap. For admin/pendamping whose scope
    holds the whole region. The same object as `mitradesa plan --format json`."""
    index = results.choose_family(db, get_region(db, kode).code, body.indeks)
    try:
        with pl.family_scale(index.key):
            costs = pl.StepCosts.build([(c.indikator, c.pendana, c.biaya_per_langkah)
                                        for c in body.biaya_per_langkah])
    except pl.PlanningInputError as exc:
        raise PlanningError(f"Biaya per langkah tidak dapat dipakai: {exc}.") from exc
    request = PlanRequest(
        region=kode, objective=body.tujuan, year=body.tahun, apbd=body.apbd,
        dana_desa=body.dana_desa, dana_desa_by_village=body.dana_desa_per_desa,
        step_costs=costs, mode=body.mode, index=index.key, catalogue_actors=body.aktor_katalog,
        partners=body.mitra_kerja_sama, time_limit=body.batas_waktu,
        extra_partners=tuple(ExtraPartner(p.nama, p.anggaran, tuple(p.bidang),
                                          tuple(p.wilayah)) for p in body.mitra_lain))
    return PlanRead.model_validate(plan_as_dict(plan_for_region(db, request)))

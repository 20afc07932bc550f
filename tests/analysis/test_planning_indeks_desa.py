"""Planning on the Indeks Desa: activities raise items to their next allowed level (or to 5),
unit costs per item are editable, and the plan names its family (both backends)."""

from __future__ import annotations

import numpy as np
import pytest

from mitradesa.analysis import planning as pl
from mitradesa.analysis.planning_data import (
    PlanningError,
    PlanRequest,
    plan_as_dict,
    plan_for_region,
)
from mitradesa.idm import indeks_desa as idx
from tests.analysis.indeks_desa_fixtures import scores_with_total, seed_indeks_desa
from tests.analysis.test_index_families import ID_ROWS
from tests.web.test_analysis_pages import seed

JT = 1_000_000


@pytest.fixture
def both(db, tmp_path):
    seed(db, tmp_path)  # IDM 2022 and 2023
    seed_indeks_desa(db, ID_ROWS)


def _levels_ok(rows: list[dict]) -> None:
    for a in rows:
        item = idx.item_by_no(int(a["indikator"].removeprefix("Butir ")))
        assert a["skor_akhir"] in item.levels, a


def test_a_region_with_2025_is_planned_on_the_indeks_desa_by_default(db, both):
    result = plan_for_region(db, PlanRequest("64.02", "status_up", apbd=200 * JT,
                                             mode="next_level", time_limit=20))
    data = plan_as_dict(result)
    assert (data["indeks"], data["nama_indeks"], data["tahun"]) == ("indeks_desa",
                                                                   "Indeks Desa", 2025)
    activities = data["optimal"]["kegiatan"]
    assert activities and data["optimal"]["desa_naik_status"] >= 1
    for a in activities:
        item = idx.item_by_no(int(a["indikator"].removeprefix("Butir ")))
        assert a["skor_akhir"] == item.next_level(a["skor_awal"])  # its next allowed level
    moved = {c["kode"]: c for c in data["optimal"]["perubahan_status"]}
    assert moved["64.02.04.2001"]["status_akhir"] == "Berkembang"  # one point short
    assert moved["64.02.04.2001"]["idm_awal"] == 57.32  # nilai, not IDM
    idm = plan_as_dict(plan_for_region(db, PlanRequest("64.02", apbd=200 * JT, index="idm",
                                                       time_limit=20)))
    assert (idm["indeks"], idm["tahun"]) == ("idm", 2023)
    assert all(a["indikator"].startswith(("IKS", "IKE", "IKL"))
               for a in idm["optimal"]["kegiatan"])


def test_unit_costs_per_item_are_editable(db, both):
    with pytest.raises(pl.PlanningInputError):  # an item number is no IDM indicator
        pl.StepCosts.build([("1", None, 1)])
    with pl.family_scale("indeks_desa"):
        cheap = pl.StepCosts.build([("butir 1", None, 1_000)])
        assert cheap.table[0].tolist() == [1_000] * 3
        assert cheap.table[126, 0] == pl.ID_DEFAULT_STEP_COSTS["TATA_KELOLA"]
    result = plan_for_region(db, PlanRequest("64.02", "total_gain", apbd=5_000,
                                             step_costs=cheap, index="indeks_desa",
                                             time_limit=20))
    chosen = plan_as_dict(result)["greedy"]["kegiatan"]
    assert chosen and {a["indikator"] for a in chosen} == {"Butir 1"}
    _levels_ok(chosen)


def test_candidates_on_the_indeks_desa_stop_at_allowed_levels():
    scores = np.array([scores_with_total(300)])
    with pl.family_scale("indeks_desa"):
        villages = pl.Villages(("64.02.04.2001",), ("64.02.04",), scores)
        found = pl.default_candidates(villages, mode="next_level")
    for i, steps in zip(found.indicator, found.steps, strict=True):
        item = idx.items()[int(i)]
        assert scores[0, i] + steps == item.next_level(int(scores[0, i]))


def test_stacked_steps_are_refused_on_the_indeks_desa(db, both):
    with pytest.raises(PlanningError, match="Indeks Desa"):
        plan_for_region(db, PlanRequest("64.02", apbd=JT, mode="stacked_steps",
                                        index="indeks_desa"))



def test_funders_at_different_prices_never_stack_an_item_onto_a_level_it_cannot_take(db, both):
    """{1,2,4,5}: a next-level raise from 1 paid by APBD and another paid by Dana Desa would
    land on 3 together."""
    from sqlalchemy import select

    from mitradesa.indeks_desa_records.models import IndeksDesaResult

    rows = db.scalars(select(IndeksDesaResult.scores).where(IndeksDesaResult.year == 2025))
    stored = [[int(d) for d in text] for text in rows]
    item = next(i for i in idx.items() if i.levels == (1, 2, 4, 5)
                and any(scores[i.position] == 1 for scores in stored))
    dear = [(f"butir {other.no}", None, 10 * JT) for other in idx.items() if other != item]
    with pl.family_scale("indeks_desa"):
        costs = pl.StepCosts.build([*dear, (f"butir {item.no}", pl.KINDS[0], 1_000),
                                    (f"butir {item.no}", pl.KINDS[1], 2_000)])
    result = plan_for_region(db, PlanRequest("64.02", "total_gain", apbd=100_000,
                                             dana_desa=100_000, step_costs=costs,
                                             index="indeks_desa", mode="next_level",
                                             time_limit=20))
    data = plan_as_dict(result)
    for plan in ("optimal", "greedy"):
        chosen = data[plan]["kegiatan"]
        assert chosen, plan
        _levels_ok(chosen)
        per_village = [a["desa"] if "desa" in a else a.get("kode") for a in chosen]
        assert len(per_village) == len(set(per_village)), plan  # one raise per desa

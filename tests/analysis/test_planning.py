"""Planning: worked instances solved by hand, funder rules, budgets, engine-checked status
changes, and the MIP never worse than the greedy plan."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from mitradesa.analysis import planning as pl
from mitradesa.analysis.planning.lift import cheapest_lift
from mitradesa.idm import compute
from mitradesa.idm.scheme import STATUS_TITLES

JT = 1_000_000
IKS, IKE, IKL = 0, 35, 47  # first position of each index


def villages(rows: list[list[int]], kecamatan: str = "64.02.01") -> pl.Villages:
    codes = [f"{kecamatan}.20{k:02d}" for k in range(len(rows))]
    return pl.Villages(codes, [kecamatan] * len(rows), np.array(rows))


def scores(base: int = 4, **changes: int) -> list[int]:
    """50 scores of `base`, with changes by label: scores(IKE_1=2, IKL_3=4)."""
    row = [base] * 50
    for label, value in changes.items():
        row[pl.inputs.indicator_position(label.replace("_", " "))] = value
    return row


def check_plan(plan: pl.Plan) -> None:
    """Everything a plan claims holds: payments, budgets, funder rules, status changes."""
    for result in (plan.optimal, plan.greedy):
        problem = result.problem
        funders = {f.id: f for f in plan.funders}
        spent = dict.fromkeys(funders, 0)
        final = problem.villages.scores.copy()
        where = problem.villages.position()
        for k, activity in enumerate(result.activities()):  # in the order of `chosen`
            assert sum(amount for _, amount in activity.payments) == activity.cost
            actors = problem.candidates.actors[result.chosen[k]]
            for fid, amount in activity.payments:
                f = funders[fid]
                assert amount > 0
                assert f.villages is None or activity.code in f.villages
                assert f.indicators is None or activity.indicator in f.indicators
                assert actors & pl.inputs.KIND_BIT[f.kind]
                spent[fid] += amount
            final[where[activity.code], activity.indicator] += (activity.score_to
                                                                - activity.score_from)
        assert final.max() <= 5
        for s in result.spending:
            assert s.spent == spent[s.funder.id] <= s.funder.budget
        assert result.total_cost == sum(spent.values())
        changed = {c.code: c for c in result.status_changes}
        for code, v in where.items():
            before = compute(problem.villages.scores[v].tolist()).status
            after = compute(final[v].tolist()).status
            if before != after:
                assert changed[code].status_before == STATUS_TITLES[before]
                assert changed[code].status_after == STATUS_TITLES[after]
            else:
                assert code not in changed
    assert plan.optimal.exact_score >= plan.greedy.exact_score


def test_unit_arithmetic_matches_the_official_thresholds():
    scale = pl.unit_scale()
    assert scale.denominator == 6300
    assert list(scale.weights) == [12, 35, 140]  # 1/525, 1/180, 1/45 of IDM per step
    # fewest units above 0.4907, 0.5989, 0.7072, 0.8155 (lower bound exclusive)
    assert list(scale.thresholds) == [0, 3092, 3774, 4456, 5138]
    all_four = np.array([[4] * 50])
    assert scale.units(scale.sums(all_four))[0] == 5040  # IDM 0.8 exactly: MAJU


def test_total_gain_optimum_differs_from_greedy():
    # X: IKL 1 from 4, one step for 60 jt (140 units, the best ratio);
    # Y, Z: IKE 1 from 2 to 5 for 50 jt (105 units each).
    v = villages([scores(5, IKL_1=4), scores(5, IKE_1=2), scores(5, IKE_1=2)])
    x, y, z = v.codes
    candidates = pl.Candidates.from_activities(v, [
        pl.Activity(x, "IKL 1", 1, 60 * JT),
        pl.Activity(y, "IKE 1", 3, 50 * JT),
        pl.Activity(z, "IKE 1", 3, 50 * JT),
    ])
    funders = [pl.apbd(60 * JT), pl.dana_desa(y, 40 * JT)]
    plan = pl.plan(v, candidates, funders, "total_gain", mip_rel_gap=0)
    check_plan(plan)
    # greedy takes X first (APBD spent), then neither IKE raise fits: 140 units
    assert plan.greedy.exact_score == 140
    # optimum: both IKE raises, Y paid by its Dana Desa (40) and APBD (10): 210 units
    assert plan.optimal.exact_score == 210
    assert plan.optimal.objective_value == pytest.approx(210 / 6300)
    assert sorted(a.code for a in plan.optimal.activities()) == [y, z]
    pay_y = dict(next(a for a in plan.optimal.activities() if a.code == y).payments)
    assert pay_y == {f"DD {y}": 40 * JT, "APBD": 10 * JT}
    assert plan.optimal.mip_gap == pytest.approx(0)
    assert plan.optimal.solver_status == "Optimal"


def test_status_up_optimum_differs_from_greedy():
    # three villages at all 4 (IDM 0.8000, MAJU): 98 units short of MANDIRI (0.8156).
    # Each: two cheap IKE steps (70 units, not enough) or one IKL step (140 units).
    v = villages([scores(4)] * 3)
    activities = []
    for code in v.codes:
        activities += [pl.Activity(code, "IKE 1", 1, 10 * JT),
                       pl.Activity(code, "IKE 2", 1, 10 * JT),
                       pl.Activity(code, "IKL 1", 1, 60 * JT)]
    candidates = pl.Candidates.from_activities(v, activities)
    _p, _q, r = v.codes
    funders = [pl.apbd(60 * JT), pl.dana_desa(r, 60 * JT)]
    plan = pl.plan(v, candidates, funders, "status_up", mip_rel_gap=0)
    check_plan(plan)
    # greedy buys the cheap IKE steps everywhere first and then lifts only R
    assert plan.greedy.exact_score == 1
    assert plan.optimal.exact_score == 2
    moved = {c.code: (c.status_before, c.status_after) for c in plan.optimal.status_changes}
    assert moved[r] == ("Maju", "Mandiri")
    assert len(moved) == 2
    # nothing is bought that does not lift a village
    assert plan.optimal.total_cost == 120 * JT


def test_bottom20_raises_only_the_weakest_villages():
    weak = scores(3, IKL_1=4, IKE_1=2, IKE_2=2)
    strong = [scores(4), scores(4), scores(5, IKL_1=4), scores(4)]
    v = villages([weak, *strong])
    w = v.codes[0]
    candidates = pl.Candidates.from_activities(v, [
        pl.Activity(w, "IKL 1", 1, 60 * JT),
        pl.Activity(w, "IKE 1", 3, 50 * JT),
        pl.Activity(w, "IKE 2", 3, 50 * JT),
        pl.Activity(v.codes[3], "IKL 1", 1, 10 * JT),  # a far better ratio, not bottom 20%
    ])
    plan = pl.plan(v, candidates, [pl.apbd(100 * JT)], "bottom20", mip_rel_gap=0)
    check_plan(plan)
    units = pl.unit_scale().units(pl.unit_scale().sums(np.array([weak])))[0]
    assert plan.greedy.exact_score == 140  # IKL first, then 40 jt left fits nothing
    assert plan.optimal.exact_score == 210  # both IKE raises
    assert plan.optimal.objective_value == pytest.approx((units + 210) / 6300)
    assert plan.optimal.bottom20_before == pytest.approx(units / 6300)
    assert {a.code for a in plan.optimal.activities()} == {w}
    assert {a.code for a in plan.greedy.activities()} == {w}


def test_partial_raises_with_stacked_steps():
    # IKE 1 at 0: five single steps of 40 jt stack; 100 jt buys two of them
    v = villages([scores(5, IKE_1=0)])
    candidates = pl.default_candidates(v, mode="stacked_steps")
    assert list(candidates.repeat) == [5]
    plan = pl.plan(v, candidates, [pl.apbd(100 * JT)], "total_gain")
    check_plan(plan)
    (activity,) = plan.optimal.activities()
    assert (activity.score_from, activity.score_to, activity.times) == (0, 2, 2)
    assert activity.cost == 80 * JT


def test_alternatives_on_one_indicator_never_lift_it_above_five():
    v = villages([scores(5, IKL_2=2)])
    code = v.codes[0]
    candidates = pl.Candidates.from_activities(v, [
        pl.Activity(code, "IKL 2", 3, 100 * JT),
        pl.Activity(code, "IKL 2", 2, 50 * JT),
        pl.Activity(code, "IKL 2", 1, 40 * JT),
    ])
    plan = pl.plan(v, candidates, [pl.apbd(500 * JT)], "total_gain", mip_rel_gap=0)
    check_plan(plan)
    assert plan.optimal.exact_score == 3 * 140
    assert plan.optimal.total_cost == 90 * JT  # 2 + 1 steps, cheaper than the 3-step one


def test_partner_money_stays_in_its_sectors_and_area():
    v = villages([scores(3), scores(3), scores(3)])
    inside, outside = v.codes[0], v.codes[1]
    candidates = pl.default_candidates(v)
    funders = [
        pl.partner("CSR", 400 * JT, sectors=["umkm"], area=[inside]),
        pl.dana_desa(outside, 100 * JT),
        pl.apbd(50 * JT),
    ]
    for objective in pl.OBJECTIVES:
        plan = pl.plan(v, candidates, funders, objective)
        check_plan(plan)
        for a in plan.optimal.activities():
            payers = dict(a.payments)
            if "CSR" in payers:
                assert a.code == inside
                assert a.indicator in pl.sector_indicators()["umkm"]
            if f"DD {outside}" in payers:
                assert a.code == outside


def test_catalogue_actors_limit_who_may_pay():
    v = villages([scores(2)])
    candidates = pl.default_candidates(v, actors="catalogue")
    masks = pl.inputs.catalogue_actor_masks()
    assert np.array_equal(candidates.actors, masks[candidates.indicator, 2])
    plan = pl.plan(v, candidates, [pl.dana_desa(v.codes[0], 200 * JT)], "total_gain")
    check_plan(plan)


def test_default_candidates_price_every_gap():
    v = villages([scores(5, IKS_1=3, IKE_2=0, IKL_3=4)])
    candidates = pl.default_candidates(v)
    assert list(candidates.indicator) == [0, 36, 49]
    assert list(candidates.steps) == [2, 5, 1]
    assert list(candidates.cost) == [50 * JT, 200 * JT, 60 * JT]
    one = pl.default_candidates(v, step_costs={"IKS": 1, "IKE": 2, "IKL": 3}, mode="one_step")
    assert list(one.cost) == [1, 2, 3]
    with pytest.raises(pl.PlanningInputError):
        pl.default_candidates(v, step_costs={"IKS": 1})


def test_step_costs_per_indicator_and_kind_give_one_candidate_per_price():
    v = villages([scores(5, IKS_1=4, IKE_9=3)])
    # the most specific rule wins whatever the order: IKE 9 for mitra beats IKE for apbd
    costs = pl.StepCosts.build([("IKE 9", "mitra", 4 * JT), ("IKE", "apbd", 12 * JT),
                                ("IKE", None, 10 * JT)])
    candidates = pl.default_candidates(v, step_costs=costs)
    assert list(candidates.indicator) == [0, 43, 43, 43]
    assert list(candidates.cost) == [25 * JT, 24 * JT, 20 * JT, 8 * JT]
    assert list(candidates.actors) == [7, 1, 2, 4]  # all kinds; apbd; dana desa; mitra
    funders = [pl.apbd(30 * JT), pl.partner("CSR", 8 * JT, sectors=["umkm"])]
    plan = pl.plan(v, candidates, funders, "total_gain", mip_rel_gap=0)
    check_plan(plan)
    paid = {a.label: (a.score_to, a.payments) for a in plan.optimal.activities()}
    assert paid == {"IKE 9": (5, (("CSR", 8 * JT),)), "IKS 1": (5, (("APBD", 25 * JT),))}
    with pytest.raises(pl.PlanningInputError, match="pendana"):
        pl.StepCosts.build([("IKE 9", "desa", JT)])
    with pytest.raises(pl.PlanningInputError, match="indikator"):
        pl.StepCosts.build([("IKE 13", None, JT)])


def test_inputs_that_make_no_sense_are_refused():
    v = villages([scores(4)])
    code = v.codes[0]
    too_far = pl.Candidates.from_activities(v, [pl.Activity(code, "IKS 1", 2, JT)])
    with pytest.raises(pl.PlanningInputError, match="melewati skor 5"):
        pl.plan(v, too_far, [pl.apbd(JT)], "total_gain")
    fine = pl.default_candidates(v)
    with pytest.raises(pl.PlanningInputError, match="tujuan"):
        pl.plan(v, fine, [pl.apbd(JT)], "most_money")
    with pytest.raises(pl.PlanningInputError, match="satu desa"):
        pl.Funder("DD x", pl.DANA_DESA, JT, frozenset({"a", "b"}))
    with pytest.raises(pl.PlanningInputError, match="sektor"):
        pl.partner("X", JT, sectors=["pariwisata"])
    with pytest.raises(pl.PlanningInputError, match="ganda"):
        pl.plan(v, fine, [pl.apbd(JT), pl.apbd(JT)], "total_gain")


def test_nothing_to_pay_for_gives_empty_plans():
    v = villages([scores(5)])
    plan = pl.plan(v, pl.default_candidates(v), [pl.apbd(JT)], "status_up")
    assert plan.optimal.exact_score == plan.greedy.exact_score == 0
    assert plan.optimal.activities() == []


def test_cheapest_lift_is_the_exact_knapsack_cover():
    row = np.array([0, 0, 0, 1, 1])
    gain = np.array([12, 35, 140, 35, 12])
    cost = np.array([25, 40, 60, 40, 25])
    size = np.array([9, 3, 1, 1, 2])
    least, units = cheapest_lift(row, gain, cost, size, np.array([98, 60]), units=True)
    assert list(least) == [60, np.inf]  # one IKL step; village 1 cannot reach 60 units
    assert list(units[:3]) == [0, 0, 1]
    least = cheapest_lift(row[:2], gain[:2], cost[:2], size[:2], np.array([100]))
    # three IKE steps (105 units, 120) beat 2 IKE + 3 IKS (106 units, 155) and 9 IKS (225)
    assert least[0] == 120


def test_plan_exports_to_excel_with_indonesian_headings(tmp_path):
    v = villages([scores(4)] * 3)
    plan = pl.plan(v, pl.default_candidates(v), [pl.apbd(300 * JT)], "status_up")
    path = pl.write_plan_xlsx(plan, tmp_path / "rencana.xlsx")
    book = CalamineWorkbook.from_path(str(path))
    assert book.sheet_names == ["Ringkasan per Pendana", "Kegiatan", "Desa Naik Status"]
    summary = book.get_sheet_by_name("Ringkasan per Pendana").to_python()
    assert summary[0][:2] == ["Tujuan", "Desa naik status terbanyak"]
    assert summary[16][:4] == ["Kode pendana", "Nama", "Jenis", "Anggaran (Rp)"]
    rows = book.get_sheet_by_name("Kegiatan").to_python()
    assert rows[0][:3] == ["Kode desa", "Kecamatan", "Indikator"]
    assert len(rows) - 1 == len(plan.optimal.activities())
    moved = book.get_sheet_by_name("Desa Naik Status").to_python()
    assert len(moved) - 1 == len(plan.optimal.status_changes) == 3


def test_planning_imports_neither_the_database_nor_the_web():
    code = (
        "import sys, mitradesa.analysis.planning;"
        "bad = [n for n in ('sqlalchemy', 'fastapi', 'starlette', 'mitradesa.db') "
        "if n in sys.modules]; print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


SECTORS = sorted(pl.sector_indicators())


@st.composite
def instances(draw):
    n = draw(st.integers(2, 5))
    rows = [draw(st.lists(st.integers(2, 5), min_size=50, max_size=50)) for _ in range(n)]
    v = villages(rows)
    mode = draw(st.sampled_from(["to_five", "one_step", "stacked_steps"]))
    costs = {k: draw(st.integers(1, 8)) * 5 * JT for k in ("IKS", "IKE", "IKL")}
    if draw(st.booleans()):  # one kind pays another price for an index or one indicator
        where = draw(st.sampled_from(["IKS", "IKE", "IKL", "IKE 1", "IKS 3", "IKL 2"]))
        costs = pl.StepCosts.build([(where, draw(st.sampled_from(pl.KINDS)),
                                     draw(st.integers(1, 8)) * 5 * JT)], base=costs)
    candidates = pl.default_candidates(v, step_costs=costs, mode=mode)
    funders = [pl.apbd(draw(st.integers(0, 40)) * 5 * JT)]
    for code in v.codes:
        if draw(st.booleans()):
            funders.append(pl.dana_desa(code, draw(st.integers(0, 30)) * 5 * JT))
    for k in range(draw(st.integers(0, 2))):
        area = draw(st.lists(st.sampled_from(v.codes), min_size=1, unique=True))
        sectors = draw(st.lists(st.sampled_from(SECTORS), min_size=1, max_size=3, unique=True))
        funders.append(pl.partner(f"M{k}", draw(st.integers(0, 40)) * 5 * JT,
                                  sectors=sectors, area=area))
    objective = draw(st.sampled_from(pl.OBJECTIVES))
    return v, candidates, funders, objective


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_mip_is_never_worse_than_greedy_and_keeps_every_rule(instance):
    v, candidates, funders, objective = instance
    plan = pl.plan(v, candidates, funders, objective, time_limit=5.0)
    check_plan(plan)
    assert plan.optimal.mip_gap is not None and plan.optimal.mip_gap <= 1e-3 + 1e-9

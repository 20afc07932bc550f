"""Planning: the best use of the funders' budgets to raise village IDM (pure, numeric).

`plan(villages, candidates, funders, objective)` chooses activities with a mixed-integer
program (HiGHS) and reports it beside the greedy plan (highest IDM gain per rupiah first)
on the same data, as shared/spec/analysis.md asks. Objectives:
- "status_up": most villages moving up at least one status;
- "bottom20": largest rise of the villages in the bottom 20% at the start (their mean IDM;
  bottom 20% = IDM at or below the 20th percentile, as in `inequality.bottom20_gap`);
- "total_gain": largest total IDM gain.
Funders: APBD kabupaten (any village, or those given), Dana Desa (its own village only) and
partners (their sectors' indicators and their area only). Candidate activities come from
`default_candidates` (the gaps, priced with editable unit costs per step: per index, or per
indicator and funder kind with `StepCosts`) or from the caller.
All IDM arithmetic is exact in integer units (IDM = units / 6300) and every reported status
change is recomputed with the engine (`status_of_sums`, `compute_many`). Inside
`family_scale("indeks_desa")` the same planner works on the Indeks Desa (units = the total
of the 127 items; activities raise items to their next allowed level or to 5). Money is whole
rupiah; no funder ever pays beyond its budget or outside its rules.
Imports nothing of the database or the web.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from mitradesa.analysis.planning.greedy import Choice, greedy
from mitradesa.analysis.planning.inputs import (
    APBD,
    DANA_DESA,
    DEFAULT_STEP_COSTS,
    ID_DEFAULT_STEP_COSTS,
    KIND_TITLES,
    KINDS,
    MITRA,
    Activity,
    Candidates,
    Funder,
    PlanningInputError,
    StepCosts,
    Villages,
    apbd,
    dana_desa,
    default_candidates,
    default_step_costs,
    family_scale,
    partner,
    sector_indicators,
    unit_scale,
)
from mitradesa.analysis.planning.model import solve
from mitradesa.analysis.planning.payments import per_activity, whole_rupiah
from mitradesa.analysis.planning.problem import (
    OBJECTIVE_TITLES,
    OBJECTIVES,
    Problem,
    prepare,
)
from mitradesa.analysis.planning.result import (
    ChosenActivity,
    PlanResult,
    Spending,
    StatusChange,
    evaluate,
)
from mitradesa.analysis.planning.xlsx import write_plan_xlsx

__all__ = [
    "APBD",
    "DANA_DESA",
    "DEFAULT_STEP_COSTS",
    "ID_DEFAULT_STEP_COSTS",
    "KINDS",
    "KIND_TITLES",
    "MITRA",
    "OBJECTIVES",
    "OBJECTIVE_TITLES",
    "Activity",
    "Candidates",
    "ChosenActivity",
    "Funder",
    "Plan",
    "PlanResult",
    "PlanningInputError",
    "Spending",
    "StatusChange",
    "StepCosts",
    "Villages",
    "apbd",
    "dana_desa",
    "default_candidates",
    "default_step_costs",
    "family_scale",
    "partner",
    "plan",
    "sector_indicators",
    "unit_scale",
    "write_plan_xlsx",
]


@dataclass(frozen=True)
class Plan:
    objective: str
    objective_title: str
    funders: tuple[Funder, ...]
    optimal: PlanResult  # the MIP plan
    greedy: PlanResult
    candidates_considered: int  # activities that could serve the objective
    classes: int  # classes of interchangeable activities in the model
    model_columns: int
    model_rows: int
    parts: int  # independent parts the model splits into
    prepare_seconds: float

    @property
    def total_budget(self) -> int:
        return sum(f.budget for f in self.funders)


def _drop_surplus(problem: Problem, count: np.ndarray) -> np.ndarray:
    """For "status_up": keep only what lifts a village; drop activities in villages that do
    not move up, then surplus ones (dearest first) while the village still moves up."""
    count = count.copy()
    start = problem.start
    units = start.units + np.bincount(problem.village, weights=problem.gain * count,
                                      minlength=len(problem.villages)).astype(np.int64)
    lifted = (start.target >= 0) & (units >= start.target)
    count[~lifted[problem.village]] = 0
    surplus = units - start.target
    taken = np.nonzero((count > 0) & (surplus[problem.village] > 0))[0]
    taken = taken[np.lexsort((-problem.cost[taken], problem.village[taken]))]
    for c in taken.tolist():
        v = int(problem.village[c])
        g = int(problem.gain[c])
        drop = min(int(count[c]), int(surplus[v]) // g)
        if drop:
            count[c] -= drop
            surplus[v] -= drop * g
    return count


def _result(problem: Problem, method: str, count: np.ndarray, money: np.ndarray,
            status: str, gap: float | None, bound: float | None,
            seconds: float) -> PlanResult:
    count, paid = whole_rupiah(problem, count, money)
    chosen, times, pay_activity, pay_funder, amount = per_activity(problem, count, paid)
    return evaluate(problem, method, chosen, times, pay_activity, pay_funder, amount, status,
                    gap, bound, seconds)


def plan(villages: Villages, candidates: Candidates, funders: Sequence[Funder],
         objective: str = "status_up", *, time_limit: float = 60.0,
         mip_rel_gap: float = 1e-3, threads: int | None = None) -> Plan:
    """The best plan for the objective within the budgets, and the greedy plan beside it.

    time_limit: seconds for the solver; mip_rel_gap: stop when the plan is within this
    fraction of the best possible (the reported gap says how close it is); threads: parts
    solved at once (independent groups of villages)."""
    began = time.perf_counter()
    problem = prepare(villages, candidates, tuple(funders), objective)
    prepared = time.perf_counter() - began
    t0 = time.perf_counter()
    start: Choice = greedy(problem)
    greedy_seconds = time.perf_counter() - t0
    greedy_plan = _result(problem, "greedy", start.count, start.paid.astype(float),
                          "greedy", None, None, greedy_seconds)
    columns = rows = parts = 0
    if problem.classes == 0:
        optimal = _result(problem, "mip", start.count, start.paid.astype(float),
                          "Optimal", 0.0, 0.0, 0.0)
    else:
        solved = solve(problem, start, time_limit, mip_rel_gap, threads)
        columns, rows, parts = solved.columns, solved.rows, solved.parts
        count = solved.count
        if objective == "status_up":
            count = _drop_surplus(problem, count)
        optimal = _result(problem, "mip", count, solved.money, solved.status,
                          solved.mip_gap, solved.dual_bound, solved.seconds)
        if optimal.exact_score < greedy_plan.exact_score:  # pragma: no cover - safety net
            optimal = _result(problem, "mip", start.count, start.paid.astype(float),
                              f"{solved.status} (rencana greedy dipakai)", solved.mip_gap,
                              solved.dual_bound, solved.seconds)
    return Plan(objective, OBJECTIVE_TITLES[objective], tuple(funders), optimal,
                greedy_plan, int(problem.size.sum()), problem.classes, columns, rows, parts,
                prepared)

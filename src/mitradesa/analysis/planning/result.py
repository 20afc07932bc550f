"""A plan as reported: activities, spending per funder, villages whose status changes and the
objective, every figure recomputed from the plan's final scores with the IDM engine."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from mitradesa.analysis.planning.inputs import Funder
from mitradesa.analysis.planning.problem import Problem
from mitradesa.idm.scheme import STATUS_TITLES, load_scheme


@dataclass(frozen=True)
class Spending:
    funder: Funder
    spent: int

    @property
    def remaining(self) -> int:
        return self.funder.budget - self.spent


@dataclass(frozen=True)
class StatusChange:
    code: str
    kecamatan: str
    idm_before: float
    idm_after: float
    status_before: str
    status_after: str


@dataclass(frozen=True)
class ChosenActivity:
    code: str
    kecamatan: str
    indicator: int
    label: str  # "IKE 7"
    score_from: int
    score_to: int
    times: int  # how many times the candidate is taken (stacked steps)
    cost: int  # for all those times
    idm_gain: float  # exact: steps / (5 · n · 3)
    payments: tuple[tuple[str, int], ...]  # (funder id, rupiah)


@dataclass(frozen=True)
class PlanResult:
    method: str  # "mip" or "greedy"
    objective: str
    objective_value: float  # villages moved up / mean IDM of the bottom 20% / IDM gain
    exact_score: int  # the same in exact units (count, or units gained) for comparisons
    total_cost: int
    total_idm_gain: float
    bottom20_before: float
    bottom20_after: float
    spending: tuple[Spending, ...]
    status_changes: tuple[StatusChange, ...]
    solver_status: str
    mip_gap: float | None  # None for greedy
    dual_bound: float | None
    solve_seconds: float
    chosen: np.ndarray = field(repr=False)  # candidate indices
    times: np.ndarray = field(repr=False)  # times each is taken
    pay_activity: np.ndarray = field(repr=False)  # index into chosen
    pay_funder: np.ndarray = field(repr=False)
    pay_amount: np.ndarray = field(repr=False)
    problem: Problem = field(repr=False, compare=False)

    def activities(self) -> list[ChosenActivity]:
        p = self.problem
        cand, villages = p.candidates, p.villages
        scale = p.start.scale
        idx = self.chosen
        v, ind = cand.village[idx], cand.indicator[idx]
        steps = cand.steps[idx] * self.times
        # stacked activities on one village-indicator, in candidate order
        order = np.lexsort((idx, v * 64 + ind))
        before = np.zeros(len(idx), dtype=np.int64)
        key = (v * 64 + ind)[order]
        run = np.cumsum(steps[order]) - steps[order]
        group_first = np.concatenate([[True], key[1:] != key[:-1]]) if len(key) else key
        base = np.maximum.accumulate(np.where(group_first, run, 0)) if len(key) else run
        before[order] = run - base
        start_score = villages.scores[v, ind] + before
        by_activity: dict[int, list[tuple[str, int]]] = {}
        for a, f, amount in zip(self.pay_activity.tolist(), self.pay_funder.tolist(),
                                self.pay_amount.tolist(), strict=True):
            by_activity.setdefault(a, []).append((p.funders[f].id, int(amount)))
        gain = steps * scale.weights[scale.index_of[ind]] / scale.denominator \
            * scale.value_scale
        return [
            ChosenActivity(villages.codes[v[k]], villages.kecamatan[v[k]], int(ind[k]),
                           scale.label(int(ind[k])), int(start_score[k]),
                           int(start_score[k] + steps[k]), int(self.times[k]),
                           int(cand.cost[idx[k]] * self.times[k]), float(gain[k]),
                           tuple(by_activity.get(k, ())))
            for k in range(len(idx))
        ]


def evaluate(problem: Problem, method: str, chosen: np.ndarray, times: np.ndarray,
             pay_activity: np.ndarray,
             pay_funder: np.ndarray, pay_amount: np.ndarray, solver_status: str,
             mip_gap: float | None, dual_bound: float | None,
             seconds: float) -> PlanResult:
    p = problem
    cand, villages, start = p.candidates, p.villages, p.start
    final = villages.scores.copy()
    np.add.at(final, (cand.village[chosen], cand.indicator[chosen]),
              cand.steps[chosen] * times)
    cost = cand.cost[chosen] * times
    if final.size and final.max() > start.scale.top:  # pragma: no cover - model guard
        raise AssertionError("rencana menaikkan skor melewati 5")
    spent = np.bincount(pay_funder, weights=pay_amount, minlength=len(p.funders))
    spent = np.rint(spent).astype(np.int64)
    paid_per_activity = np.bincount(pay_activity, weights=pay_amount, minlength=len(chosen))
    if not np.array_equal(np.rint(paid_per_activity).astype(np.int64), cost):
        raise AssertionError("pembayaran tidak sama dengan biaya kegiatan")  # pragma: no cover
    budgets = np.array([f.budget for f in p.funders], dtype=np.int64)
    if np.any(spent > budgets):  # pragma: no cover - model guard
        raise AssertionError("pengeluaran melebihi anggaran")
    engine_status, after_value = start.scale.engine(final)
    sums = start.scale.sums(final)
    status_after = start.scale.status_of_units(start.scale.units(sums)).astype(np.int64)
    if not np.array_equal(status_after, engine_status):  # pragma: no cover - engine guard
        raise AssertionError("status hasil tidak konsisten")
    units_after = start.scale.units(sums)
    changed = np.nonzero(status_after != start.status)[0]
    names = load_scheme().status_names()
    changes = tuple(
        StatusChange(villages.codes[v], villages.kecamatan[v], float(start.idm[v]),
                     float(after_value[v]), STATUS_TITLES[names[start.status[v]]],
                     STATUS_TITLES[names[status_after[v]]])
        for v in changed.tolist())
    bottom = start.bottom
    b_before = float(start.idm[bottom].mean()) if bottom.any() else 0.0
    b_after = float(after_value[bottom].mean()) if bottom.any() else 0.0
    total_gain = float((after_value - start.idm).sum())
    moved = int((status_after > start.status).sum())
    if p.objective == "status_up":
        exact, value = moved, float(moved)
    elif p.objective == "bottom20":
        exact, value = int((units_after - start.units)[bottom].sum()), b_after
    else:
        exact, value = int((units_after - start.units).sum()), total_gain
    return PlanResult(
        method=method, objective=p.objective, objective_value=value, exact_score=exact,
        total_cost=int(cost.sum()), total_idm_gain=total_gain,
        bottom20_before=b_before, bottom20_after=b_after,
        spending=tuple(Spending(f, int(s)) for f, s in zip(p.funders, spent, strict=True)),
        status_changes=changes, solver_status=solver_status, mip_gap=mip_gap,
        dual_bound=dual_bound, solve_seconds=seconds, chosen=chosen, times=times,
        pay_activity=pay_activity, pay_funder=pay_funder, pay_amount=pay_amount, problem=p,
    )

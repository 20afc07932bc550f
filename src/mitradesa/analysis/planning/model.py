"""The mixed-integer program, solved with HiGHS (highspy).

Per-activity model (what is solved, written compactly): binary x_a per activity, money
y_{a,f} ≥ 0 per (activity, funder allowed to pay it), Σ_f y_{a,f} = cost_a · x_a,
Σ_a y_{a,f} ≤ budget_f, stacked activities on one indicator never beyond 5, and for
"status_up" a binary z_v with units_v + Σ gains ≥ the fewest units of the next status
whenever z_v = 1 (exact integers: IDM = units / 6300, thresholds read off the engine).

Exact reformulations that keep the same optimum (money in millions of rupiah inside the
solver, for conditioning; the rows are built in `parts`):
1. Classes: interchangeable activities (same village, index, steps, cost, funders) become one
   integer n_c ∈ [0, size_c] (see `problem`).
2. Universal funders: a funder that may pay every class of a village needs no money per
   class there, only per village: a_{v,f} ≥ 0. A funder that only ever pays one village and
   may pay all of it (a Dana Desa) needs no variable at all: its budget is the village's
   right-hand side. Other funders keep y_{c,f}. Rows:
     village v:  Σ_c cost_c n_c − Σ_{c,f} y_{c,f} − Σ_f a_{v,f} ≤ Σ budgets of its own funders
     class c:    Σ_f y_{c,f} ≤ cost_c n_c          (restricted money pays only its class)
     funder f:   Σ y_{c,f} + Σ_v a_{v,f} ≤ budget_f
   Any plan satisfying these can be paid activity by activity (restricted money first, the
   rest of each village's cost from its universal funders) and conversely.
3. Lift rows ("status_up"): Σ_{c in v} min(gain_c, need_v) n_c ≥ need_v z_v; capping a
   gain at the need changes no integer solution and tightens the relaxation. A second row
   Σ_{c in v} cost_c n_c ≥ L_v z_v, with L_v the least any set of whole steps lifting v costs
   (`lift.cheapest_lift`, exact), is valid for every plan and closes most of the gap the
   relaxation leaves (fractions of steps lift a village more cheaply than whole steps).
4. Parts: villages linked by no funder are independent; each connected part is solved on
   its own (two at a time when `threads` ≥ 2). The gap of the whole is
   Σ (bound − value) / Σ value ≤ the largest part gap.
Per part: the LP relaxation gives a bound; starting plans come from the relaxation rounded
down and completed (cheapest lifts first, or greedily) and from the greedy plan; when the best
is already within `mip_rel_gap` of the bound the part is done, otherwise HiGHS's
branch-and-bound continues from it (time shared among parts by size). The reported gap
is (dual bound − plan value) / max(1, plan value).
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import highspy
import numpy as np

from mitradesa.analysis.planning.greedy import Choice, cheapest_lifts_first, greedy
from mitradesa.analysis.planning.lift import cheapest_lift
from mitradesa.analysis.planning.parts import (
    EPS,
    Part,
    Structure,
    build_part,
    pair_money,
    part_values,
    score,
    structure,
)
from mitradesa.analysis.planning.payments import whole_rupiah
from mitradesa.analysis.planning.problem import Problem


def _highs(part: Part, integer: bool, time_limit: float, gap: float,
           lower: np.ndarray | None = None, upper: np.ndarray | None = None,
           cost: np.ndarray | None = None) -> highspy.Highs:
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("random_seed", 1)
    h.setOptionValue("time_limit", max(float(time_limit), 0.01))
    h.setOptionValue("mip_rel_gap", float(gap))
    m = part.model
    integrality = m["integrality"] if integer else np.zeros(part.columns, dtype=np.int32)
    h.passModel(part.columns, part.rows, len(m["value"]), int(highspy.MatrixFormat.kColwise),
                int(highspy.ObjSense.kMaximize), 0.0, m["cost"] if cost is None else cost,
                np.zeros(part.columns) if lower is None else lower,
                m["upper"] if upper is None else upper, m["row_lower"], m["row_upper"],
                m["start"], m["index"], m["value"], integrality)
    return h


@dataclass
class PartState:
    part: Part
    bound: float = 0.0
    lp: np.ndarray | None = None  # relaxation solution
    status: str = "Optimal"
    branched: bool = False
    value: int = 0
    col: np.ndarray | None = None  # model columns of the best plan so far
    count: np.ndarray | None = None  # (C,) the best plan's units (global size)

    def within(self, gap: float) -> bool:
        return self.bound - self.value <= gap * max(1.0, abs(self.value))


def _relax(p: Problem, s: Structure, cls: np.ndarray, least: np.ndarray,
           deadline: float) -> PartState:
    part = build_part(p, s, cls, least)
    state = PartState(part)
    # ties (equal gain per rupiah) go to the cheaper units, whose fractions cost less when
    # rounded; the tiny bonus only raises the relaxation, so its value stays a valid bound
    tie = part.model["cost"].copy()
    if not len(part.lift):
        price = p.cost[cls] / p.cost[cls].max()
        tie[:part.y0] *= 1 + 1e-7 * (1 - price)
    lp = _highs(part, False, deadline - time.perf_counter(), 0.0, cost=tie)
    lp.run()
    if lp.getModelStatus() == highspy.HighsModelStatus.kOptimal:
        state.bound = float(np.floor(lp.getInfo().objective_function_value + EPS))
        state.lp = np.asarray(lp.getSolution().col_value)
    else:  # pragma: no cover - only when time runs out: a trivial bound
        state.bound = float(len(part.lift) if len(part.lift) else
                            (p.gain[cls] * p.size[cls]).sum())
        state.status = lp.modelStatusToString(lp.getModelStatus())
    return state


def _branch(p: Problem, state: PartState, seconds: float, gap: float) -> PartState:
    """Branch-and-bound from the part's best plan so far, for at most `seconds`."""
    part = state.part
    h = _highs(part, True, seconds, gap)
    h.setSolution(part.columns, np.arange(part.columns, dtype=np.int32), state.col)
    h.run()
    state.branched = True
    info = h.getInfo()
    state.status = h.modelStatusToString(h.getModelStatus())
    if np.isfinite(info.mip_dual_bound):
        state.bound = min(state.bound, float(np.floor(info.mip_dual_bound + EPS)))
    if info.primal_solution_status == 2:
        solved = np.asarray(h.getSolution().col_value)
        mine = np.zeros(p.classes, dtype=np.int64)
        mine[part.cls] = np.clip(np.rint(solved[:part.y0]), 0,
                                 p.size[part.cls]).astype(np.int64)
        value = score(p, part, mine)
        if value > state.value:
            state.value, state.col, state.count = value, solved, mine
    state.bound = max(state.bound, state.value)
    return state


def _least_lifts(p: Problem) -> tuple[np.ndarray, np.ndarray]:
    """For "status_up": (least cost per village of its next status, the units per class of
    one such cheapest lift), from the villages' starting scores."""
    least = np.full(len(p.villages), np.inf)
    units = np.zeros(p.classes, dtype=np.int64)
    if len(p.lift_villages) == 0:
        return least, units
    row_of = np.full(len(p.villages), -1, dtype=np.int64)
    row_of[p.lift_villages] = np.arange(len(p.lift_villages))
    need = (p.start.target - p.start.units)[p.lift_villages]
    least[p.lift_villages], units = cheapest_lift(row_of[p.village], p.gain, p.cost, p.size,
                                                  need, units=True)
    return least, units


@dataclass(frozen=True)
class Solved:
    count: np.ndarray  # (C,)
    money: np.ndarray  # (pairs,) rupiah per class-funder pair (floats)
    status: str
    mip_gap: float
    dual_bound: float
    value: int
    seconds: float
    columns: int
    rows: int
    parts: int
    parts_branched: int


def _map(pool: ThreadPoolExecutor | None, fn, items) -> list:
    return list(pool.map(fn, items)) if pool else [fn(x) for x in items]


def _starts(p: Problem, s: Structure, states: list[PartState], start: Choice,
            cheapest: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """Starting plans besides the greedy one: the relaxation rounded down and paid in whole
    rupiah, then completed (cheapest lifts first for "status_up", else greedily); and for
    "status_up" the cheapest lifts first from nothing."""
    rounded = np.zeros(p.classes, dtype=np.int64)
    money = np.zeros(len(p.pair_class))
    for st in states:
        if st.lp is not None:
            rounded[st.part.cls] = np.floor(st.lp[:st.part.y0] + EPS).astype(np.int64)
    for st in states:
        if st.lp is not None:
            money[st.part.pairs] = pair_money(p, s, st.part, rounded, st.lp)
    rounded, paid = whole_rupiah(p, rounded, money)
    spent = np.bincount(p.pair_funder, weights=paid, minlength=len(p.funders))
    remaining = p.budgets() - np.rint(spent).astype(np.int64)
    if p.objective == "status_up":
        more = cheapest_lifts_first(p, rounded, remaining)
        fresh = cheapest_lifts_first(p, np.zeros(p.classes, dtype=np.int64), p.budgets(),
                                     cheapest)
        others = [(fresh.count, fresh.paid)]
    else:
        # round up the largest fractions first while money allows, then greedily
        lp_units = np.zeros(p.classes)
        for st in states:
            if st.lp is not None:
                lp_units[st.part.cls] = st.lp[:st.part.y0]
        fraction = lp_units - rounded
        up = np.nonzero(fraction > EPS)[0]
        up = up[np.argsort(-fraction[up], kind="stable")]
        first = greedy(p, up, rounded, remaining, ordered=True,
                       limit=np.ones(p.classes, dtype=np.int64))
        rounded, paid = rounded + first.count, paid + first.paid
        remaining = remaining - np.bincount(p.pair_funder, weights=first.paid,
                                            minlength=len(p.funders)).astype(np.int64)
        more = greedy(p, None, rounded, remaining)
        others = []
    return [(start.count, start.paid), (rounded + more.count, paid + more.paid), *others]


def solve(p: Problem, start: Choice, time_limit: float, mip_rel_gap: float,
          threads: int | None = None) -> Solved:
    began = time.perf_counter()
    deadline = began + time_limit
    s = structure(p)
    order = np.argsort(s.part, kind="stable")
    cuts = np.nonzero(np.diff(s.part[order]))[0] + 1
    groups = [np.sort(g) for g in np.split(order, cuts)] if len(order) else []
    groups.sort(key=len, reverse=True)
    workers = max(1, int(threads or 1))
    least, cheapest = _least_lifts(p)
    pool = ThreadPoolExecutor(workers) if workers > 1 and len(groups) > 1 else None
    try:
        states = _map(pool, lambda cls: _relax(p, s, cls, least, deadline), groups)
        plans = _starts(p, s, states, start, cheapest)
        for st in states:  # per part, the best starting plan
            scores = [score(p, st.part, c) for c, _ in plans]
            best = int(np.argmax(scores))
            count, paid = plans[best]
            st.value, st.count = scores[best], count
            st.col = part_values(p, st.part, count, paid)
            st.bound = max(st.bound, st.value)
        for _round in range(2):  # time shared by size; a second round for what is left
            todo = [st for st in states if not st.within(mip_rel_gap)]
            left = deadline - time.perf_counter()
            if not todo or left <= 0.05:
                break
            weight = sum(st.part.columns for st in todo)
            shares = [min(left, left * min(workers, len(todo)) * st.part.columns / weight)
                      for st in todo]
            _map(pool, lambda args: _branch(p, args[0], args[1], mip_rel_gap),
                 list(zip(todo, shares, strict=True)))
    finally:
        if pool:
            pool.shutdown()
    count = np.zeros(p.classes, dtype=np.int64)
    money = np.zeros(len(p.pair_class))
    bound = value = columns = rows = branched = 0
    statuses = set()
    for st in states:
        part = st.part
        count[part.cls] = st.count[part.cls]
        money[part.pairs] = pair_money(p, s, part, st.count, st.col)
        bound += st.bound
        value += st.value
        columns += part.columns
        rows += part.rows
        branched += st.branched
        statuses.add(st.status if st.within(mip_rel_gap) or st.branched else "Time limit reached")
    gap = (bound - value) / max(1.0, abs(value))
    status = "Optimal" if statuses <= {"Optimal"} else ", ".join(sorted(statuses))
    return Solved(count, money, status, gap, float(bound), int(value),
                  time.perf_counter() - began, columns, rows, len(groups), branched)

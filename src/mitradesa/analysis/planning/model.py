"""The mixed-integer program, solved with HiGHS (highspy).

Per-activity model (what is solved, written compactly): binary x_a per activity, money
y_{a,f} ≥ 0 per (activity, funder allowed to pay it), Σ_f y_{a,f} = cost_a · x_a,
Σ_a y_{a,f} ≤ budget_f, stacked activities on one indicator never beyond 5, and for
"status_up" a binary z_v with units_v + Σ gains ≥ the fewest units of the next status
whenever z_v = 1 (exact integers: IDM = units / 6300, thresholds read off the engine).

Exact reformulations that keep the same optimum (money in millions of rupiah inside the
solver, for conditioning):
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
from scipy import sparse
from scipy.sparse import csgraph

from mitradesa.analysis.planning.greedy import Choice, cheapest_lifts_first, greedy
from mitradesa.analysis.planning.lift import cheapest_lift
from mitradesa.analysis.planning.payments import whole_rupiah
from mitradesa.analysis.planning.problem import Problem, _ranges

MONEY = 1_000_000  # rupiah per solver money unit
EPS = 1e-6


@dataclass(frozen=True)
class Structure:
    universal: np.ndarray  # (pairs,) the funder may pay every class of the pair's village
    local: np.ndarray  # (F,) the funder pays in one village only and is universal there
    part: np.ndarray  # (C,) connected part of each class
    pair_first: np.ndarray  # (C + 1,) offsets of each class's pairs


def _sorted_counts(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(unique keys, inverse, counts) by sorting (fast for millions of integers)."""
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    new = np.ones(len(keys), dtype=bool)
    new[1:] = ordered[1:] != ordered[:-1]
    ids = np.cumsum(new) - 1
    inverse = np.empty(len(keys), dtype=np.int64)
    inverse[order] = ids
    return ordered[new], inverse, np.bincount(ids, minlength=int(new.sum()))


def structure(p: Problem) -> Structure:
    n_v, n_f = len(p.villages), max(len(p.funders), 1)
    pv = p.village[p.pair_class]
    classes_in = np.bincount(p.village, minlength=n_v)
    keys, inverse, counts = _sorted_counts(pv * n_f + p.pair_funder)
    key_v, key_f = keys // n_f, keys % n_f
    universal_key = counts == classes_in[key_v]
    villages_of_f = np.bincount(key_f, minlength=len(p.funders))
    universal_of_f = np.bincount(key_f, weights=universal_key, minlength=len(p.funders))
    local = (villages_of_f == 1) & (universal_of_f == 1)
    graph = sparse.coo_matrix((np.ones(len(keys)), (key_v, n_v + key_f)),
                              shape=(n_v + n_f, n_v + n_f))
    _, label = csgraph.connected_components(graph, directed=False)
    first = np.searchsorted(p.pair_class, np.arange(p.classes + 1))
    return Structure(universal_key[inverse], local, label[p.village], first)


@dataclass
class Part:
    """One connected part as a HiGHS model, with the maps back to classes and pairs."""

    cls: np.ndarray  # global class ids, ascending
    pairs: np.ndarray  # global pair ids of those classes
    y_pairs: np.ndarray  # global pair ids with a money column y
    a_village: np.ndarray  # local village of each a column
    a_funder: np.ndarray  # global funder of each a column
    villages: np.ndarray  # global villages of the part
    local_budget: np.ndarray  # per local village: budgets of its own funders (rupiah)
    lift: np.ndarray  # global lift villages of the part
    need: np.ndarray
    columns: int
    rows: int
    y0: int
    a0: int
    z0: int
    model: dict


def _part(p: Problem, s: Structure, cls: np.ndarray, least_all: np.ndarray) -> Part:
    budget = p.budgets()
    n_f = max(len(p.funders), 1)
    count = s.pair_first[cls + 1] - s.pair_first[cls]
    pairs = _ranges(s.pair_first[cls], count)
    local_class = np.repeat(np.arange(len(cls)), count)
    villages, class_village = np.unique(p.village[cls], return_inverse=True)
    pf = p.pair_funder[pairs]
    universal = s.universal[pairs]
    own = universal & s.local[pf]
    shared = universal & ~own
    restricted = ~universal
    # a columns: one per (village, shared universal funder)
    a_keys = np.unique(class_village[local_class[shared]] * n_f + pf[shared])
    a_village, a_funder = a_keys // n_f, a_keys % n_f
    local_budget = np.zeros(len(villages))
    own_keys = np.unique(class_village[local_class[own]] * n_f + pf[own])
    np.add.at(local_budget, own_keys // n_f, budget[own_keys % n_f])
    y_pairs = pairs[restricted]
    m, ny, na = len(cls), len(y_pairs), len(a_keys)
    lift = p.lift_villages[np.isin(p.lift_villages, villages)] if len(p.lift_villages) \
        else p.lift_villages
    y0, a0, z0 = m, m + ny, m + ny + na
    columns = z0 + len(lift)
    # funder rows: funders with y or a columns
    row_funders = np.unique(np.concatenate([p.pair_funder[y_pairs], a_funder]))
    f_row = np.searchsorted(row_funders, np.concatenate([p.pair_funder[y_pairs], a_funder]))
    cost = p.cost[cls] / MONEY
    rows, cols, vals, lo, hi = [], [], [], [], []
    nr = 0
    rows.append(f_row)
    cols.append(np.arange(y0, z0))
    vals.append(np.ones(ny + na))
    lo.append(np.full(len(row_funders), -np.inf))
    hi.append(budget[row_funders] / MONEY)
    nr += len(row_funders)
    # village rows
    y_class = local_class[restricted]
    rows += [nr + class_village, nr + class_village[y_class], nr + a_village]
    cols += [np.arange(m), y0 + np.arange(ny), a0 + np.arange(na)]
    vals += [cost, -np.ones(ny), -np.ones(na)]
    lo.append(np.full(len(villages), -np.inf))
    hi.append(local_budget / MONEY)
    nr += len(villages)
    # class rows for classes with restricted money
    y_classes, y_row = np.unique(y_class, return_inverse=True)
    rows += [nr + y_row.ravel(), nr + np.arange(len(y_classes))]
    cols += [y0 + np.arange(ny), y_classes]
    vals += [np.ones(ny), -cost[y_classes]]
    lo.append(np.full(len(y_classes), -np.inf))
    hi.append(np.zeros(len(y_classes)))
    nr += len(y_classes)
    # stacking limits
    in_part = np.isin(p.cap_class, cls)
    if in_part.any():
        cap_cls, cap_row = p.cap_class[in_part], p.cap_row[in_part]
        used_rows, local_row = np.unique(cap_row, return_inverse=True)
        rows.append(nr + local_row.ravel())
        cols.append(np.searchsorted(cls, cap_cls))
        vals.append(p.steps[cap_cls].astype(float))
        lo.append(np.full(len(used_rows), -np.inf))
        hi.append(p.cap_rhs[used_rows].astype(float))
        nr += len(used_rows)
    objective = np.zeros(columns)
    need = np.zeros(0, dtype=np.int64)
    reachable = np.ones(len(lift), dtype=bool)
    if len(lift):
        need = (p.start.target - p.start.units)[lift]
        lift_of_village = np.full(len(villages), -1, dtype=np.int64)
        lift_of_village[np.searchsorted(villages, lift)] = np.arange(len(lift))
        row_of_class = lift_of_village[class_village]
        gain = np.minimum(p.gain[cls], need[row_of_class]).astype(float)
        rows += [nr + row_of_class, nr + np.arange(len(lift))]
        cols += [np.arange(m), z0 + np.arange(len(lift))]
        vals += [gain, -need.astype(float)]
        nr += len(lift)
        # the least a lift can cost (exact, whoever pays): Σ cost n ≥ L z
        least = least_all[lift]
        reachable = np.isfinite(least)
        rows += [nr + row_of_class, nr + np.arange(len(lift))]
        cols += [np.arange(m), z0 + np.arange(len(lift))]
        vals += [cost, -np.where(reachable, least, 0.0) / MONEY]
        lo.append(np.zeros(2 * len(lift)))
        hi.append(np.full(2 * len(lift), np.inf))
        nr += len(lift)
        objective[z0:] = 1.0
    else:
        objective[:m] = p.gain[cls]
    matrix = sparse.coo_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
        shape=(nr, columns)).tocsc()
    matrix.sum_duplicates()
    village_money = np.bincount(class_village, weights=p.cost[cls] * p.size[cls],
                                minlength=len(villages))
    upper = np.concatenate([
        p.size[cls].astype(float),
        np.minimum(p.cost[p.pair_class[y_pairs]] * p.size[p.pair_class[y_pairs]],
                   budget[p.pair_funder[y_pairs]]) / MONEY,
        np.minimum(village_money[a_village], budget[a_funder]) / MONEY,
        reachable.astype(float),
    ])
    integrality = np.zeros(columns, dtype=np.int32)
    integrality[:m] = 1
    integrality[z0:] = 1
    model = dict(cost=objective, upper=upper, row_lower=np.concatenate(lo),
                 row_upper=np.concatenate(hi), start=matrix.indptr.astype(np.int32),
                 index=matrix.indices.astype(np.int32), value=matrix.data.astype(float),
                 integrality=integrality)
    return Part(cls, pairs, y_pairs, a_village, a_funder, villages, local_budget, lift,
                need, columns, nr, y0, a0, z0, model)


def _highs(part: Part, integer: bool, time_limit: float, gap: float,
           lower: np.ndarray | None = None, upper: np.ndarray | None = None) -> highspy.Highs:
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("random_seed", 1)
    h.setOptionValue("time_limit", max(float(time_limit), 0.01))
    h.setOptionValue("mip_rel_gap", float(gap))
    m = part.model
    integrality = m["integrality"] if integer else np.zeros(part.columns, dtype=np.int32)
    h.passModel(part.columns, part.rows, len(m["value"]), int(highspy.MatrixFormat.kColwise),
                int(highspy.ObjSense.kMaximize), 0.0, m["cost"],
                np.zeros(part.columns) if lower is None else lower,
                m["upper"] if upper is None else upper, m["row_lower"], m["row_upper"],
                m["start"], m["index"], m["value"], integrality)
    return h


def _values(p: Problem, part: Part, count: np.ndarray, paid: np.ndarray) -> np.ndarray:
    """Model columns of a plan given as class units and class-funder payments (rupiah)."""
    values = np.zeros(part.columns)
    values[:part.y0] = count[part.cls]
    values[part.y0:part.a0] = paid[part.y_pairs] / MONEY
    n_f = max(len(p.funders), 1)
    a_keys = part.a_village * n_f + part.a_funder
    pairs = part.pairs
    local_village = np.searchsorted(part.villages, p.village[p.pair_class[pairs]])
    keys = local_village * n_f + p.pair_funder[pairs]
    at = np.searchsorted(a_keys, keys)
    hit = np.zeros(len(keys), dtype=bool)
    if len(a_keys):
        hit = (at < len(a_keys)) & (a_keys[np.minimum(at, len(a_keys) - 1)] == keys)
    np.add.at(values, part.a0 + at[hit], paid[pairs[hit]] / MONEY)
    if len(part.lift):
        values[part.z0:] = _lifted(p, part, count)
    return values


def _lifted(p: Problem, part: Part, count: np.ndarray) -> np.ndarray:
    gained = np.bincount(np.searchsorted(part.villages, p.village[part.cls]),
                         weights=p.gain[part.cls] * count[part.cls],
                         minlength=len(part.villages))
    at = np.searchsorted(part.villages, part.lift)
    return (gained[at] >= part.need).astype(float)


def _score(p: Problem, part: Part, count: np.ndarray) -> int:
    if len(part.lift):
        return int(_lifted(p, part, count).sum())
    return int((p.gain[part.cls] * count[part.cls]).sum())


def _money(p: Problem, s: Structure, part: Part, count: np.ndarray,
           col: np.ndarray) -> np.ndarray:
    """Rupiah per class-funder pair from a model solution: restricted money as solved; the
    rest of each class's cost shared among the village's universal funders in proportion to
    what each has for the village (its a_{v,f}, or its whole budget if the village's own)."""
    pairs = part.pairs
    money = np.zeros(len(pairs))
    demand = (count[part.cls] * p.cost[part.cls]).astype(float)
    y = np.maximum(col[part.y0:part.a0], 0) * MONEY
    pos = np.searchsorted(pairs, part.y_pairs)
    local_cls = np.searchsorted(part.cls, p.pair_class[pairs])
    y_total = np.bincount(local_cls[pos], weights=y, minlength=len(part.cls))
    shrink = np.divide(demand, y_total, out=np.ones(len(part.cls)), where=y_total > demand)
    money[pos] = y * shrink[local_cls[pos]]
    residual = demand - np.minimum(y_total, demand)
    n_f = max(len(p.funders), 1)
    local_village = np.searchsorted(part.villages, p.village[p.pair_class[pairs]])
    universal = s.universal[pairs]
    supply = np.zeros(len(pairs))
    own = universal & s.local[p.pair_funder[pairs]]
    supply[own] = p.budgets()[p.pair_funder[pairs[own]]]
    a_keys = part.a_village * n_f + part.a_funder
    keys = local_village * n_f + p.pair_funder[pairs]
    at = np.searchsorted(a_keys, keys)
    hit = universal & ~own
    supply[hit] = np.maximum(col[part.a0 + at[hit]], 0) * MONEY
    class_supply = np.bincount(local_cls, weights=supply, minlength=len(part.cls))
    share = np.divide(supply, class_supply[local_cls], out=np.zeros(len(pairs)),
                      where=class_supply[local_cls] > 0)
    money[universal] = (residual[local_cls] * share)[universal]
    return money


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
    part = _part(p, s, cls, least)
    state = PartState(part)
    lp = _highs(part, False, deadline - time.perf_counter(), 0.0)
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
        value = _score(p, part, mine)
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
            money[st.part.pairs] = _money(p, s, st.part, rounded, st.lp)
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
            scores = [_score(p, st.part, c) for c, _ in plans]
            best = int(np.argmax(scores))
            count, paid = plans[best]
            st.value, st.count = scores[best], count
            st.col = _values(p, st.part, count, paid)
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
        money[part.pairs] = _money(p, s, part, st.count, st.col)
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

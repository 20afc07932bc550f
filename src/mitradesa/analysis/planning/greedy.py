"""The greedy plan: highest IDM gain (NILAI) per rupiah first, under the same funder rules.

Activities are taken in order of IDM gain per rupiah (ties: the village with the lower IDM
first); one is taken when its eligible funders still hold its cost together. It is paid from
the most restricted funder first (the smallest area × number of allowed indicators: a
village's Dana Desa before a partner's commitment before APBD), so flexible money stays for
later. Only activities that can add to the objective are considered (see `problem`).
Identical activities sit next to each other in this order, so taking them class by class is
the same as taking them one by one.

The same procedure also tops up a partial plan (the rounded relaxation in `model`): it then
starts from given counts and remaining budgets.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mitradesa.analysis.planning.lift import cheapest_lift
from mitradesa.analysis.planning.problem import Problem


@dataclass(frozen=True)
class Choice:
    """How many units of each class are taken and what each eligible funder pays per class
    (aligned with problem.pair_class / pair_funder), in rupiah."""

    count: np.ndarray  # (C,)
    paid: np.ndarray  # (pairs,)


def funder_scope(problem: Problem) -> np.ndarray:
    villages = len(problem.villages)
    indicators = problem.villages.scores.shape[1]
    return np.array([
        (villages if f.villages is None else len(f.villages))
        * (indicators if f.indicators is None else len(f.indicators))
        for f in problem.funders
    ], dtype=np.int64)


def greedy(problem: Problem, classes: np.ndarray | None = None,
           count: np.ndarray | None = None, remaining: np.ndarray | None = None,
           ordered: bool = False, limit: np.ndarray | None = None) -> Choice:
    """Greedy over `classes` (default all), adding to `count` (default none taken) within
    `remaining` budgets (default the full budgets), in gain-per-rupiah order (or in the order
    given, `ordered`), at most `limit` units per class (default all there are). Returns the
    units and payments added."""
    p = problem
    c_count = p.classes
    added = np.zeros(c_count, dtype=np.int64)
    paid = np.zeros(len(p.pair_class), dtype=np.int64)
    if classes is None:
        classes = np.arange(c_count)
    if c_count == 0 or len(classes) == 0:
        return Choice(added, paid)
    taken = np.zeros(c_count, dtype=np.int64) if count is None else count
    budget = p.budgets() if remaining is None else remaining
    ratio = p.gain[classes] / p.cost[classes]
    order = classes if ordered else classes[
        np.lexsort((classes, p.start.idm[p.village[classes]], -ratio))]
    scope = funder_scope(p)
    first = np.searchsorted(p.pair_class, np.arange(c_count + 1))
    pay_order = np.lexsort((p.pair_funder, scope[p.pair_funder], p.pair_class))
    involved = np.unique(p.pair_funder[_pairs_of(first, classes)])
    left = dict(zip(involved.tolist(), budget[involved].tolist(), strict=True))
    cap_left = p.cap_rhs.copy()
    if len(p.cap_class):
        np.subtract.at(cap_left, p.cap_row, p.steps[p.cap_class] * taken[p.cap_class])
    cap_left = cap_left.tolist()
    cap_of = dict(zip(p.cap_class.tolist(), p.cap_row.tolist(), strict=True))
    pf = p.pair_funder.tolist()
    pay_order = pay_order.tolist()
    first = first.tolist()
    size = (p.size if limit is None else np.minimum(p.size, taken + limit)).tolist()
    taken_list = taken.tolist()
    for c in order.tolist():
        room = size[c] - taken_list[c]
        row = cap_of.get(c)
        if row is not None:
            room = min(room, cap_left[row] // int(p.steps[c]))
        if room <= 0:
            continue
        pairs = pay_order[first[c]:first[c + 1]]
        available = sum(left[pf[k]] for k in pairs)
        cost = int(p.cost[c])
        take = min(room, available // cost)
        if take <= 0:
            continue
        added[c] = take
        if row is not None:
            cap_left[row] -= take * int(p.steps[c])
        due = take * cost
        for k in pairs:
            f = pf[k]
            pay = min(due, left[f])
            if pay:
                left[f] -= pay
                paid[k] = pay
                due -= pay
            if due == 0:
                break
    return Choice(added, paid)


def _pairs_of(first: np.ndarray, classes: np.ndarray) -> np.ndarray:
    count = first[classes + 1] - first[classes]
    total = int(count.sum())
    starts = np.cumsum(count) - count
    return np.repeat(first[classes] - starts, count) + np.arange(total)


def cheapest_lifts_first(problem: Problem, count: np.ndarray, remaining: np.ndarray,
                         cheapest: np.ndarray | None = None) -> Choice:
    """For "status_up": on top of `count`, lift the villages whose next status is cheapest
    to reach first (the exact cheapest set of steps, `lift.cheapest_lift`), each paid in
    full from its funders' remaining money (most restricted first) or not at all."""
    p = problem
    added = np.zeros(p.classes, dtype=np.int64)
    paid = np.zeros(len(p.pair_class), dtype=np.int64)
    if p.classes == 0 or len(p.lift_villages) == 0:
        return Choice(added, paid)
    start = p.start
    units = start.units + np.bincount(p.village, weights=p.gain * count,
                                      minlength=len(p.villages)).astype(np.int64)
    need_all = start.target - units
    open_villages = p.lift_villages[need_all[p.lift_villages] > 0]
    row_of = np.full(len(p.villages), -1, dtype=np.int64)
    row_of[open_villages] = np.arange(len(open_villages))
    room = p.size - count
    items = np.nonzero((row_of[p.village] >= 0) & (room > 0))[0]
    plan_units = np.zeros(p.classes, dtype=np.int64)
    if cheapest is None:  # from `count`
        least, taken = cheapest_lift(row_of[p.village[items]], p.gain[items], p.cost[items],
                                     room[items], need_all[open_villages], units=True)
        plan_units[items] = taken
    else:  # given: the cheapest lifts from the start, with nothing taken yet
        plan_units = cheapest
        least = np.bincount(row_of[p.village[items]], weights=(p.cost * cheapest)[items],
                            minlength=len(open_villages))
        reached = np.bincount(row_of[p.village[items]], weights=(p.gain * cheapest)[items],
                              minlength=len(open_villages))
        least[reached < need_all[open_villages]] = np.inf
    scope = funder_scope(p)
    first = np.searchsorted(p.pair_class, np.arange(p.classes + 1)).tolist()
    pay_order = np.lexsort((p.pair_funder, scope[p.pair_funder], p.pair_class)).tolist()
    pf = p.pair_funder.tolist()
    left = remaining.astype(np.int64).tolist()
    cap_left = p.cap_rhs.copy()
    if len(p.cap_class):
        np.subtract.at(cap_left, p.cap_row, p.steps[p.cap_class] * count[p.cap_class])
    cap_left = cap_left.tolist()
    cap_of = dict(zip(p.cap_class.tolist(), p.cap_row.tolist(), strict=True))
    by_village = np.argsort(p.village[items], kind="stable")
    village_sorted = p.village[items][by_village]
    costs = p.cost.tolist()
    steps = p.steps.tolist()
    for r in np.argsort(least, kind="stable").tolist():
        if not np.isfinite(least[r]):
            break
        v = int(open_villages[r])
        lo, hi = np.searchsorted(village_sorted, [v, v + 1])
        mine = [int(items[by_village[j]]) for j in range(lo, hi)
                if plan_units[items[by_village[j]]] > 0]
        payments: list[tuple[int, int]] = []
        caps: list[tuple[int, int]] = []
        ok = True
        for c in mine:
            n = int(plan_units[c])
            row = cap_of.get(c)
            if row is not None:
                if cap_left[row] < n * steps[c]:
                    ok = False
                    break
                cap_left[row] -= n * steps[c]
                caps.append((row, n * steps[c]))
            due = n * costs[c]
            for k in pay_order[first[c]:first[c + 1]]:
                pay = min(due, left[pf[k]])
                if pay:
                    left[pf[k]] -= pay
                    payments.append((k, pay))
                    due -= pay
                if due == 0:
                    break
            if due:
                ok = False
                break
        if not ok:
            for k, pay in payments:
                left[pf[k]] += pay
            for row, used in caps:
                cap_left[row] += used
            continue
        for c in mine:
            added[c] += plan_units[c]
        for k, pay in payments:
            paid[k] += pay
    return Choice(added, paid)

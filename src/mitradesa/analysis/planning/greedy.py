"""The greedy plan: highest IDM gain (NILAI) per rupiah first, under the same funder rules.

Activities are taken in order of IDM gain per rupiah (ties: the village with the lower IDM
first); one is taken when its eligible funders still hold its cost together. It is paid from
the most restricted funder first (the smallest area × number of allowed indicators: a
village's Dana Desa before a partner's commitment before APBD), so flexible money stays for
later. Only activities that can add to the objective are considered (see `problem`).
Identical activities sit next to each other in this order, so taking them class by class is
the same as taking them one by one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mitradesa.analysis.planning.problem import Problem


@dataclass(frozen=True)
class Choice:
    """How many activities of each class are taken and what each eligible funder pays per
    class (aligned with problem.pair_class / pair_funder), in rupiah."""

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


def greedy(problem: Problem) -> Choice:
    c_count = problem.classes
    count = np.zeros(c_count, dtype=np.int64)
    paid = np.zeros(len(problem.pair_class), dtype=np.int64)
    if c_count == 0:
        return Choice(count, paid)
    ratio = problem.gain / problem.cost
    order = np.lexsort((np.arange(c_count), problem.start.idm[problem.village], -ratio))
    scope = funder_scope(problem)
    # pairs of each class, most restricted funder first
    pair_order = np.lexsort((problem.pair_funder, scope[problem.pair_funder],
                             problem.pair_class))
    first = np.searchsorted(problem.pair_class[pair_order], np.arange(c_count + 1))
    remaining = [f.budget for f in problem.funders]
    cap_left = problem.cap_rhs.tolist()
    cap_of = dict(zip(problem.cap_class.tolist(), problem.cap_row.tolist(), strict=True))
    pf = problem.pair_funder[pair_order].tolist()
    size, cost, steps = problem.size.tolist(), problem.cost.tolist(), problem.steps.tolist()
    for c in order.tolist():
        take = size[c]
        row = cap_of.get(c)
        if row is not None:
            take = min(take, cap_left[row] // steps[c])
        lo, hi = int(first[c]), int(first[c + 1])
        funders = pf[lo:hi]
        available = sum(remaining[f] for f in funders)
        take = min(take, available // cost[c])
        if take <= 0:
            continue
        count[c] = take
        if row is not None:
            cap_left[row] -= take * steps[c]
        due = take * cost[c]
        for k, f in enumerate(funders):
            pay = min(due, remaining[f])
            if pay:
                remaining[f] -= pay
                paid[pair_order[lo + k]] = pay
                due -= pay
            if due == 0:
                break
    return Choice(count, paid)

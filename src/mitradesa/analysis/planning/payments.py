"""Whole-rupiah payments from the solver's money flows, and per activity.

The solver's money per (class, funder) is a float within its tolerances. It is rounded so
that each class is paid exactly (largest remainders), money a funder would overspend is taken
back, and any class still short is paid through augmenting paths in the class–funder graph
(money shifts between funders a class may use). The data are integers, so whole-rupiah
payments exist whenever the flows are feasible; a class that cannot be paid (only possible
through solver tolerance) loses one activity and is tried again.
"""

from __future__ import annotations

from collections import deque

import numpy as np

from mitradesa.analysis.planning.problem import Problem, concat_ranges


def _paths(problem: Problem, paid: np.ndarray, short: np.ndarray,
           slack: np.ndarray) -> list[int]:
    """Pay each class's shortfall through augmenting paths; the classes left unpaid."""
    pc, pf = problem.pair_class, problem.pair_funder
    first = np.searchsorted(pc, np.arange(problem.classes + 1))
    by_funder = np.argsort(pf, kind="stable")
    funder_first = np.searchsorted(pf[by_funder], np.arange(len(problem.funders) + 1))
    unpaid = []
    for c in np.nonzero(short > 0)[0].tolist():
        while short[c] > 0:
            # BFS: class → funder (may pay more) → class already paid by it (pays less) …
            seen_f: dict[int, tuple[int, int]] = {}  # funder → (pair used, previous funder)
            queue: deque[tuple[int, int]] = deque()  # (class, funder that freed it or -1)
            queue.append((c, -1))
            seen_c = {c}
            end = -1
            while queue and end < 0:
                cls, via = queue.popleft()
                for pair in range(first[cls], first[cls + 1]):
                    f = int(pf[pair])
                    if f in seen_f:
                        continue
                    seen_f[f] = (pair, via)
                    if slack[f] > 0:
                        end = f
                        break
                    for k in by_funder[funder_first[f]:funder_first[f + 1]]:
                        other = int(pc[k])
                        if paid[k] > 0 and other not in seen_c:
                            seen_c.add(other)
                            queue.append((other, f))
            if end < 0:
                unpaid.append(c)
                break
            # walk back: amounts along the path
            path = []
            f = end
            while f >= 0:
                pair, via = seen_f[f]
                path.append((pair, via))
                f = via
            amount = min(int(short[c]), int(slack[end]))
            for pair, via in path:
                if via >= 0:  # the class of `pair` gives up money of funder `via`
                    back = _pair_of(pc, pf, first, int(pc[pair]), via)
                    amount = min(amount, int(paid[back]))
            for pair, via in path:
                paid[pair] += amount
                if via >= 0:
                    paid[_pair_of(pc, pf, first, int(pc[pair]), via)] -= amount
            slack[end] -= amount
            short[c] -= amount
    return unpaid


def _pair_of(pc, pf, first, cls: int, funder: int) -> int:
    lo, hi = int(first[cls]), int(first[cls + 1])
    return lo + int(np.searchsorted(pf[lo:hi], funder))


def whole_rupiah(problem: Problem, count: np.ndarray,
                 money: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(count, paid): integer payments per (class, funder) pair that pay every taken
    activity exactly and keep every funder within budget."""
    count = count.copy()
    pc, pf = problem.pair_class, problem.pair_funder
    budget = np.array([f.budget for f in problem.funders], dtype=np.int64)
    # Pay in the largest unit that divides every cost and budget (often a million rupiah),
    # so a split between funders reads Rp2.415.000.000, not Rp2.415.000.001.
    quantum = max(int(np.gcd.reduce(np.concatenate([problem.cost, budget]).astype(np.int64))), 1)
    while True:
        demand = count * problem.cost
        flow = np.where(count[pc] > 0, np.maximum(money, 0.0), 0.0)
        total = np.bincount(pc, weights=flow, minlength=problem.classes)
        scale = np.divide(demand, total, out=np.zeros(problem.classes), where=total > 0)
        flow = flow * scale[pc]
        paid = (np.floor(flow / quantum) * quantum).astype(np.int64)
        short = demand - np.bincount(pc, weights=paid, minlength=problem.classes).astype(
            np.int64)
        # largest remainders first, at most one unit per pair
        order = np.lexsort((-(flow - paid), pc))
        rank = np.arange(len(pc)) - np.searchsorted(pc[order], pc[order])
        up = order[rank < (short // quantum)[pc[order]]]
        paid[up] += quantum
        short = demand - np.bincount(pc, weights=paid, minlength=problem.classes).astype(
            np.int64)
        for c in np.nonzero(short < 0)[0].tolist():  # float noise: pay back the surplus
            for k in np.nonzero(pc == c)[0].tolist():
                back = min(-int(short[c]), int(paid[k]))
                paid[k] -= back
                short[c] += back
        load = np.bincount(pf, weights=paid, minlength=len(budget)).astype(np.int64)
        for f in np.nonzero(load > budget)[0].tolist():
            excess = int(load[f] - budget[f])
            for k in np.nonzero(pf == f)[0][np.argsort(-paid[pf == f])].tolist():
                take = min(excess, int(paid[k]))
                paid[k] -= take
                short[pc[k]] += take
                excess -= take
                if excess == 0:
                    break
            load[f] = budget[f] + excess
        slack = budget - np.bincount(pf, weights=paid, minlength=len(budget)).astype(np.int64)
        unpaid = _paths(problem, paid, short, slack)
        if not unpaid:
            return count, paid
        for c in unpaid:
            count[c] -= 1
        money = paid.astype(float)


def per_activity(problem: Problem, count: np.ndarray, paid: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(chosen candidates, times each is taken, payment activity, payment funder, amount):
    the class's units come from its members in order (lowest score first), and each
    member's cost is paid from the class's money in funder order."""
    p = problem
    cand = p.candidates
    members = p.members
    member_class = np.repeat(np.arange(p.classes), np.diff(p.class_start))
    repeat = cand.repeat[members]
    before = np.cumsum(repeat) - repeat - np.repeat(
        (np.cumsum(repeat) - repeat)[p.class_start[:-1]], np.diff(p.class_start))
    times = np.clip(count[member_class] - before, 0, repeat)
    keep = times > 0
    chosen, times, owner = members[keep], times[keep], member_class[keep]
    demand = count * p.cost
    base = np.cumsum(demand) - demand  # each class's money on one global line
    member_money = times * p.cost[owner]
    member_end = base[owner] + (np.cumsum(member_money) - member_money
                                - (np.cumsum(member_money) - member_money)[
                                    np.searchsorted(owner, owner)]) + member_money
    member_start = member_end - member_money
    live = np.nonzero(paid > 0)[0]
    cls, amount = p.pair_class[live], paid[live]
    before_pair = np.cumsum(amount) - amount
    pair_start = base[cls] + before_pair - before_pair[np.searchsorted(cls, cls)]
    pair_end = pair_start + amount
    m_first = np.searchsorted(member_end, pair_start, side="right")
    m_last = np.searchsorted(member_end, pair_end, side="left")
    n = m_last - m_first + 1
    rep = np.repeat(np.arange(len(live)), n)
    m = concat_ranges(m_first, n)
    part = np.minimum(pair_end[rep], member_end[m]) - np.maximum(pair_start[rep],
                                                                 member_start[m])
    ok = part > 0
    return (chosen, times, m[ok], p.pair_funder[live][rep][ok], part[ok])

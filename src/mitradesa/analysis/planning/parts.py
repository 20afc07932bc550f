"""One connected part of the planning problem as a HiGHS model (the compact funding rows
of `model`), and the maps between model columns and class units / payments."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.sparse import csgraph

from mitradesa.analysis.planning.problem import Problem, concat_ranges

MONEY = 1_000_000  # rupiah per solver money unit
EPS = 1e-6


@dataclass(frozen=True)
class Structure:
    universal: np.ndarray  # (pairs,) the funder may pay every class of the pair's village
    local: np.ndarray  # (F,) the funder pays in one village only and is universal there
    part: np.ndarray  # (C,) connected part of each class
    pair_first: np.ndarray  # (C + 1,) offsets of each class's pairs


def sorted_counts(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
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
    keys, inverse, counts = sorted_counts(pv * n_f + p.pair_funder)
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


def build_part(p: Problem, s: Structure, cls: np.ndarray, least_all: np.ndarray) -> Part:
    budget = p.budgets()
    n_f = max(len(p.funders), 1)
    count = s.pair_first[cls + 1] - s.pair_first[cls]
    pairs = concat_ranges(s.pair_first[cls], count)
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


def part_values(p: Problem, part: Part, count: np.ndarray, paid: np.ndarray) -> np.ndarray:
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
        values[part.z0:] = lifted(p, part, count)
    return values


def lifted(p: Problem, part: Part, count: np.ndarray) -> np.ndarray:
    gained = np.bincount(np.searchsorted(part.villages, p.village[part.cls]),
                         weights=p.gain[part.cls] * count[part.cls],
                         minlength=len(part.villages))
    at = np.searchsorted(part.villages, part.lift)
    return (gained[at] >= part.need).astype(float)


def score(p: Problem, part: Part, count: np.ndarray) -> int:
    if len(part.lift):
        return int(lifted(p, part, count).sum())
    return int((p.gain[part.cls] * count[part.cls]).sum())


def pair_money(p: Problem, s: Structure, part: Part, count: np.ndarray,
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

"""The mixed-integer program, solved with HiGHS (highspy).

Variables (money in millions of rupiah inside the solver, for conditioning):
- n_c ∈ {0, …, size_c}: how many activities of class c are taken (binary x_a when the class
  holds one activity);
- y_{c,f} ≥ 0: money of funder f for class c, only where f may pay, with
  Σ_f y_{c,f} = cost_c · n_c (a class with a single eligible funder charges it directly);
- z_v ∈ {0, 1} for "status_up": village v reaches its next status.
Constraints: Σ_c y_{c,f} ≤ budget_f; on a village-indicator where candidates could stack
above 5, Σ steps_c · n_c ≤ 5 − score; for "status_up",
Σ_{c in v} min(gain_c, need_v) · n_c ≥ need_v · z_v, where gains and need_v (the units from
the village's IDM to the fewest units of its next status) are exact integers: the status rises
exactly when units ≥ that threshold (read off the engine). Capping a gain at need_v changes no
integer solution and tightens the relaxation.
Objective: Σ z_v ("status_up"), Σ gain_c · n_c over the bottom-20% villages ("bottom20"; the
other villages' activities are left out) or over all ("total_gain").
The greedy plan is handed to HiGHS as a starting solution, so the MIP plan is never worse.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import highspy
import numpy as np
from scipy import sparse

from mitradesa.analysis.planning.greedy import Choice
from mitradesa.analysis.planning.problem import Problem

MONEY = 1_000_000  # rupiah per solver money unit


@dataclass(frozen=True)
class Solved:
    count: np.ndarray  # (C,) rounded n_c
    money: np.ndarray  # (pairs,) rupiah per (class, funder) pair, as floats from the solver
    status: str
    mip_gap: float | None
    dual_bound: float | None
    objective: float | None
    seconds: float
    columns: int
    rows: int
    feasible: bool


@dataclass(frozen=True)
class _Layout:
    multi_pairs: np.ndarray  # pair indices that have a y column
    y_start: int
    z_start: int
    columns: int


def _layout(problem: Problem) -> _Layout:
    multi = problem.funder_counts() >= 2
    multi_pairs = np.nonzero(multi[problem.pair_class])[0]
    y_start = problem.classes
    z_start = y_start + len(multi_pairs)
    return _Layout(multi_pairs, y_start, z_start, z_start + len(problem.lift_villages))


def build(problem: Problem) -> tuple[dict, _Layout]:
    p = problem
    lay = _layout(p)
    classes = p.classes
    funders = len(p.funders)
    cost = p.cost / MONEY
    rows, cols, vals = [], [], []
    # budget rows 0 … F-1
    multi = p.funder_counts() >= 2
    single_pairs = np.nonzero(~multi[p.pair_class])[0]
    rows += [p.pair_funder[single_pairs], p.pair_funder[lay.multi_pairs]]
    cols += [p.pair_class[single_pairs], lay.y_start + np.arange(len(lay.multi_pairs))]
    vals += [cost[p.pair_class[single_pairs]], np.ones(len(lay.multi_pairs))]
    row_lo = [np.full(funders, -np.inf)]
    row_hi = [np.array([f.budget / MONEY for f in p.funders])]
    # one equality per class with several funders
    multi_classes = np.nonzero(multi)[0]
    eq_row = np.full(classes, -1, dtype=np.int64)
    eq_row[multi_classes] = funders + np.arange(len(multi_classes))
    rows += [eq_row[p.pair_class[lay.multi_pairs]], eq_row[multi_classes]]
    cols += [lay.y_start + np.arange(len(lay.multi_pairs)), multi_classes]
    vals += [np.ones(len(lay.multi_pairs)), -cost[multi_classes]]
    row_lo.append(np.zeros(len(multi_classes)))
    row_hi.append(np.zeros(len(multi_classes)))
    next_row = funders + len(multi_classes)
    # stacking limits
    rows.append(next_row + p.cap_row)
    cols.append(p.cap_class)
    vals.append(p.steps[p.cap_class].astype(float))
    cap_rows = len(p.cap_rhs)
    row_lo.append(np.full(cap_rows, -np.inf))
    row_hi.append(p.cap_rhs.astype(float))
    next_row += cap_rows
    objective = np.zeros(lay.columns)
    if p.objective == "status_up":
        lift_row = np.full(len(p.villages), -1, dtype=np.int64)
        lift_row[p.lift_villages] = np.arange(len(p.lift_villages))
        need = (p.start.target - p.start.units)[p.lift_villages]
        need_of_class = need[lift_row[p.village]]
        rows += [next_row + lift_row[p.village], next_row + np.arange(len(need))]
        cols += [np.arange(classes), lay.z_start + np.arange(len(need))]
        vals += [np.minimum(p.gain, need_of_class).astype(float), -need.astype(float)]
        row_lo.append(np.zeros(len(need)))
        row_hi.append(np.full(len(need), np.inf))
        next_row += len(need)
        objective[lay.z_start:] = 1.0
    else:
        objective[:classes] = p.gain
    matrix = sparse.coo_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
        shape=(next_row, lay.columns)).tocsc()
    matrix.sum_duplicates()
    lower = np.zeros(lay.columns)
    upper = np.concatenate([
        p.size.astype(float),
        (p.cost * p.size)[p.pair_class[lay.multi_pairs]] / MONEY,
        np.ones(len(p.lift_villages)),
    ])
    integrality = np.zeros(lay.columns, dtype=np.int32)
    integrality[:classes] = 1
    integrality[lay.z_start:] = 1
    model = dict(
        cost=objective, lower=lower, upper=upper,
        row_lower=np.concatenate(row_lo), row_upper=np.concatenate(row_hi),
        start=matrix.indptr.astype(np.int32), index=matrix.indices.astype(np.int32),
        value=matrix.data.astype(float), integrality=integrality, rows=next_row,
    )
    return model, lay


def _start_values(problem: Problem, lay: _Layout, start: Choice) -> np.ndarray:
    values = np.zeros(lay.columns)
    values[:problem.classes] = start.count
    values[lay.y_start:lay.z_start] = start.paid[lay.multi_pairs] / MONEY
    if len(problem.lift_villages):
        gained = np.bincount(problem.village, weights=problem.gain * start.count,
                             minlength=len(problem.villages))
        units = problem.start.units + gained
        lifted = units >= problem.start.target
        values[lay.z_start:] = lifted[problem.lift_villages]
    return values


def solve(problem: Problem, start: Choice, time_limit: float, mip_rel_gap: float,
          threads: int | None = None) -> Solved:
    began = time.perf_counter()
    model, lay = build(problem)
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("time_limit", float(time_limit))
    highs.setOptionValue("mip_rel_gap", float(mip_rel_gap))
    highs.setOptionValue("random_seed", 1)
    if threads:
        highs.setOptionValue("threads", int(threads))
    m = model
    highs.passModel(
        lay.columns, m["rows"], len(m["value"]), int(highspy.MatrixFormat.kColwise),
        int(highspy.ObjSense.kMaximize), 0.0, m["cost"], m["lower"], m["upper"],
        m["row_lower"], m["row_upper"], m["start"], m["index"], m["value"],
        m["integrality"])
    values = _start_values(problem, lay, start)
    highs.setSolution(lay.columns, np.arange(lay.columns, dtype=np.int32), values)
    highs.run()
    seconds = time.perf_counter() - began
    info = highs.getInfo()
    status = highs.modelStatusToString(highs.getModelStatus())
    feasible = info.primal_solution_status == 2
    col = np.asarray(highs.getSolution().col_value) if feasible else values
    count = np.clip(np.rint(col[:problem.classes]), 0, problem.size).astype(np.int64)
    money = count[problem.pair_class] * problem.cost[problem.pair_class].astype(float)
    money[lay.multi_pairs] = np.maximum(col[lay.y_start:lay.z_start], 0) * MONEY
    gap = float(info.mip_gap) if feasible and np.isfinite(info.mip_gap) else None
    bound = float(info.mip_dual_bound) if np.isfinite(info.mip_dual_bound) else None
    return Solved(count, money, status, gap, bound,
                  float(info.objective_function_value) if feasible else None,
                  seconds, lay.columns, m["rows"], feasible)

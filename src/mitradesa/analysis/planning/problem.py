"""The planning problem after preparation: who may pay for what, and identical activities
merged into classes.

Activities that cannot serve the objective are left out (no funder may pay; for
"status_up" a village already Mandiri or one that no set of its candidates lifts; for
"bottom20" a village outside the bottom 20%). Activities with the same village, index, steps,
cost and set of eligible funders are interchangeable (the same IDM gain, price and payers),
so a class holds them and the model decides only how many of them to take: an exact
reformulation that removes the symmetry, not an approximation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mitradesa.analysis.planning.inputs import (
    KIND_BIT,
    Candidates,
    Funder,
    PlanningInputError,
    UnitScale,
    Villages,
    unit_scale,
)
from mitradesa.idm.bulk import compute_many

OBJECTIVES = ("status_up", "bottom20", "total_gain")
OBJECTIVE_TITLES = {
    "status_up": "Desa naik status terbanyak",
    "bottom20": "Kenaikan terbesar 20% desa terbawah (rata-rata IDM)",
    "total_gain": "Kenaikan total IDM terbesar",
}


@dataclass(frozen=True)
class Start:
    """Every village's starting point, in exact units and as the engine reports it."""

    scale: UnitScale
    sums: np.ndarray  # (N, 3)
    units: np.ndarray  # (N,)
    status: np.ndarray  # (N,) 0 … 4, from the engine
    idm: np.ndarray  # (N,) the engine's IDM
    bottom: np.ndarray  # (N,) bool: IDM at or below the 20th percentile
    target: np.ndarray  # (N,) fewest units of the next status (-1 at the top status)


def start_of(villages: Villages) -> Start:
    scale = unit_scale()
    figures = compute_many(villages.scores)
    sums = scale.sums(villages.scores)
    units = scale.units(sums)
    status = figures.status.astype(np.int64)
    if not np.array_equal(scale.status_of_units(units), status):  # pragma: no cover
        raise PlanningInputError("ambang status dalam satuan bulat tidak cocok dengan mesin IDM")
    top = len(scale.thresholds) - 1
    target = np.where(status < top, scale.thresholds[np.minimum(status + 1, top)], -1)
    bottom = np.zeros(len(villages), dtype=bool)
    if len(villages):
        bottom = figures.idm <= np.percentile(figures.idm, 20)
    return Start(scale, sums, units, status, figures.idm, bottom, target)


@dataclass(frozen=True)
class Problem:
    villages: Villages
    candidates: Candidates
    funders: tuple[Funder, ...]
    objective: str
    start: Start
    # classes of interchangeable activities
    members: np.ndarray  # candidate indices, grouped by class, preferred first
    class_start: np.ndarray  # (C + 1,) offsets into members
    village: np.ndarray  # (C,)
    gain: np.ndarray  # (C,) units of one activity
    cost: np.ndarray  # (C,) rupiah of one activity
    steps: np.ndarray  # (C,)
    size: np.ndarray  # (C,)
    # eligible funders per class, sorted by class
    pair_class: np.ndarray
    pair_funder: np.ndarray
    # stacking limits where candidates on a village-indicator could exceed score 5
    cap_class: np.ndarray  # classes (size 1) in a capacity row
    cap_row: np.ndarray
    cap_rhs: np.ndarray  # steps left below 5, per row
    lift_villages: np.ndarray  # villages whose status may rise (status_up), else empty

    @property
    def classes(self) -> int:
        return len(self.village)

    def funder_counts(self) -> np.ndarray:
        return np.bincount(self.pair_class, minlength=self.classes)


def _eligible(villages: Villages, cand: Candidates, act: np.ndarray,
              funders: tuple[Funder, ...]) -> tuple[np.ndarray, np.ndarray]:
    """(activity, funder) pairs where the funder may pay, sorted by activity then funder."""
    where = villages.position()
    count = len(unit_scale().index_of)
    kind = np.array([KIND_BIT[f.kind] for f in funders], dtype=np.int64)
    allowed = np.ones((len(funders), count), dtype=bool)
    area_f: list[int] = []
    area_v: list[int] = []
    everywhere: list[int] = []
    for k, f in enumerate(funders):
        if f.indicators is not None:
            allowed[k] = False
            allowed[k, sorted(f.indicators)] = True
        if f.villages is None:
            everywhere.append(k)
        else:
            inside = [where[c] for c in f.villages if c in where]
            area_f.extend([k] * len(inside))
            area_v.extend(inside)
    by_village = act[np.argsort(cand.village[act], kind="stable")]
    counts = np.bincount(cand.village[act], minlength=len(villages))
    starts = np.cumsum(counts) - counts
    fv_f, fv_v = np.array(area_f, dtype=np.int64), np.array(area_v, dtype=np.int64)
    repeat = counts[fv_v]
    first = np.cumsum(repeat) - repeat
    offset = np.arange(repeat.sum()) - np.repeat(first, repeat)
    parts_a = [by_village[np.repeat(starts[fv_v], repeat) + offset]]
    parts_f = [np.repeat(fv_f, repeat)]
    for k in everywhere:
        parts_a.append(act)
        parts_f.append(np.full(len(act), k, dtype=np.int64))
    pa, pf = np.concatenate(parts_a), np.concatenate(parts_f)
    keep = ((cand.actors[pa] & kind[pf]) != 0) & allowed[pf, cand.indicator[pa]]
    pa, pf = pa[keep], pf[keep]
    order = np.lexsort((pf, pa))
    pa, pf = pa[order], pf[order]
    if pa.size:
        duplicate = (pa[1:] == pa[:-1]) & (pf[1:] == pf[:-1])
        keep = np.concatenate([[True], ~duplicate])
        pa, pf = pa[keep], pf[keep]
    return pa, pf


def _stack_key(villages: Villages, cand: Candidates) -> np.ndarray:
    return cand.village * villages.scores.shape[1] + cand.indicator


def _check_candidates(villages: Villages, cand: Candidates, start: Start) -> None:
    if cand.village.size == 0:
        return
    if cand.village.min() < 0 or cand.village.max() >= len(villages):
        raise PlanningInputError("kegiatan merujuk desa di luar daftar")
    if cand.indicator.min() < 0 or cand.indicator.max() >= villages.scores.shape[1]:
        raise PlanningInputError("kegiatan merujuk indikator di luar 0–49")
    above = villages.scores[cand.village, cand.indicator] + cand.steps > start.scale.top
    if above.any():
        a = int(np.argmax(above))
        raise PlanningInputError(
            f"kegiatan {a} menaikkan {start.scale.label(int(cand.indicator[a]))} desa "
            f"{villages.codes[cand.village[a]]} melewati skor 5")


def prepare(villages: Villages, cand: Candidates, funders: tuple[Funder, ...],
            objective: str) -> Problem:
    if objective not in OBJECTIVES:
        raise PlanningInputError(f"tujuan tidak dikenal: {objective!r} (pilih {OBJECTIVES})")
    ids = [f.id for f in funders]
    if len(set(ids)) != len(ids):
        raise PlanningInputError("kode pendana ganda")
    start = start_of(villages)
    scale = start.scale
    _check_candidates(villages, cand, start)
    top_status = len(scale.thresholds) - 1
    act = np.arange(len(cand), dtype=np.int64)
    if objective == "status_up":
        act = act[start.status[cand.village] < top_status]
    elif objective == "bottom20":
        act = act[start.bottom[cand.village]]
    pa, pf = _eligible(villages, cand, act, funders) if funders else (act[:0], act[:0])
    act = np.unique(pa)
    key = _stack_key(villages, cand)
    cells = villages.scores.size
    headroom = (scale.top - villages.scores).ravel()
    stacked = np.bincount(key[act], weights=cand.steps[act], minlength=cells)
    gain = cand.steps * scale.weights[scale.index_of[cand.indicator]]
    lift = np.zeros(0, dtype=np.int64)
    if objective == "status_up":
        reach = np.minimum(stacked, headroom).reshape(villages.scores.shape)
        best = start.units + (reach * scale.weights[scale.index_of]).sum(axis=1)
        lift = np.nonzero((start.status < top_status) & (best >= start.target))[0]
        keep = np.zeros(len(villages), dtype=bool)
        keep[lift] = True
        act = act[keep[cand.village[act]]]
        stacked = np.bincount(key[act], weights=cand.steps[act], minlength=cells)
    pair_keep = np.isin(pa, act)
    pa, pf = pa[pair_keep], pf[pair_keep]
    free = stacked[key[act]] <= headroom[key[act]]
    return _classes(villages, cand, tuple(funders), objective, start, act, pa, pf, free,
                    gain, key, headroom, lift)


def _classes(villages, cand, funders, objective, start, act, pa, pf, free, gain, key,
             headroom, lift) -> Problem:
    scale = start.scale
    n_funders = max(len(funders), 1)
    pair_first = np.searchsorted(pa, act)
    pair_count = np.searchsorted(pa, act, side="right") - pair_first
    rng = np.random.default_rng(20250801)
    tag = rng.integers(1, 2**62, size=n_funders, dtype=np.int64).astype(np.uint64)
    funder_hash = np.zeros(len(act), dtype=np.uint64)
    if pa.size:
        sums = np.add.reduceat(tag[pf], pair_first) if act.size else funder_hash
        funder_hash = sums.astype(np.uint64)
    index = scale.index_of[cand.indicator[act]]
    # Where candidates could stack above 5, each is its own class with a capacity row.
    alone = np.where(free, 0, np.arange(1, len(act) + 1))
    # Preferred order inside a class: lowest score first (stacked steps in order).
    level = villages.scores[cand.village[act], cand.indicator[act]] + _stack_offset(
        key[act], cand.steps[act])
    head = (cand.village[act] * len(scale.codes) + index) * 8 + cand.steps[act]
    for attempt in range(2):
        order = np.lexsort((cand.indicator[act], level, alone, funder_hash, cand.cost[act],
                            head))
        cols = (head[order], cand.cost[act][order], funder_hash[order], alone[order])
        change = np.zeros(len(act), dtype=bool)
        if len(act):
            change[0] = True
            for c in cols:
                change[1:] |= c[1:] != c[:-1]
        class_of_sorted = np.cumsum(change) - 1
        class_start = np.concatenate([np.nonzero(change)[0], [len(act)]]).astype(np.int64)
        size = np.diff(class_start)
        class_of = np.empty(len(act), dtype=np.int64)
        class_of[order] = class_of_sorted
        pc = np.repeat(class_of, pair_count)
        pair_key = pc * n_funders + pf
        _, seen = np.unique(pair_key, return_counts=True)
        classes_of_seen = np.unique(pair_key) // n_funders
        if np.all(seen == size[classes_of_seen]) or attempt == 1:
            break
        funder_hash = np.arange(len(act), dtype=np.uint64)  # hash clash: no merging
    members_local = order
    rep = members_local[class_start[:-1]]
    rep_pairs_first, rep_pairs_count = pair_first[rep], pair_count[rep]
    total = rep_pairs_count.sum()
    within = np.arange(total) - np.repeat(np.cumsum(rep_pairs_count) - rep_pairs_count,
                                          rep_pairs_count)
    pair_index = np.repeat(rep_pairs_first, rep_pairs_count) + within
    pair_class = np.repeat(np.arange(len(rep)), rep_pairs_count)
    pair_funder = pf[pair_index]
    # capacity rows: one per village-indicator that candidates could lift above 5
    cap_cls = class_of[~free]
    cap_keys = key[act][~free]
    uniq, cap_row = np.unique(cap_keys, return_inverse=True)
    rep_act = act[rep]
    return Problem(
        villages=villages, candidates=cand, funders=funders, objective=objective,
        start=start, members=act[members_local], class_start=class_start,
        village=cand.village[rep_act], gain=gain[rep_act], cost=cand.cost[rep_act],
        steps=cand.steps[rep_act], size=size, pair_class=pair_class,
        pair_funder=pair_funder, cap_class=cap_cls, cap_row=cap_row.astype(np.int64),
        cap_rhs=headroom[uniq].astype(np.int64), lift_villages=lift,
    )


def _stack_offset(key: np.ndarray, steps: np.ndarray) -> np.ndarray:
    """Steps of earlier candidates (in the given order) on the same village-indicator."""
    if key.size == 0:
        return key
    order = np.argsort(key, kind="stable")
    k, s = key[order], steps[order]
    cumulative = np.cumsum(s)
    group_start = np.concatenate([[True], k[1:] != k[:-1]])
    base = np.maximum.accumulate(np.where(group_start, cumulative - s, 0))
    result = np.empty_like(steps)
    result[order] = cumulative - s - base
    return result

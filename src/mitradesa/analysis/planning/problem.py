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
    idm: np.ndarray  # (N,) the engine's headline value: IDM, or nilai of the Indeks Desa
    bottom: np.ndarray  # (N,) bool: IDM at or below the 20th percentile
    target: np.ndarray  # (N,) fewest units of the next status (-1 at the top status)


def start_of(villages: Villages) -> Start:
    scale = unit_scale()
    status, value = scale.engine(villages.scores)
    sums = scale.sums(villages.scores)
    units = scale.units(sums)
    if not np.array_equal(scale.status_of_units(units), status):  # pragma: no cover
        raise PlanningInputError("ambang status dalam satuan bulat tidak cocok dengan mesin")
    top = len(scale.thresholds) - 1
    target = np.where(status < top, scale.thresholds[np.minimum(status + 1, top)], -1)
    bottom = np.zeros(len(villages), dtype=bool)
    if len(villages):
        bottom = value <= np.percentile(value, 20)
    return Start(scale, sums, units, status, value, bottom, target)


@dataclass(frozen=True)
class Problem:
    villages: Villages
    candidates: Candidates
    funders: tuple[Funder, ...]
    objective: str
    start: Start
    # classes of interchangeable activities; a class of size k offers k identical units
    members: np.ndarray  # candidate indices, grouped by class, preferred first
    class_start: np.ndarray  # (C + 1,) offsets into members
    village: np.ndarray  # (C,)
    gain: np.ndarray  # (C,) units of IDM of one unit
    cost: np.ndarray  # (C,) rupiah of one unit
    steps: np.ndarray  # (C,)
    size: np.ndarray  # (C,) units available (Σ repeat of the members)
    # eligible funders per class, sorted by class then funder
    pair_class: np.ndarray
    pair_funder: np.ndarray
    # stacking limits where candidates on a village-indicator could exceed score 5
    cap_class: np.ndarray  # classes (one candidate each) in a capacity row
    cap_row: np.ndarray
    cap_rhs: np.ndarray  # steps left below 5, per row
    lift_villages: np.ndarray  # villages whose status may rise (status_up), else empty

    @property
    def classes(self) -> int:
        return len(self.village)

    def funder_counts(self) -> np.ndarray:
        return np.bincount(self.pair_class, minlength=self.classes)

    def budgets(self) -> np.ndarray:
        return np.array([f.budget for f in self.funders], dtype=np.int64)


def concat_ranges(first: np.ndarray, count: np.ndarray) -> np.ndarray:
    """Concatenated ranges first[k] … first[k] + count[k] − 1."""
    total = int(count.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    starts = np.cumsum(count) - count
    return np.repeat(first - starts, count) + np.arange(total)


def _coverage(villages: Villages, funders: tuple[Funder, ...]) -> tuple[np.ndarray, np.ndarray]:
    """(offsets, funders): the funders whose area holds each village, ascending (CSR)."""
    where = villages.position()
    pv: list[int] = []
    pf: list[int] = []
    n = len(villages)
    for k, f in enumerate(funders):
        if f.villages is None:
            pv.extend(range(n))
            pf.extend([k] * n)
        else:
            inside = [where[c] for c in f.villages if c in where]
            pv.extend(inside)
            pf.extend([k] * len(inside))
    v = np.array(pv, dtype=np.int64)
    f = np.array(pf, dtype=np.int64)
    order = np.argsort(v * max(len(funders), 1) + f, kind="stable")
    offsets = np.concatenate([[0], np.cumsum(np.bincount(v, minlength=n))]).astype(np.int64)
    return offsets, f[order]


def _eligible(villages: Villages, cand: Candidates, act: np.ndarray,
              funders: tuple[Funder, ...]) -> tuple[np.ndarray, np.ndarray]:
    """(activity, funder) pairs where the funder may pay, grouped by activity in the order
    of `act`, funders ascending within an activity."""
    count = len(unit_scale().index_of)
    kind = np.array([KIND_BIT[f.kind] for f in funders], dtype=np.int64)
    allowed = np.ones((len(funders), count), dtype=bool)
    for k, f in enumerate(funders):
        if f.indicators is not None:
            allowed[k] = False
            allowed[k, sorted(f.indicators)] = True
    offsets, covering = _coverage(villages, funders)
    v = cand.village[act]
    n_cover = offsets[v + 1] - offsets[v]
    pa = np.repeat(act, n_cover)
    pf = covering[concat_ranges(offsets[v], n_cover)]
    keep = ((cand.actors[pa] & kind[pf]) != 0) & allowed[pf, cand.indicator[pa]]
    return pa[keep], pf[keep]


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
    payable = np.zeros(len(cand), dtype=bool)
    payable[pa] = True
    act = act[payable[act]]
    key = cand.village * villages.scores.shape[1] + cand.indicator
    cells = villages.scores.size
    headroom = (scale.top - villages.scores).ravel()
    if scale.numbered:
        # An Indeks Desa item moves only between its levels: alternatives on one item (other
        # prices, other funders) each reach a level, so together they may not go past the
        # widest of them — a {1,2,4,5} item raised 1→2 twice would land on 3.
        widest = np.zeros(cells, dtype=headroom.dtype)
        np.maximum.at(widest, key, cand.steps * cand.repeat)
        headroom = np.minimum(headroom, widest)
    total_steps = cand.steps * cand.repeat
    stacked = np.bincount(key[act], weights=total_steps[act], minlength=cells)
    lift = np.zeros(0, dtype=np.int64)
    if objective == "status_up":
        reach = np.minimum(stacked, headroom).reshape(villages.scores.shape)
        best = start.units + (reach * scale.weights[scale.index_of]).sum(axis=1)
        lift = np.nonzero((start.status < top_status) & (best >= start.target))[0]
        keep = np.zeros(len(villages), dtype=bool)
        keep[lift] = True
        act = act[keep[cand.village[act]]]
        stacked = np.bincount(key[act], weights=total_steps[act], minlength=cells)
        inside = keep[cand.village[pa]]
        pa, pf = pa[inside], pf[inside]
    free = stacked[key[act]] <= headroom[key[act]]
    pair_first = np.searchsorted(pa, act)
    pair_count = np.searchsorted(pa, act, side="right") - pair_first
    return _classes(villages, cand, tuple(funders), objective, start, act, pair_first,
                    pair_count, pf, free, key, headroom, lift)


def _classes(villages, cand, funders, objective, start, act, pair_first, pair_count, pf,
             free, key, headroom, lift) -> Problem:
    """Merge interchangeable activities: same village, index, steps, cost and funders."""
    scale = start.scale
    rng = np.random.default_rng(20250801)
    tag = rng.integers(1, 2**62, size=max(len(funders), 1), dtype=np.int64).astype(np.uint64)
    funder_hash = np.zeros(len(act), dtype=np.uint64)
    if pf.size and act.size:
        funder_hash = np.add.reduceat(tag[pf], pair_first).astype(np.uint64)
        funder_hash[pair_count == 0] = 0
    index = scale.index_of[cand.indicator[act]]
    # where candidates could stack above 5, each is its own class with a capacity row
    alone = np.where(free, 0, np.arange(1, len(act) + 1))
    # preferred order inside a class: lowest score first
    offset = _stack_offset(key[act], cand.steps[act] * cand.repeat[act])
    level = villages.scores[cand.village[act], cand.indicator[act]] + offset
    head = (cand.village[act] * len(scale.codes) + index) * 8 + cand.steps[act]
    for _attempt in range(2):
        order = np.lexsort((level * 64 + cand.indicator[act], alone, funder_hash,
                            cand.cost[act], head))
        change = np.zeros(len(act), dtype=bool)
        if len(act):
            change[0] = True
            for column in (head, cand.cost[act], funder_hash, alone):
                c = column[order]
                change[1:] |= c[1:] != c[:-1]
        class_start = np.concatenate([np.nonzero(change)[0], [len(act)]]).astype(np.int64)
        class_of = np.empty(len(act), dtype=np.int64)
        class_of[order] = np.cumsum(change) - 1
        rep = order[class_start[:-1]]
        if _same_funders(class_of, rep, pair_first, pair_count, pf):
            break
        funder_hash = np.arange(len(act), dtype=np.uint64)  # pragma: no cover - hash clash
    size = np.add.reduceat(cand.repeat[act][order], class_start[:-1]) if len(act) else \
        np.zeros(0, dtype=np.int64)
    pair_class = np.repeat(np.arange(len(rep)), pair_count[rep])
    pair_funder = pf[concat_ranges(pair_first[rep], pair_count[rep])]
    cap_cls = class_of[~free]
    uniq, cap_row = np.unique(key[act][~free], return_inverse=True)
    rep_act = act[rep]
    gain = cand.steps * scale.weights[scale.index_of[cand.indicator]]
    return Problem(
        villages=villages, candidates=cand, funders=funders, objective=objective,
        start=start, members=act[order], class_start=class_start,
        village=cand.village[rep_act], gain=gain[rep_act], cost=cand.cost[rep_act],
        steps=cand.steps[rep_act], size=size.astype(np.int64), pair_class=pair_class,
        pair_funder=pair_funder, cap_class=cap_cls, cap_row=cap_row.astype(np.int64),
        cap_rhs=headroom[uniq].astype(np.int64), lift_villages=lift,
    )


def _same_funders(class_of, rep, pair_first, pair_count, pf) -> bool:
    """Every activity has exactly its class representative's funders (checked in full)."""
    r = rep[class_of]
    if np.any(pair_count != pair_count[r]):
        return False
    mine = concat_ranges(pair_first, pair_count)
    theirs = concat_ranges(pair_first[r], pair_count)
    return bool(np.array_equal(pf[mine], pf[theirs]))


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

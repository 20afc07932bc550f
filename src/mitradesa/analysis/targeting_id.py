"""Where to intervene on the Indeks Desa, vectorised over many villages (pure).

The Indeks Desa is a plain sum of 127 item scores (T; nilai = T / 635 × 100), so every point
weighs the same. Per village:
- weakest dimension: the lowest share of its maximum (D_d / max_d);
- weakest items: the largest gap to the item's top level, lowest score first, item order last;
- steps to the next status: the fewest one-level raises (the next level of a {1, 5} item
  from 1 is 5) that bring T to the next status's lower bound, as the engine's
  `cheapest_path` counts them. Vectorised: the largest first raises of distinct items; a
  village where a second raise of one item could beat that (a {1,2,4,5} item: +1 then +2)
  or where first raises do not suffice is counted by `cheapest_path` itself;
- near a threshold: T within one item's largest raise (4 points) of a status's lower bound.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from mitradesa.analysis.targeting import NO_PATH, Targets
from mitradesa.idm import indeks_desa as idx

NEAR_POINTS = 4  # the largest raise of one item: 1 → 5


@lru_cache(maxsize=1)
def _levels_table() -> tuple[np.ndarray, np.ndarray]:
    """(127, 6) next allowed level above each score 0–5 (0: none) and each item's top."""
    table = np.zeros((idx.ITEM_COUNT, 6), dtype=np.int64)
    tops = np.zeros(idx.ITEM_COUNT, dtype=np.int64)
    for item in idx.items():
        tops[item.position] = item.top
        for score in range(6):
            table[item.position, score] = item.next_level(score) or 0
    return table, tops


def gains(scores: np.ndarray) -> np.ndarray:
    """(N, 127) points each item adds when raised to its next allowed level (0 at its top)."""
    table, _tops = _levels_table()
    array = np.asarray(scores, dtype=np.int64)
    following = table[np.arange(idx.ITEM_COUNT)[None, :], np.clip(array, 0, 5)]
    return np.where(following > 0, following - array, 0)


def dimension_positions() -> np.ndarray:
    """(127,) the dimension (0–5, catalogue order) of each item."""
    keys = [d.key for d in idx.DIMENSIONS]
    return np.array([keys.index(item.dimension_key) for item in idx.items()])


def _unsure(array: np.ndarray, raise_by: np.ndarray, ranked: np.ndarray, steps: np.ndarray,
            cumulative: np.ndarray, need: np.ndarray) -> list[int]:
    """Villages whose count of first raises may not be the fewest one-level raises."""
    table, _tops = _levels_table()
    following = np.where(raise_by > 0, array + raise_by, 0)
    after = table[np.arange(idx.ITEM_COUNT)[None, :], np.clip(following, 0, 5)]
    second = np.where((raise_by > 0) & (after > 0), after - following, 0).max(axis=1) \
        if len(array) else np.zeros(0, dtype=np.int64)
    at = np.clip(steps - 1, 0, idx.ITEM_COUNT - 1)[:, None]
    smallest = np.take_along_axis(np.take_along_axis(raise_by, ranked, axis=1), at,
                                  axis=1)[:, 0] if len(array) else np.zeros(0, dtype=np.int64)
    short = cumulative[:, -1] < need if len(array) else np.zeros(0, dtype=bool)
    return [int(i) for i in np.flatnonzero((steps > 0) & ((second > smallest) | short))]


def targets(scores: np.ndarray, k: int = 5) -> Targets:
    array = np.asarray(scores, dtype=np.int64).reshape(-1, idx.ITEM_COUNT)
    n = len(array)
    bulk = idx.compute_many(array)
    total = np.asarray(bulk.total, dtype=np.int64)
    status = np.asarray(bulk.status, dtype=np.int64)
    maxima = np.array([d.maximum for d in idx.DIMENSIONS], dtype=float)
    shares = np.asarray(bulk.dimensions, dtype=float).reshape(n, 6) / maxima
    _table, tops = _levels_table()
    gap = tops[None, :] - array
    order = np.lexsort((np.broadcast_to(np.arange(idx.ITEM_COUNT), array.shape), array, -gap),
                       axis=1)[:, :k]
    raise_by = gains(array)
    ranked = np.argsort(-raise_by, axis=1, kind="stable")  # largest raise first, item order
    cumulative = np.cumsum(np.take_along_axis(raise_by, ranked, axis=1), axis=1)
    need = np.asarray(bulk.poin_dibutuhkan, dtype=np.int64)
    top = len(idx.STATUSES) - 1
    steps = (cumulative < need[:, None]).sum(axis=1) + 1
    steps = np.where(status == top, NO_PATH, np.minimum(steps, idx.ITEM_COUNT))
    chosen = np.arange(idx.ITEM_COUNT)[None, :] < np.maximum(steps, 0)[:, None]
    dims = dimension_positions()[ranked]
    by_dimension = np.stack([(chosen & (dims == d)).sum(axis=1) for d in range(6)], axis=1) \
        if n else np.zeros((0, 6), dtype=np.int64)
    for row in _unsure(array, raise_by, ranked, steps, cumulative, need):
        path = idx.cheapest_path(array[row].tolist())
        steps[row] = len(path)
        by_dimension[row] = np.bincount(
            [dimension_positions()[r.item.position] for r in path], minlength=6)
    bounds = np.array([idx.MIN_TOTAL[s] for s in idx.STATUSES[1:]], dtype=np.int64)
    distance = np.abs(total[:, None] - bounds[None, :]).min(axis=1) if n \
        else np.zeros(0, dtype=np.int64)
    return Targets(
        weakest_dimension=shares.argmin(axis=1) if n else np.zeros(0, dtype=np.int64),
        weakest_indicators=order, steps_to_next=steps, steps_by_index=by_dimension,
        near_threshold=distance <= NEAR_POINTS, status=status,
    )

"""The least a village's next status can cost: a bounded knapsack cover, solved exactly by
dynamic programming over IDM units for many villages at once.

It ignores who pays, so it is a lower bound on what any plan spends in a village it lifts;
the model uses it as the valid inequality Σ_c cost_c n_c ≥ L_v z_v, which the relaxation
otherwise misses (fractions of a step lift a village more cheaply than whole steps can).
The same table also says which steps make that cheapest lift (used to build starting plans).
"""

from __future__ import annotations

import numpy as np


def cheapest_lift(row: np.ndarray, gain: np.ndarray, cost: np.ndarray, size: np.ndarray,
                  need: np.ndarray, units: bool = False):
    """Least total cost per village r of items (row r, gain, cost, up to size of each)
    adding at least need[r] units; inf where they cannot. With units=True also the units
    of each item in one cheapest choice."""
    villages = len(need)
    taken = np.zeros(len(row), dtype=np.int64)
    if villages == 0 or len(row) == 0:
        least = np.where(need <= 0, 0.0, np.inf)
        return (least, taken) if units else least
    # identical items merge (who pays does not matter here); more than need is useless
    keys = np.stack([row, gain, cost], axis=1)
    merged, inverse = np.unique(keys, axis=0, return_inverse=True)
    inverse = inverse.ravel()
    total = np.bincount(inverse, weights=size, minlength=len(merged)).astype(np.int64)
    r, g, c = merged[:, 0], merged[:, 1], merged[:, 2]
    copies = np.minimum(total, -(-np.maximum(need[r], 0) // g))
    # binary splitting: pieces 1, 2, 4, … and the rest cover every count up to `copies`
    pieces_item, pieces_k = [], []
    power = 1
    left = copies.copy()
    while np.any(left > 0):
        k = np.minimum(left, power)
        has = k > 0
        pieces_item.append(np.nonzero(has)[0])
        pieces_k.append(k[has])
        left -= k
        power *= 2
    item = np.concatenate(pieces_item) if pieces_item else np.zeros(0, dtype=np.int64)
    k = np.concatenate(pieces_k) if pieces_k else np.zeros(0, dtype=np.int64)
    order = np.argsort(r[item], kind="stable")
    item, k = item[order], k[order]
    piece_r, piece_g, piece_c = r[item], g[item] * k, (c[item] * k).astype(float)
    slot = np.arange(len(item)) - np.searchsorted(piece_r, piece_r)
    width = int(max(need.max(), 0)) + 1
    best = np.full((villages, width), np.inf)
    best[:, 0] = 0.0
    # one pass per (slot, gain): every village holds at most one piece of a slot, and equal
    # gains shift the table by the same amount (a slice, not a gather)
    took = []
    passes = np.lexsort((piece_g, slot))
    key_s, key_g = slot[passes], piece_g[passes]
    cut = np.nonzero((np.diff(key_s) != 0) | (np.diff(key_g) != 0))[0] + 1
    for at in np.split(passes, cut) if len(passes) else []:
        rows, shift, price = piece_r[at], int(piece_g[at[0]]), piece_c[at][:, None]
        current = best[rows]
        candidate = np.empty_like(current)
        reach = min(shift, width)
        candidate[:, :reach] = price  # from 0 units: the piece alone covers them
        candidate[:, reach:] = current[:, :width - reach] + price
        better = candidate < current
        best[rows] = np.where(better, candidate, current)
        if units:
            took.append((at, better))
    need_at = np.maximum(need, 0)
    least = best[np.arange(villages), need_at]
    if not units:
        return least
    chosen = np.zeros(len(merged), dtype=np.int64)
    u = need_at.copy()
    for at, better in reversed(took):
        rows = piece_r[at]
        use = better[np.arange(len(at)), u[rows]] & np.isfinite(least[rows])
        np.add.at(chosen, item[at[use]], k[at[use]])
        u[rows[use]] = np.maximum(u[rows[use]] - piece_g[at[use]], 0)
    # share each merged item's units among its original items, in order
    order = np.argsort(inverse, kind="stable")
    sizes = size[order]
    before = np.cumsum(sizes) - sizes
    before -= before[np.searchsorted(inverse[order], inverse[order])]
    taken[order] = np.clip(chosen[inverse[order]] - before, 0, sizes)
    return least, taken

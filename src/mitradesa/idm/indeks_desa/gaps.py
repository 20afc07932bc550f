"""Which items can lift a village: each one's next allowed level, and the shortest path to
the next status."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from mitradesa.idm.indeks_desa.catalogue import Item, items
from mitradesa.idm.indeks_desa.compute import check_scores, compute


@dataclass(frozen=True)
class Raise:
    item: Item
    from_level: int
    to_level: int

    @property
    def points(self) -> int:
        return self.to_level - self.from_level


def raisable(scores: Sequence[int]) -> list[Raise]:
    """Every item below its top, raised to its next allowed level; most points first."""
    values = check_scores(scores)
    found = [Raise(item, score, item.next_level(score) or score)
             for item, score in zip(items(), values, strict=True) if score < item.top]
    return sorted(found, key=lambda r: (-r.points, r.item.no))


def _chain(item: Item, score: int) -> list[Raise]:
    steps, level = [], score
    while (following := item.next_level(level)) is not None:
        steps.append(Raise(item, level, following))
        level = following
    return steps


def cheapest_path(scores: Sequence[int]) -> list[Raise]:
    """The fewest one-level raises that reach the next status ([] when Mandiri).

    A raise lifts one item to its next allowed level, so an item's steps come in order and
    are not always worth less than the one before ({1,2,4,5}: +1, +2, +1). An exact
    knapsack over the items (most points for each number of steps) finds the fewest;
    among equals it keeps the lower-numbered items.
    """
    values = check_scores(scores)
    figures = compute(values)
    if figures.is_top or figures.poin_dibutuhkan == 0:
        return []
    chains = [_chain(item, score) for item, score in zip(items(), values, strict=True)]
    limit = sum(len(c) for c in chains)
    # points[k]: most points with exactly k steps over the items so far (-1: unreachable);
    # each item's layer keeps, for each k, how many of its steps that best took, so that the
    # choice is read back at the end. On a tie the most steps of the later item are kept
    # (the earlier items keep the fewer), as a scan of k upwards that replaces only on a
    # strictly better sum would keep them.
    points = np.full(limit + 1, -1, dtype=np.int64)
    points[0] = 0
    layers: list[np.ndarray] = []
    for chain in chains:
        gain = 0
        gains = [0]
        for step in chain:
            gain += step.points
            gains.append(gain)
        updated = np.full(limit + 1, -1, dtype=np.int64)
        taken_at = np.zeros(limit + 1, dtype=np.int64)
        for taken in range(len(gains) - 1, -1, -1):
            base = points[:limit + 1 - taken]
            candidate = np.where(base >= 0, base + gains[taken], -1)
            better = candidate > updated[taken:]
            updated[taken:][better] = candidate[better]
            taken_at[taken:][better] = taken
        points = updated
        layers.append(taken_at)
    reached = np.flatnonzero(points >= figures.poin_dibutuhkan)
    if reached.size == 0:
        return [step for chain in chains for step in chain]
    k = int(reached[0])
    counts = []
    for taken_at in reversed(layers):
        counts.append(int(taken_at[k]))
        k -= counts[-1]
    return [step for chain, taken in zip(chains, reversed(counts), strict=True)
            for step in chain[:taken]]

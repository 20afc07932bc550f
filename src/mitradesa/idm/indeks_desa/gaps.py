"""Which items can lift a village: each one's next allowed level, and the shortest path to
the next status."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

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
    # best[k] = (points, choice per item) with exactly k steps taken so far.
    best: list[tuple[int, tuple[int, ...]] | None] = [(0, ())] + [None] * limit
    for chain in chains:
        gains = [0]
        for step in chain:
            gains.append(gains[-1] + step.points)
        updated: list[tuple[int, tuple[int, ...]] | None] = [None] * (limit + 1)
        for k, entry in enumerate(best):
            if entry is None:
                continue
            for taken, gain in enumerate(gains):
                if k + taken > limit:
                    break
                candidate = (entry[0] + gain, (*entry[1], taken))
                current = updated[k + taken]
                if current is None or candidate[0] > current[0]:
                    updated[k + taken] = candidate
        best = updated
    for entry in best:
        if entry is not None and entry[0] >= figures.poin_dibutuhkan:
            return [step for chain, taken in zip(chains, entry[1], strict=True)
                    for step in chain[:taken]]
    return [step for chain in chains for step in chain]

"""The vectorised knapsack of `cheapest_path` chooses exactly what the plain one (each best
choice copied along) chooses: the fewest raises, and among equals the same items."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from mitradesa.idm.indeks_desa.catalogue import items
from mitradesa.idm.indeks_desa.compute import check_scores, compute
from mitradesa.idm.indeks_desa.gaps import Raise, _chain, cheapest_path


def plain_cheapest_path(scores: list[int]) -> list[Raise]:
    values = check_scores(scores)
    figures = compute(values)
    if figures.is_top or figures.poin_dibutuhkan == 0:
        return []
    chains = [_chain(item, score) for item, score in zip(items(), values, strict=True)]
    limit = sum(len(c) for c in chains)
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


def village_scores(near_top: bool) -> st.SearchStrategy[list[int]]:
    def level(item):  # near the top: most items already at their highest level
        choices = item.levels[-2:] if near_top else item.levels
        return st.sampled_from(choices)
    return st.tuples(*(level(item) for item in items())).map(list)


@settings(max_examples=60, deadline=None)
@given(st.booleans().flatmap(village_scores))
def test_the_vectorised_path_is_the_plain_knapsacks_path(scores):
    assert cheapest_path(scores) == plain_cheapest_path(scores)

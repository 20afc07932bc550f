"""Splitting a whole amount of money into parts without losing a rupiah (largest remainder).

Every place that divides an amount (an agreement's value across its partners or villages, a
report's realisation across villages, a funder's budget) goes through `allocate`, so the
parts always add up to what was entered and each part is within one rupiah of its exact
proportional share.
"""

from __future__ import annotations

from collections.abc import Sequence


def allocate(total: int, weights: Sequence[int]) -> list[int]:
    """`total` split in proportion to `weights` (whole, non-negative; all zero: equal parts).

    Each part first gets the whole part of its exact share; the rupiah left over go one each
    to the parts with the largest remainders (ties: the earlier part).
    """
    if not weights:
        raise ValueError("allocate needs at least one part")
    if any(w < 0 for w in weights):
        raise ValueError("weights must not be negative")
    if total < 0:
        return [-part for part in allocate(-total, weights)]
    if sum(weights) == 0:
        weights = [1] * len(weights)
    whole = sum(weights)
    parts = [total * w // whole for w in weights]
    remainders = [total * w % whole for w in weights]
    left = total - sum(parts)
    for index in sorted(range(len(parts)), key=lambda i: (-remainders[i], i))[:left]:
        parts[index] += 1
    return parts


def split_evenly(total: int, count: int) -> list[int]:
    """`total` in `count` parts that differ by at most one rupiah (the first ones larger)."""
    return allocate(total, [1] * count)

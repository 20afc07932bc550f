"""Splitting money never loses a rupiah: the parts add up to the whole, each within one
rupiah of its exact share."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mitradesa.allocation import allocate, split_evenly


@given(total=st.integers(min_value=-10**16, max_value=10**16),
       weights=st.lists(st.integers(min_value=0, max_value=10**13), min_size=1, max_size=40))
def test_parts_sum_to_the_whole_and_stay_within_one_rupiah_of_the_share(total, weights):
    parts = allocate(total, weights)
    assert sum(parts) == total
    assert len(parts) == len(weights)
    whole = sum(weights) or len(weights)
    for part, weight in zip(parts, weights, strict=True):
        share = Fraction(total * (weight if sum(weights) else 1), whole)
        assert abs(part - share) < 1


def test_a_billion_over_three_villages_keeps_every_rupiah():
    assert split_evenly(1_000_000_000, 3) == [333_333_334, 333_333_333, 333_333_333]
    assert allocate(100, [1, 1, 2]) == [25, 25, 50]


def test_no_parts_is_an_error():
    with pytest.raises(ValueError):
        allocate(5, [])

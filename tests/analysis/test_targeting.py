"""Targeting: the fewest steps to the next status agree with the step-by-step path."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from mitradesa.analysis.targeting import NO_PATH, fell_back, steps_to_next_status, targets
from mitradesa.idm import compute
from mitradesa.idm.gaps import path_to_next_status

score_vectors = st.lists(st.integers(0, 5), min_size=50, max_size=50)


@settings(max_examples=150, deadline=None)
@given(score_vectors)
def test_fewest_steps_equal_the_greedy_path_of_the_engine(scores):
    steps, by_index = steps_to_next_status(np.array([scores]))
    path = path_to_next_status(scores, max_steps=250)
    if compute(scores).status == "MANDIRI":
        assert steps[0] == NO_PATH
    else:
        assert steps[0] == len(path)
        assert by_index[0].sum() == len(path)


def test_weakest_dimension_near_threshold_and_fall_back():
    weak_economy = [5] * 35 + [1] * 12 + [5] * 3  # IKE weakest
    on_the_edge = [3] * 50  # IDM 0.6000, 0.0010 above the Tertinggal bound 0.5989
    result = targets(np.array([weak_economy, on_the_edge]))
    assert result.weakest_dimension[0] == 1
    assert list(result.near_threshold) == [False, True]
    assert list(fell_back(np.array([3, 2]), np.array([2, 2]))) == [True, False]


def test_weakest_indicators_are_the_largest_gains_lowest_score_first():
    scores = [5] * 50
    scores[47] = 2  # IKL 1: gain 3/45
    scores[35] = 0  # IKE 1: gain 5/180
    scores[0] = 0  # IKS 1: gain 5/525
    result = targets(np.array([scores]), k=3)
    assert list(result.weakest_indicators[0]) == [47, 35, 0]

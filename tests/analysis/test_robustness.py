"""Robustness: a village far from any threshold keeps its status; one on the edge is fragile."""

from __future__ import annotations

import numpy as np

from mitradesa.analysis.robustness import monte_carlo


def test_status_probabilities_flag_fragile_villages_and_rank_intervals():
    villages = np.array([
        [0.95, 0.93, 0.94],  # Mandiri in any design
        [0.80, 0.60, 0.72],  # IDM 0.7067, just under Maju (0.7072): fragile
        [0.45, 0.50, 0.40],  # Tertinggal far from both bounds
    ])
    result = monte_carlo(villages, draws=400)
    assert np.allclose(result.status_probability.sum(axis=1), 1)
    assert list(result.fragile) == [False, True, False]
    assert result.status_probability[0, 4] == 1.0
    assert (result.rank_low[0], result.rank_high[0]) == (1, 1)
    assert result.rank_low[2] == 3


def test_same_seed_same_answer():
    villages = np.random.default_rng(1).uniform(0.3, 1, (50, 3))
    first, second = monte_carlo(villages, draws=50), monte_carlo(villages, draws=50)
    assert np.array_equal(first.status_probability, second.status_probability)

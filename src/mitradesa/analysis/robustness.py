"""How robust a village's status is to the index's design choices (Monte Carlo).

Each draw re-weights the three indices (Dirichlet around equal weights; concentration 30
keeps each weight mostly within about ±0.1 of 1/3) and picks arithmetic or geometric
aggregation with equal chance; the result is classified with the official thresholds. A
village's status is fragile when its official status comes out in fewer than 80% of the draws.
Ranks: 1 = highest index in the draw; the interval is the 2.5th–97.5th percentile.

The same draws serve the Indeks Desa (`monte_carlo_weighted`): its six dimensions as shares
of their maxima, Dirichlet around the official weights (maximum / 635, so the official
weighting gives nilai / 100) with the same concentration per dimension, classified with the
Indeks Desa's bounds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from mitradesa.idm.scheme import load_scheme

CONCENTRATION = 30.0
FRAGILE_BELOW = 0.8
FLOOR = 1e-9  # geometric aggregation of a zero index


@dataclass(frozen=True)
class Robustness:
    status_probability: np.ndarray  # (N, statuses)
    official_status: np.ndarray
    rank_low: np.ndarray
    rank_high: np.ndarray
    draws: int

    @property
    def fragile(self) -> np.ndarray:
        rows = np.arange(len(self.official_status))
        return self.status_probability[rows, self.official_status] < FRAGILE_BELOW


def _classify(values: np.ndarray) -> np.ndarray:
    uppers = np.array([s.upper for s in load_scheme().statuses])
    return np.minimum(np.searchsorted(uppers, values, side="left"), len(uppers) - 1)


def monte_carlo(indices: np.ndarray, draws: int = 500, seed: int = 2016) -> Robustness:
    """`indices`: (N, 3) IKS, IKE, IKL per village."""
    values = np.asarray(indices, dtype=float)
    if values.ndim != 2 or values.shape[1] != 3:
        raise ValueError("perlu larik (N, 3): IKS, IKE, IKL")
    return _draw(values, np.full(3, CONCENTRATION), _classify(values.mean(axis=1)), _classify,
                 len(load_scheme().statuses), draws, seed)


def monte_carlo_weighted(shares: np.ndarray, weights: np.ndarray,
                         classify: Callable[[np.ndarray], np.ndarray], statuses: int,
                         draws: int = 500, seed: int = 2016) -> Robustness:
    """`shares`: (N, k) parts as shares of their maxima; `weights`: the official weights
    (sum 1); `classify`: status positions of aggregated values."""
    values = np.asarray(shares, dtype=float)
    base = np.asarray(weights, dtype=float)
    if values.ndim != 2 or values.shape[1] != base.size:
        raise ValueError(f"perlu larik (N, {base.size})")
    alpha = CONCENTRATION * base.size * base
    return _draw(values, alpha, classify(values @ base), classify, statuses, draws, seed)


def _draw(values: np.ndarray, alpha: np.ndarray, official: np.ndarray,
          classify: Callable[[np.ndarray], np.ndarray], statuses: int, draws: int,
          seed: int) -> Robustness:
    rng = np.random.default_rng(seed)
    n = len(values)
    counts = np.zeros((n, statuses), dtype=np.int64)
    ranks = np.empty((draws, n), dtype=np.int32)
    logs = np.log(np.maximum(values, FLOOR))
    for draw in range(draws):
        weights = rng.dirichlet(alpha)
        index = values @ weights if rng.random() < 0.5 else np.exp(logs @ weights)
        counts[np.arange(n), classify(index)] += 1
        order = np.argsort(-index, kind="stable")
        ranks[draw, order] = np.arange(1, n + 1)
    low, high = np.percentile(ranks, [2.5, 97.5], axis=0) if n else (np.zeros(0), np.zeros(0))
    return Robustness(counts / draws, official, low, high, draws)

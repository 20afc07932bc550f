"""Where to intervene, per village-year, vectorised over many villages.

- weakest dimension: the lowest of IKS, IKE, IKL;
- weakest indicators: those whose raise to 5 adds most IDM (NILAI), lowest score first;
- steps to the next status: the fewest one-point raises that lift the status. Each step adds
  1/(5·n·3) IDM for an index of n indicators, so IKL steps (1/45) come first, then IKE
  (1/180), then IKS (1/525); the status of the result is looked up exactly;
- near a threshold: IDM within ±0.01 of a status bound (one indicator decides the status);
- fell back: a lower status than the year before.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from mitradesa.idm.bulk import compute_many, status_of_sums
from mitradesa.idm.scheme import load_scheme

NEAR = 0.01
NO_PATH = -1  # already at the top status


@dataclass(frozen=True)
class Targets:
    weakest_dimension: np.ndarray  # 0 IKS, 1 IKE, 2 IKL
    weakest_indicators: np.ndarray  # (N, k) positions, largest gain first
    steps_to_next: np.ndarray  # fewest one-point raises; NO_PATH when MANDIRI
    steps_by_index: np.ndarray  # (N, 3) of those steps, per IKS/IKE/IKL
    near_threshold: np.ndarray  # bool
    status: np.ndarray


def _group_sums(scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    scheme = load_scheme()
    bounds = np.cumsum([0] + [i.size for i in scheme.indices])
    sums = np.stack([scores[:, a:b].sum(axis=1) for a, b in itertools.pairwise(bounds)],
                    axis=1)
    capacity = np.array([i.size * scheme.max_score for i in scheme.indices]) - sums
    return sums, capacity


def _allocate(k: np.ndarray, capacity: np.ndarray) -> np.ndarray:
    """(N, 3) steps per index for k steps, the largest step gains first: IKL, IKE, IKS."""
    ikl = np.minimum(k, capacity[:, 2])
    ike = np.minimum(k - ikl, capacity[:, 1])
    iks = np.minimum(k - ikl - ike, capacity[:, 0])
    return np.stack([iks, ike, ikl], axis=1)


def steps_to_next_status(scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(fewest steps, steps per index) for each village; NO_PATH when at the top status."""
    scores = np.asarray(scores)
    sums, capacity = _group_sums(scores)
    status = status_of_sums(sums)
    top = len(load_scheme().statuses) - 1
    low = np.zeros(len(scores), dtype=np.int64)
    high = capacity.sum(axis=1).astype(np.int64)
    # Binary search on k: the status after k greedy steps only rises with k.
    while np.any(low < high):
        mid = (low + high) // 2
        lifted = status_of_sums(sums + _allocate(mid, capacity)) > status
        high = np.where(lifted, mid, high)
        low = np.where(lifted, low, np.minimum(mid + 1, high))
    steps = np.where(status == top, NO_PATH, low)
    return steps, np.where((status == top)[:, None], 0, _allocate(low, capacity))


def thresholds() -> np.ndarray:
    return np.array([s.upper for s in load_scheme().statuses[:-1]])


def targets(scores: np.ndarray, k: int = 5) -> Targets:
    figures = compute_many(np.asarray(scores))
    dims = np.stack([figures.iks, figures.ike, figures.ikl], axis=1)
    nilai = figures.nilai
    order = np.lexsort((np.asarray(scores), -nilai), axis=1)[:, :k]
    steps, by_index = steps_to_next_status(scores)
    distance = np.abs(figures.idm[:, None] - thresholds()[None, :]).min(axis=1)
    return Targets(
        weakest_dimension=dims.argmin(axis=1), weakest_indicators=order,
        steps_to_next=steps, steps_by_index=by_index, near_threshold=distance <= NEAR,
        status=figures.status,
    )


def fell_back(status_before: np.ndarray, status_now: np.ndarray) -> np.ndarray:
    return np.asarray(status_now) < np.asarray(status_before)

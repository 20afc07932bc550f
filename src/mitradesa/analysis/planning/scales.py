"""The integer arithmetic of the index family a plan is made for (pure).

- IDM 2016: units = 12·ΣIKS + 35·ΣIKE + 140·ΣIKL and IDM = units / 6300, so one step of an
  indicator adds exactly 1/(5·n·3) IDM; thresholds read off the engine.
- Indeks Desa: units = T, the sum of the 127 item scores (every point weighs the same), nilai
  = T / 635 × 100; thresholds are the statuses' lowest totals (315, 365, 441, 506). An item
  moves only between its allowed levels (`following`).

`unit_scale()` is the scale of the family being planned: the IDM unless a caller plans
inside `with family_scale("indeks_desa"):` (a context variable, so each web request and
thread keeps its own).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from mitradesa.idm import indeks_desa as idx
from mitradesa.idm.bulk import compute_many, status_of_sums
from mitradesa.idm.scheme import load_scheme

SCHEME = "idm2016"
Engine = Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]  # scores → (status, value)


class PlanningInputError(ValueError):
    """Inputs that cannot make a plan; the message names what is wrong."""


@dataclass(frozen=True)
class UnitScale:
    """Exact integer arithmetic of an index: value = units / denominator, where
    units = Σ_part weight_part · (sum of that part's scores)."""

    denominator: int
    weights: np.ndarray  # units per step, per part
    index_of: np.ndarray  # (indicators,) the part of each position
    offsets: tuple[int, ...]  # first position of each part
    codes: tuple[str, ...]  # IKS, IKE, IKL | LAYANAN_DASAR, …
    thresholds: np.ndarray  # (statuses,) fewest units of each status (0 for the lowest)
    top: int  # max score
    following: np.ndarray  # (indicators, top + 1): the next allowed score (top at the top)
    engine: Engine  # the family's own status and headline value of scores
    numbered: bool = False  # items named by number (the Indeks Desa: "butir 13")
    family: str = "idm"
    value_scale: float = 1.0  # headline value = units / denominator × this (nilai: 100)

    def sums(self, scores: np.ndarray) -> np.ndarray:
        """(N, parts) sums of the scores per part."""
        columns = [
            scores[:, a:b].sum(axis=1)
            for a, b in zip(self.offsets, (*self.offsets[1:], len(self.index_of)), strict=True)
        ]
        return np.stack(columns, axis=1).astype(np.int64)

    def units(self, sums: np.ndarray) -> np.ndarray:
        return np.asarray(sums, dtype=np.int64) @ self.weights

    def status_of_units(self, units: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.thresholds, units, side="right") - 1

    def label(self, position: int) -> str:
        if self.numbered:
            return f"Butir {position + 1}"
        index = int(self.index_of[position])
        return f"{self.codes[index]} {position - self.offsets[index] + 1}"


def _idm_engine(scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    figures = compute_many(scores)
    return figures.status.astype(np.int64), figures.idm


def _idm_scale() -> UnitScale:
    """The IDM's, with the status thresholds read off the engine itself: every combination
    of index sums is classified by `status_of_sums`, and the fewest units of each status is
    checked to separate the statuses exactly (lower bound exclusive, upper inclusive, as the
    engine applies them)."""
    scheme = load_scheme(SCHEME)
    top = scheme.max_score
    sizes = [i.size for i in scheme.indices]
    per_index = [top * n * len(sizes) for n in sizes]
    denominator = math.lcm(*per_index)
    weights = np.array([denominator // p for p in per_index], dtype=np.int64)
    grids = np.meshgrid(*(np.arange(top * n + 1) for n in sizes), indexing="ij")
    sums = np.stack([g.ravel() for g in grids], axis=1)
    units = sums @ weights
    status = status_of_sums(sums, SCHEME).astype(np.int64)
    statuses = len(scheme.statuses)
    thresholds = np.zeros(statuses, dtype=np.int64)
    for k in range(1, statuses):
        at_least = units[status >= k]
        below = units[status < k]
        thresholds[k] = at_least.min()
        if below.size and below.max() >= thresholds[k]:  # pragma: no cover - engine guard
            raise PlanningInputError("status IDM tidak monoton terhadap jumlah skor")
    offsets = tuple(int(x) for x in np.cumsum([0, *sizes[:-1]]))
    count = sum(sizes)
    following = np.tile(np.minimum(np.arange(top + 1) + 1, top), (count, 1))
    return UnitScale(
        denominator=denominator, weights=weights,
        index_of=np.repeat(np.arange(len(sizes)), sizes), offsets=offsets,
        codes=tuple(i.code for i in scheme.indices), thresholds=thresholds, top=top,
        following=following, engine=_idm_engine,
    )


def _id_engine(scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    figures = idx.compute_many(np.asarray(scores))
    return np.asarray(figures.status, dtype=np.int64), np.asarray(figures.nilai, dtype=float)


def _id_scale() -> UnitScale:
    items = idx.items()
    dimension_keys = [d.key for d in idx.DIMENSIONS]
    index_of = np.array([dimension_keys.index(i.dimension_key) for i in items])
    if np.any(np.diff(index_of) < 0):  # pragma: no cover - catalogue guard
        raise PlanningInputError("butir Indeks Desa tidak berurutan per dimensi")
    top = max(i.top for i in items)
    following = np.zeros((len(items), top + 1), dtype=np.int64)
    for item in items:
        for score in range(top + 1):
            following[item.position, score] = item.next_level(score) or item.top
    sizes = np.bincount(index_of, minlength=len(dimension_keys))
    return UnitScale(
        denominator=idx.MAX_TOTAL, weights=np.ones(len(dimension_keys), dtype=np.int64),
        index_of=index_of, offsets=tuple(int(x) for x in np.cumsum([0, *sizes[:-1]])),
        codes=tuple(k.upper() for k in dimension_keys),
        thresholds=np.array([idx.MIN_TOTAL[s] for s in idx.STATUSES], dtype=np.int64),
        top=top, following=following, engine=_id_engine, numbered=True, family="indeks_desa",
        value_scale=100.0,
    )


_BUILDERS: dict[str, Callable[[], UnitScale]] = {"idm": _idm_scale, "indeks_desa": _id_scale}
_CURRENT: ContextVar[str] = ContextVar("planning_family", default="idm")


@lru_cache(maxsize=2)
def _scale(key: str) -> UnitScale:
    return _BUILDERS[key]()


def unit_scale() -> UnitScale:
    """The scale of the family being planned (the IDM unless inside `family_scale`)."""
    return _scale(_CURRENT.get())


def scale_key() -> str:
    return _CURRENT.get()


@contextmanager
def family_scale(key: str) -> Iterator[UnitScale]:
    """Plan for the index family `key` (idm | indeks_desa) inside the block."""
    if key not in _BUILDERS:
        raise PlanningInputError(f"indeks tidak dikenal: {key!r}")
    token = _CURRENT.set(key)
    try:
        yield _scale(key)
    finally:
        _CURRENT.reset(token)

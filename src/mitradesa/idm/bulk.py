"""The same figures for many village-years at once, without a Python loop per village.

Only (5·35+1)·(5·12+1)·(5·3+1) = 171,776 combinations of sub-index sums exist, so every
figure is computed once per combination with the same floating-point operations as the
scalar rules (exact by construction) and then looked up by array indexing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from mitradesa.idm.compute import published_float
from mitradesa.idm.errors import IdmInputError
from mitradesa.idm.scheme import Scheme, load_scheme


@dataclass(frozen=True)
class BulkFigures:
    iks: np.ndarray
    ike: np.ndarray
    ikl: np.ndarray
    idm: np.ndarray
    status: np.ndarray  # status position 0 (SANGAT TERTINGGAL) … 4 (MANDIRI)
    target_status: np.ndarray
    penambahan: np.ndarray
    scores: np.ndarray  # (N, indicators), as given
    scheme: Scheme

    @property
    def nilai(self) -> np.ndarray:
        """(N, indicators): the IDM gain of raising each indicator to the top score.

        Computed on demand: for 750k village-years it is 37.5 M floats few callers need."""
        tables = _tables(self.scheme.name)
        columns = np.arange(self.scheme.indicator_count)
        return tables.nilai[columns[None, :], self.scores]

    def status_names(self) -> list[str]:
        names = np.array(self.scheme.status_names(), dtype=object)
        return list(names[self.status])

    def target_names(self) -> list[str]:
        names = np.array(self.scheme.status_names(), dtype=object)
        return list(names[self.target_status])

    def skor_minimal(self) -> list[str]:
        minimal = np.array([s.skor_minimal for s in self.scheme.statuses], dtype=object)
        return list(minimal[self.status])


@dataclass(frozen=True)
class _Tables:
    """Every figure per combination of sub-index sums, flattened by one integer key:
    key = Σ score × weight, the weights making (sum_iks, sum_ike, sum_ikl) a mixed-radix number.
    """

    weights: np.ndarray  # per indicator position
    part: tuple[np.ndarray, ...]  # published IKS, IKE, IKL per key
    idm: np.ndarray  # published IDM per key
    status: np.ndarray
    penambahan: np.ndarray
    nilai: np.ndarray  # per indicator position and score


@lru_cache(maxsize=2)
def _tables(scheme_name: str) -> _Tables:
    scheme = load_scheme(scheme_name)
    top, digits = scheme.max_score, scheme.significant_digits
    sizes = [i.size for i in scheme.indices]
    raw_parts = [np.arange(top * n + 1) / (top * n) for n in sizes]
    part = tuple(np.array([published_float(x, digits) for x in p.tolist()]) for p in raw_parts)
    # The same IEEE operations, in the same order, as compute.figures_from_sums.
    summed = (0.0 + raw_parts[0][:, None, None]) + raw_parts[1][None, :, None]
    raw = (summed + raw_parts[2][None, None, :]) / len(sizes)
    idm = np.array([published_float(x, digits) for x in raw.ravel().tolist()]).reshape(raw.shape)
    uppers = np.array([s.upper for s in scheme.statuses])
    status = np.minimum(np.searchsorted(uppers, raw, side="left"), len(uppers) - 1)
    minimal = np.array([float(s.skor_minimal) for s in scheme.statuses])
    penambahan = minimal[status] - idm
    flat_sizes = np.repeat(sizes, sizes)
    scores = np.arange(top + 1)
    nilai = (top - scores[None, :]) / (top * flat_sizes[:, None]) / len(sizes)
    shape = raw.shape
    radix = [shape[1] * shape[2], shape[2], 1]
    weights = np.repeat(np.array(radix, dtype=np.int32), sizes)
    grids = np.meshgrid(*(np.arange(n) for n in shape), indexing="ij")
    part_by_key = tuple(p[g].ravel() for p, g in zip(part, grids, strict=True))
    return _Tables(weights, part_by_key, idm.ravel(), status.astype(np.int8).ravel(),
                   penambahan.ravel(), nilai)


def status_of_sums(sums: np.ndarray, scheme_name: str = "idm2016") -> np.ndarray:
    """Status position for an (N, indices) array of sub-index score sums, exactly as
    `compute` classifies them."""
    tables = _tables(scheme_name)
    sizes = [i.size for i in load_scheme(scheme_name).indices]
    top = load_scheme(scheme_name).max_score
    radix = [(top * sizes[1] + 1) * (top * sizes[2] + 1), top * sizes[2] + 1, 1]
    key = np.asarray(sums, dtype=np.int64) @ np.array(radix, dtype=np.int64)
    return tables.status.take(key)


def compute_many(scores: np.ndarray, scheme_name: str = "idm2016") -> BulkFigures:
    """Figures for an (N, indicators) integer array of scores in catalogue order."""
    scheme = load_scheme(scheme_name)
    array = np.asarray(scores)
    if array.ndim != 2 or array.shape[1] != scheme.indicator_count:
        raise IdmInputError(f"skor harus berupa larik (N, {scheme.indicator_count})")
    if array.size and (array.min() < 0 or array.max() > scheme.max_score):
        raise IdmInputError(f"skor harus di antara 0–{scheme.max_score}")
    tables = _tables(scheme_name)
    key = np.einsum("ij,j->i", array, tables.weights)  # one pass over the scores
    status = tables.status.take(key)
    return BulkFigures(
        iks=tables.part[0].take(key),
        ike=tables.part[1].take(key),
        ikl=tables.part[2].take(key),
        idm=tables.idm.take(key),
        status=status,
        target_status=np.minimum(status + 1, len(scheme.statuses) - 1).astype(np.int8),
        penambahan=tables.penambahan.take(key),
        scores=array,
        scheme=scheme,
    )


def scores_from_strings(values: list[str], width: int = 50) -> np.ndarray:
    """Decode stored digit strings into an (N, width) int8 array, no loop per row."""
    if not values:
        return np.zeros((0, width), dtype=np.int8)
    raw = np.frombuffer("".join(values).encode("ascii"), dtype=np.uint8)
    return (raw.reshape(len(values), width) - ord("0")).astype(np.int8)


def scores_to_string(scores: list[int] | np.ndarray) -> str:
    return "".join(str(int(s)) for s in scores)

"""The same figures for many village-years at once: array operations, no loop per village."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

from mitradesa.idm.indeks_desa.catalogue import (
    ITEM_COUNT,
    IndeksDesaInputError,
    dimensions,
    items,
    sub_dimensions,
)
from mitradesa.idm.indeks_desa.compute import (
    MAX_TOTAL,
    MIN_TOTAL,
    STATUSES,
    nilai_of_total,
    status_position,
)


@dataclass(frozen=True)
class IndeksDesaBulk:
    total: np.ndarray  # (N,) int
    nilai: np.ndarray  # (N,) float, 2 decimals
    status: np.ndarray  # (N,) int8 position 0 (SANGAT TERTINGGAL) … 4 (MANDIRI)
    target_status: np.ndarray
    poin_dibutuhkan: np.ndarray
    dimensions: np.ndarray  # (N, 6) raw sums, catalogue order
    sub_dimensions: np.ndarray  # (N, 13)

    def status_names(self) -> list[str]:
        return list(np.array(STATUSES, dtype=object)[self.status])

    def target_names(self) -> list[str]:
        return list(np.array(STATUSES, dtype=object)[self.target_status])


@dataclass(frozen=True)
class _Tables:
    nilai: np.ndarray  # per total 0 … 635
    status: np.ndarray
    needed: np.ndarray
    membership: np.ndarray  # (127, 6 + 13) float32 0/1: dimensions, then sub-dimensions
    allowed: np.ndarray  # (127, 6) bool: may item i take score s


@cache
def _tables() -> _Tables:
    totals = range(MAX_TOTAL + 1)
    status = np.array([status_position(t) for t in totals], dtype=np.int8)
    target = np.minimum(status + 1, len(STATUSES) - 1)
    thresholds = np.array([MIN_TOTAL[name] for name in STATUSES])
    needed = np.maximum(thresholds[target] - np.arange(MAX_TOTAL + 1), 0)
    dim_keys = [d.key for d in dimensions()]
    sub_keys = [s.key for s in sub_dimensions()]
    catalogue = items()
    dimension_of_item = np.zeros((ITEM_COUNT, len(dim_keys)), dtype=np.int32)
    sub_of_item = np.zeros((ITEM_COUNT, len(sub_keys)), dtype=np.int32)
    allowed = np.zeros((ITEM_COUNT, 6), dtype=bool)
    for item in catalogue:
        dimension_of_item[item.position, dim_keys.index(item.dimension_key)] = 1
        sub_of_item[item.position, sub_keys.index(item.sub_dimension_key)] = 1
        allowed[item.position, list(item.levels)] = True
    membership = np.hstack([dimension_of_item, sub_of_item]).astype(np.float32)
    return _Tables(np.array([nilai_of_total(t) for t in totals]), status, needed, membership,
                   allowed)


def check_levels(scores: np.ndarray) -> list[tuple[int, int, int]]:
    """(row, item number, score) of every score the item cannot take."""
    array = np.asarray(scores)
    clipped = np.clip(array, 0, 5)
    bad = ~_tables().allowed[np.arange(ITEM_COUNT)[None, :], clipped] | (array != clipped)
    rows, columns = np.nonzero(bad)
    return [(int(r), int(c) + 1, int(array[r, c])) for r, c in zip(rows, columns, strict=True)]


def compute_many(scores: np.ndarray) -> IndeksDesaBulk:
    """Figures for an (N, 127) integer array of item scores in catalogue order."""
    array = np.asarray(scores)
    if array.ndim != 2 or array.shape[1] != ITEM_COUNT:
        raise IndeksDesaInputError(f"skor harus berupa larik (N, {ITEM_COUNT})")
    if array.size and (array.min() < 1 or array.max() > 5):
        raise IndeksDesaInputError("skor butir Indeks Desa harus di antara 1–5")
    tables = _tables()
    # One float32 product (BLAS) gives every sum; exact, as sums stay far below 2**24.
    sums = (array.astype(np.float32) @ tables.membership).astype(np.int32)
    dims = sums[:, :6]
    total = dims.sum(axis=1)
    status = tables.status.take(total)
    return IndeksDesaBulk(
        total=total,
        nilai=tables.nilai.take(total),
        status=status,
        target_status=np.minimum(status + 1, len(STATUSES) - 1).astype(np.int8),
        poin_dibutuhkan=tables.needed.take(total),
        dimensions=dims,
        sub_dimensions=sums[:, 6:],
    )


def scores_from_strings(values: list[str]) -> np.ndarray:
    """Decode stored 127-digit strings into an (N, 127) int8 array, no loop per row."""
    if not values:
        return np.zeros((0, ITEM_COUNT), dtype=np.int8)
    raw = np.frombuffer("".join(values).encode("ascii"), dtype=np.uint8)
    return (raw.reshape(len(values), ITEM_COUNT) - ord("0")).astype(np.int8)


def scores_to_string(scores: list[int] | np.ndarray) -> str:
    return "".join(str(int(s)) for s in scores)


def scores_to_strings(scores: np.ndarray) -> list[str]:
    """Encode an (N, 127) score array as N digit strings, no loop per score."""
    array = np.asarray(scores)
    if not len(array):
        return []
    text = (array.astype(np.uint8) + ord("0")).tobytes().decode("ascii")
    width = array.shape[1]
    return [text[i:i + width] for i in range(0, len(text), width)]

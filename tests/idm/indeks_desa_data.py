"""The shared 2025 Indeks Desa scores (10,969 real desa), read once per test run."""

from __future__ import annotations

import csv
from functools import cache

import numpy as np
import pytest

from tests.conftest import SHARED_DATA

INDEKS_DESA_2025 = SHARED_DATA / "indeks-desa-2025"


@cache
def _read() -> tuple[list[list[str]], np.ndarray]:
    with (INDEKS_DESA_2025 / "scores-2025.csv").open(encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)
        rows = list(reader)
    return [row[:6] for row in rows], np.array([row[6:] for row in rows], dtype=np.int8)


def shared_scores() -> tuple[list[list[str]], np.ndarray]:
    """(identity columns per desa, (N, 127) scores); skips when ../shared is absent."""
    if not (INDEKS_DESA_2025 / "scores-2025.csv").exists():
        pytest.skip("../shared/data/indeks-desa-2025 is not beside this checkout (CI has it)")
    return _read()


def scores_of(code: str) -> list[int]:
    identity, scores = shared_scores()
    row = next(i for i, ident in enumerate(identity) if ident[3] == code)
    return scores[row].tolist()

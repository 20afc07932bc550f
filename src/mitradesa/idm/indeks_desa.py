"""Indeks Desa 2024 (Permendesa PDTT 9/2024) — PROVISIONAL.

Only what the project spec can support: 13 sub-dimension ceilings summing to 635, score % =
total / 635 × 100, status by score %. The indicator list and official weights are not
published; treat every figure from here as provisional and label it so.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from mitradesa.idm.errors import IdmInputError

PROVISIONAL = True


@dataclass(frozen=True)
class IndeksDesaResult:
    total: float
    percent: float
    status: str
    by_dimension: dict[str, float]
    provisional: bool = PROVISIONAL


@lru_cache(maxsize=1)
def _scheme() -> dict[str, object]:
    path = resources.files("mitradesa.idm").joinpath("catalogue", "indeks_desa_2024", "scheme.toml")
    return tomllib.loads(path.read_text(encoding="utf-8"))


def ceilings() -> dict[str, dict[str, int]]:
    return {d["name"]: dict(d["ceilings"]) for d in _scheme()["dimensions"]}  # type: ignore[index,union-attr]


def compute_indeks_desa(points: dict[str, float]) -> IndeksDesaResult:
    """`points`: sub-dimension name → points earned (0 … its ceiling)."""
    limits = {sub: (dim, cap) for dim, subs in ceilings().items() for sub, cap in subs.items()}
    unknown = sorted(set(points) - set(limits))
    if unknown:
        raise IdmInputError(f"sub-dimensi tidak dikenal: {', '.join(unknown)}")
    by_dimension: dict[str, float] = {}
    for sub, value in points.items():
        dim, cap = limits[sub]
        if not 0 <= value <= cap:
            raise IdmInputError(f"{sub}: {value} di luar 0–{cap}")
        by_dimension[dim] = by_dimension.get(dim, 0.0) + value
    total = sum(points.values())
    maximum = sum(cap for _, cap in limits.values())
    percent = total / maximum * 100
    status = "SANGAT TERTINGGAL"
    for threshold in _scheme()["thresholds"]:  # type: ignore[union-attr]
        if percent > threshold["above"]:
            status = threshold["status"]
            break
    return IndeksDesaResult(total, percent, status, by_dimension)

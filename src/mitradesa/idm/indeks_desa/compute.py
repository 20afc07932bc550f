"""Total, nilai, status and the gap to the next status of one village-year.

The ministry's rule (spec indeks-desa.md, verified): T = Σ of the 127 item scores,
nilai = T / 635 × 100 rounded half-up to 2 decimals, no further weighting; the status is
classified on the whole-number total (equivalently on the rounded nilai).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from mitradesa.idm.indeks_desa.catalogue import (
    ITEM_COUNT,
    IndeksDesaInputError,
    dimensions,
    items,
    scheme_data,
)

STATUSES: tuple[str, ...] = tuple(s["name"] for s in scheme_data()["statuses"])
MIN_TOTAL: dict[str, int] = {s["name"]: int(s["min_total"]) for s in scheme_data()["statuses"]}
MIN_NILAI: dict[str, float] = {s["name"]: float(s["min_nilai"])
                               for s in scheme_data()["statuses"]}
MAX_TOTAL = int(scheme_data()["maximum"])


def nilai_of_total(total: int) -> float:
    """T / 635 × 100 with 2 decimals, half-up, computed exactly (552 → 86.93)."""
    exact = Decimal(total * 100) / Decimal(MAX_TOTAL)
    return float(exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def status_position(total: int) -> int:
    return max(i for i, name in enumerate(STATUSES) if total >= MIN_TOTAL[name])


def status_of_total(total: int) -> str:
    return STATUSES[status_position(total)]


def status_of_nilai(nilai: float) -> str:
    """The status from a published nilai (2 decimals), by the official nilai bounds."""
    rounded = round(nilai + 1e-9, 2)
    return max((name for name in STATUSES if rounded >= MIN_NILAI[name]), key=STATUSES.index)


def target_of(status: str) -> str:
    return STATUSES[min(STATUSES.index(status) + 1, len(STATUSES) - 1)]


@dataclass(frozen=True)
class Part:
    key: str
    name: str
    score: int
    maximum: int


@dataclass(frozen=True)
class IndeksDesaFigures:
    total: int
    nilai: float
    status: str
    target_status: str
    poin_dibutuhkan: int  # points still needed for the target status (0 when Mandiri)
    nilai_minimal: float  # the target status's official lower bound
    dimensions: tuple[Part, ...]
    sub_dimensions: tuple[Part, ...]

    @property
    def is_top(self) -> bool:
        return self.status == STATUSES[-1]


def check_scores(scores: Sequence[int]) -> list[int]:
    values = [int(s) for s in scores]
    if len(values) != ITEM_COUNT:
        raise IndeksDesaInputError(f"Indeks Desa butuh {ITEM_COUNT} skor butir, ada {len(values)}")
    for item, score in zip(items(), values, strict=True):
        if score not in item.levels:
            allowed = ", ".join(str(v) for v in item.levels)
            raise IndeksDesaInputError(
                f"butir {item.no} ({item.label}): skor {score} tidak mungkin; "
                f"skor butir ini: {allowed}")
    return values


@cache
def _spans() -> tuple[tuple[tuple[str, str, int, int], ...], tuple[tuple[str, str, int, int], ...]]:
    """(key, name, start, stop) of each dimension and sub-dimension in the score vector."""
    dims, subs, start = [], [], 0
    for dimension in dimensions():
        dim_start = start
        for sub in dimension.sub_dimensions:
            subs.append((sub.key, sub.name, start, start + sub.item_count))
            start += sub.item_count
        dims.append((dimension.key, dimension.name, dim_start, start))
    return tuple(dims), tuple(subs)


def compute(scores: Sequence[int]) -> IndeksDesaFigures:
    values = check_scores(scores)
    total = sum(values)
    status = status_of_total(total)
    target = target_of(status)
    dims, subs = _spans()
    return IndeksDesaFigures(
        total=total,
        nilai=nilai_of_total(total),
        status=status,
        target_status=target,
        poin_dibutuhkan=max(MIN_TOTAL[target] - total, 0),
        nilai_minimal=MIN_NILAI[target],
        dimensions=tuple(Part(k, n, sum(values[a:b]), (b - a) * 5) for k, n, a, b in dims),
        sub_dimensions=tuple(Part(k, n, sum(values[a:b]), (b - a) * 5) for k, n, a, b in subs),
    )


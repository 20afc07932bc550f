"""The two index families the analysis reads: the IDM (≤ 2024) and the Indeks Desa (2024 →).

One object per family answers what the analysis needs to know (its name, its headline value
and scale, its parts, its items, how to find where to intervene and how robust a status is),
so the modules downstream take a family and never ask for its name. Numbers of two families
are never put on one axis; the status names are the same in both and bridge the change.
Pure: numpy and the index engines only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from mitradesa.analysis import targeting as idm_targeting
from mitradesa.analysis import targeting_id
from mitradesa.analysis.robustness import Robustness, monte_carlo, monte_carlo_weighted
from mitradesa.idm import indeks_desa as idx
from mitradesa.idm.catalogue import indicators
from mitradesa.idm.scheme import load_scheme


class UnknownFamilyError(ValueError):
    """An index family that does not exist (`?indeks=` takes idm or indeks_desa)."""


@dataclass(frozen=True)
class FamilyItem:
    """One scored item of a family: an IDM indicator or an Indeks Desa item."""

    position: int  # in the family's flat score vector
    key: str  # "IKS 3" / "12" (the item number)
    name: str
    component: int  # position of its part (IKS/IKE/IKL or the dimension)
    lainnya: tuple[str, ...] = ()  # Indeks Desa: third-party implementers (Swasta, …)


@dataclass(frozen=True)
class IndexFamily:
    key: str  # "idm" | "indeks_desa"
    label: str  # "IDM" | "Indeks Desa"
    path: str  # the word of its pages: /desa/{kode}/idm | /desa/{kode}/indeks-desa
    value_key: str  # the headline value's key in rows: "idm" | "nilai"
    value_label: str  # "IDM" | "Nilai"
    scale: float  # the headline value's maximum: 1 | 100
    decimals: int  # 4 | 2
    components: tuple[str, ...]  # part names: IKS, IKE, IKL | the six dimensions
    component_keys: tuple[str, ...]
    component_maxima: tuple[float, ...]  # 1 each | the dimension maxima (raw sums)
    item_count: int
    item_word: str  # "indikator" | "butir"
    near: float  # near a threshold: in the headline value's units
    statuses: tuple[str, ...]
    bounds: tuple[tuple[float, str], ...]  # (the value where a status starts, that status)
    _targets: Callable[[np.ndarray, int], idm_targeting.Targets]
    _items: Callable[[], tuple[FamilyItem, ...]]
    _robustness: Callable[[np.ndarray, int], Robustness]

    def targets(self, scores: np.ndarray, k: int = 5) -> idm_targeting.Targets:
        return self._targets(np.asarray(scores), k)

    def items(self) -> tuple[FamilyItem, ...]:
        return self._items()

    def robustness(self, components: np.ndarray, draws: int) -> Robustness:
        """Monte Carlo over the weights of the parts and their aggregation."""
        return self._robustness(np.asarray(components, dtype=float), draws)

    def status_rank(self, names: list[str]) -> np.ndarray:
        order = {name: i for i, name in enumerate(self.statuses)}
        return np.array([order.get(s, -1) for s in names], dtype=int)

    def format_value(self, value: float) -> str:
        """Plain (not localised) text of the headline value, for keys and logs."""
        return f"{value:.{self.decimals}f}"


@lru_cache(maxsize=1)
def _idm_items() -> tuple[FamilyItem, ...]:
    parts = [i.code for i in load_scheme().indices]
    return tuple(FamilyItem(i.position, f"{i.index} {i.no}", i.indikator, parts.index(i.index))
                 for i in indicators())


@lru_cache(maxsize=1)
def _id_items() -> tuple[FamilyItem, ...]:
    keys = [d.key for d in idx.DIMENSIONS]
    return tuple(FamilyItem(i.position, str(i.no), i.label, keys.index(i.dimension_key),
                            tuple(i.implementers.lainnya_kinds)) for i in idx.items())


def _id_classify(values: np.ndarray) -> np.ndarray:
    """Status positions of aggregated shares (T / 635), on the whole-number total."""
    totals = np.floor(np.asarray(values) * idx.MAX_TOTAL + 1e-6)
    bounds = np.array([idx.MIN_TOTAL[s] for s in idx.STATUSES])
    return np.searchsorted(bounds, totals, side="right") - 1


def _id_robustness(components: np.ndarray, draws: int) -> Robustness:
    maxima = np.array([d.maximum for d in idx.DIMENSIONS], dtype=float)
    return monte_carlo_weighted(components / maxima, maxima / idx.MAX_TOTAL, _id_classify,
                                len(idx.STATUSES), draws=draws)


def _idm_family() -> IndexFamily:
    scheme = load_scheme()
    codes = tuple(i.code for i in scheme.indices)
    return IndexFamily(
        key="idm", label="IDM", path="idm", value_key="idm", value_label="IDM", scale=1.0,
        decimals=4,
        components=codes, component_keys=tuple(c.lower() for c in codes),
        component_maxima=tuple(1.0 for _ in codes), item_count=scheme.indicator_count,
        item_word="indikator", near=idm_targeting.NEAR, statuses=scheme.status_names(),
        bounds=tuple((s.upper, above.name)
                     for s, above in zip(scheme.statuses, scheme.statuses[1:], strict=False)),
        _targets=idm_targeting.targets, _items=_idm_items,
        _robustness=lambda values, draws: monte_carlo(values, draws=draws),
    )


def _id_family() -> IndexFamily:
    dimensions = idx.DIMENSIONS
    return IndexFamily(
        key="indeks_desa", label="Indeks Desa", path="indeks-desa", value_key="nilai",
        value_label="Nilai", scale=100.0, decimals=2, components=tuple(d.name for d in dimensions),
        component_keys=tuple(d.key for d in dimensions),
        component_maxima=tuple(float(d.maximum) for d in dimensions),
        item_count=idx.ITEM_COUNT, item_word="butir",
        near=round(targeting_id.NEAR_POINTS / idx.MAX_TOTAL * 100, 2),
        statuses=tuple(idx.STATUSES),
        bounds=tuple((idx.nilai_of_total(idx.MIN_TOTAL[s]), s) for s in idx.STATUSES[1:]),
        _targets=targeting_id.targets, _items=_id_items,
        _robustness=_id_robustness,
    )


@lru_cache(maxsize=1)
def _all() -> dict[str, IndexFamily]:
    return {f.key: f for f in (_idm_family(), _id_family())}


KEYS = ("idm", "indeks_desa")  # oldest first
IDM, INDEKS_DESA = KEYS


def family(key: str) -> IndexFamily:
    try:
        return _all()[key]
    except KeyError:
        raise UnknownFamilyError(
            f"Indeks tidak dikenal: {key!r}; pilih {' atau '.join(KEYS)}.") from None


def families() -> tuple[IndexFamily, ...]:
    return tuple(_all()[k] for k in KEYS)

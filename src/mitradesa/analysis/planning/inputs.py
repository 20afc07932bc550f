"""What a plan is made of: villages, candidate activities and funders with their rules.

Money is in rupiah as integers. Indicators are positions 0–49 in catalogue order
(IKS 1–35, IKE 1–12, IKL 1–3) or labels such as "IKL 2".
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

from mitradesa.analysis.planning.scales import (
    SCHEME,
    PlanningInputError,
    UnitScale,
    family_scale,
    scale_key,
    unit_scale,
)
from mitradesa.idm import indeks_desa as idx
from mitradesa.idm.catalogue import ACTORS, level_text

__all__ = ["PlanningInputError", "UnitScale", "family_scale", "unit_scale"]

APBD, DANA_DESA, MITRA = "apbd", "dana_desa", "mitra"
KIND_BIT = {APBD: 1, DANA_DESA: 2, MITRA: 4}
ALL_KINDS = 7
KIND_TITLES = {APBD: "APBD Kabupaten", DANA_DESA: "Dana Desa", MITRA: "Mitra"}

# Editable assumptions: the cost in rupiah of raising one indicator by one score step, per
# index. Not official figures — pass your own `step_costs` to `default_candidates`.
DEFAULT_STEP_COSTS: dict[str, int] = {
    "IKS": 25_000_000,
    "IKE": 40_000_000,
    "IKL": 60_000_000,
}
# The same for the Indeks Desa: rupiah per score point of an item, per dimension (an item
# raised from 1 to 5 costs four points). Assumptions, not official figures; per item with
# `StepCosts.build([("13", None, cost)])` or a cost file.
ID_DEFAULT_STEP_COSTS: dict[str, int] = {
    "LAYANAN_DASAR": 25_000_000,
    "SOSIAL": 15_000_000,
    "EKONOMI": 40_000_000,
    "LINGKUNGAN": 30_000_000,
    "AKSESIBILITAS": 60_000_000,
    "TATA_KELOLA": 10_000_000,
}
_DEFAULTS = {"idm": DEFAULT_STEP_COSTS, "indeks_desa": ID_DEFAULT_STEP_COSTS}


def default_step_costs() -> dict[str, int]:
    """The assumed unit costs per part of the index family being planned."""
    return dict(_DEFAULTS[scale_key()])

MAX_STEP_COST = 10**12  # rupiah for one step: far above any real cost, far below int64

# How the ministry's actor columns map onto funders (actors="catalogue").
_ACTOR_KINDS = {"kab": APBD, "desa": DANA_DESA, "csr": MITRA, "lainnya": MITRA}


def indicator_position(indicator: int | str) -> int:
    """Position 0–49 of an indicator given as a position or a label ("IKE 7")."""
    scale = unit_scale()
    count = len(scale.index_of)
    if isinstance(indicator, int | np.integer):
        if not 0 <= int(indicator) < count:
            raise PlanningInputError(f"indikator {indicator} di luar 0–{count - 1}")
        return int(indicator)
    if scale.numbered:  # the Indeks Desa: "13" or "butir 13" (item numbers 1–127)
        no = str(indicator).strip().lower().removeprefix("butir").strip()
        if not no.isdigit() or not 1 <= int(no) <= count:
            raise PlanningInputError(f"butir tidak dikenal: {indicator!r}")
        return int(no) - 1
    code, _, no = str(indicator).strip().upper().partition(" ")
    if code not in scale.codes or not no.strip().isdigit():
        raise PlanningInputError(f"indikator tidak dikenal: {indicator!r}")
    index = scale.codes.index(code)
    end = (*scale.offsets[1:], count)[index]
    position = scale.offsets[index] + int(no) - 1
    if not scale.offsets[index] <= position < end:
        raise PlanningInputError(f"indikator tidak dikenal: {indicator!r}")
    return position


@dataclass(frozen=True)
class Villages:
    codes: tuple[str, ...]
    kecamatan: tuple[str, ...]
    scores: np.ndarray  # (N, 50) integer scores 0–5

    def __post_init__(self) -> None:
        scores = np.asarray(self.scores)
        count = len(unit_scale().index_of)
        if scores.ndim != 2 or scores.shape[1] != count:
            raise PlanningInputError(f"skor harus berupa larik (N, {count})")
        if scores.size and (scores.min() < 0 or scores.max() > unit_scale().top):
            raise PlanningInputError("skor harus di antara 0–5")
        if len(self.codes) != len(scores) or len(self.kecamatan) != len(scores):
            raise PlanningInputError("jumlah kode desa, kecamatan dan baris skor harus sama")
        if len(set(self.codes)) != len(self.codes):
            raise PlanningInputError("kode desa ganda")
        object.__setattr__(self, "codes", tuple(self.codes))
        object.__setattr__(self, "kecamatan", tuple(self.kecamatan))
        object.__setattr__(self, "scores", scores.astype(np.int64))

    def __len__(self) -> int:
        return len(self.codes)

    def position(self) -> dict[str, int]:
        return {code: i for i, code in enumerate(self.codes)}


@dataclass(frozen=True)
class Activity:
    """One candidate: raise one indicator of one village by `steps` at `cost` rupiah, paid by
    funders of the kinds in `actors` (apbd, dana_desa, mitra); it may be taken up to `repeat`
    times (each time `steps` more, at `cost` more: e.g. single steps up to 5)."""

    village: str
    indicator: int | str
    steps: int
    cost: int
    actors: frozenset[str] = frozenset(KIND_BIT)
    repeat: int = 1


@dataclass(frozen=True)
class Candidates:
    """Candidate activities as columns (fast for hundreds of thousands of villages).
    Activities on the same village and indicator stack: their steps add up (an activity
    taken k times adds k · steps), and together they may not lift the score above 5, so
    alternatives that each reach 5 exclude each other."""

    village: np.ndarray  # index into Villages
    indicator: np.ndarray  # position 0–49
    steps: np.ndarray  # per time taken
    cost: np.ndarray  # rupiah per time taken
    actors: np.ndarray  # bit mask of funder kinds (KIND_BIT)
    repeat: np.ndarray | None = None  # times it may be taken (default 1)

    def __post_init__(self) -> None:
        repeat = np.ones(len(np.asarray(self.village)), dtype=np.int64) \
            if self.repeat is None else self.repeat
        names = ("village", "indicator", "steps", "cost", "actors", "repeat")
        arrays = [np.asarray(a, dtype=np.int64) for a in
                  (self.village, self.indicator, self.steps, self.cost, self.actors, repeat)]
        if len({a.shape for a in arrays}) != 1 or arrays[0].ndim != 1:
            raise PlanningInputError("kolom kegiatan harus sama panjang")
        for name, array in zip(names, arrays, strict=True):
            object.__setattr__(self, name, array)
        if self.repeat.size and self.repeat.min() < 1:
            raise PlanningInputError("setiap kegiatan dapat diambil sedikitnya sekali")
        if self.steps.size and self.steps.min() < 1:
            raise PlanningInputError("setiap kegiatan menaikkan skor sedikitnya 1 langkah")
        if self.cost.size and self.cost.min() < 1:
            raise PlanningInputError("biaya kegiatan harus bilangan bulat positif (rupiah)")

    def __len__(self) -> int:
        return len(self.village)

    @classmethod
    def from_activities(cls, villages: Villages, activities: Iterable[Activity]) -> Candidates:
        where = villages.position()
        rows = []
        for a in activities:
            if a.village not in where:
                raise PlanningInputError(f"desa {a.village} tidak ada dalam daftar desa")
            unknown = set(a.actors) - set(KIND_BIT)
            if unknown:
                raise PlanningInputError(f"jenis pendana tidak dikenal: {sorted(unknown)}")
            mask = sum(KIND_BIT[k] for k in set(a.actors))
            rows.append((where[a.village], indicator_position(a.indicator), int(a.steps),
                         int(a.cost), mask, int(a.repeat)))
        columns = np.array(rows, dtype=np.int64).reshape(-1, 6).T
        return cls(*columns)


KINDS = (APBD, DANA_DESA, MITRA)  # the columns of `StepCosts.table`


@dataclass(frozen=True)
class StepCosts:
    """The cost in rupiah of one score step, per indicator position and funder kind:
    `table[position, k]` for the kinds in `KINDS` order (APBD, Dana Desa, mitra)."""

    table: np.ndarray  # (indicators, 3) positive integers

    def __post_init__(self) -> None:
        table = np.asarray(self.table, dtype=np.int64)
        if table.shape != (len(unit_scale().index_of), len(KINDS)):
            raise PlanningInputError("tabel biaya per langkah harus (indikator, 3 jenis pendana)")
        if table.min() < 1 or table.max() > MAX_STEP_COST:
            raise PlanningInputError("biaya per langkah harus bilangan bulat positif (rupiah), "
                                     "paling banyak 10^12")
        object.__setattr__(self, "table", table)

    @classmethod
    def build(cls, rules: Iterable[tuple[str, str | None, int]] = (),
              base: Mapping[str, int] | None = None) -> StepCosts:
        """Costs per index (`base`, default `default_step_costs()`: `DEFAULT_STEP_COSTS`, or
        `ID_DEFAULT_STEP_COSTS` per dimension of the Indeks Desa), then `rules`
        (indicator, kind, cost): indicator an index ("IKE"; a dimension "EKONOMI") or one
        indicator ("IKE 7"; an Indeks Desa item "13" or "butir 13"),
        kind one of `KINDS` or None for every kind. The most specific rule wins whatever
        the order: index for all kinds < index for one kind < indicator for all kinds <
        indicator for one kind."""
        scale = unit_scale()
        costs = dict(default_step_costs() if base is None else base)
        missing = [c for c in scale.codes if c not in costs]
        if missing:
            raise PlanningInputError(f"biaya per langkah belum ada untuk {', '.join(missing)}")
        rules = list(rules)
        given = [int(costs[c]) for c in scale.codes] + [int(r[2]) for r in rules]
        if min(given) < 1 or max(given) > MAX_STEP_COST:
            raise PlanningInputError("biaya per langkah harus bilangan bulat positif (rupiah), "
                                     "paling banyak 10^12")
        per_index = np.array([int(costs[c]) for c in scale.codes], dtype=np.int64)
        table = np.repeat(per_index[scale.index_of][:, None], len(KINDS), axis=1)
        ranked = []
        for indicator, kind, cost in rules:
            if kind is not None and kind not in KINDS:
                raise PlanningInputError(f"jenis pendana tidak dikenal: {kind!r}")
            code = str(indicator).strip().upper()
            if code in scale.codes:
                index = scale.codes.index(code)
                rows = np.nonzero(scale.index_of == index)[0]
                rank = 0
            else:
                rows = np.array([indicator_position(indicator)])
                rank = 2
            columns = list(range(len(KINDS))) if kind is None else [KINDS.index(kind)]
            ranked.append((rank + (kind is not None), rows, columns, int(cost)))
        for _rank, rows, columns, cost in sorted(ranked, key=lambda r: r[0]):
            table[np.ix_(rows, columns)] = cost
        return cls(table)


def default_candidates(
    villages: Villages,
    step_costs: Mapping[str, int] | StepCosts | None = None,
    mode: str = "to_five",
    actors: str = "all",
) -> Candidates:
    """Candidates from the gaps: every indicator below 5 of every village.

    mode: "to_five" — one activity per indicator raising it to 5 (its top);
          "one_step" — one activity per indicator raising it by one step;
          "next_level" — one activity per indicator raising it to its next allowed level
          (the IDM: one step; the Indeks Desa: a {1, 5} item from 1 goes to 5);
          "stacked_steps" — a one-step activity that may be taken once per missing step
          (`repeat` = 5 − score), so a plan may raise an indicator part of the way.
    Cost: steps × the unit cost per step: per index (a mapping such as
    `DEFAULT_STEP_COSTS`, the default) or per indicator and funder kind (`StepCosts`).
    Where kinds pay different prices for a gap, it has one candidate per price, paid by the
    kinds of that price (they stack like any candidates on one indicator). actors: "all"
    (any funder may pay, within its own rules) or "catalogue" (the kinds the ministry's row
    names for the current score: kab → APBD, desa → Dana Desa, CSR/lainnya → mitra; any
    kind where the row names none of them).
    """
    scale = unit_scale()
    costs = step_costs if isinstance(step_costs, StepCosts) else StepCosts.build(base=step_costs)
    scores = villages.scores
    v, i = np.nonzero(scores < scale.top)
    s = scores[v, i]
    repeat = np.ones_like(s)
    if mode == "to_five":
        steps = scale.top - s
    elif mode == "one_step":
        steps = np.ones_like(s)
    elif mode == "next_level":
        steps = scale.following[i, s] - s
    elif mode == "stacked_steps":
        steps = np.ones_like(s)
        repeat = scale.top - s
    else:
        raise PlanningInputError(f"mode tidak dikenal: {mode!r}")
    if actors == "all":
        allowed = np.full(len(v), ALL_KINDS, dtype=np.int64)
    elif actors == "catalogue":
        allowed = catalogue_actor_masks()[i, s]
    else:
        raise PlanningInputError(f"actors tidak dikenal: {actors!r}")
    unit = costs.table[i]  # (gaps, kinds)
    bits = np.array([KIND_BIT[k] for k in KINDS], dtype=np.int64)
    parts = []
    for k in range(len(KINDS)):  # one candidate per distinct price, at its first kind
        first = np.all(unit[:, :k] != unit[:, [k]], axis=1)
        mask = ((unit == unit[:, [k]]) * bits).sum(axis=1) & allowed
        gap = np.nonzero(first & (mask != 0))[0]
        parts.append((gap * len(KINDS) + k, gap, unit[gap, k], mask[gap]))
    order = np.argsort(np.concatenate([p[0] for p in parts]), kind="stable")
    gap, price, mask = (np.concatenate([p[j] for p in parts])[order] for j in (1, 2, 3))
    return Candidates(v[gap], i[gap], steps[gap], steps[gap] * price, mask, repeat[gap])


def catalogue_actor_masks() -> np.ndarray:
    """(indicators, 6) funder-kind masks per indicator and current score, from the
    catalogue's newest row text (the Indeks Desa: the item's implementers, kabupaten → APBD,
    desa → Dana Desa, lainnya → mitra); all kinds where the row names none of them."""
    return _actor_masks(scale_key())


@lru_cache(maxsize=2)
def _actor_masks(key: str) -> np.ndarray:
    scale = unit_scale()
    if scale.numbered:
        masks = np.full((len(scale.index_of), scale.top + 1), ALL_KINDS, dtype=np.int64)
        for item in idx.items():
            named = {"kab": item.implementers.kabupaten, "desa": item.implementers.desa,
                     "lainnya": item.implementers.lainnya}
            mask = sum({KIND_BIT[_ACTOR_KINDS[a]] for a, text in named.items() if text.strip()})
            masks[item.position, :] = mask or ALL_KINDS
        return masks
    masks = np.full((len(scale.index_of), scale.top + 1), ALL_KINDS, dtype=np.int64)
    for position in range(len(scale.index_of)):
        code, no = scale.label(position).split()
        for score in range(scale.top):
            text = level_text(code, int(no), score, year=9999, scheme=SCHEME)
            mask = sum({KIND_BIT[_ACTOR_KINDS[a]] for a in ACTORS
                        if a in _ACTOR_KINDS and text.actors.get(a, "").strip()})
            masks[position, score] = mask or ALL_KINDS
    return masks


def sector_indicators() -> dict[str, frozenset[int]]:
    """Sector → indicator positions (partnerships/data/sector_indicators.toml; the Indeks
    Desa's items: sector_items.toml)."""
    return _sector_positions(scale_key())


@lru_cache(maxsize=2)
def _sector_positions(key: str) -> dict[str, frozenset[int]]:
    if unit_scale().numbered:
        from mitradesa.partnerships.sector_items import sector_items

        return {sector: frozenset(no - 1 for no in numbers)
                for sector, numbers in sector_items().items()}
    path = resources.files("mitradesa.partnerships").joinpath("data", "sector_indicators.toml")
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return {sector: frozenset(indicator_position(x) for x in items)
            for sector, items in data.items()}


@dataclass(frozen=True)
class Funder:
    """A budget and where it may go: `villages` (kode desa; None = every village) and
    `indicators` (positions; None = every indicator)."""

    id: str
    kind: str
    budget: int
    villages: frozenset[str] | None = None
    indicators: frozenset[int] | None = None
    name: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KIND_BIT:
            raise PlanningInputError(f"jenis pendana tidak dikenal: {self.kind!r}")
        if int(self.budget) != self.budget or self.budget < 0:
            raise PlanningInputError(f"anggaran {self.id} harus rupiah bulat tidak negatif")
        if self.kind == DANA_DESA and (self.villages is None or len(self.villages) != 1):
            raise PlanningInputError(f"Dana Desa {self.id} hanya untuk satu desa")
        object.__setattr__(self, "budget", int(self.budget))
        if self.villages is not None:
            object.__setattr__(self, "villages", frozenset(self.villages))
        if self.indicators is not None:
            object.__setattr__(self, "indicators",
                               frozenset(indicator_position(x) for x in self.indicators))


def apbd(budget: int, villages: Iterable[str] | None = None, id: str = "APBD",
         name: str = "APBD Kabupaten") -> Funder:
    """The regency budget: any village (of `villages`, if given), any indicator."""
    return Funder(id, APBD, budget, None if villages is None else frozenset(villages),
                  None, name)


def dana_desa(code: str, budget: int) -> Funder:
    """A village's Dana Desa: only that village."""
    return Funder(f"DD {code}", DANA_DESA, budget, frozenset([code]), None,
                  f"Dana Desa {code}")


def partner(id: str, budget: int, *, sectors: Sequence[str] = (),
            indicators: Iterable[int | str] | None = None,
            area: Iterable[str] | None = None, name: str = "") -> Funder:
    """A partner's commitment, restricted to its sectors (see `sector_indicators`) and/or
    explicit indicators, and to its area (kode desa; None = everywhere)."""
    table = sector_indicators()
    unknown = [s for s in sectors if s not in table]
    if unknown:
        raise PlanningInputError(f"sektor tidak dikenal: {', '.join(unknown)}")
    allowed: set[int] | None = None
    if sectors or indicators is not None:
        allowed = {p for s in sectors for p in table[s]}
        allowed |= {indicator_position(x) for x in indicators or ()}
    return Funder(id, MITRA, budget, None if area is None else frozenset(area),
                  None if allowed is None else frozenset(allowed), name or id)

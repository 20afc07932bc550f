"""Synthetic Indeks Desa 2025 for Kutai Kartanegara's desa (193; no kelurahan).

Made up like the demo IDM and stored with figures_source = "demo". The status counts follow
East Kalimantan's published 2025 counts (DPMPD Kaltim: 257 Mandiri, 347 Maju, 234 Berkembang,
3 Tertinggal, 0 Sangat Tertinggal of 841 desa), scaled to Kukar's desa by largest remainder.

The history continues the IDM each village has for 2024 (the demo IDM, or a real import that
replaced it): villages are ranked by their 2024 IDM status and value, the ranking is shaken a
little (the Indeks Desa is another measure), and the 2025 statuses are handed out down that
ranking. The two families are never converted into each other: only the status bridges them,
and no village moves more than one status from its 2024 IDM status. The demo has no story
that would lift a village further (the demo interventions were drawn without any effect), so
no village jumps two.

The 127 item scores of a village are drawn from how often each item takes each level among
real desa of 2025 with a similar total (`indeks_desa_profiles.json`, aggregates of the shared
data built by scripts/build_indeks_desa_demo_profiles.py), then moved level by level, within
each item's allowed levels, to the village's total.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from mitradesa.db.base import utcnow
from mitradesa.db.bulk import insert_rows
from mitradesa.db.codes import under
from mitradesa.idm.indeks_desa import (
    DIMENSIONS,
    MAX_TOTAL,
    MIN_TOTAL,
    STATUSES,
    items,
    status_of_total,
)
from mitradesa.idm_records.models import IdmResult
from mitradesa.indeks_desa_records.models import IndeksDesaResult
from mitradesa.indeks_desa_records.rows import result_rows
from mitradesa.regions.models import Region

REGION = "64.02"
YEAR = 2025
PREVIOUS_YEAR = 2024  # the last IDM year
SEED = 64022025
# MANDIRI, MAJU, BERKEMBANG, TERTINGGAL, SANGAT TERTINGGAL: Kalimantan Timur, 2025, 841 desa.
KALTIM_2025 = (257, 347, 234, 3, 0)
ORDER = ("MANDIRI", "MAJU", "BERKEMBANG", "TERTINGGAL", "SANGAT TERTINGGAL")
SPREAD = 30.0  # how far a village moves in the 2024 ranking (places, one standard deviation)

Progress = Callable[[int, int, str], None]


def _noop(done: int, total: int, stage: str) -> None:
    del done, total, stage


@dataclass(frozen=True)
class Profile:
    bands: tuple[tuple[int, int], ...]
    shares: np.ndarray  # (bands, 127, 5): probability of levels 1..5 per item
    total_quantiles: dict[str, tuple[int, ...]]


@lru_cache(maxsize=1)
def profile() -> Profile:
    path = resources.files("mitradesa.demo").joinpath("indeks_desa_profiles.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    shares = np.asarray(data["shares_per_mille"], dtype=float)
    shares /= shares.sum(axis=2, keepdims=True)
    return Profile(tuple(tuple(band) for band in data["bands"]), shares,
                   {status: tuple(q) for status, q in data["total_quantiles"].items()})


def status_counts(villages: int) -> tuple[int, ...]:
    """Kaltim's 2025 counts scaled to `villages` (largest remainder), in ORDER."""
    exact = [count * villages / sum(KALTIM_2025) for count in KALTIM_2025]
    counts = [int(value) for value in exact]
    by_remainder = sorted(range(len(exact)), key=lambda i: (counts[i] - exact[i], i))
    for i in by_remainder[: villages - sum(counts)]:
        counts[i] += 1
    return tuple(counts)


def _step(a: str, b: str) -> int:
    return abs(ORDER.index(a) - ORDER.index(b))


def assign_statuses(previous: Sequence[str | None], rng: np.random.Generator,
                    ) -> tuple[list[str], np.ndarray]:
    """2025 statuses for villages listed best first by their 2024 IDM; `previous` holds
    their 2024 statuses (None: no IDM, no constraint). Returns the statuses and each
    village's place in the shaken ranking (0 = best)."""
    n = len(previous)
    latent = np.arange(n) + rng.normal(0.0, SPREAD, n)
    places = np.empty(n, dtype=int)
    places[np.argsort(latent, kind="stable")] = np.arange(n)
    ladder = [s for s, count in zip(ORDER, status_counts(n), strict=True) for _ in range(count)]
    statuses = [ladder[place] for place in places]

    def fits(village: int, status: str) -> bool:
        before = previous[village]
        return before is None or _step(before, status) <= 1

    for village in range(n):
        if fits(village, statuses[village]):
            continue
        partners = sorted(
            (abs(int(places[village]) - int(places[other])), other) for other in range(n)
            if statuses[other] != statuses[village] and fits(village, statuses[other])
            and fits(other, statuses[village])
        )
        if not partners:
            raise RuntimeError("no status swap keeps the history within one step")
        other = partners[0][1]
        statuses[village], statuses[other] = statuses[other], statuses[village]
        places[village], places[other] = places[other], places[village]
    return statuses, places


def totals_for(statuses: Sequence[str], places: np.ndarray,
               rng: np.random.Generator) -> np.ndarray:
    """A total per village inside its status band, drawn from the real totals of that
    status; within a status the better placed village gets the higher total."""
    quantiles = profile().total_quantiles
    totals = np.zeros(len(statuses), dtype=int)
    for status in ORDER:
        members = [v for v in range(len(statuses)) if statuses[v] == status]
        if not members:
            continue
        grid = quantiles[status]
        drawn = np.rint(np.interp(rng.random(len(members)), np.linspace(0, 1, len(grid)), grid))
        low = MIN_TOTAL[status]
        above = [MIN_TOTAL[s] for s in STATUSES if MIN_TOTAL[s] > low]
        high = min(above) - 1 if above else MAX_TOTAL
        drawn = np.clip(drawn, low, high).astype(int)
        members.sort(key=lambda v: places[v])
        totals[members] = np.sort(drawn)[::-1]
    return totals


def scores_for_total(total: int, rng: np.random.Generator) -> np.ndarray:
    """127 scores, each an allowed level of its item, summing to `total` where the levels
    allow (else as near as they allow within the same status)."""
    catalogue = items()
    data = profile()
    band = next((b for b, (low, high) in enumerate(data.bands) if low <= total <= high),
                len(data.bands) - 1)
    # Each village is a little stronger in some dimensions and weaker in others: the items of
    # a dimension follow the profile of the band above or below the village's own.
    keys = [dimension.key for dimension in DIMENSIONS]
    dimension_of = np.array([keys.index(item.dimension_key) for item in catalogue])
    tilt = rng.integers(-1, 2, len(keys))[dimension_of]
    shares = data.shares[np.clip(band + tilt, 0, len(data.bands) - 1), np.arange(len(catalogue))]
    cumulative = shares.cumsum(axis=1)
    drawn = (cumulative < rng.random(len(catalogue))[:, None]).sum(axis=1) + 1
    scores = np.array([min(item.levels, key=lambda level, d=d: (abs(level - d), level))
                       for item, d in zip(catalogue, drawn, strict=True)], dtype=int)
    for _ in range(2000):
        gap = total - int(scores.sum())
        if gap == 0:
            break
        moves = _moves(catalogue, scores, gap)
        if not moves:
            break
        weights = np.array([shares[i, level - 1] + 1e-3 for i, level in moves])
        i, level = moves[int(rng.choice(len(moves), p=weights / weights.sum()))]
        scores[i] = level
    if status_of_total(int(scores.sum())) != status_of_total(total):
        raise RuntimeError(f"could not draw item scores for a total of {total}")
    return scores


def _moves(catalogue: Sequence[Any], scores: np.ndarray, gap: int) -> list[tuple[int, int]]:
    """(item position, new level) one allowed level up (gap > 0) or down, fitting the gap;
    the smallest step when none fits."""
    moves: list[tuple[int, int, int]] = []
    for i, item in enumerate(catalogue):
        levels = item.levels
        at = levels.index(int(scores[i]))
        target = at + (1 if gap > 0 else -1)
        if 0 <= target < len(levels):
            moves.append((i, levels[target], abs(levels[target] - levels[at])))
    fitting = [(i, level) for i, level, size in moves if size <= abs(gap)]
    if fitting or not moves:
        return fitting
    smallest = min(size for _, _, size in moves)
    return [(i, level) for i, level, size in moves if size == smallest]


def draw(previous: Sequence[str | None]) -> tuple[list[str], np.ndarray]:
    """Statuses and (N, 127) scores for villages listed best first by their 2024 IDM."""
    rng = np.random.default_rng(SEED)
    statuses, places = assign_statuses(previous, rng)
    totals = totals_for(statuses, places, rng)
    scores = np.stack([scores_for_total(int(t), rng) for t in totals]) if len(totals) else \
        np.zeros((0, len(items())), dtype=int)
    return statuses, scores


def _ranked_villages(session: Session) -> tuple[list[str], list[str | None]]:
    villages = list(session.scalars(
        select(Region.code).where(under(Region.code, REGION), Region.kind == "desa",
                                  Region.active.is_(True)).order_by(Region.code)))
    idm = {code: (status, value) for code, status, value in session.execute(
        select(IdmResult.village_code, IdmResult.status, IdmResult.idm).where(
            under(IdmResult.village_code, REGION), IdmResult.year == PREVIOUS_YEAR,
            IdmResult.scheme == "idm2016"))}

    def rank(code: str) -> tuple[int, float, str]:
        # A village without a 2024 IDM sits at the foot of Maju and is free to take any status.
        status, value = idm.get(code, ("MAJU", 0.0))
        return ORDER.index(status if status in ORDER else "MAJU"), -value, code

    villages.sort(key=rank)
    return villages, [idm[code][0] if code in idm else None for code in villages]


def load_demo_indeks_desa(session: Session, progress: Progress = _noop) -> int:
    """Insert the 2025 demo Indeks Desa of the desa that have none for 2025 yet; returns how
    many were added. Run after the demo IDM (it continues its 2024 statuses)."""
    stage = "membuat data Indeks Desa demo"
    villages, previous = _ranked_villages(session)
    progress(0, len(villages), stage)
    existing = set(session.scalars(select(IndeksDesaResult.village_code).where(
        under(IndeksDesaResult.village_code, REGION), IndeksDesaResult.year == YEAR)))
    if not villages or existing >= set(villages):
        progress(len(villages), len(villages), stage)
        return 0
    _, scores = draw(previous)
    keep = [row for row, code in enumerate(villages) if code not in existing]
    now = utcnow()
    rows = [{**row, "updated_at": now} for row in result_rows(
        [villages[row] for row in keep], scores[keep], YEAR, figures_source="demo")]
    added = insert_rows(session, IndeksDesaResult.__table__, rows)
    progress(len(villages), len(villages), stage)
    return added


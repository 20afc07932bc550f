"""Synthetic Indeks Desa 2025 for the national demo set: 127 item scores per desa, in bulk.

Pure numpy, no database, no loop per village. Like the Kukar demo (demo.indeks_desa) the
2025 figures continue each village's 2024 demo IDM, and the two families are never converted
into each other; only the status bridges them. A village's place inside its 2024 IDM status
band (0 = at the band's floor, 1 = at its ceiling), shaken a little, picks its total from the
real 2025 totals of the same Indeks Desa status (`indeks_desa_profiles.json`); a village
shaken past an edge of its band takes the neighbouring status, never more than one away.
The item scores are drawn from how often each item takes each level among real desa with a
similar total, snapped to the item's allowed levels, then moved one allowed level at a time
towards the village's total. The stored status is the engine's, computed from those scores.

Draws are seeded per regency, so a village's scores do not depend on how many villages are
asked for.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from mitradesa.demo.indeks_desa import profile
from mitradesa.idm.indeks_desa import MIN_TOTAL, STATUSES, items
from mitradesa.idm.indeks_desa.catalogue import ITEM_COUNT, MAX_LEVEL
from mitradesa.idm.scheme import load_scheme

YEAR = 2025
SHAKE = 0.2  # standard deviation of a village's move inside its band (band widths)
MOVES = 120  # level moves per village at most, towards its total


@cache
def _level_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per item and level 0..5: the nearest allowed level, the next allowed level up and
    the next one down (0: none)."""
    nearest = np.zeros((ITEM_COUNT, MAX_LEVEL + 1), dtype=np.int8)
    up = np.zeros_like(nearest)
    down = np.zeros_like(nearest)
    for position, item in enumerate(items()):
        levels = sorted(item.levels)
        for level in range(MAX_LEVEL + 1):
            nearest[position, level] = min(levels, key=lambda x, lv=level: (abs(x - lv), x))
            up[position, level] = next((x for x in levels if x > level), 0)
            down[position, level] = next((x for x in reversed(levels) if x < level), 0)
    return nearest, up, down


def target_totals(idm: np.ndarray, idm_status: np.ndarray,
                  rng: np.random.Generator) -> np.ndarray:
    """A 2025 total per village from its 2024 IDM value and status (0 … 4, as STATUSES)."""
    uppers = np.array([s.upper for s in load_scheme("idm2016").statuses])
    uppers[-1] = max(uppers[-1], 1.0)
    floors = np.concatenate([[0.0], uppers[:-1]])
    place = (idm - floors[idm_status]) / (uppers[idm_status] - floors[idm_status])
    place = np.clip(place, 0.0, 1.0) + rng.normal(0.0, SHAKE, len(idm))
    step = np.clip(np.floor(place), -1, 1).astype(int)
    status = np.clip(idm_status + step, 0, len(STATUSES) - 1)
    place = np.clip(place - step, 0.0, 1.0)
    quantiles = profile().total_quantiles
    totals = np.zeros(len(idm), dtype=int)
    for position, name in enumerate(STATUSES):
        members = status == position
        if not members.any():
            continue
        grid = np.asarray(quantiles[name], dtype=float)
        drawn = np.rint(np.interp(place[members], np.linspace(0, 1, len(grid)), grid))
        above = [MIN_TOTAL[s] for s in STATUSES if MIN_TOTAL[s] > MIN_TOTAL[name]]
        high = min(above) - 1 if above else ITEM_COUNT * MAX_LEVEL
        totals[members] = np.clip(drawn, max(MIN_TOTAL[name], ITEM_COUNT), high)
    return totals


def scores_for_totals(totals: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """(N, 127) allowed item scores summing to each total where the levels allow."""
    n = len(totals)
    data = profile()
    nearest, up, down = _level_tables()
    lows = np.array([low for low, _ in data.bands])
    band = np.clip(np.searchsorted(lows, totals, side="right") - 1, 0, len(lows) - 1)
    cumulative = data.shares.cumsum(axis=2)[band]  # (N, 127, 5)
    drawn = (cumulative < rng.random((n, ITEM_COUNT, 1))).sum(axis=2) + 1
    drawn = np.minimum(drawn, MAX_LEVEL)
    columns = np.arange(ITEM_COUNT)[None, :]
    scores = nearest[columns, drawn].astype(np.int8)
    # Each move takes the eligible item with the highest key, whose key then drops below
    # every other, so the moves spread over the items in a random order of the village's own.
    keys = rng.random((n, ITEM_COUNT))
    for _ in range(MOVES):
        gap = totals - scores.sum(axis=1, dtype=np.int32)
        active = np.nonzero(gap)[0]
        if not len(active):
            break
        rows = scores[active]
        raising = gap[active] > 0
        nxt = np.where(raising[:, None], up[columns, rows], down[columns, rows])
        size = np.abs(nxt.astype(np.int32) - rows)
        eligible = (nxt > 0) & (size <= np.abs(gap[active])[:, None])
        some = eligible.any(axis=1)
        if not some.any():
            break
        active, nxt, eligible = active[some], nxt[some], eligible[some]
        chosen = np.where(eligible, keys[active], -np.inf).argmax(axis=1)
        scores[active, chosen] = nxt[np.arange(len(active)), chosen]
        keys[active, chosen] -= 1.0
    return scores


def regency_indeks_desa(idm: np.ndarray, idm_status: np.ndarray, regency: str,
                        seed: int) -> np.ndarray:
    """(villages, 127) Indeks Desa 2025 scores for every desa of one regency (sorted codes),
    from their 2024 IDM values and statuses."""
    rng = np.random.default_rng([seed, int(regency.replace(".", "")), YEAR])
    return scores_for_totals(target_totals(idm, idm_status, rng), rng)

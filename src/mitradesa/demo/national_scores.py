"""Synthetic IDM scores for a national demo set (benchmarks): which desa, and their 50 scores.

Pure numpy, no database. Villages are taken as whole regencies — the home regency first, then
one regency from each province in turn — so every regency dashboard in the set is complete and
from about 40 regencies on every province is present; the last regency is cut to fit.

Scores: a village's level on the logit scale is national mean + province + regency + kecamatan
+ village effects, rising each year at a rate of its own. Each indicator adds a fixed
difficulty and a village-specific offset; its score is the number of five fixed uniform draws
below the resulting probability (binomially distributed), so a score rises as the level rises
and rarely falls. Draws are seeded per regency and always made for 2015–2024, so a village's
scores do not depend on how many villages or years are asked for.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

FIRST_YEAR = 2015  # the first IDM year
LAST_YEAR = 2024
ALL_YEARS = tuple(range(FIRST_YEAR, LAST_YEAR + 1))
INDICATORS = 50
TOP_SCORE = 5

# Logit-scale offsets by province (code prefix): Java and Bali well ahead, the eastern
# provinces behind, Papua's highlands furthest — the pattern of the published IDM.
PROVINCE_OFFSET: dict[str, float] = {
    **dict.fromkeys(("31", "32", "33", "34", "35", "36", "51"), 0.3),
    **dict.fromkeys(("11", "12", "13", "14", "15", "16", "17", "18", "19", "21"), 0.05),
    **dict.fromkeys(("61", "62", "63", "64", "65"), 0.0),
    **dict.fromkeys(("71", "72", "73", "74", "75", "76"), 0.0),
    "52": 0.05, "53": -0.25, "81": -0.25, "82": -0.2,
    **dict.fromkeys(("91", "92", "93", "96"), -0.6),
    **dict.fromkeys(("94", "95"), -0.9),
}
BASE = -0.1  # national mean level in 2015
GROWTH = 0.055  # mean yearly rise of the level at first; it quickens (ACCELERATION)
ACCELERATION = 0.1
SPREAD = {"regency": 0.18, "kecamatan": 0.12, "village": 0.25, "indicator": 0.7, "year": 0.05}


def regency_of(code: str) -> str:
    return code[:5]


def pick_villages(codes: Sequence[str], n: int, first_regency: str) -> list[str]:
    """`n` desa codes (all when `n` exceeds them) as whole regencies: `first_regency` first,
    then one regency from each province in turn, provinces and regencies in code order."""
    regencies: dict[str, list[str]] = {}
    for code in sorted(codes):
        regencies.setdefault(regency_of(code), []).append(code)
    per_province: dict[str, list[str]] = {}
    for regency in regencies:
        if regency != first_regency:
            per_province.setdefault(regency[:2], []).append(regency)
    order = [first_regency] if first_regency in regencies else []
    for turn in range(max((len(r) for r in per_province.values()), default=0)):
        order += [rs[turn] for rs in per_province.values() if turn < len(rs)]
    picked: list[str] = []
    for regency in order:
        if len(picked) >= n:
            break
        picked += regencies[regency][: n - len(picked)]
    return picked


def _difficulty(seed: int) -> np.ndarray:
    """Per indicator: some are easy (most villages score high), some hard."""
    return np.random.default_rng([seed, 0]).normal(0.4, 0.9, INDICATORS)


def regency_scores(regency_villages: Sequence[str], seed: int) -> np.ndarray:
    """(villages, years of ALL_YEARS, 50) int8 scores for every desa of one regency (sorted
    codes, all from the same regency)."""
    regency = regency_of(regency_villages[0])
    rng = np.random.default_rng([seed, int(regency.replace(".", ""))])
    n, years = len(regency_villages), len(ALL_YEARS)
    kecamatan = [code[:8] for code in regency_villages]
    names, index = np.unique(kecamatan, return_inverse=True)
    level = (BASE + PROVINCE_OFFSET.get(regency[:2], 0.0)
             + rng.normal(0, SPREAD["regency"])
             + rng.normal(0, SPREAD["kecamatan"], len(names))[index]
             + rng.normal(0, SPREAD["village"], n))
    rate = np.clip(rng.normal(GROWTH, GROWTH / 3, n), 0.0, None)
    steps = np.arange(years)
    curve = steps + ACCELERATION * steps**2
    yearly = level[:, None] + rate[:, None] * curve[None, :] \
        + rng.normal(0, SPREAD["year"], (n, years))
    offsets = _difficulty(seed)[None, :] + rng.normal(0, SPREAD["indicator"], (n, INDICATORS))
    logit = yearly[:, :, None] + offsets[:, None, :]
    chance = 1.0 / (1.0 + np.exp(-logit))  # (n, years, 50)
    draws = rng.random((n, 1, INDICATORS, TOP_SCORE))
    return (draws < chance[..., None]).sum(axis=-1, dtype=np.int8)

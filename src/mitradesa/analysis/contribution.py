"""Did interventions go with a rise of IDM? Matched two-way fixed-effects
difference-in-differences, as defined in shared/spec/analysis.md.

Treated: villages whose first intervention (a partnership commitment or a mentoring
program) starts in year t. Comparison: villages never treated in the window, matched to each
treated village on baseline IDM (nearest, within 0.05), from the same kecamatan where
possible. The model: y_vt = α_v + γ_t + β·D_vt + ε, D = 1 from the start year on for
treated villages; standard errors clustered by village. Staggered starts are also estimated
per start cohort. This measures association under the stated assumptions (parallel trends,
no spill-over), not proof of cause.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

CALIPER = 0.05


@dataclass(frozen=True)
class Estimate:
    effect: float
    ci_low: float
    ci_high: float
    treated: int
    comparison: int
    cohort: int | None = None  # the start year, for a per-cohort estimate


@dataclass
class Contribution:
    overall: Estimate | None
    cohorts: list[Estimate] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    pairs: dict[str, str] = field(default_factory=dict)  # treated → its comparison village
    note: str = ("Asosiasi dengan asumsi tren paralel dan tanpa limpahan antar-desa, "
                 "bukan bukti sebab-akibat.")


def match(panel: pd.DataFrame, starts: dict[str, int],
          caliper: float = CALIPER) -> tuple[dict[str, str], list[str]]:
    """Treated village → its comparison village (without replacement); and the unmatched.

    `panel` has columns village, kecamatan, year, value; the baseline is the value of the
    year before the start."""
    never = panel[~panel["village"].isin(starts)]
    used: set[str] = set()
    pairs: dict[str, str] = {}
    unmatched: list[str] = []
    for village, start in sorted(starts.items(), key=lambda item: (item[1], item[0])):
        base = panel[(panel["village"] == village) & (panel["year"] == start - 1)]
        if base.empty:
            unmatched.append(village)
            continue
        value, kecamatan = float(base["value"].iloc[0]), base["kecamatan"].iloc[0]
        pool = never[(never["year"] == start - 1) & ~never["village"].isin(used)].copy()
        pool["distance"] = (pool["value"] - value).abs()
        pool = pool[pool["distance"] <= caliper]
        if pool.empty:
            unmatched.append(village)
            continue
        pool["other_kecamatan"] = pool["kecamatan"] != kecamatan
        best = pool.sort_values(["other_kecamatan", "distance", "village"]).iloc[0]
        pairs[village] = best["village"]
        used.add(best["village"])
    return pairs, unmatched


def _did(panel: pd.DataFrame, starts: dict[str, int], pairs: dict[str, str],
         cohort: int | None) -> Estimate | None:
    chosen = {v: s for v, s in starts.items() if v in pairs and (cohort is None or s == cohort)}
    if len(chosen) < 2:
        return None
    comparison = {pairs[v] for v in chosen}
    data = panel[panel["village"].isin(set(chosen) | comparison)].copy()
    data["treated_now"] = [
        1.0 if v in chosen and y >= chosen[v] else 0.0
        for v, y in zip(data["village"], data["year"], strict=True)
    ]
    if data["treated_now"].nunique() < 2:
        return None
    import statsmodels.formula.api as smf  # here: importing it costs 1.5 s at every CLI start

    fit = smf.ols("value ~ treated_now + C(village) + C(year)", data=data).fit(
        cov_type="cluster", cov_kwds={"groups": pd.factorize(data["village"])[0]})
    low, high = fit.conf_int(0.05).loc["treated_now"]
    if not np.isfinite([fit.params["treated_now"], low, high]).all():
        return None  # not identified by these data: say so rather than show a NaN
    return Estimate(float(fit.params["treated_now"]), float(low), float(high), len(chosen),
                    len(comparison), cohort)


def contribution(panel: pd.DataFrame, starts: dict[str, int],
                 caliper: float = CALIPER) -> Contribution:
    """`panel`: one row per village and year (village, kecamatan, year, value) of one index
    family; `starts`: treated village → the year its first intervention started; `caliper`:
    the widest baseline difference of a match, in the value's units (IDM 0.05; the Indeks
    Desa's nilai 5)."""
    if panel.empty:
        return Contribution(None)
    pairs, unmatched = match(panel, starts, caliper)
    result = Contribution(_did(panel, starts, pairs, None), unmatched=unmatched, pairs=pairs)
    for cohort in sorted({starts[v] for v in pairs}):
        estimate = _did(panel, starts, pairs, cohort)
        if estimate is not None:
            result.cohorts.append(estimate)
    return result


def synthetic_panel(villages: int, years: range, effect: float, seed: int = 1) -> tuple[
        pd.DataFrame, dict[str, int]]:
    """A panel with a known effect for half the villages from a middle year: for tests and
    for showing the method."""
    rng = np.random.default_rng(seed)
    rows, starts = [], {}
    middle = years[len(years) // 2]
    for i in range(villages):
        code = f"v{i:04d}"
        level = rng.uniform(0.5, 0.8)
        treated = i % 2 == 0
        if treated:
            starts[code] = middle
        for year in years:
            value = level + 0.01 * (year - years[0]) + rng.normal(0, 0.005)
            if treated and year >= middle:
                value += effect
            rows.append((code, f"k{i % 4}", year, value))
    return pd.DataFrame(rows, columns=["village", "kecamatan", "year", "value"]), starts

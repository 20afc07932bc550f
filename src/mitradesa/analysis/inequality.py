"""Inequality between villages, as defined in shared/spec/analysis.md.

Gini (population form): G = Σ_i Σ_j |x_i − x_j| / (2 n² μ).
Theil T: T = (1/n) Σ (x_i/μ) ln(x_i/μ); villages with 0 are left out and counted.
Decomposition by group g: T_between = Σ (n_g/n)(μ_g/μ) ln(μ_g/μ), T_within = T − T_between.
σ-convergence: the coefficient of variation (population sd / mean) per year.
β-convergence: OLS of annual growth on the starting level; b < 0 means catching up.
Bottom-20% gap: median − mean of the villages at or below the 20th percentile.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


def _values(x: Sequence[float] | np.ndarray) -> np.ndarray:
    values = np.asarray(x, dtype=float)
    if values.ndim != 1 or values.size == 0:
        raise ValueError("perlu sedikitnya satu nilai")
    if np.any(values < 0) or not np.all(np.isfinite(values)):
        raise ValueError("nilai indeks harus angka tidak negatif")
    return values


def gini(x: Sequence[float] | np.ndarray) -> float:
    """Population Gini, O(n log n) through the sorted form of Σ Σ |x_i − x_j|."""
    values = np.sort(_values(x))
    n, total = values.size, values.sum()
    if total == 0:
        return 0.0
    ranks = np.arange(1, n + 1)
    pair_sum = 2 * np.sum((2 * ranks - n - 1) * values)  # Σ_i Σ_j |x_i − x_j|
    # Rounding can leave a hair below 0 when every value is equal; the Gini is ≥ 0 by definition.
    return max(0.0, float(pair_sum / (2 * n * n * (total / n))))


@dataclass(frozen=True)
class Theil:
    total: float
    within: float
    between: float
    villages: int
    left_out_zero: int  # villages with index 0, which cannot enter ln


def theil(x: Sequence[float] | np.ndarray, groups: Sequence[str] | None = None) -> Theil:
    values = _values(x)
    keep = values > 0
    labels = np.asarray(groups) if groups is not None else np.zeros(values.size, dtype=int)
    if labels.shape != values.shape:
        raise ValueError("jumlah kelompok harus sama dengan jumlah desa")
    values, labels = values[keep], labels[keep]
    left_out = int((~keep).sum())
    if values.size == 0:
        return Theil(0.0, 0.0, 0.0, 0, left_out)
    mean = values.mean()
    share = values / mean
    total = float(np.mean(share * np.log(share)))
    n = values.size
    # Per group g (vectorised; a province has hundreds of kecamatan): n_g and μ_g.
    _labels, group = np.unique(labels, return_inverse=True)
    sizes = np.bincount(group)
    ratio = np.bincount(group, weights=values) / sizes / mean  # μ_g / μ
    # ≥ 0 by definition; one group (a kecamatan's own villages) is exactly 0, not a rounding hair
    between = max(0.0, float(np.sum((sizes / n) * ratio * np.log(ratio)))) if sizes.size > 1 \
        else 0.0
    return Theil(total, total - between, between, n, left_out)


def coefficient_of_variation(x: Sequence[float] | np.ndarray) -> float:
    values = _values(x)
    mean = values.mean()
    return float(values.std() / mean) if mean else 0.0


@dataclass(frozen=True)
class BetaConvergence:
    slope: float
    ci_low: float
    ci_high: float
    intercept: float
    villages: int

    @property
    def converging(self) -> bool:
        """Lower villages grow faster, at 95% confidence."""
        return self.ci_high < 0


def beta_convergence(start: np.ndarray, end: np.ndarray, years: float) -> BetaConvergence:
    """OLS of (end − start)/years on start, with the slope's 95% t-interval."""
    x = np.asarray(start, dtype=float)
    y = (np.asarray(end, dtype=float) - x) / years
    n = x.size
    if n < 3:
        raise ValueError("β-konvergensi memerlukan sedikitnya 3 desa")
    x_mean = x.mean()
    sxx = np.sum((x - x_mean) ** 2)
    if sxx == 0:
        raise ValueError("semua desa mulai dari nilai yang sama; kemiringan tidak terdefinisi")
    slope = float(np.sum((x - x_mean) * (y - y.mean())) / sxx)
    intercept = float(y.mean() - slope * x_mean)
    residuals = y - (intercept + slope * x)
    se = float(np.sqrt(np.sum(residuals**2) / (n - 2) / sxx))
    from scipy import stats  # imported here: scipy.stats costs ~0.7 s at CLI start

    margin = float(stats.t.ppf(0.975, n - 2)) * se
    return BetaConvergence(slope, slope - margin, slope + margin, intercept, n)


def bottom20_gap(x: Sequence[float] | np.ndarray) -> float:
    values = _values(x)
    cut = np.percentile(values, 20)
    return float(np.median(values) - values[values <= cut].mean())

"""Headline figures for a year and across years, from arrays (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from mitradesa.analysis.inequality import (
    beta_convergence,
    bottom20_gap,
    coefficient_of_variation,
    gini,
    theil,
)

INDEX_NAMES = ("iks", "ike", "ikl", "idm")  # the IDM's; `value_names(family)` for either


def value_names(family: Any) -> tuple[str, ...]:
    """The keys of an `indices` array's columns: the family's parts, then its headline."""
    return (*family.component_keys, family.value_key)


def inequality_figures(values: np.ndarray, kecamatan: Sequence[str]) -> dict[str, Any]:
    split = theil(values, list(kecamatan))
    return {
        "gini": gini(values), "theil": split.total, "theil_within": split.within,
        "theil_between": split.between, "cv": coefficient_of_variation(values),
        "bottom20_gap": bottom20_gap(values), "villages": len(values),
        "left_out_zero": split.left_out_zero,
    }


def inequality_summary(indices: np.ndarray, kecamatan: Sequence[str],
                       names: Sequence[str] = INDEX_NAMES) -> dict[str, Any]:
    """The headline value's figures (the last column: IDM or nilai) at the top level, and
    each part's under `by_index` (`names`: the columns' keys)."""
    if len(indices) == 0:
        raise ValueError("tidak ada desa dengan data pada pilihan ini")
    result = inequality_figures(indices[:, -1], kecamatan)
    result["by_index"] = {name: inequality_figures(indices[:, i], kecamatan)
                          for i, name in enumerate(names[:-1])}
    return result


def convergence(years: list[int], codes_by_year: list[list[str]],
                idm_by_year: list[np.ndarray]) -> dict[str, Any]:
    """σ-convergence (CV per year) and β-convergence between the first and last year, on the
    villages present in both."""
    sigma = [{"tahun": y, "cv": coefficient_of_variation(v)}
             for y, v in zip(years, idm_by_year, strict=True) if len(v)]
    result: dict[str, Any] = {"sigma": sigma, "beta": None}
    if len(years) < 2:
        return result
    first = dict(zip(codes_by_year[0], idm_by_year[0], strict=True))
    last = dict(zip(codes_by_year[-1], idm_by_year[-1], strict=True))
    common = sorted(set(first) & set(last))
    if len(common) >= 3:
        start = np.array([first[c] for c in common])
        end = np.array([last[c] for c in common])
        try:
            beta = beta_convergence(start, end, years[-1] - years[0])
        except ValueError:
            return result
        result["beta"] = {"slope": beta.slope, "ci_low": beta.ci_low, "ci_high": beta.ci_high,
                          "villages": beta.villages, "from": years[0], "to": years[-1],
                          "converging": beta.converging}
    return result

"""Inequality measures against worked examples, a reference library and their properties."""

from __future__ import annotations

import math

import numpy as np
import pytest
import statsmodels.api as sm
from hypothesis import given
from hypothesis import strategies as st

from mitradesa.analysis.inequality import (
    beta_convergence,
    bottom20_gap,
    coefficient_of_variation,
    gini,
    theil,
)

indices = st.lists(st.floats(0.01, 1.0, allow_nan=False), min_size=2, max_size=60)


def test_gini_worked_example():
    # Σ_i Σ_j |x_i − x_j| = 20, n = 4, μ = 2.5: 20 / (2 · 16 · 2.5) = 0.25
    assert gini([1, 2, 3, 4]) == pytest.approx(0.25)
    assert gini([0.7, 0.7, 0.7]) == 0.0


def test_theil_worked_example_and_zero_left_out():
    # μ = 2, shares 0.5 and 1.5: (0.5 ln 0.5 + 1.5 ln 1.5) / 2
    expected = (0.5 * math.log(0.5) + 1.5 * math.log(1.5)) / 2
    assert theil([1, 3]).total == pytest.approx(expected)
    result = theil([1, 3, 0])
    assert result.total == pytest.approx(expected) and result.left_out_zero == 1


def test_theil_split_by_kecamatan_worked_example():
    # Two kecamatan with means 1 and 3 and no spread inside: all inequality is between.
    result = theil([1, 1, 3, 3], ["a", "a", "b", "b"])
    assert result.within == pytest.approx(0, abs=1e-12)
    assert result.between == pytest.approx(result.total)


def test_beta_convergence_matches_statsmodels_ols():
    rng = np.random.default_rng(7)
    start = rng.uniform(0.4, 0.9, 40)
    end = start + 0.03 - 0.04 * (start - 0.6) + rng.normal(0, 0.004, 40)
    mine = beta_convergence(start, end, years=3)
    reference = sm.OLS((end - start) / 3, sm.add_constant(start)).fit()
    low, high = reference.conf_int(0.05)[1]
    assert (mine.slope, mine.ci_low, mine.ci_high) == pytest.approx((reference.params[1], low,
                                                                     high))
    assert mine.converging and mine.villages == 40


def test_bottom20_gap_worked_example():
    values = [0.5, 0.55, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 1.0, 0.65]
    # 20th percentile 0.59: villages 0.5, 0.55 → mean 0.525; median 0.75
    assert bottom20_gap(values) == pytest.approx(0.75 - 0.525)


@given(indices)
def test_gini_equals_the_double_sum_and_stays_in_0_1(values):
    x = np.asarray(values)
    brute = np.abs(x[:, None] - x[None, :]).sum() / (2 * x.size**2 * x.mean())
    assert gini(values) == pytest.approx(brute, abs=1e-9)
    assert 0 <= gini(values) < 1


@given(indices, st.floats(0.1, 10))
def test_measures_do_not_depend_on_the_unit(values, factor):
    scaled = [v * factor for v in values]
    assert gini(scaled) == pytest.approx(gini(values), abs=1e-9)
    assert theil(scaled).total == pytest.approx(theil(values).total, abs=1e-9)
    assert coefficient_of_variation(scaled) == pytest.approx(coefficient_of_variation(values))


@given(indices, st.lists(st.sampled_from("abc"), min_size=60, max_size=60))
def test_theil_within_and_between_add_up_and_are_not_negative(values, labels):
    result = theil(values, labels[: len(values)])
    assert result.within + result.between == pytest.approx(result.total)
    assert result.between >= -1e-12 and result.within >= -1e-12


def test_numeric_analysis_imports_neither_the_database_nor_the_web():
    import subprocess
    import sys

    code = (
        "import sys, mitradesa.analysis.inequality, mitradesa.analysis.targeting;"
        "bad = [n for n in ('sqlalchemy', 'fastapi', 'starlette', 'mitradesa.db') "
        "if n in sys.modules]; print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr

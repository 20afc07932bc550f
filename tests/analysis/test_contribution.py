"""Contribution analysis finds a known effect on a synthetic panel, and says what it is."""

from __future__ import annotations

import pandas as pd
import pytest

from mitradesa.analysis.contribution import contribution, match, synthetic_panel


def test_did_recovers_a_known_effect_with_an_interval_that_holds_it():
    panel, starts = synthetic_panel(60, range(2019, 2025), effect=0.02)
    result = contribution(panel, starts)
    estimate = result.overall
    assert estimate.ci_low < 0.02 < estimate.ci_high
    assert estimate.effect == pytest.approx(0.02, abs=0.005)
    assert estimate.treated == estimate.comparison  # one comparison village each
    assert estimate.treated + len(result.unmatched) == 30  # the rest are listed
    assert [c.cohort for c in result.cohorts] == [2022]
    assert "bukan bukti sebab-akibat" in result.note


def test_no_effect_gives_an_interval_around_zero():
    panel, starts = synthetic_panel(60, range(2019, 2025), effect=0.0, seed=3)
    estimate = contribution(panel, starts).overall
    assert estimate.ci_low < 0 < estimate.ci_high


def test_matching_prefers_the_same_kecamatan_and_respects_the_caliper():
    panel = pd.DataFrame([
        ("t", "A", 2021, 0.60), ("near_other", "B", 2021, 0.605),
        ("same", "A", 2021, 0.63), ("far", "A", 2021, 0.80),
        ("lonely", "C", 2021, 0.20),
    ], columns=["village", "kecamatan", "year", "value"])
    pairs, unmatched = match(panel, {"t": 2022, "lonely": 2022})
    assert pairs == {"t": "same"} and unmatched == ["lonely"]

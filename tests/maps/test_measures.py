"""The classes of a map's colour scale: five equal ones from the lowest to the highest value,
at the precision the figures are written with; every value in exactly one class."""

from __future__ import annotations

import pytest

from mitradesa.analysis.families import family
from mitradesa.maps.measures import class_bounds, class_of, measures_of, scale_positions


@pytest.mark.parametrize(("values", "decimals", "bounds"), [
    ([0.45, 0.51, 0.63, 0.9], 4, [0.45, 0.54, 0.63, 0.72, 0.81, 0.9]),
    ([87, 120, 150, 101], 0, [87, 100, 112, 125, 137, 150]),
    ([0.5012, 0.5099], 4, [0.5, 0.51]),  # too close for five classes: one
    ([42, 42], 0, [42, 43]),
])
def test_equal_classes_at_the_written_precision(values, decimals, bounds):
    assert class_bounds(values, decimals) == pytest.approx(bounds)


def test_each_value_lies_in_its_class_and_the_highest_in_the_last():
    values = [0.4412, 0.5, 0.6071, 0.7309, 0.9123, 0.9199]
    bounds = class_bounds(values, 4)
    for value in values:
        i = class_of(value, bounds)
        assert bounds[i] <= value <= bounds[i + 1]
    assert class_of(max(values), bounds) == len(bounds) - 2
    assert class_of(min(values), bounds) == 0


def test_fewer_classes_take_colours_spread_from_light_to_dark():
    assert scale_positions(5) == [0, 1, 2, 3, 4]
    assert scale_positions(2) == [0, 4]
    assert scale_positions(1) == [2]


def test_the_measures_are_the_status_then_the_parts_of_the_index():
    assert [m.key for m in measures_of(family("idm"))] == ["status", "iks", "ike", "ikl"]
    indeks_desa = measures_of(family("indeks_desa"))
    assert [m.key for m in indeks_desa][1:] == ["layanan_dasar", "sosial", "ekonomi",
                                                "lingkungan", "aksesibilitas", "tata_kelola"]
    assert indeks_desa[3].maximum == 160

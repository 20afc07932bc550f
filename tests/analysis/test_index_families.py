"""Targeting, inequality and robustness on either index family; the Indeks Desa's numbers
are never mixed with the IDM's."""

from __future__ import annotations

import numpy as np
import pytest

from mitradesa.analysis import results
from mitradesa.analysis.data import newest_family, year_data
from mitradesa.analysis.families import UnknownFamilyError, family
from mitradesa.analysis.inequality import gini
from mitradesa.analysis.targeting_id import gains
from mitradesa.idm import indeks_desa as idx
from tests.analysis.indeks_desa_fixtures import scores_at, scores_with_total, seed_indeks_desa
from tests.web.test_analysis_pages import seed

ID_ROWS = [  # Anggana (64.02.04) and Loa Kulu (64.02.02), 2025
    ("6402042001", 2025, scores_with_total(364)),  # Tertinggal, 1 point below Berkembang
    ("6402042006", 2025, scores_at(5)),  # Mandiri
    ("6402042002", 2025, scores_with_total(400)),  # Berkembang
    ("6402022005", 2025, scores_at(1)),  # Sangat Tertinggal
    ("6402022006", 2025, scores_with_total(441)),  # Maju at its lower bound
    ("6402022001", 2025, scores_at(3)),
]


@pytest.fixture
def both(db, tmp_path):
    seed(db, tmp_path)  # IDM 2022 and 2023
    seed_indeks_desa(db, ID_ROWS)


def test_the_default_family_is_the_one_of_the_newest_year(db, both):
    assert newest_family(db, "64.02").key == "indeks_desa"
    selection = results.select_year(db, "64.02", None)
    assert (selection.family.label, selection.data.year, selection.years) == (
        "Indeks Desa", 2025, [2025])
    idm = results.select_year(db, "64.02", None, "idm")
    assert (idm.data.year, idm.years) == (2023, [2022, 2023])


def test_a_regions_indeks_desa_loads_nilai_and_the_six_dimension_sums(db, both):
    data = year_data(db, 2025, "64.02", "indeks_desa")
    at = data.codes.index("64.02.04.2006")
    assert data.value[at] == 100.0 and data.status[at] == "MANDIRI"
    assert data.components[at].tolist() == [170, 85, 160, 90, 50, 80]
    assert data.scores.shape == (6, 127)
    assert data.family.decimals == 2 and data.family.scale == 100


def test_targeting_on_the_indeks_desa_reaches_the_next_status_in_the_fewest_raises(db, both):
    selection = results.select_year(db, "64.02", None, "indeks_desa")
    found = results.targeting(selection, None)
    assert found["indeks"] == "indeks_desa" and found["nama_indeks"] == "Indeks Desa"
    rows = {r["kode_desa"]: r for r in found["desa"]}
    assert "idm" not in rows["64.02.04.2001"] and rows["64.02.04.2001"]["nilai"] == 57.32
    assert rows["64.02.04.2001"]["langkah_ke_status_berikut"] == 1  # one point short
    assert rows["64.02.04.2006"]["langkah_ke_status_berikut"] is None  # Mandiri
    assert rows["64.02.02.2006"]["dekat_ambang"]  # at the Maju bound
    data = selection.data
    for i, code in enumerate(data.codes):
        steps = rows[code]["langkah_ke_status_berikut"]
        if steps is None:
            continue
        order = np.argsort(-gains(data.scores[i:i + 1])[0], kind="stable")
        raised = data.scores[i].astype(int).copy()
        for position in order[:steps]:
            raised[position] = idx.items()[position].next_level(raised[position])
        before = idx.STATUSES.index(data.status[i])
        assert idx.STATUSES.index(idx.compute(raised).status) > before
        assert sum(rows[code]["langkah_per_indeks"].values()) == steps
        assert set(rows[code]["langkah_per_indeks"]) == set(family("indeks_desa").components)
        weakest = rows[code]["indikator_terlemah"]
        assert all(w.isdigit() and 1 <= int(w) <= 127 for w in weakest)


def test_inequality_of_the_indeks_desa_is_over_nilai_and_its_dimensions_only(db, both):
    selection = results.select_year(db, "64.02", None, "indeks_desa")
    figures = results.inequality(selection, results.history(db, selection))
    assert figures["gini"] == pytest.approx(gini(selection.data.value))
    assert set(figures["by_index"]) == {d.key for d in idx.DIMENSIONS}
    year = figures["per_tahun"][0]
    assert "nilai" in year and "idm" not in year and "iks" not in year
    assert figures["convergence"]["beta"] is None  # one year of the Indeks Desa only


def test_robustness_of_the_indeks_desa_keeps_the_official_status_for_a_full_score(db, both):
    selection = results.select_year(db, "64.02", None, "indeks_desa")
    found = results.robustness(selection, draws=60)
    rows = {r["kode_desa"]: r for r in found["peluang"]}
    assert found["indeks"] == "indeks_desa" and found["desa"] == 6
    assert rows["64.02.04.2006"]["peluang"]["MANDIRI"] == 1.0
    assert rows["64.02.02.2005"]["peluang"]["SANGAT TERTINGGAL"] == 1.0
    assert all(sum(r["peluang"].values()) == pytest.approx(1) for r in rows.values())


def test_an_unknown_family_is_refused():
    with pytest.raises(UnknownFamilyError):
        family("idm2016")


def test_steps_on_the_indeks_desa_are_the_engines_cheapest_path_length():
    rng = np.random.default_rng(16)
    items = idx.items()
    scores = np.array([[rng.choice(item.levels[:3] if i % 3 else item.levels)
                        for i, item in enumerate(items)] for _ in range(40)])
    found = family("indeks_desa").targets(scores, 3)
    for row, steps in zip(scores, found.steps_to_next, strict=True):
        path = idx.cheapest_path(row.tolist())
        assert (len(path) if path else -1) == steps


def test_contribution_says_the_indeks_desa_series_is_too_short_and_uses_the_idm(db, both):
    from mitradesa.analysis.interventions import as_dict, contribution_for_region

    result, details = contribution_for_region(db, "64.02", "idm", "all")
    found = as_dict(result, details)
    assert (found["indeks"], found["ukuran"], found["tahun_data"]) == ("idm", "idm",
                                                                      [2022, 2023])
    assert "Deret Indeks Desa terlalu pendek" in found["catatan_indeks"]
    assert "1 tahun: 2025" in found["catatan_indeks"]
    asked = as_dict(*contribution_for_region(db, "64.02", "idm", "all", "idm"))
    assert asked["indeks"] == "idm" and asked["catatan_indeks"] is None


def test_contribution_runs_on_the_indeks_desa_once_its_series_is_long(db, both):
    from mitradesa.analysis.interventions import as_dict, contribution_for_region

    seed_indeks_desa(db, [(code, year, scores) for code, _y, scores in ID_ROWS
                          for year in (2023, 2024)])
    found = as_dict(*contribution_for_region(db, "64.02", "idm", "all"))
    assert (found["indeks"], found["nama_indeks"], found["ukuran"]) == (
        "indeks_desa", "Indeks Desa", "nilai")
    assert found["tahun_data"] == [2023, 2024, 2025] and found["catatan_indeks"] is None


def test_the_dashboard_headline_names_its_family(db, both):
    assert results.headline(db, "64.02")["nama_indeks"] == "IDM"
    newest = results.headline(db, "64.02", None)
    assert (newest["indeks"], newest["tahun"], newest["villages"]) == ("indeks_desa", 2025, 6)

"""The analysis API: the CLI's JSON keys and figures, per region-year, within the user's scope."""

from __future__ import annotations

import pytest

from mitradesa.analysis.data import year_data
from mitradesa.analysis.robustness import monte_carlo
from mitradesa.analysis.summaries import inequality_summary
from mitradesa.analysis.targeting import targets
from tests.conftest import SEPATIN, login
from tests.web.test_analysis_pages import seed

API = "/api/v1/regions/{}/analysis/"


@pytest.fixture
def kukar(db, tmp_path):
    return seed(db, tmp_path)


@pytest.fixture
def staff(client, make_user):
    make_user("staf", "viewer", [])
    login(client, "staf")
    return client


def test_inequality_has_the_cli_keys_and_the_librarys_figures(staff, kukar, db):
    result = staff.get(API.format("64.02") + "inequality", params={"year": 2023}).json()
    data = year_data(db, 2023, "64.02")
    expected = inequality_summary(data.indices, data.kecamatan)
    for key in ("gini", "theil", "theil_within", "theil_between", "cv", "bottom20_gap"):
        assert result[key] == pytest.approx(expected[key], abs=1e-12), key
    assert result["by_index"]["ikl"]["gini"] == pytest.approx(expected["by_index"]["ikl"]["gini"])
    assert (result["tahun"], result["wilayah"], result["villages"]) == (2023, "64.02", 6)
    beta = result["convergence"]["beta"]
    assert {"slope", "ci_low", "ci_high", "villages", "from", "to", "converging"} <= set(beta)
    assert [s["tahun"] for s in result["convergence"]["sigma"]] == [2022, 2023]
    assert [y["tahun"] for y in result["per_tahun"]] == [2022, 2023]


def test_targeting_and_robustness_follow_the_library(staff, kukar, db):
    data = year_data(db, 2023, "64.02")
    found = staff.get(API.format("64.02") + "targeting").json()
    steps = dict(zip(data.codes, targets(data.scores, k=3).steps_to_next.tolist(), strict=True))
    for row in found["desa"]:
        expected = steps[row["kode_desa"]]
        assert row["langkah_ke_status_berikut"] == (None if expected < 0 else expected)
        assert len(row["indikator_terlemah"]) == 3
    assert found["turun_status"] == 2 and found["tahun_sebelumnya"] == 2022
    robust = staff.get(API.format("64.02") + "robustness", params={"draws": 50}).json()
    fragile = monte_carlo(data.indices[:, :3], draws=50).fragile
    assert robust["undian"] == 50 and robust["desa"] == 6
    assert robust["jumlah_rapuh"] == len(robust["rapuh"]) == int(fragile.sum())
    assert all(sum(v["peluang"].values()) == pytest.approx(1) for v in robust["peluang"])


def test_rows_stay_in_scope_and_other_regions_are_refused(client, make_user, kukar):
    make_user("op.sepatin", "operator_desa", [SEPATIN])
    login(client, "op.sepatin")
    found = client.get(API.format("64.02") + "targeting").json()
    assert [r["kode_desa"] for r in found["desa"]] == [SEPATIN]
    assert found["desa_tidak_ditampilkan"] == 5
    for what in ("inequality", "targeting", "robustness"):
        refused = client.get(API.format("64.02.02") + what)
        assert refused.status_code == 403, what


def test_an_unknown_year_is_404_with_the_years_there_are(staff, kukar):
    response = staff.get(API.format("64.02") + "robustness", params={"year": 2019})
    assert response.status_code == 404
    assert "tersedia: 2022, 2023" in response.json()["error"]["message"]

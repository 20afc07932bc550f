"""The IDM API returns what `mitradesa idm show --format json` prints, within the user's scope."""

from __future__ import annotations

import pytest

from mitradesa.idm import compute
from mitradesa.idm_records.importing import import_idm_files
from mitradesa.idm_records.models import IdmResult
from mitradesa.idm_records.queries import idm_object
from mitradesa.regions.models import Region
from tests.conftest import login
from tests.idm_records.fixtures import SEPATIN, SUNGAI_MERIAM, scores_for, write_scores_csv


@pytest.fixture
def seeded(db, tmp_path):
    rows = [(SEPATIN, 2022, scores_for(1)), (SEPATIN, 2023, scores_for(2)),
            (SUNGAI_MERIAM, 2023, [5] * 50)]
    import_idm_files(db, [write_scores_csv(tmp_path / "s.csv", rows)], store_dir=tmp_path / "st")
    db.commit()


def test_village_idm_is_the_show_object(client, db, make_user, seeded):
    make_user("staf", "viewer", ["64.02"])
    login(client, "staf")
    response = client.get("/api/v1/villages/6402042001/idm", params={"year": 2022})
    assert response.status_code == 200
    data = response.json()
    result = db.query(IdmResult).filter_by(village_code="64.02.04.2001", year=2022).one()
    assert data == idm_object(result, db.get(Region, "64.02.04.2001"))
    assert data["idm"] == compute(scores_for(1)).idm and len(data["indicators"]) == 50


def test_latest_year_by_default_and_404_for_a_missing_year(client, make_user, seeded):
    make_user("staf", "viewer", ["64.02"])
    login(client, "staf")
    assert client.get("/api/v1/villages/64.02.04.2001/idm").json()["tahun"] == 2023
    missing = client.get("/api/v1/villages/64.02.04.2001/idm", params={"year": 2019})
    assert missing.status_code == 404
    assert "tersedia: 2022, 2023" in missing.json()["error"]["message"]


def test_operator_of_another_village_is_refused(client, make_user, seeded):
    make_user("operator", "operator_desa", ["64.02.04.2006"])
    login(client, "operator")
    assert client.get("/api/v1/villages/64.02.04.2006/idm").status_code == 200
    assert client.get("/api/v1/villages/64.02.04.2001/idm").status_code == 403


def test_region_summary_counts_ranks_and_filters(client, make_user, seeded):
    make_user("staf", "viewer", ["64.02"])
    login(client, "staf")
    data = client.get("/api/v1/regions/64.02/idm", params={"year": 2023}).json()
    assert data["tahun_tersedia"] == [2022, 2023]
    assert data["peringkat"][0]["kode"] == "64.02.04.2006"
    assert data["peringkat"][0]["status"] == "MANDIRI"
    assert sum(data["jumlah_status"]["2023"].values()) == 2
    assert data["desa_tanpa_data"] == 193 - 2
    only = client.get("/api/v1/regions/64.02/idm", params={"year": 2023, "status": "mandiri"})
    assert [row["kode"] for row in only.json()["peringkat"]] == ["64.02.04.2006"]
    wrong = client.get("/api/v1/regions/64.02/idm", params={"status": "kaya"})
    assert wrong.status_code == 400 and "MANDIRI" in wrong.json()["error"]["message"]

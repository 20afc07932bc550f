"""The Indeks Desa API: the `show` object, what-if, a region's summary and ranking."""

from __future__ import annotations

import pytest

from mitradesa.idm import indeks_desa
from mitradesa.indeks_desa_records import queries
from mitradesa.regions.queries import get_region
from tests.conftest import LOH_SUMBER, SEPATIN, SUNGAI_MERIAM, login, send
from tests.web.indeks_desa_seed import scores_for_total, seed

MUARA_KEMBANG = "64.02.04.2002"


@pytest.fixture
def seeded(db):
    seed(db, [
        (SEPATIN, 2024, 470), (SEPATIN, 2025, 400), (SUNGAI_MERIAM, 2025, 560),
        (MUARA_KEMBANG, 2025, 420), (LOH_SUMBER, 2025, 340),
    ])
    db.commit()


@pytest.fixture
def staff(client, make_user):
    make_user("staf", "viewer", [])
    login(client, "staf")
    return client


def test_village_object_is_the_show_object(staff, db, seeded):
    body = staff.get(f"/api/v1/villages/{SEPATIN}/indeks-desa").json()
    expected = queries.indeks_desa_object(queries.result_for(db, SEPATIN, None),
                                          get_region(db, SEPATIN))
    assert body == expected
    assert (body["tahun"], body["total"], body["nilai"], body["status"]) == (
        2025, 400, 62.99, "BERKEMBANG")
    assert len(body["items"]) == 127 and body["poin_dibutuhkan"] == 41


def test_an_earlier_year_and_a_missing_one(staff, seeded):
    assert staff.get(f"/api/v1/villages/{SEPATIN}/indeks-desa",
                     params={"year": 2024}).json()["status"] == "MAJU"
    missing = staff.get(f"/api/v1/villages/{SEPATIN}/indeks-desa", params={"year": 2026})
    assert missing.status_code == 404
    assert missing.json()["error"]["reason"] == "indeks_desa_not_found"


def test_what_if_returns_the_new_figures_and_the_path_from_there(staff, seeded):
    scores = scores_for_total(400)
    item = next(i for i in indeks_desa.items() if scores[i.position] < i.top)
    response = send(staff, "POST", f"/villages/{SEPATIN}/indeks-desa/what-if",
                    json={"naikkan": [f"{item.no}={item.top}", item.export_label + "=" +
                                      str(item.top)][:1]})
    assert response.status_code == 200, response.text
    body = response.json()
    gain = item.top - scores[item.position]
    assert body["sebelum"]["total"] == 400 and body["sesudah"]["total"] == 400 + gain
    assert body["sesudah"]["nilai"] == indeks_desa.nilai_of_total(400 + gain)
    assert body["perubahan"] == [{"no": item.no, "item": item.label, "dari":
                                  scores[item.position], "ke": item.top, "poin": gain}]
    assert sum(r["poin"] for r in body["jalur_tercepat"]) >= body["sesudah"]["poin_dibutuhkan"]


def test_what_if_by_label_and_a_level_the_item_cannot_take(staff, seeded):
    item = next(i for i in indeks_desa.items() if i.levels == (1, 5))
    by_label = send(staff, "POST", f"/villages/{SEPATIN}/indeks-desa/what-if",
                    json={"naikkan": [f"{item.export_label}=5"]})
    assert by_label.status_code == 200 and by_label.json()["perubahan"][0]["no"] == item.no
    wrong = send(staff, "POST", f"/villages/{SEPATIN}/indeks-desa/what-if",
                 json={"naikkan": [f"{item.no}=3"]})
    assert wrong.status_code == 400
    assert "1, 5" in wrong.json()["error"]["message"]


def test_region_summary_keeps_the_families_apart(staff, seeded):
    body = staff.get("/api/v1/regions/64.02/indeks-desa").json()
    assert body["tahun"] == 2025 and body["tahun_tersedia"] == [2024, 2025]
    families = {f["indeks"]: f["jumlah_status"] for f in body["jumlah_status"]}
    assert families == {"indeks_desa": {
        "2024": {"MAJU": 1},
        "2025": {"BERKEMBANG": 2, "MANDIRI": 1, "TERTINGGAL": 1},
    }}
    assert [r["kode"] for r in body["peringkat"]] == [SUNGAI_MERIAM, MUARA_KEMBANG, SEPATIN,
                                                     LOH_SUMBER]
    anggana = next(k for k in body["kecamatan"] if k["kode"] == "64.02.04")
    assert anggana["desa"] == 3 and anggana["status"] == {"MANDIRI": 1, "BERKEMBANG": 2}
    profile = {d["key"]: d for d in body["profil_dimensi"]}
    assert set(profile) == {d.key for d in indeks_desa.DIMENSIONS}
    assert all(0 < d["persen"] <= 100 for d in profile.values())


def test_ranking_filters_on_status(staff, seeded):
    body = staff.get("/api/v1/regions/64.02/indeks-desa/ranking",
                     params={"status": "BERKEMBANG"}).json()
    assert body["status"] == "BERKEMBANG"
    assert [(r["peringkat"], r["kode"], r["nilai"]) for r in body["peringkat"]] == [
        (2, MUARA_KEMBANG, 66.14), (3, SEPATIN, 62.99)]
    unknown = staff.get("/api/v1/regions/64.02/indeks-desa/ranking", params={"status": "x"})
    assert unknown.status_code == 400


def test_a_pendamping_ranks_only_the_villages_of_their_scope(client, make_user, seeded):
    make_user("pd.anggana", "pendamping", ["64.02.04"])
    login(client, "pd.anggana")
    body = client.get("/api/v1/regions/64.02.04/indeks-desa/ranking").json()
    assert {r["kode"] for r in body["peringkat"]} == {SEPATIN, SUNGAI_MERIAM, MUARA_KEMBANG}
    assert client.get(f"/api/v1/villages/{LOH_SUMBER}/indeks-desa").status_code == 403

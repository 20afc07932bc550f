"""The analysis pages and API on the Indeks Desa: `?indeks=idm|indeks_desa`, the newest year's
family by default, and the family named on every page."""

from __future__ import annotations

import json
import re

import pytest

from tests.analysis.indeks_desa_fixtures import seed_indeks_desa
from tests.analysis.test_index_families import ID_ROWS
from tests.conftest import login
from tests.web.test_analysis_pages import seed

API = "/api/v1/regions/64.02/analysis/"


@pytest.fixture
def staff(client, make_user, db, tmp_path):
    seed(db, tmp_path)
    seed_indeks_desa(db, ID_ROWS)
    make_user("staf", "viewer", [])
    login(client, "staf")
    return client


def test_the_api_gives_the_indeks_desa_by_default_and_the_idm_when_asked(staff):
    found = staff.get(API + "targeting").json()
    assert (found["indeks"], found["tahun"], found["jumlah_desa"]) == ("indeks_desa", 2025, 6)
    assert all("nilai" in r and "idm" not in r for r in found["desa"])
    idm = staff.get(API + "targeting", params={"indeks": "idm"}).json()
    assert (idm["indeks"], idm["tahun"]) == ("idm", 2023)
    assert all("idm" in r and "nilai" not in r for r in idm["desa"])
    inequality = staff.get(API + "inequality").json()
    assert inequality["indeks"] == "indeks_desa" and "ekonomi" in inequality["by_index"]
    robust = staff.get(API + "robustness", params={"draws": 20}).json()
    assert robust["nama_indeks"] == "Indeks Desa"
    assert staff.get(API + "targeting", params={"indeks": "idm2016"}).status_code == 422
    missing = staff.get(API + "targeting", params={"indeks": "indeks_desa", "year": 2023})
    assert missing.status_code == 404
    by_year = staff.get(API + "targeting", params={"year": 2023}).json()  # the IDM has 2023
    assert (by_year["indeks"], by_year["tahun"]) == ("idm", 2023)
    nowhere = staff.get(API + "targeting", params={"year": 2019})
    assert nowhere.status_code == 404 and "tersedia: 2022, 2023, 2025" in nowhere.text


def test_the_pages_name_the_index_and_never_chart_the_two_families_together(staff):
    page = staff.get("/wilayah/64.02/analisis").text
    assert 'id="index-family">Indeks Desa<' in page
    assert '<option value="idm">IDM (2022–2023)</option>' in page
    charts = json.loads(re.search(r'id="analysis-chart-data">([^<]+)<', page).group(1))
    assert [line["name"] for line in charts["gini"]["lines"]][:2] == ["Indeks Desa",
                                                                      "Layanan Dasar"]
    assert "idm" not in charts["gini"]["series"] and "iks" not in charts["gini"]["series"]
    targeting = staff.get("/wilayah/64.02/analisis/sasaran").text
    assert "/desa/64.02.04.2001/indeks-desa?tahun=2025" in targeting
    assert ">57,32<" in targeting  # nilai with two decimals, written the Indonesian way
    idm = staff.get("/wilayah/64.02/analisis/sasaran", params={"indeks": "idm"}).text
    assert 'id="index-family">IDM<' in idm and "/desa/64.02.04.2001/idm?tahun=2023" in idm
    assert 'id="index-family">IDM<' in staff.get("/wilayah/64.02/analisis",
                                                  params={"tahun": "2023"}).text
    robust = staff.get("/wilayah/64.02/analisis/ketahanan").text
    assert "maximum / 635" in robust or "maksimum / 635" in robust


def test_the_plan_page_plans_on_the_indeks_desa_with_costs_per_dimension(client, make_user,
                                                                          db, tmp_path):
    from tests.conftest import csrf_of

    seed(db, tmp_path)
    seed_indeks_desa(db, ID_ROWS)
    make_user("dpmd.kukar", "admin", ["64.02"])
    login(client, "dpmd.kukar")
    form = client.get("/wilayah/64.02/rencana").text
    assert 'id="index-family"' in form and "Indeks Desa" in form
    assert 'name="biaya_tata_kelola"' in form and 'name="biaya_iks"' not in form
    data = {"indeks": "indeks_desa", "tujuan": "status_up", "tahun": "2025",
            "apbd": "200.000.000", "dana_desa": "0", "mode": "next_level", "mitra": "1",
            "batas_waktu": "10", "biaya_layanan_dasar": "25.000.000",
            "biaya_sosial": "15.000.000", "biaya_ekonomi": "40.000.000",
            "biaya_lingkungan": "30.000.000", "biaya_aksesibilitas": "60.000.000",
            "biaya_tata_kelola": "10.000.000", "csrf_token": csrf_of(client)}
    page = client.post("/wilayah/64.02/rencana", data=data)
    assert page.status_code == 200, page.text
    assert int(re.search(r'id="plan-moved">(\d+)<', page.text).group(1)) >= 1
    assert "Butir " in page.text
    idm = client.get("/wilayah/64.02/rencana", params={"indeks": "idm"}).text
    assert 'name="biaya_iks"' in idm


def test_the_regency_dashboard_heads_with_the_newest_index(staff):
    page = staff.get("/wilayah/64.02").text
    card = page.split('id="analisis"')[1].split("</section>")[0]
    assert "Gini Indeks Desa" in card and "desa dengan Indeks Desa 2025" in card
    assert re.search(r'id="headline-gap">\d+,\d\d<', card)  # nilai points, two decimals
    assert 'href="/wilayah/64.02/analisis?indeks=indeks_desa"' in card

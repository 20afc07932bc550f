"""The contribution page and API: the estimate with its interval and villages, per start
year, the words of association, demo labels, plain words when nothing can be estimated,
and the region scope."""

from __future__ import annotations

from datetime import date

from mitradesa.demo.loading import load_demo
from tests.conftest import login

PAGE = "/wilayah/{}/analisis/kontribusi"
API = "/api/v1/regions/{}/analysis/contribution"


def test_page_and_api_show_the_figures_and_say_association_not_proof(
    db, tmp_path, client, make_user
):
    load_demo(db, tmp_path, date(2026, 11, 23))
    db.commit()
    make_user("staf", "viewer", [])
    make_user("pendamping.sebulu", "pendamping", ["64.02.07"])
    login(client, "staf")
    text = client.get(PAGE.format("64.02")).text
    assert "Apakah berhasil?" in text and "Selisih IDM" in text and "Interval 95%" in text
    assert "bukan bukti bahwa intervensi menyebabkan selisih itu" in text
    assert "Tren paralel" in text and "Tanpa limpahan" in text
    assert "Mulai 2021" in text and "Mulai 2022" in text and 'data-cohort="1"' in text
    assert "Segihan" in text and "PKS Sekolah Lapang Pertanian Sebulu" in text
    assert "DATA DEMO (sintetis)" in text and ">DEMO<" in text
    assert "Sepatin" in text  # started 2025: listed, with no year after it yet
    found = client.get(API.format("64.02"), params={"outcome": "ike", "kind": "kemitraan"})
    assert found.status_code == 200
    body = found.json()
    assert body["ukuran"] == "ike" and body["perkiraan"]["desa_intervensi"] == 6
    assert [c["tahun_mulai"] for c in body["per_kohort"]] == [2021]
    assert client.get(API.format("64.02"), params={"outcome": "iks"}).status_code == 422
    partnerships = client.get(PAGE.format("64.02"), params={"jenis": "kemitraan"}).text
    assert "6 desa yang pada tahun-tahun ini hanya mendapat jenis intervensi yang lain" in (
        partnerships)  # the mentoring villages: neither treated nor comparison
    wrong = client.get(PAGE.format("64.02"), params={"jenis": "hibah"}).text
    assert "Jenis intervensi “hibah” tidak dikenal" in wrong
    client.cookies.clear()
    login(client, "pendamping.sebulu")
    text = client.get(PAGE.format("64.02")).text
    assert "Segihan" in text and "Genting Tanah" not in text
    assert "11 desa lain ikut dihitung" in text  # 6 others treated, 5 starting in 2025


def test_nothing_to_estimate_is_said_plainly_and_other_regions_are_refused(client, make_user):
    make_user("op.anggana", "pendamping", ["64.02.04"])
    login(client, "op.anggana")
    page = client.get(PAGE.format("64.02.04"))
    assert page.status_code == 200
    assert "Tidak ada perkiraan." in page.text and "Belum ada data IDM" in page.text
    assert "NaN" not in page.text and "bukan bukti" in page.text
    assert client.get(API.format("64.02.04")).json()["alasan_tanpa_perkiraan"] == "no_idm"
    assert client.get(PAGE.format("64.01")).status_code == 403
    assert client.get(API.format("64.01")).status_code == 403

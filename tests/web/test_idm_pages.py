"""The IDM pages: what a DPMD officer or village operator sees for a village and a region."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from mitradesa.idm import compute
from mitradesa.idm.whatif import what_if
from mitradesa.idm_records.importing import import_idm_files
from mitradesa.regions.models import Region
from tests.conftest import LOH_SUMBER, SEPATIN, SUNGAI_MERIAM, csrf_of, login
from tests.idm_records.fixtures import write_scores_csv

ALL_THREE = [3] * 50  # IKS = IKE = IKL = IDM = 0.6000: BERKEMBANG, target MAJU
LOW = [2] * 50  # IDM 0.4000: SANGAT TERTINGGAL
PLAIN = {SEPATIN: "6402042001", SUNGAI_MERIAM: "6402042006", LOH_SUMBER: "6402022005"}


def seed(db, tmp_path, rows, extra=None):
    path = write_scores_csv(tmp_path / "skor.csv", rows, extra)
    import_idm_files(db, [path], store_dir=tmp_path / "disimpan")
    db.commit()


@pytest.fixture
def kukar(db, tmp_path):
    seed(db, tmp_path, [
        (PLAIN[SEPATIN], 2022, LOW),
        (PLAIN[SEPATIN], 2023, ALL_THREE),
        (PLAIN[SUNGAI_MERIAM], 2023, [5] * 50),
        (PLAIN[LOH_SUMBER], 2023, LOW),
    ])


@pytest.fixture
def staff(client, make_user):
    make_user("staf", "viewer", [])
    login(client, "staf")
    return client


def whatif(client, code, pairs, year=2023, htmx=False):
    data = {
        "csrf_token": csrf_of(client),
        "tahun": str(year),
        "indikator": [p[0] for p in pairs],
        "skor": [p[1] for p in pairs],
    }
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(f"/desa/{code}/idm/simulasi", data=data, headers=headers)


def test_village_cards_show_the_idm_to_four_decimals_and_the_status(staff, kukar):
    page = staff.get(f"/desa/{SEPATIN}/idm").text
    assert re.search(r'id="skor-idm">0,6000<', page)
    assert "Berkembang" in page and "Maju" in page  # status and target status
    assert "0,7073" in page and "0,1073" in page  # skor minimal and penambahan
    assert "terbitan Kemendes PDTT" not in page and "hasil hitungan" in page  # computed figures
    assert 'aria-current="page">2023<' in page and "?tahun=2022" in page


def test_an_earlier_year_is_chosen_from_the_year_tabs(staff, kukar):
    page = staff.get(f"/desa/{SEPATIN}/idm", params={"tahun": 2022}).text
    assert re.search(r'id="skor-idm">0,4000<', page)
    assert "Sangat Tertinggal" in page


def test_a_year_without_data_is_a_plain_404(staff, kukar):
    response = staff.get(f"/desa/{SEPATIN}/idm", params={"tahun": 2019})
    assert response.status_code == 404
    assert "tersedia: 2022, 2023" in response.text


def test_official_table_has_50_indicator_rows_and_the_ministrys_subtotal_rows(staff, kukar):
    page = staff.get(f"/desa/{SEPATIN}/idm").text
    assert page.count('<td class="num c-no">') == 50
    for label in ("IKS 2023", "IKE 2023", "IKL 2023", "IDM 2023"):
        assert re.search(rf'{label}</td><td class="num">0,6000<', page), label
    assert "STATUS IDM 2023" in page
    for column in ("KETERANGAN", "KEGIATAN", "+NILAI", "PUSAT", "PROV", "KAB", "CSR", "LAINNYA"):
        assert f">{column}<" in page


def test_the_charts_get_their_figures_as_json_without_inline_script(staff, kukar):
    page = staff.get(f"/desa/{SEPATIN}/idm").text
    assert '<script type="application/json" id="idm-chart-data">' in page
    assert '"years": ["2022", "2023"]' in page
    assert "/static/vendor/plotly.min.js" in page and "onclick=" not in page
    assert "Tampilkan angkanya sebagai tabel" in page  # the accessible fallback


def test_what_if_raising_ike_7_to_5_shows_the_new_idm_and_status(staff, kukar):
    expected = what_if(ALL_THREE, ["IKE 7=5"]).after
    page = whatif(staff, SEPATIN, [("IKE 7", "5")]).text
    assert re.search(rf'id="whatif-idm">{expected.idm:.4f} ', page)
    assert "0,6000" in page  # the current IDM beside it
    assert "Status tetap Berkembang" in page
    assert "IKE 7 (Skor Bank &amp; BPR): 3 → 5" in page


def test_what_if_that_changes_the_status_says_so(staff, kukar):
    raises = [("IKL 1", "5"), ("IKL 2", "5"), ("IKL 3", "5"), ("IKE 1", "5")]
    expected = what_if(ALL_THREE, [f"{k}={v}" for k, v in raises]).after
    assert expected.status == "MAJU"
    page = whatif(staff, SEPATIN, raises, htmx=True).text
    assert "Status berubah dari Berkembang menjadi Maju." in page
    assert "<html" not in page  # an htmx fragment


def test_bad_what_if_input_is_told_in_indonesian_and_nothing_is_lost(staff, kukar):
    response = whatif(staff, SEPATIN, [("IKE 7", "9"), ("IKS 2", "")])
    assert response.status_code == 400
    page = response.text
    assert "skor baru harus bilangan bulat 0 sampai 5; yang diisi “9”" in page
    assert "Baris 2, IKS 2 (Skor Dokter): isi skor baru" in page
    assert '<option value="IKE 7" selected>' in page and 'value="9"' in page
    assert '<option value="IKE 7" selected>IKE 7 · Skor Bank &amp; BPR (skor 3)</option>' in page
    assert page.count(" selected>") == 2 and '<optgroup label="IKL">' in page
    fragment = whatif(staff, SEPATIN, [("", "4")], htmx=True)
    assert fragment.status_code == 200  # htmx swaps only 2xx answers
    assert "Baris 1: pilih indikator yang akan diubah." in fragment.text
    nothing = whatif(staff, SEPATIN, [("", "")])
    assert "Pilih sedikitnya satu indikator" in nothing.text


def test_what_if_without_the_csrf_token_is_refused(staff, kukar):
    response = staff.post(
        f"/desa/{SEPATIN}/idm/simulasi", data={"tahun": "2023", "indikator": "IKE 7", "skor": "5"}
    )
    assert response.status_code == 403


def test_path_to_the_next_status_lists_the_fewest_raises(staff, kukar):
    page = staff.get(f"/desa/{SEPATIN}/idm").text
    assert "Jalur ke status berikutnya" in page
    assert "IKL 1 · Skor Kualitas Lingkungan" in page  # IKL points are worth the most
    mandiri = staff.get(f"/desa/{SUNGAI_MERIAM}/idm").text
    assert "Desa ini sudah Mandiri" in mandiri
    assert "sudah Mandiri, 0,1844 di atas batas" in mandiri  # PENAMBAHAN 0.8156 − 1


def test_published_figures_that_differ_are_shown_with_the_recomputation_and_cause(
    staff, db, tmp_path
):
    figures = compute(ALL_THREE)
    published = {"iks": figures.iks + 4 / 175, "ike": figures.ike, "ikl": figures.ikl,
                 "idm": figures.idm + 4 / 525}
    extra = {key: [f"{value:.14g}"] for key, value in published.items()}
    extra["status"] = ["BERKEMBANG"]
    seed(db, tmp_path, [(PLAIN[SEPATIN], 2024, ALL_THREE)], extra)
    page = staff.get(f"/desa/{SEPATIN}/idm").text
    assert re.search(r'id="skor-idm">0,6076<', page)  # the published, official IDM
    assert "Angka terbitan berbeda dengan hitungan ulang" in page
    assert "cacat data 2024 yang diketahui" in page
    assert re.search(r'<td>IKS</td><td class="num">0,6229</td><td class="num">0,6000</td>', page)
    region = staff.get("/wilayah/64.02/idm").text  # the ranking flags the village
    assert region.count('class="flag"') == 1 and f"/desa/{SEPATIN}/idm?tahun=2024#selisih" in region


def test_village_page_without_idm_data_says_so(staff):
    page = staff.get(f"/desa/{SEPATIN}/idm").text
    assert "Belum ada data IDM yang diimpor untuk desa ini." in page


def test_village_and_region_pages_link_to_the_idm(staff, kukar):
    village = staff.get(f"/desa/{SEPATIN}").text
    assert f'href="/desa/{SEPATIN}/idm"' in village and "0,6000" in village
    region = staff.get("/wilayah/64.02").text
    assert 'href="/wilayah/64.02/idm"' in region


def test_region_page_counts_ranks_and_counts_villages_without_data(staff, kukar):
    page = staff.get("/wilayah/64.02/idm", params={"tahun": 2023}).text
    ranking = page[page.index('id="peringkat"'):]
    names = re.findall(r'<a href="/desa/[\d.]+/idm\?tahun=2023">([^<]+)</a>', ranking)
    assert names == ["Sungai Meriam", "Sepatin", "Loh Sumber"]
    assert ">190<" in page  # 193 desa in Kutai Kartanegara, 3 with data
    assert "3 desa, IDM tertinggi lebih dulu." in page
    per_kecamatan = page[page.index("Per kecamatan, 2023"):]
    assert re.search(r'>Anggana</a></td><td class="num">2</td><td class="num">0,8000<',
                     per_kecamatan)  # Sepatin 0.6 and Sungai Meriam 1.0
    assert re.search(r'>Loa Kulu</a></td><td class="num">1</td>', per_kecamatan)


def test_region_page_filters_on_status(staff, kukar):
    page = staff.get("/wilayah/64.02/idm", params={"tahun": 2023, "status": "mandiri"}).text
    ranking = page[page.index('id="peringkat"'):]
    assert "Sungai Meriam" in ranking and "Sepatin" not in ranking
    assert "1 desa berstatus Mandiri." in page
    wrong = staff.get("/wilayah/64.02/idm", params={"status": "kaya"}).text
    assert "Status “kaya” tidak dikenal" in wrong


def test_region_ranking_is_paginated(staff, db, tmp_path):
    codes = db.scalars(
        select(Region.code).where(Region.code.like("64.02.%"), Region.kind == "desa")
        .order_by(Region.code).limit(60)
    ).all()
    seed(db, tmp_path, [(c.replace(".", ""), 2023, ALL_THREE) for c in codes])
    first = staff.get("/wilayah/64.02/idm").text
    assert "Halaman 1 dari 2." in first and first.count('<td class="num">') >= 50
    second = staff.get("/wilayah/64.02/idm", params={"halaman": 2}).text
    assert '<td class="num">51</td>' in second and '<td class="num">50</td>' not in second


def test_operator_desa_of_another_village_gets_403(client, make_user, kukar):
    make_user("op.meriam", "operator_desa", [SUNGAI_MERIAM])
    login(client, "op.meriam")
    assert client.get(f"/desa/{SUNGAI_MERIAM}/idm").status_code == 200
    assert client.get(f"/desa/{SEPATIN}/idm").status_code == 403
    assert whatif(client, SEPATIN, [("IKE 7", "5")]).status_code == 403


def test_operator_sees_only_their_village_in_the_regency_ranking(client, make_user, kukar):
    make_user("op.sepatin", "operator_desa", [SEPATIN])
    login(client, "op.sepatin")
    page = client.get("/wilayah/64.02/idm", params={"tahun": 2023}).text
    ranking = page[page.index('id="peringkat"'):]
    assert "Sepatin" in ranking and "Sungai Meriam" not in ranking
    assert "2 desa lain ikut dihitung" in page


def test_pages_read_in_english_when_chosen(staff, kukar):
    staff.cookies.set("mitradesa_lang", "en")
    page = staff.get(f"/desa/{SEPATIN}/idm").text
    assert "Increase needed" in page and "Path to the next status" in page
    assert "The IDM ends with 2024" in page and "provisional" not in page

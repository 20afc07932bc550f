"""The Indeks Desa pages: what a DPMD officer sees for a village and for a region."""

from __future__ import annotations

import re

import pytest

from mitradesa.idm import indeks_desa
from mitradesa.idm_records.importing import import_idm_files
from tests.conftest import LOH_SUMBER, SEPATIN, SUNGAI_MERIAM, csrf_of, login
from tests.idm_records.fixtures import write_scores_csv
from tests.web.indeks_desa_seed import scores_for_total, seed

MUARA_KEMBANG = "64.02.04.2002"  # another desa of Anggana


@pytest.fixture
def kukar(db, tmp_path):
    path = write_scores_csv(tmp_path / "idm.csv", [
        ("6402042001", 2023, [3] * 50),  # IDM 0.6000 BERKEMBANG
        ("6402042001", 2024, [4] * 50),  # IDM 0.8000 MAJU
    ])
    import_idm_files(db, [path], store_dir=tmp_path / "disimpan")
    seed(db, [
        (SEPATIN, 2024, 470),  # Maju
        (SEPATIN, 2025, 400),  # Berkembang, 62.99
        (SUNGAI_MERIAM, 2025, 560),  # Mandiri
        (MUARA_KEMBANG, 2025, 420),  # Berkembang, 66.14
        (LOH_SUMBER, 2025, 340),  # Tertinggal
    ])
    db.commit()


@pytest.fixture
def staff(client, make_user):
    make_user("staf", "viewer", [])
    login(client, "staf")
    return client


def whatif(client, code, pairs, year=2025, htmx=False):
    data = {"csrf_token": csrf_of(client), "tahun": str(year),
            "item": [p[0] for p in pairs], "skor": [p[1] for p in pairs]}
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(f"/desa/{code}/indeks-desa/simulasi", data=data, headers=headers)


def test_village_page_shows_the_newest_year_with_nilai_in_indonesian_digits(staff, kukar):
    page = staff.get(f"/desa/{SEPATIN}/indeks-desa").text
    assert re.search(r'id="nilai-id">62,99<', page)
    assert re.search(r'id="total-id">400<', page)
    assert 'aria-current="page">2025<' in page and "?tahun=2024" in page
    assert re.search(r'id="poin-id">41<', page)  # 441 for Maju


def test_an_earlier_year_is_chosen_from_the_year_tabs(staff, kukar):
    page = staff.get(f"/desa/{SEPATIN}/indeks-desa", params={"tahun": 2024}).text
    assert re.search(r'id="nilai-id">74,02<', page)


def test_status_line_follows_both_families_by_status_without_converting(staff, kukar):
    page = staff.get(f"/desa/{SEPATIN}/indeks-desa").text
    line = page.split('id="riwayat-status"')[1].split("</section>")[0]
    steps = re.findall(r'<li class="family-(\w+)">\s*<span class="step-year">(\d{4})', line)
    assert steps == [("idm", "2023"), ("idm", "2024"), ("indeks_desa", "2024"),
                     ("indeks_desa", "2025")]
    assert "IDM 0,6000" in line and "IDM 0,8000" in line  # each figure in its own scale
    assert "62,99" in line and "74,02" in line


def test_item_table_lists_127_items_under_six_dimensions_with_recommendations(staff, kukar):
    page = staff.get(f"/desa/{SEPATIN}/indeks-desa").text
    table = page.split('id="item"')[1]
    assert table.count('<td class="num c-no">') == 127
    assert table.count('class="index-head"') == 6 and table.count('class="sub-head"') == 13
    first = indeks_desa.item_by_no(1)
    score = scores_for_total(400)[0]
    assert first.label in table and first.implementers.pusat in table
    if first.recommendation(score):
        assert first.recommendation(score) in table


def test_weakest_items_come_first_with_their_recommendation_and_a_try_button(staff, kukar):
    page = staff.get(f"/desa/{SEPATIN}/indeks-desa").text
    weakest = page.split('id="terlemah"')[1].split("</section>")[0]
    scores = scores_for_total(400)
    gaps = sorted((-(item.top - score), -(item.next_level(score) - score), score, item.no)
                  for item in indeks_desa.items()
                  if (score := scores[item.position]) < item.top)
    first = indeks_desa.item_by_no(gaps[0][3])
    assert first.next_level(scores[first.position]) == first.top  # +4 in one raise first
    assert first.label in weakest
    assert first.recommendation(scores[first.position]) in weakest
    assert weakest.count('name="item"') == 10


def test_what_if_without_javascript_shows_the_new_total_nilai_and_status(staff, kukar):
    scores = scores_for_total(400)
    raisable = [i for i in indeks_desa.items() if scores[i.position] < i.top][:12]
    pairs = [(str(i.no), str(i.top)) for i in raisable]
    expected = indeks_desa.what_if(scores, [f"{n}={s}" for n, s in pairs]).after
    response = whatif(staff, SEPATIN, pairs)
    assert response.status_code == 200
    assert f'id="whatif-total">{expected.total} ' in response.text
    nilai = f"{expected.nilai:.2f}".replace(".", ",")
    assert re.search(rf'id="whatif-nilai">{nilai}<', response.text)
    assert f"status-{expected.status.lower().replace(' ', '-')}" in response.text.split(
        'id="whatif-status"')[1][:80]
    assert "<html" in response.text  # the whole page without JavaScript


def test_what_if_through_htmx_answers_the_fragment_only(staff, kukar):
    response = whatif(staff, SEPATIN, [("1", "5")], htmx=True)
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section class="card whatif" id="whatif"')
    assert "<html" not in response.text


def test_a_level_the_item_cannot_take_is_refused_with_the_items_levels(staff, kukar):
    item = next(i for i in indeks_desa.items() if i.levels == (1, 5))
    response = whatif(staff, SEPATIN, [(str(item.no), "3")])
    assert response.status_code == 400
    assert "1, 5" in response.text and "“3”" in response.text


def test_the_fewest_raises_reach_the_next_status(staff, kukar):
    page = staff.get(f"/desa/{SEPATIN}/indeks-desa").text
    section = page.split('id="jalur"')[1]
    assert "Maju" in section
    steps = indeks_desa.cheapest_path(scores_for_total(400))
    assert sum(s.points for s in steps) >= 41
    assert indeks_desa.item_by_no(steps[0].item.no).label in section


def test_the_idm_page_and_the_indeks_desa_page_link_to_each_other(staff, kukar):
    indeks = staff.get(f"/desa/{SEPATIN}/indeks-desa").text
    idm = staff.get(f"/desa/{SEPATIN}/idm").text
    assert f'href="/desa/{SEPATIN}/idm"' in indeks
    assert f'href="/desa/{SEPATIN}/indeks-desa"' in idm


def test_a_village_without_indeks_desa_says_so_and_keeps_its_idm_status_line(staff, kukar):
    page = staff.get(f"/desa/{SEPATIN.replace('2001', '2003')}/indeks-desa")
    assert page.status_code == 200
    assert "indeks-desa import" in page.text


def test_region_page_counts_statuses_per_year_and_family(staff, kukar):
    page = staff.get("/wilayah/64.02/indeks-desa").text
    idm = page.split('id="jumlah-idm"')[1].split('class="family-block"')[0]
    ids = page.split('id="jumlah-indeks_desa"')[1].split("</section>")[0]
    assert re.findall(r"tahun=(\d{4})\">\1<", idm) == ["2023", "2024"]
    assert re.findall(r"tahun=(\d{4})\">\1<", ids) == ["2024", "2025"]
    row_2025 = ids.split('tahun=2025">2025<')[1].split("</tr>")[0]
    assert "<strong>4</strong>" in row_2025  # four desa with Indeks Desa 2025


def test_region_ranking_filters_berkembang_desa(staff, kukar):
    page = staff.get("/wilayah/64.02/indeks-desa", params={"status": "BERKEMBANG"}).text
    ranking = page.split('id="peringkat"')[1].split("</section>")[0]
    names = re.findall(r'href="/desa/([\d.]+)/indeks-desa\?tahun=2025">', ranking)
    assert names == [MUARA_KEMBANG, SEPATIN]  # 66,14 before 62,99
    assert "66,14" in ranking and "62,99" in ranking


def test_an_unknown_status_is_named_and_every_status_is_shown(staff, kukar):
    page = staff.get("/wilayah/64.02/indeks-desa", params={"status": "hebat"}).text
    assert "hebat" in page
    ranking = page.split('id="peringkat"')[1].split("</section>")[0]
    assert len(re.findall(r'href="/desa/[\d.]+/indeks-desa\?tahun=2025">', ranking)) == 4


def test_region_page_summarises_each_kecamatan_and_the_dimension_profile(staff, kukar):
    page = staff.get("/wilayah/64.02/indeks-desa").text
    kecamatan = page.split('id="kecamatan"')[1].split("</section>")[0]
    for code in ("64.02.04", "64.02.02"):
        assert f"/wilayah/{code}/indeks-desa" in kecamatan
    profile = page.split('id="profil-dimensi"')[1].split("</section>")[0]
    for dimension in indeks_desa.DIMENSIONS:
        assert dimension.name in profile


def test_an_operator_sees_only_their_village_in_the_ranking(client, make_user, kukar):
    make_user("pd.anggana", "pendamping", ["64.02.04"])
    login(client, "pd.anggana")
    page = client.get("/wilayah/64.02.04/indeks-desa").text
    assert SEPATIN in page and LOH_SUMBER not in page
    assert client.get("/wilayah/64.02.02/indeks-desa").status_code == 403


def test_the_region_page_heads_with_the_newest_indeks_desa_status_counts(staff, kukar):
    page = staff.get("/wilayah/64.02").text
    card = page.split('id="indeks-desa"')[1].split("</section>")[0]
    assert "<strong>2025</strong>" in card
    assert re.search(r"status=BERKEMBANG#peringkat\"><span class=\"status status-berkembang "
                     r"status-sm\">Berkembang</span> <strong>2</strong></a>", card)
    assert 'href="/wilayah/64.02/indeks-desa"' in card


def test_a_published_status_that_differs_is_shown_as_official_beside_the_computed(
        staff, db, kukar):
    seed(db, [("64.02.04.2003", 2025, 438)],  # computes Berkembang, 3 points below Maju
         published={"64.02.04.2003": {"status": "MAJU", "nilai": 69.35, "total": 441}})
    db.commit()
    page = staff.get("/desa/64.02.04.2003/indeks-desa").text
    assert 'id="status-id"><span class="status status-maju' in page
    notice = page.split('id="selisih"')[1].split("</div>")[0]
    assert "Maju" in notice and "Berkembang" in notice and "438" in notice
    ranking = staff.get("/wilayah/64.02.04/indeks-desa").text.split('id="peringkat"')[1]
    assert 'href="/desa/64.02.04.2003/indeks-desa?tahun=2025#selisih"' in ranking


def test_the_item_table_can_list_only_the_items_below_their_top(staff, kukar):
    scores = scores_for_total(400)
    below = sum(1 for item in indeks_desa.items() if scores[item.position] < item.top)
    page = staff.get(f"/desa/{SEPATIN}/indeks-desa", params={"item": "kurang"}).text
    table = page.split('id="item"')[1]
    assert table.count('<td class="num c-no">') == below < 127
    assert f"/desa/{SEPATIN}/indeks-desa?tahun=2025#item" in table  # back to all 127


def test_demo_indeks_desa_is_labelled_on_the_region_page(staff, db):
    seed(db, [(SEPATIN, 2025, 400)], source="demo")
    db.commit()
    card = staff.get("/wilayah/64.02").text.split('id="indeks-desa"')[1].split("</section>")[0]
    assert "DATA DEMO" in card


def test_real_indeks_desa_carries_no_demo_label_on_the_region_page(staff, kukar):
    card = staff.get("/wilayah/64.02").text.split('id="indeks-desa"')[1].split("</section>")[0]
    assert "DATA DEMO" not in card


def test_a_status_line_of_demo_figures_says_so(staff, db):
    seed(db, [(SEPATIN, 2024, 470), (SEPATIN, 2025, 400)], source="demo")
    db.commit()
    page = staff.get(f"/desa/{SEPATIN}").text
    line = page.split('id="riwayat-status"')[1].split("</section>")[0]
    assert "DATA DEMO" in line

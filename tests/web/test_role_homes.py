"""Each role lands on the page made for it, with only its own data: a mitra on its partner's
portfolio, an operator on its village's tasks, a pendamping on its villages; DPMD staff on
the regency. Empty homes say what to do next. A kecamatan's page lists its villages with
their status and has no figure "between kecamatan"."""

from __future__ import annotations

from datetime import date

import pytest

from mitradesa.homes.village_tasks import (
    newest_idm,
    newest_indeks_desa,
    weakest_indicators,
    weakest_items,
)
from mitradesa.idm_records.importing import import_idm_files
from mitradesa.mentoring import beneficiaries, enrolments, programs
from mitradesa.partnerships import services
from tests.conftest import LOH_SUMBER, SEPATIN, SUNGAI_MERIAM, login
from tests.idm_records.fixtures import scores_for, write_scores_csv
from tests.partnerships.fixtures import CONTENT, agreement, partner, walk_to
from tests.web.indeks_desa_seed import seed as seed_indeks_desa

ANGGANA = "64.02.04"
LOW, ALL_THREE = [2] * 50, [3] * 50  # IDM SANGAT TERTINGGAL; BERKEMBANG
IDM_ROWS = [  # made-up scores: Sepatin rises, Loh Sumber falls back, Sungai Meriam rises
    ("6402042001", 2022, LOW), ("6402042001", 2023, ALL_THREE),
    ("6402042006", 2022, scores_for(2)), ("6402042006", 2023, [5] * 50),
    ("6402042002", 2022, scores_for(1)), ("6402042002", 2023, scores_for(4)),
    ("6402022005", 2022, ALL_THREE), ("6402022005", 2023, LOW),
    ("6402022006", 2022, scores_for(3)), ("6402022006", 2023, scores_for(3)),
]
KK_SEPATIN = "6402041203850001"
NIK_SEPATIN = "6402041203850011"


def section(page: str, element_id: str) -> str:
    """The HTML of the element with `element_id` up to the end of its section."""
    assert f'id="{element_id}"' in page, element_id
    return page.split(f'id="{element_id}"', 1)[1].split("</section>", 1)[0]


@pytest.fixture
def indices(db, tmp_path):
    path = write_scores_csv(tmp_path / "skor.csv", IDM_ROWS)
    import_idm_files(db, [path], store_dir=tmp_path / "disimpan")
    seed_indeks_desa(db, [(SEPATIN, 2025, 400)])  # Berkembang
    db.commit()


@pytest.fixture
def deals(db, tmp_path):
    """Partner A's agreement in Sepatin and Loh Sumber, running with no report yet (due
    90 days after its signing in 2025); partner B's in Sungai Meriam, in preparation."""
    a, b = partner(db, "PT Mitra A"), partner(db, "Yayasan Mitra B", sectors=("pertanian",))
    deal_a = agreement(db, [a], **CONTENT)
    walk_to(db, deal_a, "pelaksanaan", tmp_path / "dokumen")
    deal_b = agreement(db, [b], villages=(SUNGAI_MERIAM,))
    deal_b.title = "Kebun bibit Sungai Meriam"
    db.commit()
    return a, b, deal_a, deal_b


@pytest.fixture
def mentoring(db):
    """A household program in Sepatin and Sungai Meriam, one household enrolled in each,
    no news since the enrolment in August 2025."""
    program = programs.create_program(
        db, None, name="Graduasi keluarga pesisir", funder="apbd", target_type="household",
        village_codes=[SEPATIN, SUNGAI_MERIAM], start_date=date(2025, 8, 1),
        graduation_criteria=[{"kind": "di_atas_prasejahtera"}])
    here = beneficiaries.register_household(
        db, None, kk_number=KK_SEPATIN, head_name="Rahmawati", village_code=SEPATIN,
        welfare_class="prasejahtera", head_nik=NIK_SEPATIN)
    there = beneficiaries.register_household(
        db, None, kk_number="6402041203850002", head_name="Bahtiar", village_code=SUNGAI_MERIAM,
        welfare_class="prasejahtera")
    for household in (here, there):
        enrolments.enrol(db, None, program, on=date(2025, 8, 14), household_id=household.id)
    db.commit()
    return program


def mitra_of(db, make_user, client, partner_obj, username="mitra.a"):
    user = make_user(username, "mitra", organisation=partner_obj.name)
    services.add_partner_member(db, None, partner_obj, user)
    db.commit()
    login(client, username)
    return client


# ------------------------------------------------------------------ mitra


def test_a_mitra_lands_on_its_portfolio_with_only_its_own_agreements(
    client, db, make_user, deals, indices
):
    a, _b, deal_a, deal_b = deals
    mitra_of(db, make_user, client, a)
    page = client.get("/")
    assert page.status_code == 200
    text = page.text
    assert "<h1>PT Mitra A</h1>" in text
    agreements = section(text, "perjanjian")
    assert f'href="/kerja-sama/{deal_a.id}"' in agreements
    assert "Pelaksanaan" in agreements  # its stage
    assert "sedikitnya satu laporan kemajuan" in agreements  # what the next step lacks
    assert "Kebun bibit Sungai Meriam" not in text and f"/kerja-sama/{deal_b.id}" not in text
    due = section(text, "laporan-jatuh-tempo")
    assert f'href="/kerja-sama/{deal_a.id}#laporan"' in due
    assert "2025" in due and "task-late" in due  # due in November 2025: late
    villages = section(text, "desa-tercakup")
    assert "Sepatin" in villages and "Loh Sumber" in villages
    assert "Sungai Meriam" not in villages
    sepatin_row = villages.split("Sepatin", 1)[1].split("</tr>", 1)[0]
    assert 'class="status status-berkembang' in sepatin_row  # Indeks Desa 2025
    assert "trend-naik" in sepatin_row  # IDM 2022 → 2023: one Indeks Desa year only
    loh_sumber_row = villages.split("Loh Sumber", 1)[1].split("</tr>", 1)[0]
    assert "trend-turun" in loh_sumber_row
    assert 'id="desa-cocok"' in text


def test_a_mitra_not_linked_to_a_partner_is_told_what_to_do(client, make_user):
    make_user("mitra.baru", "mitra", organisation="CV Belum Tertaut")
    login(client, "mitra.baru")
    page = client.get("/")
    assert page.status_code == 200
    empty = section(page.text, "belum-tertaut")
    assert 'href="/kerja-sama"' in empty and 'href="/akun"' in empty


def test_a_mitra_without_agreements_or_sectors_gets_next_steps(client, db, make_user):
    lonely = partner(db, "CV Tanpa Perjanjian", sectors=())
    db.commit()
    mitra_of(db, make_user, client, lonely, "mitra.sepi")
    text = client.get("/").text
    agreements = section(text, "perjanjian")
    assert 'class="empty-next"' in agreements
    assert f'href="/mitra/{lonely.id}"' in agreements and 'href="#desa-cocok"' in agreements
    matches = section(text, "desa-cocok")
    assert f'href="/mitra/{lonely.id}"' in matches


# ------------------------------------------------------------------ operator_desa


def test_an_operator_lands_on_its_villages_tasks(
    client, db, make_user, tmp_path, indices, mentoring
):
    a = partner(db, "PT Mitra A")
    preparing = agreement(db, [a], **CONTENT)  # persiapan: the penawaran needs documents
    other = agreement(db, [a], villages=(SUNGAI_MERIAM,))
    other.title = "Kebun bibit Sungai Meriam"
    db.commit()
    make_user("op.sepatin", "operator_desa", [SEPATIN])
    login(client, "op.sepatin")
    page = client.get("/")
    assert page.status_code == 200
    text = page.text
    assert "Sepatin" in text.split("<h1>", 1)[1].split("</h1>", 1)[0]
    documents = section(text, "dokumen-jatuh-tempo")
    assert "Kerangka Acuan Kerja (KAK)" in documents
    assert "Berita acara / keputusan Musyawarah Desa" in documents
    assert f'href="/kerja-sama/{preparing.id}#unggah"' in documents
    assert "Kebun bibit Sungai Meriam" not in text
    follow = section(text, "tindak-lanjut")
    assert "Rahmawati" in follow and "Bahtiar" not in follow  # Bahtiar lives in Sungai Meriam
    assert "14 Agu 2025" in follow  # the last news, as dates are written
    index = section(text, "indeks")
    result = newest_indeks_desa(db, SEPATIN)
    weakest = weakest_items(result)
    assert weakest and weakest[0].label in index
    assert weakest[0].recommendation and weakest[0].recommendation in index
    assert f'href="/desa/{SEPATIN}/indeks-desa"' in index


def test_an_operators_village_page_shows_its_mentoring_with_numbers_masked(
    client, db, make_user, mentoring
):
    make_user("op.sepatin", "operator_desa", [SEPATIN])
    login(client, "op.sepatin")
    card = section(client.get(f"/desa/{SEPATIN}").text, "pendampingan-desa")
    assert f'href="/pendampingan/program/{mentoring.id}"' in card
    assert "Rahmawati" in card and "Bahtiar" not in card
    assert "************0001" in card and KK_SEPATIN not in card
    client.cookies.clear()
    make_user("admin.dpmd", "admin")
    login(client, "admin.dpmd")
    assert KK_SEPATIN in section(client.get(f"/desa/{SEPATIN}").text, "pendampingan-desa")


# ------------------------------------------------------------------ pendamping


def test_a_pendamping_sees_its_villages_with_status_trend_and_open_tasks(
    client, db, make_user, deals, indices, mentoring
):
    make_user("pd.anggana", "pendamping", [ANGGANA])
    login(client, "pd.anggana")
    page = client.get("/")
    assert page.status_code == 200
    table = section(page.text, "desa")
    assert f'href="/desa/{SEPATIN}"' in table and f'href="/desa/{SUNGAI_MERIAM}"' in table
    assert f'href="/desa/{LOH_SUMBER}"' not in table  # Loa Kulu: not its kecamatan
    sepatin = table.split(f'href="/desa/{SEPATIN}"', 1)[1].split("</tr>", 1)[0]
    assert 'class="status status-berkembang' in sepatin and "trend-naik" in sepatin
    # Partner A's report is late, Rahmawati has had no news since August 2025
    assert "<strong>2</strong>" in sepatin
    without = table.split(f'href="/desa/{ANGGANA}.2003"', 1)[1].split("</tr>", 1)[0]
    assert "no index data yet" in without or "belum ada" in without


# ------------------------------------------------------------------ DPMD staff, regions


def test_dpmd_staff_still_land_on_the_regency(client, make_user):
    make_user("staf", "viewer", [])
    login(client, "staf")
    landing = client.get("/", follow_redirects=False)
    assert (landing.status_code, landing.headers["location"]) == (303, "/wilayah/64.02")


def test_a_kecamatan_lists_its_villages_with_status_and_no_between_kecamatan_figure(
    client, make_user, indices
):
    make_user("staf", "viewer", [])
    login(client, "staf")
    page = client.get(f"/wilayah/{ANGGANA}").text
    table = section(page, "desa-kecamatan")
    sepatin = table.split(f'href="/desa/{SEPATIN}"', 1)[1].split("</tr>", 1)[0]
    assert 'class="status status-berkembang' in sepatin and "trend-naik" in sepatin
    assert 'id="headline-between"' not in page
    assert "antar kecamatan" not in page.lower() and "between kecamatan" not in page.lower()
    regency = client.get("/wilayah/64.02").text
    assert 'id="desa-kecamatan"' not in regency
    if 'id="analisis"' in regency:  # the regency's figure between its kecamatan stays
        assert 'id="headline-between"' in regency


def test_a_province_lists_its_regencies_with_their_villages_statuses(client, make_user, indices):
    make_user("staf", "viewer", [])
    login(client, "staf")
    page = client.get("/wilayah/64").text
    regency = section(page, "wilayah-di-bawah").split('id="status-64.02"', 1)[1]
    regency = regency.split("</td>", 1)[0]
    assert "2025" in regency and 'class="status status-berkembang' in regency
    other = section(page, "wilayah-di-bawah").split('id="status-64.01"', 1)[1]
    assert "status status-" not in other.split("</td>", 1)[0]  # Paser: no data here


def test_an_operator_of_a_village_with_only_the_idm_sees_its_weakest_indicators(
    client, db, make_user, indices
):
    make_user("op.lohsumber", "operator_desa", [LOH_SUMBER])
    login(client, "op.lohsumber")
    index = section(client.get("/").text, "indeks")
    weakest = weakest_indicators(newest_idm(db, LOH_SUMBER))
    assert weakest and all(w.score == 2 for w in weakest)  # LOW: every indicator at 2
    assert weakest[0].label in index and "IDM 2023" in index
    assert weakest[0].recommendation and weakest[0].recommendation in index
    assert f'href="/desa/{LOH_SUMBER}/idm"' in index

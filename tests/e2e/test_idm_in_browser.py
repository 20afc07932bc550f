"""A DPMD officer reads a village's IDM, tries a what-if, and reads the regency's IDM."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from mitradesa.db.session import session_factory
from mitradesa.idm.whatif import what_if
from mitradesa.idm_records.importing import import_idm_files
from tests.e2e.conftest import ARTIFACTS, log_in, screenshot
from tests.idm_records.fixtures import scores_for, write_scores_csv

pytestmark = pytest.mark.e2e
SEPATIN = "64.02.04.2001"
ALL_THREE = [3] * 50


@pytest.fixture(scope="module")
def idm_data(live_server, tmp_path_factory):
    folder = tmp_path_factory.mktemp("idm")
    rows = [
        ("6402042001", 2021, [2] * 50),
        ("6402042001", 2022, scores_for(4)),
        ("6402042001", 2023, ALL_THREE),
        ("6402042006", 2023, [5] * 50),
        ("6402042002", 2023, scores_for(1)),
        ("6402022005", 2023, [2] * 50),
    ]
    path = write_scores_csv(folder / "skor.csv", rows)
    with session_factory(live_server.engine)() as session:
        import_idm_files(session, [path], store_dir=folder / "disimpan")
        session.commit()
    return live_server


def test_village_idm_page_draws_its_charts(page, idm_data):
    log_in(page, idm_data.url, "admin")
    page.goto(f"{idm_data.url}/desa/{SEPATIN}/idm")
    expect(page.get_by_role("heading", name=re.compile("Indeks Desa Membangun"))).to_be_visible()
    expect(page.locator("#skor-idm")).to_have_text("0,6000")
    expect(page.locator("#chart-trend .main-svg").first).to_be_attached()
    expect(page.locator("#chart-subdims .main-svg").first).to_be_attached()
    assert page.locator("#chart-trend .scatterlayer .trace").count() == 4  # IDM, IKS, IKE, IKL
    rows = "#indikator tbody.index-block tr:not(.index-head):not(.subtotal)"
    assert page.locator(rows).count() == 50
    assert page.locator("#indikator tr.subtotal").count() == 5  # IKS, IKE, IKL, IDM, STATUS
    screenshot(page, f"idm-village-{idm_data.backend}")


def test_what_if_shows_the_new_idm_without_reloading_and_keeps_bad_input(page, idm_data):
    log_in(page, idm_data.url, "admin")
    page.goto(f"{idm_data.url}/desa/{SEPATIN}/idm")
    page.locator("select[name=indikator]").nth(0).select_option("IKE 7")
    page.locator("input[name=skor]").nth(0).fill("5")
    for row in (1, 2):
        page.locator("select[name=indikator]").nth(row).select_option("")
        page.locator("input[name=skor]").nth(row).fill("")
    page.get_by_role("button", name="Hitung").click()
    expected = what_if(ALL_THREE, ["IKE 7=5"]).after
    expect(page.locator("#whatif-idm")).to_contain_text(f"{expected.idm:.4f}".replace(".", ","))
    expect(page.locator("#whatif")).to_contain_text("Status tetap Berkembang")
    assert page.url.endswith("/idm")  # htmx swapped the section in place
    page.locator("#whatif").screenshot(path=str(_artifact(f"idm-whatif-{idm_data.backend}")))

    page.locator("select[name=indikator]").nth(3).select_option("IKS 2")
    page.get_by_role("button", name="Hitung").click()
    expect(page.get_by_role("alert")).to_contain_text("isi skor baru")
    expect(page.locator("select[name=indikator]").nth(0)).to_have_value("IKE 7")
    expect(page.locator("select[name=indikator]").nth(3)).to_have_value("IKS 2")


def test_path_to_the_next_status_can_be_tried_in_the_simulation(page, idm_data):
    log_in(page, idm_data.url, "admin")
    page.goto(f"{idm_data.url}/desa/{SEPATIN}/idm")
    page.get_by_role("button", name="Coba jalur ini di simulasi").click()
    expect(page.locator("#whatif-status")).to_contain_text("Maju")
    expect(page.locator("#whatif")).to_contain_text("Status berubah dari Berkembang menjadi Maju")


def test_village_idm_page_on_a_phone(browser, idm_data):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID")
    phone = context.new_page()
    log_in(phone, idm_data.url, "admin")
    phone.goto(f"{idm_data.url}/desa/{SEPATIN}/idm")
    expect(phone.locator("#chart-subdims .main-svg").first).to_be_attached()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page must not scroll sideways; only the wide table does"
    screenshot(phone, f"idm-village-phone-{idm_data.backend}")
    context.close()


def test_region_idm_page_counts_ranks_and_filters(page, idm_data):
    log_in(page, idm_data.url, "admin")
    page.goto(f"{idm_data.url}/wilayah/64.02")
    page.get_by_role("link", name="Buka IDM desa-desanya").click()
    expect(page.locator("#chart-counts .main-svg").first).to_be_attached()
    ranking = page.locator("#peringkat tbody tr")
    expect(ranking).to_have_count(4)
    expect(ranking.first).to_contain_text("Sungai Meriam")
    screenshot(page, f"idm-region-{idm_data.backend}")
    page.locator("select[name=status]").select_option("SANGAT TERTINGGAL")
    page.get_by_role("button", name="Tampilkan").click()
    expect(ranking).to_have_count(1)
    expect(ranking.first).to_contain_text("Loh Sumber")
    ranking.first.get_by_role("link", name="Loh Sumber").click()
    expect(page.locator("#skor-idm")).to_have_text("0,4000")


def test_operator_is_refused_another_villages_idm(page, idm_data):
    log_in(page, idm_data.url, "op.sepatin")
    response = page.goto(f"{idm_data.url}/desa/64.02.04.2006/idm")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", name="Akses ditolak")).to_be_visible()


def _artifact(name: str):
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / f"{name}.png"

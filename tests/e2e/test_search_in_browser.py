"""An admin types a partner's and an UMKM's name into the header search, sees each under its
kind, and follows the link to its page; the results read well on a phone."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from mitradesa.db.session import session_factory
from mitradesa.mentoring import beneficiaries
from mitradesa.partnerships import services
from tests.e2e.conftest import log_in, screenshot

pytestmark = pytest.mark.e2e
SEPATIN = "64.02.04.2001"
PARTNER = "PT Samudra Mahakam Lestari"
UMKM = "Kerupuk Udang Bunda Sepatin"


@pytest.fixture(scope="module")
def search_server(live_server) -> Iterator:
    with session_factory(live_server.engine)() as session:
        services.create_partner(session, None, name=PARTNER, kind="csr_swasta",
                                sectors=["umkm"], area_codes=["64.02.04"])
        beneficiaries.register_umkm(session, None, name=UMKM, owner_name="Hj. Rahmawati",
                                    village_code=SEPATIN, owner_nik="6402045203780001")
        session.commit()
    yield live_server


def header_search(page: Page, words: str) -> None:
    box = page.locator("form.topsearch input[type=search]")
    box.fill(words)
    box.press("Enter")
    page.wait_for_url("**/cari?q=*")


def test_admin_finds_a_partner_and_an_umkm_from_the_header_and_opens_them(page, search_server):
    log_in(page, search_server.url, "admin")
    page.wait_for_url(lambda url: "/masuk" not in url)

    header_search(page, "samudra mahakam")
    partners = page.locator("#hasil-partner")
    expect(partners.get_by_role("heading")).to_contain_text("Mitra")  # “Partners”, translated
    link = partners.get_by_role("link", name=PARTNER)
    expect(link).to_be_visible()
    screenshot(page, f"search-partner-{search_server.backend}")
    link.click()
    expect(page.get_by_role("heading", name=PARTNER)).to_be_visible()

    header_search(page, "bunda sepatin")
    umkm = page.locator("#hasil-umkm")
    expect(umkm.locator(".badge-umkm").first).to_have_text("UMKM")
    expect(umkm).to_contain_text("6402045203780001")  # an admin sees the whole NIK
    screenshot(page, f"search-umkm-{search_server.backend}")
    umkm.get_by_role("link", name=UMKM).click()
    expect(page.get_by_role("heading", name=UMKM)).to_be_visible()
    assert "/pendampingan/umkm/" in page.url


def test_results_read_on_a_phone_and_update_as_one_types(browser, search_server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID")
    page = context.new_page()
    log_in(page, search_server.url, "admin")
    page.wait_for_url(lambda url: "/masuk" not in url)
    page.goto(f"{search_server.url}/cari")
    page.fill("#search-q", "sepatin")  # htmx: results without submitting
    expect(page.locator("#hasil-region a", has_text="Sepatin").first).to_be_visible()
    expect(page.locator("#hasil-umkm")).to_contain_text(UMKM)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    screenshot(page, f"search-phone-{search_server.backend}")
    context.close()
    assert width <= 390

"""A DPMD officer opens Kukar's 2025 Indeks Desa, filters Berkembang desa, opens one, reads its
weakest items with the ministry's recommendations, raises one in the what-if and sees the
new figures, and goes on to the partners matched to the village."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from mitradesa.accounts import services
from mitradesa.db.session import session_factory
from mitradesa.idm import indeks_desa
from mitradesa.partnerships.partners import create_partner
from mitradesa.regions.models import Region
from tests.conftest import PASSWORD
from tests.e2e.conftest import log_in, screenshot
from tests.web.indeks_desa_seed import scores_for_total, seed

pytestmark = pytest.mark.e2e

KUKAR = "64.02"
# Test data only: totals cycling over the statuses (Berkembang 365–440).
PARTNER = "PT Mitra Uji Tambang (data uji)"  # a company's CSR: "Swasta" among the implementers
TOTALS = (300, 340, 380, 400, 420, 450, 480, 520, 390, 430, 360, 410)


@pytest.fixture(scope="module")
def kukar_2025(live_server):
    with session_factory(live_server.engine)() as session:
        codes = list(session.scalars(
            select(Region.code).where(Region.code.like(f"{KUKAR}.%"), Region.kind == "desa",
                                      Region.active.is_(True))
            .order_by(Region.code).limit(len(TOTALS))))
        seed(session, [(code, 2025, total) for code, total in zip(codes, TOTALS, strict=True)])
        create_partner(session, None, name=PARTNER, kind="csr_swasta", sectors=["umkm"])
        services.create_user(session, username="dpmd.kukar", password=PASSWORD,
                             role="viewer", scope_codes=[])  # DPMD staff: the regency
        session.commit()
    live_server.codes = dict(zip(codes, TOTALS, strict=True))  # type: ignore[attr-defined]
    return live_server


def test_officer_filters_berkembang_opens_a_desa_and_tries_a_raise(page, kukar_2025):
    server = kukar_2025
    log_in(page, server.url, "dpmd.kukar")
    page.goto(f"{server.url}/wilayah/{KUKAR}")
    page.locator("#indeks-desa a.btn").click()
    expect(page).to_have_url(re.compile(r"/wilayah/64\.02/indeks-desa$"))
    expect(page.locator('[data-family="indeks_desa"] .main-svg').first).to_be_attached()
    expect(page.locator("#chart-profile .main-svg").first).to_be_attached()
    screenshot(page, f"indeks-desa-region-{server.backend}")

    page.locator("select[name=status]").select_option("BERKEMBANG")
    page.locator("form.filters button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"status=BERKEMBANG"))
    berkembang = sorted((t for t in server.codes.values() if 365 <= t <= 440), reverse=True)
    rows = page.locator("#peringkat tbody tr")
    expect(rows).to_have_count(len(berkembang))
    for row in range(len(berkembang)):
        expect(rows.nth(row).locator(".status")).to_have_class(re.compile("status-berkembang"))

    rows.first.locator("td a").first.click()
    expect(page).to_have_url(re.compile(r"/desa/64\.02\.[\d.]+/indeks-desa"))
    total = berkembang[0]
    expect(page.locator("#total-id")).to_have_text(str(total))
    scores = scores_for_total(total)
    weakest = page.locator("#terlemah .weakest li")
    expect(weakest).to_have_count(10)
    first = weakest.first
    item_no = int(first.locator(".item-no").inner_text())
    item = indeks_desa.item_by_no(item_no)
    expect(first).to_contain_text(item.label)
    expect(first.locator(".recommendation")).to_have_text(item.recommendation(scores[item.position]))
    expect(page.locator("#item tbody tr.below-top").first).to_be_visible()

    first.locator("button").click()  # raise it to its next level, in the what-if (htmx)
    after = indeks_desa.what_if(scores, [f"{item_no}={item.next_level(scores[item.position])}"])
    expect(page.locator("#whatif-total")).to_contain_text(str(after.after.total))
    expect(page.locator("#whatif-nilai")).to_have_text(f"{after.after.nilai:.2f}".replace(".", ","))
    assert "/simulasi" not in page.url  # htmx swapped the section in place
    screenshot(page, f"indeks-desa-village-{server.backend}")

    page.locator("#mitra-cocok").click()
    expect(page).to_have_url(re.compile(r"/mitra-cocok$"))
    matches = page.locator("main")
    expect(matches).to_contain_text(PARTNER)
    expect(matches).to_contain_text("pelaksana lainnya Swasta")
    expect(matches).to_contain_text("Indeks Desa 2025")
    expect(matches).to_contain_text(re.compile(r"potensi kenaikan nilai Indeks Desa \d+,\d\d "))
    screenshot(page, f"indeks-desa-partners-{server.backend}")


def test_village_and_region_pages_do_not_scroll_sideways_on_a_phone(browser, kukar_2025):
    server = kukar_2025
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID")
    phone = context.new_page()
    log_in(phone, server.url, "dpmd.kukar")
    code = next(iter(server.codes))
    for path, name in ((f"/desa/{code}/indeks-desa", "village"),
                       (f"/wilayah/{KUKAR}/indeks-desa", "region")):
        phone.goto(server.url + path)
        expect(phone.locator(".main-svg").first).to_be_attached()
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{name}: the page must not scroll sideways ({width}px)"
        screenshot(phone, f"indeks-desa-{name}-phone-{server.backend}")
    context.close()

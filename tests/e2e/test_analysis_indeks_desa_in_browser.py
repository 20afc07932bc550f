"""A DPMD officer opens the regency's analysis on the Indeks Desa 2025: the page names the
index, the charts draw nilai and the six dimensions only, the targeting table fits a desktop
and a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from mitradesa.db.session import session_factory
from tests.analysis.indeks_desa_fixtures import scores_with_total, seed_indeks_desa
from tests.e2e.conftest import log_in, screenshot

pytestmark = pytest.mark.e2e
CODES = ("6402042001", "6402042006", "6402042002", "6402022005", "6402022006", "6402022001")


@pytest.fixture(scope="module")
def id_data(live_server):
    rows = [(code, year, scores_with_total(330 + 40 * i + 10 * (year - 2023)))
            for year in (2023, 2024, 2025) for i, code in enumerate(CODES)]
    with session_factory(live_server.engine)() as session:
        seed_indeks_desa(session, rows)
    return live_server


def test_the_indeks_desa_analysis_reads_well_on_desktop_and_phone(browser, id_data):
    for width in (1366, 390):
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="id-ID")
        page = context.new_page()
        log_in(page, id_data.url, "admin")
        page.goto(f"{id_data.url}/wilayah/64.02/analisis")
        expect(page.locator("#index-family")).to_have_text("Indeks Desa")
        expect(page.locator("#chart-gini .main-svg").first).to_be_attached()
        assert page.locator("#chart-gini .scatterlayer .trace").count() == 7  # nilai + 6
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        screenshot(page, f"analysis-indeks-desa-inequality-{width}-{id_data.backend}")
        page.goto(f"{id_data.url}/wilayah/64.02/analisis/sasaran")
        expect(page.locator("#index-family")).to_have_text("Indeks Desa")
        expect(page.locator("#targets")).to_contain_text("Sepatin")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        screenshot(page, f"analysis-indeks-desa-targeting-{width}-{id_data.backend}")
        context.close()

"""A DPMD officer opens the regency's inequality page: the charts draw, on a desktop, on a
phone and when printed (a fixed width that fits A4)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from mitradesa.db.session import session_factory
from mitradesa.idm_records.importing import import_idm_files
from tests.e2e.conftest import ARTIFACTS, log_in, screenshot
from tests.idm_records.fixtures import scores_for, write_scores_csv

pytestmark = pytest.mark.e2e
CODES = ("6402042001", "6402042006", "6402042002", "6402022005", "6402022006", "6402022001")


@pytest.fixture(scope="module")
def idm_data(live_server, tmp_path_factory):
    folder = tmp_path_factory.mktemp("analisis")
    rows = [(code, year, scores_for(i + year - 2021))
            for year in (2021, 2022, 2023) for i, code in enumerate(CODES)]
    path = write_scores_csv(folder / "skor.csv", rows)
    with session_factory(live_server.engine)() as session:
        import_idm_files(session, [path], store_dir=folder / "disimpan")
        session.commit()
    return live_server


def test_inequality_page_draws_its_charts_and_prints_them_at_a_fixed_size(browser, idm_data):
    for width in (1366, 390):
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="id-ID")
        page = context.new_page()
        log_in(page, idm_data.url, "admin")
        page.goto(f"{idm_data.url}/wilayah/64.02/analisis")
        expect(page.locator("#chart-gini .main-svg").first).to_be_attached()
        assert page.locator("#chart-gini .scatterlayer .trace").count() == 4  # IDM, IKS, IKE, IKL
        assert page.locator("#chart-split .barlayer .trace").count() == 2  # within, between
        expect(page.locator("#chart-beta .main-svg").first).to_be_attached()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        screenshot(page, f"analysis-inequality-{width}-{idm_data.backend}")
        if width == 1366:
            page.pdf(path=str(ARTIFACTS / f"analysis-inequality-{idm_data.backend}.pdf"),
                     format="A4", print_background=True)
            page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
            assert page.locator("#chart-gini .main-svg").first.get_attribute("width") == "640"
            page.evaluate("window.dispatchEvent(new Event('afterprint'))")
        context.close()

"""The map draws in the browser from an imported GeoJSON (small squares for villages of
Anggana, 64.02.04): one coloured SVG path per village with a boundary, the legend beside it,
and nothing requested from another host (the background is plain: no tile server)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from mitradesa.db.session import session_factory
from mitradesa.regions.geo import import_geojson
from tests.e2e.conftest import log_in, screenshot
from tests.web.indeks_desa_seed import seed

pytestmark = pytest.mark.e2e
ANGGANA = "64.02.04"
# village → Indeks Desa total 2025: Mandiri, Maju, Berkembang, Tertinggal, Maju
TOTALS = {"64.02.04.2001": 560, "64.02.04.2002": 470, "64.02.04.2003": 400,
          "64.02.04.2004": 340, "64.02.04.2006": 470}
STATUS_FILLS = {"#1347ac", "#126a68", "#8a6d0e", "#79330a"}
SCALE = {"#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"}


def squares() -> dict:
    features = []
    for i, code in enumerate(TOTALS):
        x, y = 117.2 + 0.05 * (i % 3), -0.6 + 0.05 * (i // 3)
        ring = [[x, y], [x + 0.045, y], [x + 0.045, y + 0.045], [x, y + 0.045], [x, y]]
        features.append({"type": "Feature", "properties": {"kode_desa": code.replace(".", "")},
                         "geometry": {"type": "Polygon", "coordinates": [ring]}})
    return {"type": "FeatureCollection", "features": features}


@pytest.fixture(scope="module")
def map_server(live_server, tmp_path_factory) -> Iterator:
    path = tmp_path_factory.mktemp("geo") / "anggana.geojson"
    path.write_text(json.dumps(squares()), encoding="utf-8")
    with session_factory(live_server.engine)() as session:
        report = import_geojson(session, path, code_property="kode_desa", source="Uji: kotak")
        assert report.errors == [] and report.boundaries == len(TOTALS)
        seed(session, [(code, 2025, total) for code, total in TOTALS.items()])
        session.commit()
    yield live_server


def open_map(browser: Browser, server, viewport: dict, path: str):
    context = browser.new_context(viewport=viewport, locale="id-ID")
    page = context.new_page()
    outside: list[str] = []
    problems: list[str] = []
    page.on("request", lambda r: outside.append(r.url)
            if not r.url.startswith(server.url) and not r.url.startswith("data:") else None)
    # a CSP refusal or a script error shows as a console error; a missing file as an answer
    page.on("console", lambda m: problems.append(m.text)
            if m.type == "error" and not m.text.startswith("Failed to load resource") else None)
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}")
            if r.status >= 400 and not r.url.endswith("/favicon.ico") else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    log_in(page, server.url, "admin")
    page.wait_for_url(lambda url: "/masuk" not in url)
    page.goto(server.url + path, wait_until="networkidle")
    return context, page, outside, problems


def fills(page) -> list[str]:
    return page.eval_on_selector_all(
        "#region-map path.leaflet-interactive", "els => els.map(e => e.getAttribute('fill'))")


def test_the_status_map_draws_one_coloured_path_per_village_with_its_legend(browser, map_server):
    context, page, outside, problems = open_map(
        browser, map_server, {"width": 1366, "height": 900},
        f"/wilayah/{ANGGANA}/peta?indeks=indeks_desa")
    expect(page.locator("#region-map")).to_have_attribute("data-drawn", str(len(TOTALS)))
    drawn = fills(page)
    assert len(drawn) == len(TOTALS)
    assert set(drawn) <= STATUS_FILLS and len(set(drawn)) == 4
    legend = page.locator("#map-legend li")
    for status in ("Mandiri", "Maju", "Berkembang", "Tertinggal", "Sangat Tertinggal"):
        expect(legend.filter(has_text=status).first).to_be_visible()
    expect(page.locator("#map-table tbody tr")).to_have_count(8)
    page.locator("#region-map path.leaflet-interactive").first.hover()
    expect(page.locator(".leaflet-tooltip")).to_contain_text("Nilai")
    screenshot(page, f"map-status-{map_server.backend}")
    context.close()
    assert outside == [], outside
    assert problems == [], problems


def test_a_dimension_map_uses_the_class_scale_and_reads_on_a_phone(browser, map_server):
    context, page, outside, problems = open_map(
        browser, map_server, {"width": 390, "height": 844},
        f"/wilayah/{ANGGANA}/peta?indeks=indeks_desa&ukuran=layanan_dasar")
    expect(page.locator("#region-map")).to_have_attribute("data-drawn", str(len(TOTALS)))
    drawn = fills(page)
    assert len(drawn) == len(TOTALS) and set(drawn) <= SCALE and len(set(drawn)) >= 2
    box = page.locator("#region-map").bounding_box()
    assert box is not None and box["width"] >= 300 and box["height"] >= 300
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    screenshot(page, f"map-dimension-phone-{map_server.backend}")
    context.close()
    assert outside == [], outside
    assert problems == [], problems


def test_clicking_a_village_opens_its_page(browser, map_server):
    context, page, _outside, _problems = open_map(
        browser, map_server, {"width": 1366, "height": 900},
        f"/wilayah/{ANGGANA}/peta?indeks=indeks_desa")
    expect(page.locator("#region-map")).to_have_attribute("data-drawn", str(len(TOTALS)))
    page.locator("#region-map path.leaflet-interactive").first.click()
    page.wait_for_url("**/desa/64.02.04.*")
    context.close()


def test_the_print_layout_keeps_map_legend_and_table_and_drops_the_menus(browser, map_server):
    context, page, _outside, _problems = open_map(
        browser, map_server, {"width": 1366, "height": 900},
        f"/wilayah/{ANGGANA}/peta?indeks=indeks_desa")
    page.emulate_media(media="print")
    assert not page.locator(".topbar").is_visible()
    assert not page.locator(".map-filters").is_visible()
    for selector in ("#region-map", "#map-legend", "#map-table"):
        assert page.locator(selector).is_visible(), selector
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    context.close()

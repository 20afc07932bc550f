"""WCAG 2.1 AA in the browser: each role with pages logs in once and visits its main pages at
1366 and 390 px, with the demo data; axe-core (vendored in tests/e2e/vendor/axe-core, no
network) runs on each and any serious or critical violation fails the test, listed by page,
rule and targets. The same walk checks the layout: the top bar stays on one line at 1366 px
in both languages, and no figure spills out of its card at 390 px."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page
from sqlalchemy import select

from mitradesa.accounts import services as accounts
from mitradesa.db.session import session_factory
from mitradesa.demo.loading import load_demo
from mitradesa.mentoring.models import Program, Umkm
from mitradesa.partnerships import services as partnerships
from mitradesa.partnerships.models import Agreement, Partner
from mitradesa.regions.models import Region, RegionBoundary
from tests.conftest import PASSWORD
from tests.e2e.conftest import LiveServer, log_in, screenshot

pytestmark = pytest.mark.e2e
AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
SEPATIN = "64.02.04.2001"
REGENCY = "64.02"
ANGGANA = "64.02.04"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
WIDTHS = {"desktop": DESKTOP, "phone": PHONE}
BAD = ("serious", "critical")

RUN_AXE = """async () => {
  const result = await axe.run(document, {
    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
    resultTypes: ['violations'],
  });
  return result.violations.map(v => ({
    id: v.id, impact: v.impact,
    targets: v.nodes.slice(0, 5).map(n => n.target.join(' ')),
  }));
}"""

# Text inside a card or a figure box that reaches past the box (a number cut off or spilling
# over its neighbour). What sits in a scrolling or clipping wrapper (wide tables) or in a
# chart is left out: it scrolls or is drawn to its box on purpose. One pixel of rounding.
OVERFLOW = """() => {
  const out = [];
  const clipped = (el, box) => {
    for (let a = el.parentElement; a && a !== box; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible') return true;
    }
    return false;
  };
  for (const box of document.querySelectorAll('.stat, .card')) {
    const outer = box.getBoundingClientRect();
    if (outer.width === 0 || getComputedStyle(box).overflowX !== 'visible') continue;
    for (const el of box.querySelectorAll('*')) {
      if (el.closest('svg, .chart, .table-scroll') || el.children.length) continue;
      if (!el.textContent.trim() || clipped(el, box)) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0) continue;
      if (r.right > outer.right + 1 || r.left < outer.left - 1) {
        out.push(el.tagName + '.' + el.className + ' "' + el.textContent.trim().slice(0, 30)
                 + '" ' + Math.round(r.right - outer.right) + 'px');
        break;
      }
    }
  }
  return out;
}"""


@pytest.fixture(scope="module", params=["sqlite"])
def live_server(request, registry_copy) -> Iterator[LiveServer]:
    """SQLite only (overrides conftest's pair): the pages are the same on PostgreSQL."""
    server = LiveServer(registry_copy(request.param, "mitradesa_a11y")).start()
    server.backend = request.param  # type: ignore[attr-defined]
    yield server
    server.stop()


@pytest.fixture(scope="module")
def demo_server(live_server, tmp_path_factory) -> Iterator:
    with session_factory(live_server.engine)() as session:
        load_demo(session, tmp_path_factory.mktemp("demo"), date(2026, 11, 23))
        add_squares(session, ANGGANA)
        partner = session.query(Partner).order_by(Partner.id).first()
        accounts.create_user(session, username="dpmd", password=PASSWORD, role="viewer",
                             scope_codes=[])
        accounts.create_user(session, username="pd.sepatin", password=PASSWORD,
                             role="pendamping", scope_codes=["64.02.04"])
        mitra = accounts.create_user(session, username="mitra.demo", password=PASSWORD,
                                     role="mitra", organisation=partner.name)
        partnerships.add_partner_member(session, None, partner, mitra)
        session.commit()
        live_server.ids = {  # type: ignore[attr-defined]
            "program": session.query(Program).order_by(Program.id).first().id,
            "umkm": session.query(Umkm).order_by(Umkm.id).first().id,
            "agreement": session.query(Agreement).order_by(Agreement.id).first().id,
            "partner": partner.id,
        }
    yield live_server


def add_squares(session, kecamatan: str) -> None:
    """Boundaries for the map pages: a square per village of the kecamatan."""
    codes = session.scalars(select(Region.code).where(
        Region.parent_code == kecamatan, Region.kind.in_(("desa", "kelurahan")))
        .order_by(Region.code)).all()
    for i, code in enumerate(codes):
        x, y = 117.2 + (i % 4) * 0.05, -0.6 + (i // 4) * 0.05
        ring = [[x, y], [x + 0.045, y], [x + 0.045, y + 0.045], [x, y + 0.045], [x, y]]
        session.add(RegionBoundary(code=code, source="Uji: kotak", geometry=json.dumps(
            {"type": "Polygon", "coordinates": [ring]})))


def region_pages() -> list[str]:
    return [f"/wilayah/{REGENCY}", f"/wilayah/{REGENCY}/idm", f"/wilayah/{REGENCY}/indeks-desa",
            f"/wilayah/{REGENCY}.04", "/wilayah/64",  # a kecamatan, the province
            f"/desa/{SEPATIN}", f"/desa/{SEPATIN}/idm", f"/desa/{SEPATIN}/indeks-desa",
            *MAP_PAGES]


# searchmap: the map with boundaries (by status, by a dimension) and the results of the
# header search over every kind (the demo's UMKM, partners and agreements hold "sepatin")
MAP_PAGES = [f"/wilayah/{ANGGANA}/peta", f"/wilayah/{ANGGANA}/peta?indeks=idm&ukuran=iks",
             f"/wilayah/{REGENCY}/peta"]
SEARCH_PAGES = ["/cari?q=loa+kulu", "/cari?q=kerupuk"]


def pages_of(role: str, ids: dict[str, int]) -> list[str]:
    common = ["/akun", "/cari?q=sepatin", *SEARCH_PAGES, "/kerja-sama", f"/mitra/{ids['partner']}"]
    analysis = [f"/wilayah/{REGENCY}/analisis", f"/wilayah/{REGENCY}/analisis/ketahanan",
                f"/wilayah/{REGENCY}/analisis/kontribusi", f"/wilayah/{REGENCY}/analisis/sasaran",
                f"/wilayah/{REGENCY}/rencana", f"/wilayah/{REGENCY}/idm/kualitas"]
    mentoring = ["/pendampingan", f"/pendampingan/program/{ids['program']}",
                 f"/pendampingan/umkm/{ids['umkm']}", "/pendampingan/umkm",
                 "/pendampingan/rumah-tangga", "/pendampingan/kelompok", "/pendampingan/pembeli"]
    if role == "admin":
        return ["/", *region_pages(), *analysis, *common, f"/kerja-sama/{ids['agreement']}",
                "/kerja-sama/mou", "/mitra", f"/desa/{SEPATIN}/mitra-cocok", *mentoring,
                "/admin/pengguna", "/impor", "/admin/pengguna/baru", "/admin/pengguna/pd.sepatin",
                "/admin/pengguna/pd.sepatin/ubah", "/audit", "/audit?jenis=agreement"]
    if role == "dpmd":
        return [f"/wilayah/{REGENCY}", f"/wilayah/{REGENCY}/analisis", "/kerja-sama",
                "/pendampingan", "/akun"]
    if role == "pd.sepatin":
        return ["/", f"/desa/{SEPATIN}", "/pendampingan", "/pendampingan/umkm", "/akun", "/impor",
                f"/wilayah/{ANGGANA}/peta", "/cari?q=kerupuk"]
    if role == "op.sepatin":
        return ["/", f"/desa/{SEPATIN}", f"/desa/{SEPATIN}/idm", "/kerja-sama", "/akun"]
    return ["/", "/kerja-sama", f"/mitra/{ids['partner']}", "/akun"]  # mitra


def axe_problems(page: Page, label: str) -> list[str]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE)
    found = page.evaluate(RUN_AXE)
    return [f"{label}: {v['id']} ({v['impact']}) {v['targets']}"
            for v in found if v["impact"] in BAD]


def walk(browser: Browser, server, username: str, paths: list[str]) -> list[str]:
    problems: list[str] = []
    for width, viewport in WIDTHS.items():
        context = browser.new_context(viewport=viewport, locale="id-ID")
        page = context.new_page()
        if username:
            log_in(page, server.url, username)
            page.wait_for_url(lambda url: "/masuk" not in url)
        for path in paths:
            answer = page.goto(server.url + path, wait_until="load")
            assert answer.status == 200, f"{username} {path}: {answer.status}"
            label = f"{username or 'anonymous'} {path} @{width}"
            problems += axe_problems(page, label)
            if width == "phone":
                problems += [f"{label}: overflows its card: {o}"
                             for o in page.evaluate(OVERFLOW)]
        context.close()
    return problems


@pytest.mark.parametrize("username", ["admin", "dpmd", "pd.sepatin", "op.sepatin", "mitra.demo"])
def test_each_roles_main_pages_have_no_serious_accessibility_violation(
    browser, demo_server, username
):
    problems = walk(browser, demo_server, username, pages_of(username, demo_server.ids))
    assert problems == [], "\n".join(problems)


def test_the_checks_see_a_violation_and_an_overflow_when_there_is_one(browser, demo_server):
    """The harness itself: grey-on-white text fails axe, a long number spills out of a card."""
    context = browser.new_context(viewport=PHONE, locale="id-ID")
    page = context.new_page()
    page.goto(f"{demo_server.url}/masuk")
    page.evaluate("""() => {
      const p = document.createElement('p');
      p.textContent = 'terlalu pucat';
      p.style.color = '#bbb';
      document.querySelector('main').append(p);
      const card = document.createElement('div');
      card.className = 'card';
      card.style.width = '80px';
      card.innerHTML = '<span style="white-space:nowrap">1.234.567.890.123</span>';
      document.querySelector('main').append(card);
    }""")
    problems = axe_problems(page, "probe")
    overflows = page.evaluate(OVERFLOW)
    context.close()
    assert any("color-contrast" in p for p in problems), problems
    assert any("1.234.567" in o for o in overflows), overflows


def test_login_page_has_no_serious_accessibility_violation(browser, demo_server):
    problems = walk(browser, demo_server, "", ["/masuk"])
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_top_bar_stays_on_one_line_at_1366_px(browser, demo_server, lang):
    context = browser.new_context(viewport=DESKTOP, locale="id-ID")
    context.add_cookies([{"name": "mitradesa_lang", "value": lang, "url": demo_server.url}])
    page = context.new_page()
    log_in(page, demo_server.url, "admin")
    page.wait_for_url(lambda url: "/masuk" not in url)
    page.goto(f"{demo_server.url}/wilayah/{REGENCY}")
    assert page.locator("html").get_attribute("lang") == lang
    tops = page.evaluate("""() => [...document.querySelector('.topbar').children]
        .filter(el => el.getBoundingClientRect().width > 0)
        .map(el => [el.className || el.tagName, Math.round(el.getBoundingClientRect().top),
                    Math.round(el.getBoundingClientRect().height)])""")
    height = page.evaluate("() => document.querySelector('.topbar').getBoundingClientRect().height")
    screenshot(page, f"a11y-topbar-{lang}")
    context.close()
    assert height <= 64, (height, tops)  # one row: the brand mark plus padding
    assert max(t for _, t, _ in tops) - min(t for _, t, _ in tops) <= 16, tops

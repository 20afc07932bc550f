"""In Chromium, with the demo data: a mitra lands on its portfolio, an operator on its
village's tasks, a pendamping on its villages; the top bar holds one line at 1366 px in both
languages with the new menu, and on a phone the menu folds behind a button that works from
the keyboard. Screenshots of each home at 1366 and 390 px go to test-artifacts/."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from playwright.sync_api import Browser, Page, expect

from mitradesa.accounts import services as accounts
from mitradesa.db.session import session_factory
from mitradesa.demo.loading import load_demo
from mitradesa.partnerships import services as partnerships
from mitradesa.partnerships.models import Partner
from tests.conftest import PASSWORD
from tests.e2e.conftest import LiveServer, log_in, screenshot
from tests.e2e.test_accessibility import axe_problems

pytestmark = pytest.mark.e2e
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
SEPATIN = "64.02.04.2001"


@pytest.fixture(scope="module")
def live_server(registry_copy, tmp_path_factory) -> Iterator[LiveServer]:
    """SQLite only (overrides conftest's pair): the pages are the same on PostgreSQL."""
    server = LiveServer(registry_copy("sqlite", "mitradesa_homes")).start()
    with session_factory(server.engine)() as session:
        load_demo(session, tmp_path_factory.mktemp("homes-demo"), date(2026, 11, 23))
        partner = session.query(Partner).order_by(Partner.id).first()
        accounts.create_user(session, username="pd.loakulu", password=PASSWORD,
                             role="pendamping", scope_codes=["64.02.02"])
        mitra = accounts.create_user(session, username="mitra.demo", password=PASSWORD,
                                     role="mitra", organisation=partner.name)
        partnerships.add_partner_member(session, None, partner, mitra)
        session.commit()
        server.partner_name = partner.name  # type: ignore[attr-defined]
    yield server
    server.stop()


def signed_in(browser: Browser, server: LiveServer, username: str, viewport: dict,
              lang: str = "id") -> Page:
    context = browser.new_context(viewport=viewport, locale="id-ID")
    context.add_cookies([{"name": "mitradesa_lang", "value": lang, "url": server.url}])
    page = context.new_page()
    log_in(page, server.url, username)
    page.wait_for_url(lambda url: "/masuk" not in url)
    return page


def test_a_mitra_lands_on_its_portfolio(browser, live_server):
    for name, viewport in (("1366", DESKTOP), ("390", PHONE)):
        page = signed_in(browser, live_server, "mitra.demo", viewport)
        assert page.url.rstrip("/") == live_server.url  # no redirect: the home is its own
        expect(page.locator("h1")).to_have_text(live_server.partner_name)
        expect(page.locator("#perjanjian")).to_contain_text("Pelaksanaan")
        expect(page.locator("#desa-tercakup")).to_contain_text("Loh Sumber")
        expect(page.locator("#desa-cocok li").first).to_be_visible()
        screenshot(page, f"homes-mitra-{name}")
        page.context.close()
    # its agreement opens from the portfolio
    page = signed_in(browser, live_server, "mitra.demo", DESKTOP)
    page.locator("#perjanjian a").first.click()
    page.wait_for_url("**/kerja-sama/*")
    assert page.locator("h1").count() == 1
    page.context.close()


def test_an_operator_lands_on_its_tasks(browser, live_server):
    for name, viewport in (("1366", DESKTOP), ("390", PHONE)):
        page = signed_in(browser, live_server, "op.sepatin", viewport)
        expect(page.locator("h1")).to_contain_text("Sepatin")
        expect(page.locator("#tindak-lanjut")).to_be_visible()
        expect(page.locator("#indeks ol.weak-items li").first).to_be_visible()
        screenshot(page, f"homes-operator-{name}")
        page.context.close()
    page = signed_in(browser, live_server, "op.sepatin", DESKTOP)
    page.goto(f"{live_server.url}/desa/{SEPATIN}")
    card = page.locator("#pendampingan-desa")
    expect(card).to_contain_text("************")  # KK numbers masked for an operator
    screenshot(page, "homes-operator-village-1366")
    page.context.close()


def test_a_pendamping_lands_on_its_villages(browser, live_server):
    for name, viewport in (("1366", DESKTOP), ("390", PHONE)):
        page = signed_in(browser, live_server, "pd.loakulu", viewport)
        expect(page.locator("#tabel-desa tbody tr")).to_have_count(15)  # Loa Kulu's villages
        screenshot(page, f"homes-pendamping-{name}")
        page.context.close()


def top_rows(page: Page) -> tuple[float, list]:
    tops = page.evaluate("""() => [...document.querySelector('.topbar').children]
        .filter(el => el.getBoundingClientRect().width > 0)
        .map(el => [el.className || el.tagName, Math.round(el.getBoundingClientRect().top),
                    Math.round(el.getBoundingClientRect().right)])""")
    height = page.evaluate("() => document.querySelector('.topbar').getBoundingClientRect().height")
    return height, tops


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("username", ["admin", "pd.loakulu", "op.sepatin"])
def test_the_top_bar_holds_one_line_at_1366_px_with_the_menu(browser, live_server, lang,
                                                            username):
    page = signed_in(browser, live_server, username, DESKTOP, lang)
    page.goto(f"{live_server.url}/kerja-sama")
    assert page.locator("html").get_attribute("lang") == lang
    expect(page.locator(".menu-toggle")).to_be_hidden()
    height, tops = top_rows(page)
    page.locator("details.navgroup summary").first.click()  # a drop-down opens below
    expect(page.locator("details.navgroup ul").first).to_be_visible()
    screenshot(page, f"homes-topbar-{username}-{lang}")
    problems = axe_problems(page, f"{username} menu open @1366 {lang}")
    page.context.close()
    assert problems == [], "\n".join(problems)
    assert height <= 64, (height, tops)
    assert max(t for _, t, _ in tops) - min(t for _, t, _ in tops) <= 16, tops
    assert max(r for _, _, r in tops) <= DESKTOP["width"], tops  # nothing pushed off screen


@pytest.mark.parametrize("lang", ["id", "en"])
def test_on_a_phone_the_menu_opens_from_a_button_by_keyboard(browser, live_server, lang):
    page = signed_in(browser, live_server, "admin", PHONE, lang)
    page.goto(f"{live_server.url}/kerja-sama")
    nav, toggle = page.locator("#mainnav"), page.locator(".menu-toggle")
    expect(toggle).to_be_visible()
    expect(nav).to_be_hidden()
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(nav).to_be_visible()
    page.keyboard.press("Tab")  # the first section, a drop-down
    page.keyboard.press("Enter")
    group = page.locator("details.navgroup").first
    expect(group).to_have_attribute("open", "")
    screenshot(page, f"homes-phone-menu-{lang}")
    problems = axe_problems(page, f"admin menu open @390 {lang}")
    assert problems == [], "\n".join(problems)
    page.keyboard.press("Escape")
    expect(group).not_to_have_attribute("open", "")
    page.keyboard.press("Escape")
    expect(nav).to_be_hidden()
    expect(toggle).to_be_focused()
    page.context.close()

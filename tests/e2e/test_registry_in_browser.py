"""A DPMD officer logs in and finds villages as they type them."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in, screenshot

pytestmark = pytest.mark.e2e


def test_login_page_reads_in_indonesian(page, live_server):
    page.goto(f"{live_server.url}/masuk")
    expect(page.get_by_role("heading", name="Masuk")).to_be_visible()
    screenshot(page, f"login-{live_server.backend}")


def test_admin_logs_in_and_finds_sepatin_through_search(page, live_server):
    log_in(page, live_server.url, "admin")
    expect(page.get_by_role("heading", name="Kabupaten Kutai Kartanegara")).to_be_visible()
    page.fill("#region-search", "sepatin")
    result = page.locator("#search-results a", has_text="Sepatin").first
    expect(result).to_be_visible()
    screenshot(page, f"search-sepatin-{live_server.backend}")
    result.click()
    expect(page.get_by_role("heading", name="Sepatin")).to_be_visible()
    expect(page.get_by_text("64.02.04.2001 · 6402042001")).to_be_visible()
    screenshot(page, f"village-sepatin-{live_server.backend}")


def test_typing_loa_sumber_finds_loh_sumber(page, live_server):
    log_in(page, live_server.url, "admin")
    page.fill("#region-search", "loa sumber")
    result = page.locator("#search-results li").first
    expect(result).to_contain_text("Loh Sumber")
    expect(result).to_contain_text("Loa Sumber")
    screenshot(page, f"search-loa-sumber-{live_server.backend}")


def test_wrong_password_is_told_plainly(page, live_server):
    page.goto(f"{live_server.url}/masuk")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", "bukan-sandinya")
    page.click("button[type=submit]")
    expect(page.get_by_role("alert")).to_contain_text("Nama pengguna atau kata sandi salah")


def test_operator_lands_on_own_village_and_is_refused_another(page, live_server):
    log_in(page, live_server.url, "op.sepatin")
    expect(page.get_by_role("heading", name="Sepatin")).to_be_visible()
    response = page.goto(f"{live_server.url}/desa/64.02.04.2006")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", name="Akses ditolak")).to_be_visible()
    screenshot(page, f"forbidden-{live_server.backend}")


def test_patterns_page_renders_every_component(page, live_server):
    log_in(page, live_server.url, "admin")
    page.goto(f"{live_server.url}/-/patterns")
    expect(page.get_by_role("heading", name="Pola antarmuka")).to_be_visible()
    screenshot(page, f"patterns-{live_server.backend}")

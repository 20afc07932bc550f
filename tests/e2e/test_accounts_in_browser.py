"""An admin resets an operator's password in the browser; the operator, logged in with it,
is held on the change form until they choose their own, then sees their sessions."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.conftest import log_in, screenshot

pytestmark = pytest.mark.e2e
CHOSEN = "perahu-kayu-langit-senja"


def test_a_reset_password_is_shown_once_and_must_be_changed(page, browser: Browser,
                                                            live_server):
    log_in(page, live_server.url, "admin")
    page.click("details[data-nav=kelola] summary")  # the Manage menu of the top bar
    page.click("a[href='/admin/pengguna']")
    page.click("a[href='/admin/pengguna/op.sepatin']")
    page.get_by_role("button", name="Reset kata sandi").click()
    generated = page.locator("#sandi-baru").inner_text().strip()
    assert len(generated) >= 16
    screenshot(page, f"admin-reset-password-{live_server.backend}")

    context = browser.new_context(locale="id-ID")
    operator = context.new_page()
    try:
        operator.goto(f"{live_server.url}/masuk")
        operator.fill("input[name=username]", "op.sepatin")
        operator.fill("input[name=password]", generated)
        operator.click("button[type=submit]")
        expect(operator).to_have_url(f"{live_server.url}/akun/kata-sandi")
        operator.goto(f"{live_server.url}/desa/64.02.04.2001")
        expect(operator).to_have_url(f"{live_server.url}/akun/kata-sandi")
        operator.fill("input[name=current_password]", generated)
        operator.fill("input[name=new_password]", CHOSEN)
        operator.fill("input[name=new_password_again]", CHOSEN)
        operator.get_by_role("button", name="Ganti kata sandi").click()
        expect(operator.get_by_role("status")).to_contain_text("sudah diganti")
        expect(operator.get_by_text("sesi ini")).to_be_visible()
        screenshot(operator, f"own-account-{live_server.backend}")
    finally:
        context.close()

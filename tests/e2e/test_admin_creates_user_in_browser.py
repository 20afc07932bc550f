"""An admin creates a pendamping for the kecamatan Anggana through /admin/pengguna in the
browser; the pendamping logs in with the password shown once and sees Anggana's villages,
and not a village elsewhere."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.conftest import log_in, screenshot
from tests.e2e.test_accessibility import axe_problems

pytestmark = pytest.mark.e2e
ANGGANA = "64.02.04"
SEPATIN = "64.02.04.2001"
LOH_SUMBER = "64.02.02.2005"


def test_an_admin_creates_a_pendamping_who_sees_the_kecamatans_villages(page, browser: Browser,
                                                                       live_server):
    base = live_server.url
    log_in(page, base, "admin")
    page.click("details[data-nav=kelola] summary")  # the Manage menu of the top bar
    page.click("a[href='/admin/pengguna']")
    page.click("a[href='/admin/pengguna/baru']")
    page.fill("input[name=cari_wilayah]", "sepatin")  # the search finds it by name
    expect(page.locator("#hasil-wilayah")).to_contain_text("Kec. Anggana")
    page.fill("input[name=cari_wilayah]", "")
    page.fill("input[name=nama_pengguna]", "pd.anggana")
    page.fill("input[name=nama_lengkap]", "Siti Rahmawati")
    page.fill("input[name=email]", "siti@dpmd.example.go.id")
    page.select_option("select[name=peran]", "pendamping")
    page.click("details.kec-pick summary")
    page.check(f"input[name=kecamatan][value='{ANGGANA}']")
    page.uncheck("input[name=wajib_ganti]")
    screenshot(page, f"admin-new-user-{live_server.backend}")
    page.click("#akun-form button[type=submit]")
    generated = page.locator("#sandi-baru").inner_text().strip()
    assert len(generated) >= 16
    expect(page.locator("main")).to_contain_text("Anggana")
    screenshot(page, f"admin-user-created-{live_server.backend}")
    assert axe_problems(page, "the page of the new account") == []

    context = browser.new_context(locale="id-ID")
    pendamping = context.new_page()
    try:
        pendamping.goto(f"{base}/masuk")
        pendamping.fill("input[name=username]", "pd.anggana")
        pendamping.fill("input[name=password]", generated)
        pendamping.click("button[type=submit]")
        expect(pendamping).to_have_url(f"{base}/")  # the pendamping's home: its villages
        expect(pendamping.locator(f"main a[href='/desa/{SEPATIN}']").first).to_be_visible()
        expect(pendamping.locator(f"main a[href='/desa/{LOH_SUMBER}']")).to_have_count(0)
        screenshot(pendamping, f"pendamping-kecamatan-{live_server.backend}")
        assert pendamping.goto(f"{base}/desa/{SEPATIN}").status == 200
        assert pendamping.goto(f"{base}/desa/{LOH_SUMBER}").status == 403
    finally:
        context.close()

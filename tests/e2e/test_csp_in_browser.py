"""The main pages, with the demo data, in Chromium under the app's Content-Security-Policy:
no CSP violation in the console, charts still drawn, and the API docs rendered from the
app's own Swagger UI."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from mitradesa.db.session import session_factory
from mitradesa.demo.loading import load_demo
from mitradesa.mentoring.models import Program, Umkm
from mitradesa.partnerships.models import Agreement, Partner
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e
SEPATIN = "64.02.04.2001"


@pytest.fixture(scope="module")
def demo_server(live_server, tmp_path_factory):
    with session_factory(live_server.engine)() as session:
        load_demo(session, tmp_path_factory.mktemp("demo"), date(2026, 11, 23))
        session.commit()
        live_server.ids = {  # type: ignore[attr-defined]
            "program": session.query(Program).first().id,
            "umkm": session.query(Umkm).first().id,
            "agreement": session.query(Agreement).first().id,
            "partner": session.query(Partner).first().id,
        }
    return live_server


def watch_csp(page: Page) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"{page.url}: {m.text}")
            if "Content Security Policy" in m.text or "Content-Security-Policy" in m.text
            else None)
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    return problems


def test_main_pages_raise_no_csp_violation(page, demo_server):
    problems = watch_csp(page)
    ids = demo_server.ids
    log_in(page, demo_server.url, "admin")
    paths = ["/", "/wilayah/64.02", f"/desa/{SEPATIN}", f"/desa/{SEPATIN}/idm",
             "/wilayah/64.02/idm", f"/desa/{SEPATIN}/indeks-desa", "/wilayah/64.02/indeks-desa",
             "/wilayah/64.02/analisis", "/wilayah/64.02/analisis/ketahanan",
             "/wilayah/64.02/analisis/kontribusi", "/kerja-sama",
             f"/kerja-sama/{ids['agreement']}", f"/mitra/{ids['partner']}", "/pendampingan",
             f"/pendampingan/program/{ids['program']}", f"/pendampingan/umkm/{ids['umkm']}",
             "/pendampingan/rumah-tangga", "/-/patterns"]
    for path in paths:
        answer = page.goto(demo_server.url + path)
        assert answer.status == 200, path
        assert "script-src 'self';" in answer.headers["content-security-policy"], path
        page.wait_for_load_state("networkidle")
    assert problems == []
    page.goto(f"{demo_server.url}/desa/{SEPATIN}/idm")
    expect(page.locator("#chart-trend .main-svg").first).to_be_attached()  # Plotly still draws
    assert problems == []


def test_api_docs_render_from_the_apps_own_files(page, demo_server):
    problems = watch_csp(page)
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url)
            if not r.url.startswith(demo_server.url) and not r.url.startswith("data:") else None)
    page.goto(f"{demo_server.url}/api/v1/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("mitradesa API")
    expect(page.locator(".opblock").first).to_be_visible()
    assert problems == [] and outside == []

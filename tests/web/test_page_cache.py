"""Rendered pages are kept per user under the data version: a page seen again comes from the
cache, yet never after a change, never to another user or scope, and always with this
request's CSP nonce and CSRF token."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text
from starlette.testclient import TestClient

from mitradesa.accounts.editing import update_user
from mitradesa.db import data_version
from mitradesa.db.session import session_factory
from mitradesa.idm_records.importing import import_idm_files
from mitradesa.partnerships import services
from mitradesa.web.app import create_app
from mitradesa.web.page_cache import KeptPage, PageCache
from tests.conftest import LOH_SUMBER, SEPATIN, csrf_of, login
from tests.idm_records.fixtures import write_scores_csv
from tests.partnerships.fixtures import partner

CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')
HEADLINE_GINI = re.compile(r'id="headline-gini">([^<]+)<')
HEADLINE_YEAR = re.compile(r"<h2>([^<]*20\d\d)")
STYLE_NONCE = re.compile(r'<style id="plotly.js-style-global" nonce="([^"]+)"')


def cache_of(client: TestClient) -> PageCache:
    cache = client.app.state.page_cache  # type: ignore[attr-defined]
    assert cache is not None, "the page cache is on by default"
    return cache


def test_a_page_seen_again_comes_from_the_cache_with_this_requests_nonce_and_token(
        app, client, make_user):
    make_user("staf.dpmd", "admin")
    login(client, "staf.dpmd")
    first = client.get("/wilayah/64.02")
    hits = cache_of(client).hits
    second = client.get("/wilayah/64.02")
    assert cache_of(client).hits == hits + 1
    assert second.status_code == 200 and "Kutai Kartanegara" in second.text
    nonce = STYLE_NONCE.search(second.text).group(1)
    assert nonce != STYLE_NONCE.search(first.text).group(1)
    assert f"'nonce-{nonce}'" in second.headers["content-security-policy"]
    assert second.headers["cache-control"] == "no-store"

    with TestClient(app, base_url="http://testserver") as other_browser:
        login(other_browser, "staf.dpmd")  # the same person in a second browser
        again = other_browser.get("/wilayah/64.02")
        token = CSRF_FIELD.search(again.text).group(1)
        assert token != CSRF_FIELD.search(second.text).group(1)
        # the token on the kept page is this browser's own: a form sent with it is taken
        left = other_browser.post("/keluar", data={"csrf_token": token},
                                  follow_redirects=False)
        assert left.status_code == 303
    assert cache_of(client).hits == hits + 2


def test_a_page_is_never_shown_stale_after_a_change(client, db, make_user):
    make_user("staf.dpmd", "admin")
    login(client, "staf.dpmd")
    a = partner(db, "PT Mitra A")
    db.commit()
    assert "PT Mitra A" in client.get("/mitra").text
    assert "PT Mitra A" in client.get("/mitra").text  # kept

    made = client.post("/mitra/baru", data={
        "nama": "Bank Desa Sejahtera", "jenis": "perbankan", "bidang": ["umkm"],
        "wilayah": ["64.02.04"], "csrf_token": csrf_of(client)}, follow_redirects=False)
    assert made.status_code == 303
    assert "Bank Desa Sejahtera" in client.get("/mitra").text  # a change through a form

    services.update_partner(db, None, a, name="PT Mitra Baru")
    db.commit()  # a change from elsewhere: another process, the command line, an import
    page = client.get("/mitra").text
    assert "PT Mitra Baru" in page and "PT Mitra A<" not in page


def test_a_kept_page_never_reaches_another_user_or_scope(app, client, make_user):
    make_user("p.anggana", "pendamping", ["64.02.04"])
    make_user("p.loakulu", "pendamping", [LOH_SUMBER[:8]])
    login(client, "p.anggana")
    with TestClient(app, base_url="http://testserver") as other:
        login(other, "p.loakulu")
        for _ in range(2):  # the second round comes from the cache
            anggana = client.get("/wilayah/64.02").text
            loa_kulu = other.get("/wilayah/64.02").text
            assert f"/desa/{SEPATIN}" in anggana and f"/desa/{LOH_SUMBER}" not in anggana
            assert f"/desa/{LOH_SUMBER}" in loa_kulu and f"/desa/{SEPATIN}" not in loa_kulu
            assert "p.anggana" in anggana and "p.loakulu" not in anggana
        assert cache_of(client).hits >= 2
        # out of scope stays refused, kept page or not
        assert other.get(f"/desa/{SEPATIN}/idm").status_code in (403, 404)


def test_a_narrowed_scope_takes_effect_at_once(client, db, make_user):
    user = make_user("p.anggana", "pendamping", ["64.02.04", LOH_SUMBER[:8]])
    login(client, "p.anggana")
    assert f"/desa/{LOH_SUMBER}" in client.get("/wilayah/64.02").text
    assert f"/desa/{LOH_SUMBER}" in client.get("/wilayah/64.02").text
    update_user(db, user, actor=None, full_name=user.full_name, email=user.email,
                role="pendamping", scope_codes=["64.02.04"])
    db.commit()
    assert f"/desa/{LOH_SUMBER}" not in client.get("/wilayah/64.02").text


def test_the_page_cache_can_be_turned_off(connection, monkeypatch):
    from mitradesa.settings import get_settings
    monkeypatch.setenv("MITRADESA_PAGE_CACHE", "0")
    get_settings.cache_clear()
    try:
        assert create_app(engine=connection).state.page_cache is None
    finally:
        get_settings.cache_clear()


def test_the_cache_keeps_within_its_size_least_recently_used_out_first():
    cache = PageCache(max_bytes=8000)
    page = KeptPage(200, (), b"x" * 900)
    for n in range(10):
        cache.put((n,), page)
        cache.get((0,))  # page 0 stays in use
    assert len(cache) == 8 and cache.get((0,)) is not None and cache.get((1,)) is None
    cache.put(("huge",), KeptPage(200, (), b"x" * 5000))  # over an eighth: not kept
    assert cache.get(("huge",)) is None


@pytest.mark.parametrize("statement, changes", [
    ("INSERT INTO partners (name) VALUES ('x')", True),
    ("UPDATE regions SET name = 'x'", True),
    ("DELETE FROM partnership_documents WHERE id = 1", True),
    ("WITH gone AS (DELETE FROM partners RETURNING id) SELECT count(*) FROM gone", True),
    ("INSERT INTO user_sessions (token_hash) VALUES ('x')", False),
    ('UPDATE "login_throttles" SET failures = 2', False),
    ("SELECT * FROM partners", False),
    ("WITH t AS (SELECT 1) SELECT * FROM t", False),
])
def test_which_statements_count_as_a_change(statement, changes):
    assert data_version.is_change(statement) is changes


def test_the_data_version_rises_with_each_committed_write_only(engines, backend):
    # The run's shared database, with real commits: only no-op writes, and the version,
    # which every other test reads relative to its own start.
    factory = session_factory(engines(backend))
    with factory() as session:
        start = data_version.current(session)
    with factory() as session:  # a login: sessions only
        session.execute(text("DELETE FROM user_sessions WHERE token_hash = 'none'"))
        session.commit()
    with factory() as session:
        assert data_version.current(session) == start
        session.execute(text("UPDATE regions SET name = name WHERE code = '64.02'"))
        session.rollback()
    with factory() as session:
        assert data_version.current(session) == start
        session.execute(text("UPDATE regions SET name = name WHERE code = '64.02'"))
        session.execute(text("UPDATE regions SET name = name WHERE code = '64.02.04'"))
        session.commit()
    with factory() as session:
        assert data_version.current(session) == start + 1  # once per transaction


def test_a_regions_shared_figures_follow_an_import_for_every_user(app, client, db, make_user,
                                                                  tmp_path):
    """The region's headline is computed once for all users at a data version; an import
    raises the version, so nobody sees the figures from before it."""
    make_user("staf.a", "admin")
    make_user("staf.b", "admin")
    login(client, "staf.a")
    rows = [("6402042001", 2022, [2] * 50), ("6402042006", 2022, [4] * 50),
            ("6402022005", 2022, [3] * 50)]
    import_idm_files(db, [write_scores_csv(tmp_path / "2022.csv", rows)],
                     store_dir=tmp_path / "kept")
    db.commit()
    before = client.get("/wilayah/64.02").text
    assert "2022" in HEADLINE_YEAR.search(before).group(1)
    with TestClient(app, base_url="http://testserver") as other:
        login(other, "staf.b")
        assert HEADLINE_GINI.search(other.get("/wilayah/64.02").text).group(1) == \
            HEADLINE_GINI.search(before).group(1)
        import_idm_files(db, [write_scores_csv(tmp_path / "2023.csv", [
            (code, 2023, [5] * 50 if code.endswith("2001") else [1] * 50)
            for code, _, _ in rows])], store_dir=tmp_path / "kept")
        db.commit()
        after = other.get("/wilayah/64.02").text
        assert "2023" in HEADLINE_YEAR.search(after).group(1)
        assert HEADLINE_GINI.search(after).group(1) != HEADLINE_GINI.search(before).group(1)
        assert "2023" in HEADLINE_YEAR.search(client.get("/wilayah/64.02").text).group(1)


def test_logging_in_and_out_keeps_every_kept_page(client, db, make_user):
    make_user("staf.dpmd", "admin")
    before = data_version.current(db)
    login(client, "staf.dpmd")
    client.get("/wilayah/64.02")
    client.post("/keluar", data={"csrf_token": csrf_of(client)}, follow_redirects=False)
    login(client, "staf.dpmd")
    assert data_version.current(db) == before
    hits = cache_of(client).hits
    client.get("/wilayah/64.02")
    assert cache_of(client).hits == hits + 1  # the page from before the new login

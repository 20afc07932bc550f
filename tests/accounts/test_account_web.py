"""Accounts through the API and the pages: deactivation stops sessions and tokens at once,
tokens are listed, revoked and expire, a user changes their own password and ends their
other sessions, an admin reset forces a change; every write is audited."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from mitradesa.accounts import services
from mitradesa.accounts.clock import now
from mitradesa.accounts.models import ApiToken, User
from mitradesa.audit.models import AuditEntry
from tests.conftest import PASSWORD, csrf_of, login

NEW_PASSWORD = "lampu-jalan-kebun-pisang"


@pytest.fixture
def other_client(app):
    with TestClient(app, base_url="http://testserver") as second:
        yield second


def _audited(db, action: str) -> list[AuditEntry]:
    return list(db.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def _token_of(db, user: User, **options) -> str:
    value = services.create_api_token(db, user, "skrip", **options)
    db.commit()
    return value


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_deactivation_stops_a_session_and_a_token_at_once(client, other_client, db,
                                                          make_user):
    make_user("admin", "admin")
    staf = make_user("staf", "viewer")
    token = _token_of(db, staf)
    login(other_client, "staf")
    assert other_client.get("/akun").status_code == 200
    assert client.get("/api/v1/me", headers=_bearer(token)).status_code == 200

    login(client, "admin")
    done = client.post("/api/v1/users/staf/deactivate", headers={"X-CSRF-Token": csrf_of(client)})
    assert done.status_code == 200 and done.json()["active"] is False

    page = other_client.get("/akun", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/masuk")
    assert other_client.get("/api/v1/me").status_code == 401
    assert client.get("/api/v1/me", headers=_bearer(token)).status_code == 401
    assert _audited(db, "accounts.user.deactivated")


def test_deactivation_through_the_admin_page_and_back(client, other_client, db, make_user):
    make_user("admin", "admin")
    make_user("staf", "viewer")
    login(other_client, "staf")
    login(client, "admin")
    listing = client.get("/admin/pengguna")
    assert listing.status_code == 200 and "/admin/pengguna/staf" in listing.text
    off = client.post("/admin/pengguna/staf/nonaktifkan", data={"csrf_token": csrf_of(client)})
    assert off.status_code == 200 and "tidak aktif" in off.text.lower()
    assert other_client.get("/akun", follow_redirects=False).status_code == 303
    on = client.post("/admin/pengguna/staf/aktifkan", data={"csrf_token": csrf_of(client)})
    assert on.status_code == 200
    login(other_client, "staf")
    assert other_client.get("/akun").status_code == 200
    assert _audited(db, "accounts.user.activated")


def test_only_an_admin_manages_accounts(client, make_user):
    make_user("staf", "pendamping", ["64.02.04"])
    make_user("lain", "viewer")
    login(client, "staf")
    assert client.get("/admin/pengguna").status_code == 403
    assert client.get("/api/v1/users").status_code == 403
    refused = client.post("/api/v1/users/lain/deactivate",
                          headers={"X-CSRF-Token": csrf_of(client)})
    assert refused.status_code == 403


def test_tokens_are_listed_revoked_and_expire(client, db, make_user):
    staf = make_user("staf", "viewer")
    kept = _token_of(db, staf)
    expiring = _token_of(db, staf, expires_days=1)
    login(client, "staf")
    headers = {"X-CSRF-Token": csrf_of(client)}
    listed = client.get("/api/v1/me/tokens").json()
    assert len(listed) == 2 and {t["revoked"] for t in listed} == {False}
    assert sum(t["expires_at"] is not None for t in listed) == 1

    db.execute(update(ApiToken).where(ApiToken.expires_at.is_not(None))
               .values(expires_at=now() - timedelta(minutes=1)))
    db.commit()
    assert client.get("/api/v1/me", headers=_bearer(expiring)).status_code == 401

    kept_id = next(t["id"] for t in listed if t["expires_at"] is None)
    assert client.delete(f"/api/v1/me/tokens/{kept_id}", headers=headers).status_code == 204
    assert client.get("/api/v1/me", headers=_bearer(kept)).status_code == 401
    assert _audited(db, "accounts.api_token.revoked")


def test_a_user_creates_a_token_with_an_expiry_shown_once(client, db, make_user):
    make_user("staf", "viewer")
    login(client, "staf")
    made = client.post("/api/v1/me/tokens", json={"name": "laporan", "expires_days": 30},
                       headers={"X-CSRF-Token": csrf_of(client)})
    assert made.status_code == 201
    body = made.json()
    assert body["token"].startswith("mdt_") and body["expires_at"] is not None
    assert client.get("/api/v1/me", headers=_bearer(body["token"])).status_code == 200
    assert "token" not in client.get("/api/v1/me/tokens").json()[0]
    page = client.post("/akun/token", data={"name": "lembar", "expires_days": "-3",
                                           "csrf_token": csrf_of(client)})
    assert page.status_code == 400 and "bukan bilangan bulat" in page.text


def test_a_users_token_is_not_anothers_to_revoke(client, db, make_user):
    make_user("staf", "viewer")
    other = make_user("lain", "viewer")
    _token_of(db, other)
    theirs = db.scalar(select(ApiToken.id).where(ApiToken.user_id == other.id))
    login(client, "staf")
    refused = client.delete(f"/api/v1/me/tokens/{theirs}",
                            headers={"X-CSRF-Token": csrf_of(client)})
    assert refused.status_code == 404
    assert db.scalar(select(ApiToken.revoked).where(ApiToken.id == theirs)) is False


def test_a_user_changes_their_password_and_other_sessions_end(client, other_client, db,
                                                              make_user):
    make_user("staf", "viewer")
    login(client, "staf")
    login(other_client, "staf")
    wrong = client.post("/api/v1/me/password", headers={"X-CSRF-Token": csrf_of(client)},
                        json={"current_password": "bukan-ini", "new_password": NEW_PASSWORD})
    assert wrong.status_code == 400
    assert wrong.json()["error"]["reason"] == "current_password_wrong"
    weak = client.post("/akun/kata-sandi", data={
        "current_password": PASSWORD, "new_password": "staf2025staf",
        "new_password_again": "staf2025staf", "csrf_token": csrf_of(client)})
    assert weak.status_code == 400 and "nama pengguna atau nama Anda" in weak.text
    done = client.post("/akun/kata-sandi", data={
        "current_password": PASSWORD, "new_password": NEW_PASSWORD,
        "new_password_again": NEW_PASSWORD, "csrf_token": csrf_of(client)},
        follow_redirects=False)
    assert done.status_code == 303
    assert client.get("/akun").status_code == 200  # this session goes on
    assert other_client.get("/api/v1/me").status_code == 401  # the other one ended
    login(other_client, "staf", NEW_PASSWORD)
    assert _audited(db, "accounts.user.password_changed")


def test_a_user_lists_and_ends_their_other_sessions(client, other_client, db, make_user):
    make_user("staf", "viewer")
    login(client, "staf")
    login(other_client, "staf")
    listed = client.get("/api/v1/me/sessions").json()
    assert len(listed) == 2 and sum(s["current"] for s in listed) == 1
    ended = client.delete("/api/v1/me/sessions", headers={"X-CSRF-Token": csrf_of(client)})
    assert ended.json() == {"ended": 1}
    assert other_client.get("/api/v1/me").status_code == 401
    assert client.get("/api/v1/me").status_code == 200
    login(other_client, "staf")
    other_id = next(s["id"] for s in client.get("/api/v1/me/sessions").json()
                    if not s["current"])
    page = client.post(f"/akun/sesi/{other_id}/akhiri", data={"csrf_token": csrf_of(client)},
                       follow_redirects=False)
    assert page.status_code == 303
    assert other_client.get("/api/v1/me").status_code == 401
    assert len(_audited(db, "accounts.sessions.ended")) == 1
    assert len(_audited(db, "accounts.session.ended")) == 1


def test_an_admin_reset_is_shown_once_and_must_be_changed(client, other_client, db,
                                                          make_user):
    make_user("admin", "admin")
    make_user("staf", "viewer")
    login(client, "admin")
    reset = client.post("/api/v1/users/staf/password-reset",
                        headers={"X-CSRF-Token": csrf_of(client)})
    assert reset.status_code == 200
    generated = reset.json()["password"]
    assert generated not in str([e.after for e in _audited(db, "accounts.user.password_reset")])

    login(other_client, "staf", generated)
    for path in ("/", "/akun", f"/desa/{'64.02.04.2001'}"):
        page = other_client.get(path, follow_redirects=False)
        assert page.status_code == 303 and page.headers["location"] == "/akun/kata-sandi"
    api = other_client.get("/api/v1/regions/64.02")
    assert api.status_code == 403
    assert api.json()["error"]["reason"] == "password_change_required"
    form = other_client.get("/akun/kata-sandi")
    assert form.status_code == 200 and "admin" in form.text.lower()

    changed = other_client.post("/api/v1/me/password",
                                headers={"X-CSRF-Token": csrf_of(other_client)},
                                json={"current_password": generated,
                                      "new_password": NEW_PASSWORD})
    assert changed.status_code == 204
    assert other_client.get("/api/v1/regions/64.02").status_code == 200


def test_the_admin_page_shows_a_reset_password_once(client, db, make_user):
    make_user("admin", "admin")
    make_user("staf", "viewer")
    login(client, "admin")
    shown = client.post("/admin/pengguna/staf/reset-sandi", data={"csrf_token": csrf_of(client)})
    assert shown.status_code == 200 and 'id="sandi-baru"' in shown.text
    assert 'id="sandi-baru"' not in client.get("/admin/pengguna/staf").text
    assert db.scalar(select(User.must_change_password).where(User.username == "staf"))


def test_an_admin_cannot_deactivate_themself(client, make_user):
    make_user("admin", "admin")
    login(client, "admin")
    refused = client.post("/api/v1/users/admin/deactivate",
                          headers={"X-CSRF-Token": csrf_of(client)})
    assert refused.status_code == 400
    assert refused.json()["error"]["reason"] == "cannot_deactivate_self"


def test_the_header_links_to_ones_account_and_an_admin_to_the_users(client, make_user):
    make_user("admin", "admin")
    make_user("staf", "viewer")
    login(client, "staf")
    page = client.get("/akun").text
    assert 'href="/akun"' in page and 'href="/admin/pengguna"' not in page
    login(client, "admin")
    assert 'href="/admin/pengguna"' in client.get("/akun").text


def test_the_account_page_writes_dates_the_indonesian_way(client, db, make_user):
    user = make_user("staf", "viewer")
    _token_of(db, user, expires_days=30)
    login(client, "staf")
    page = client.get("/akun").text
    assert not re.search(r"\d{4}-\d{2}-\d{2}", page)  # no ISO date on an Indonesian page
    months = "Jan|Feb|Mar|Apr|Mei|Jun|Jul|Agu|Sep|Okt|Nov|Des"
    assert re.search(rf"\d{{1,2}} ({months}) \d{{4}} \d{{2}}\.\d{{2}}", page)

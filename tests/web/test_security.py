"""Login, CSRF, rate limit, API tokens, password hashing, audit log."""

from __future__ import annotations

from sqlalchemy import select

from mitradesa.accounts import services
from mitradesa.accounts.models import LoginAttempt, User
from mitradesa.audit.models import AuditEntry
from tests.conftest import PASSWORD, SEPATIN, csrf_of, login


def test_login_page_is_served_in_indonesian(client):
    page = client.get("/masuk")
    assert page.status_code == 200
    assert "Masuk" in page.text and "Kata sandi" in page.text


def test_english_is_available_as_second_language(client):
    client.post("/bahasa", data={"lang": "en", "next": "/masuk", "csrf_token": csrf_of(client)})
    assert "Password" in client.get("/masuk").text


def test_wrong_password_shows_a_clear_message(client, make_user):
    make_user("admin", "admin")
    response = client.post(
        "/masuk",
        data={"username": "admin", "password": "salah-sekali", "csrf_token": csrf_of(client)},
    )
    assert response.status_code == 401
    assert "Nama pengguna atau kata sandi salah" in response.text


def test_login_without_csrf_token_is_refused(client, make_user):
    make_user("admin", "admin")
    response = client.post("/masuk", data={"username": "admin", "password": PASSWORD})
    assert response.status_code == 403 and "CSRF" in response.text


def test_session_cookie_is_httponly_and_samesite(client, make_user):
    make_user("admin", "admin")
    response = client.post(
        "/masuk",
        data={"username": "admin", "password": PASSWORD, "csrf_token": csrf_of(client)},
        follow_redirects=False,
    )
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie


def test_form_post_without_csrf_is_refused_even_when_logged_in(client, make_user):
    make_user("admin", "admin")
    login(client, "admin")
    response = client.post(f"/desa/{SEPATIN}/persiapan", data={"name": "X"})
    assert response.status_code == 403


def test_login_is_paused_after_five_failures(client, make_user):
    make_user("admin", "admin")
    for _ in range(5):
        client.post(
            "/masuk",
            data={"username": "admin", "password": "salah-sekali", "csrf_token": csrf_of(client)},
        )
    response = client.post(
        "/masuk", data={"username": "admin", "password": PASSWORD, "csrf_token": csrf_of(client)}
    )
    assert response.status_code == 429 and "Terlalu banyak" in response.text


def test_passwords_are_stored_as_argon2_hashes(db, make_user):
    user = make_user("admin", "admin")
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


def test_api_token_authenticates_scripts_without_csrf(client, db, make_user):
    user = make_user("admin", "admin")
    token = services.create_api_token(db, user, "skrip")
    db.commit()
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/me", headers=headers).json()["username"] == "admin"
    created = client.post(
        f"/api/v1/villages/{SEPATIN}/persiapan", json={"nama": "Sepatin Baru"}, headers=headers
    )
    assert created.status_code == 201 and created.json()["kode"] == f"{SEPATIN}.P01"


def test_a_bad_api_token_is_refused(client):
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer mdt_nope"})
    assert response.status_code == 401


def test_creating_a_user_is_audited_without_the_password(db, make_user):
    user = make_user("admin", "admin")
    entry = db.scalar(
        select(AuditEntry).where(
            AuditEntry.action == "accounts.user.created", AuditEntry.object_id == str(user.id)
        )
    )
    assert entry is not None and entry.after["role"] == "admin"
    assert PASSWORD not in str(entry.after)


def test_persiapan_created_through_the_web_is_audited_with_its_author(client, db, make_user):
    make_user("admin", "admin")
    login(client, "admin")
    response = client.post(
        f"/desa/{SEPATIN}/persiapan",
        data={"name": "Sepatin Hilir", "csrf_token": csrf_of(client)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    admin = db.scalar(select(User).where(User.username == "admin"))
    entry = db.scalar(
        select(AuditEntry).where(AuditEntry.action == "regions.desa_persiapan.created")
    )
    assert entry.actor_id == admin.id and entry.after["name"] == "Sepatin Hilir"


def test_admin_promotes_a_persiapan_through_the_api(client, make_user):
    make_user("admin", "admin")
    login(client, "admin")
    headers = {"X-CSRF-Token": csrf_of(client)}
    created = client.post(
        f"/api/v1/villages/{SEPATIN}/persiapan", json={"nama": "Sepatin Hulu"}, headers=headers
    ).json()
    promoted = client.post(
        f"/api/v1/villages/{created['kode']}/promote",
        json={"kode_definitif": "6402042099"},
        headers=headers,
    )
    assert promoted.status_code == 200 and promoted.json()["kode"] == "64.02.04.2099"
    old = client.get(f"/api/v1/villages/{created['kode']}")
    assert old.status_code == 404 and "64.02.04.2099" in old.json()["error"]["message"]


def test_boundaries_api_returns_imported_geojson(client, db, make_user, tmp_path):
    import json

    from mitradesa.regions.geo import import_geojson

    square = {
        "type": "Polygon",
        "coordinates": [[[117, -0.5], [117.2, -0.5], [117.2, -0.3], [117, -0.3], [117, -0.5]]],
    }
    path = tmp_path / "b.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {"type": "Feature", "properties": {"kode": SEPATIN}, "geometry": square}
                ],
            }
        )
    )
    import_geojson(db, path, source="Peta uji")
    db.commit()
    make_user("admin", "admin")
    login(client, "admin")
    body = client.get("/api/v1/regions/64.02.04/boundaries").json()
    assert body["type"] == "FeatureCollection"
    assert [f["properties"]["kode"] for f in body["features"]] == [SEPATIN]


# ------------------------------------------------------------ CSRF bound to the session


def _post_language(client, token: str):
    return client.post("/bahasa", data={"lang": "en", "next": "/", "csrf_token": token},
                       follow_redirects=False)


def test_a_csrf_token_from_before_login_is_refused_after_login(client, make_user):
    make_user("admin", "admin")
    before = csrf_of(client)
    login(client, "admin")
    assert _post_language(client, before).status_code == 403
    assert csrf_of(client) != before  # login issued a new token …
    assert _post_language(client, csrf_of(client)).status_code == 303  # … which works


def test_a_csrf_token_of_another_users_session_is_refused(app, client, make_user):
    from fastapi.testclient import TestClient

    make_user("admin", "admin")
    make_user("staf", "viewer")
    login(client, "admin")
    with TestClient(app, base_url="http://testserver") as other:
        login(other, "staf")
        theirs = csrf_of(other)
        assert _post_language(other, theirs).status_code == 303
    assert _post_language(client, theirs).status_code == 403
    # Even with the CSRF cookie overwritten by the other session's value (a cookie planted
    # from a sibling site), the token must match this session.
    own_session = client.cookies["mitradesa_session"]
    client.cookies.clear()
    client.cookies.set("mitradesa_session", own_session, domain="testserver.local")
    client.cookies.set("mitradesa_csrf", theirs, domain="testserver.local")
    assert client.get("/api/v1/me").json()["username"] == "admin"
    assert _post_language(client, theirs).status_code == 403
    api = client.post("/api/v1/me/tokens", json={"name": "x"},
                      headers={"X-CSRF-Token": theirs})
    assert api.status_code == 403 and api.json()["error"]["reason"] == "csrf_failed"


def test_the_page_carries_the_session_bound_token(client, make_user):
    make_user("admin", "admin")
    login(client, "admin")
    page = client.get("/akun")
    assert f'value="{csrf_of(client)}"' in page.text


# ------------------------------------------------------------ proxies and the client address


def _failed_login(client, username: str, forwarded: str):
    return client.post(
        "/masuk",
        data={"username": username, "password": "salah-sekali", "csrf_token": csrf_of(client)},
        headers={"X-Forwarded-For": forwarded},
    )


def test_a_forged_forwarded_for_from_an_untrusted_peer_does_not_change_the_client(client, db):
    """The test client's peer ("testclient") is no configured proxy: five failures under five
    invented addresses are still five failures of one client, and the sixth is paused."""
    answers = [_failed_login(client, f"orang{n}", f"203.0.113.{n}").status_code
               for n in range(6)]
    assert answers == [401] * 5 + [429]
    clients = set(db.scalars(select(LoginAttempt.client)))
    assert clients == {"testclient"}


def test_a_configured_proxy_is_believed(connection, db):
    from fastapi.testclient import TestClient

    from mitradesa.web.app import create_app

    app = create_app(engine=connection, trusted_proxies="testclient")
    with TestClient(app, base_url="http://testserver") as client:
        answers = [_failed_login(client, f"orang{n}", f"203.0.113.{n}").status_code
                   for n in range(6)]
        assert answers == [401] * 6  # six clients, one failure each
        client.cookies.clear()  # a first visit: the CSRF cookie is set, marked secure
        https = client.get("/masuk", headers={"X-Forwarded-Proto": "https"})
        assert "secure" in https.headers["set-cookie"].lower()
    assert set(db.scalars(select(LoginAttempt.client))) == {f"203.0.113.{n}" for n in range(6)}

"""Login, CSRF, rate limit, API tokens, password hashing, audit log."""

from __future__ import annotations

from sqlalchemy import select

from mitradesa.accounts import services
from mitradesa.accounts.models import User
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

"""Bad input gives a clear message, never a 500."""

from __future__ import annotations

import pytest

from mitradesa.accounts.errors import AccountInputError, DuplicateUserError
from tests.conftest import csrf_of, login


@pytest.fixture
def admin_client(client, make_user):
    make_user("admin", "admin")
    login(client, "admin")
    return client


@pytest.mark.parametrize("path", ["/desa/abc", "/wilayah/64-02", "/api/v1/villages/12345"])
def test_malformed_code_is_a_400_with_a_message(admin_client, path):
    response = admin_client.get(path)
    assert response.status_code == 400
    assert "Kode wilayah tidak valid" in response.text


@pytest.mark.parametrize("path", ["/desa/64.02.99.2001", "/api/v1/regions/99"])
def test_unknown_code_is_a_404_with_a_message(admin_client, path):
    response = admin_client.get(path)
    assert response.status_code == 404 and "tidak ditemukan" in response.text


def test_api_errors_have_the_pinned_shape(admin_client):
    body = admin_client.get("/api/v1/villages/64.02.99.2001").json()
    assert set(body) == {"error"} and set(body["error"]) == {"reason", "message"}


def test_an_old_code_points_to_the_new_one(admin_client):
    body = admin_client.get("/api/v1/villages/6402082001").json()
    assert "64.02.19.2001" in body["error"]["message"]


def test_invalid_api_body_is_a_422_with_the_field_named(admin_client):
    response = admin_client.post(
        "/api/v1/villages/64.02.04.2001/persiapan",
        json={},
        headers={"X-CSRF-Token": csrf_of(admin_client)},
    )
    assert response.status_code == 422 and "nama" in response.json()["error"]["message"]


def test_persiapan_form_with_empty_name_shows_the_form_again(admin_client):
    response = admin_client.post(
        "/desa/64.02.04.2001/persiapan", data={"name": " ", "csrf_token": csrf_of(admin_client)}
    )
    assert response.status_code == 400 and "wajib diisi" in response.text


def test_unknown_page_is_a_friendly_404(admin_client):
    response = admin_client.get("/tidak-ada")
    assert response.status_code in (403, 404)
    assert "Traceback" not in response.text


def test_duplicate_user_is_refused_clearly(make_user):
    make_user("admin", "admin")
    with pytest.raises(DuplicateUserError, match="sudah ada"):
        make_user("admin", "viewer")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"username": "A B", "role": "admin"}, "Nama pengguna"),
        ({"username": "x1x", "role": "raja"}, "Peran tidak dikenal"),
        ({"username": "op1", "role": "operator_desa"}, "tepat satu desa"),
        ({"username": "op2", "role": "operator_desa", "scope": ["64.02.04"]}, "hanya boleh"),
        ({"username": "m1m", "role": "mitra"}, "organisasi mitra"),
    ],
)
def test_invalid_accounts_are_refused_with_reasons(make_user, kwargs, message):
    with pytest.raises(AccountInputError, match=message):
        make_user(kwargs["username"], kwargs["role"], kwargs.get("scope"))


def test_healthz_reports_ok_and_schema(client):
    body = client.get("/healthz").json()
    assert body["status"] == "ok" and body["schema"] == body["schema_head"]


def test_openapi_docs_are_served(client):
    spec = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/villages/{kode}" in spec["paths"]
    assert client.get("/api/v1/docs").status_code == 200

"""Every route has an access rule, and an operator of one village is refused everywhere else.

Table-driven over the app's own route list: a new route without a rule fails here.
"""

from __future__ import annotations

import re

import pytest

from mitradesa.web.permissions import RULES
from mitradesa.web.routes import all_routes
from tests.conftest import SEPATIN, SUNGAI_MERIAM, csrf_of, login

OTHER_VILLAGE = SUNGAI_MERIAM  # same kecamatan (Anggana) as the operator's Sepatin
# A valid body for every unsafe route, so a refusal cannot come from bad input instead.
BODIES = {
    "api_create_persiapan": {"nama": "Desa Uji"},
    "api_promote_persiapan": {"kode_definitif": "64.02.04.2099"},
    "persiapan_submit": {"name": "Desa Uji"},
    "village_idm_whatif": {"tahun": "2023", "indikator": "IKE 7", "skor": "5"},
    "village_indeks_desa_whatif": {"tahun": "2025", "item": "1", "skor": "5"},
    "api_village_indeks_desa_whatif": {"naikkan": ["1=5"]},
}


def test_every_route_has_an_access_rule(app):
    missing = [r.name for r in all_routes(app) if r.name not in RULES]
    assert missing == []


def test_no_rule_is_left_over_for_a_route_that_no_longer_exists(app):
    names = {r.name for r in all_routes(app)}
    assert set(RULES) - names == set()


def scoped_routes(app):
    return [r for r in all_routes(app) if "{kode}" in r.path]


def call(client, route, code: str):
    path = route.path.replace("{kode}", code)
    method = sorted(route.methods)[0]
    if method == "GET":
        return client.get(path, follow_redirects=False)
    body = BODIES.get(route.name, {})
    if route.path.startswith("/api/"):
        return client.request(method, path, json=body, headers={"X-CSRF-Token": csrf_of(client)})
    return client.request(
        method, path, data={**body, "csrf_token": csrf_of(client)}, follow_redirects=False
    )


def test_operator_desa_gets_403_on_another_villages_routes(app, client, make_user):
    make_user("op.sepatin", "operator_desa", [SEPATIN])
    login(client, "op.sepatin")
    routes = scoped_routes(app)
    assert len(routes) >= 6
    for route in routes:
        response = call(client, route, OTHER_VILLAGE)
        assert response.status_code == 403, (route.path, route.methods, response.status_code)


def test_operator_desa_sees_their_own_village(client, make_user):
    make_user("op.sepatin", "operator_desa", [SEPATIN])
    login(client, "op.sepatin")
    assert client.get(f"/desa/{SEPATIN}").status_code == 200
    assert client.get(f"/api/v1/villages/{SEPATIN}").json()["nama"] == "Sepatin"


def test_home_is_the_page_of_each_role(client, make_user):
    """An operator's home is its village's tasks, a pendamping's its villages (no redirect);
    a DPMD viewer limited to one kecamatan lands on it."""
    make_user("op.sepatin", "operator_desa", [SEPATIN])
    login(client, "op.sepatin")
    landing = client.get("/", follow_redirects=False)
    assert landing.status_code == 200 and f'href="/desa/{SEPATIN}"' in landing.text
    client.cookies.clear()
    make_user("pd.anggana", "pendamping", [SEPATIN.rsplit(".", 1)[0]])
    login(client, "pd.anggana")
    landing = client.get("/", follow_redirects=False)
    assert landing.status_code == 200 and 'id="tabel-desa"' in landing.text
    client.cookies.clear()
    make_user("staf.anggana", "viewer", [SEPATIN.rsplit(".", 1)[0]])
    login(client, "staf.anggana")
    landing = client.get("/", follow_redirects=False)
    assert (landing.status_code, landing.headers["location"]) == (303, "/wilayah/64.02.04")


def test_operator_desa_cannot_create_a_persiapan_even_in_their_own_village(client, make_user):
    make_user("op.sepatin", "operator_desa", [SEPATIN])
    login(client, "op.sepatin")
    response = client.post(
        f"/api/v1/villages/{SEPATIN}/persiapan",
        json={"nama": "X"},
        headers={"X-CSRF-Token": csrf_of(client)},
    )
    assert response.status_code == 403


def test_pendamping_with_a_kecamatan_sees_its_villages_but_not_others(client, make_user):
    make_user("p.anggana", "pendamping", ["64.02.04"])
    login(client, "p.anggana")
    assert client.get(f"/desa/{SUNGAI_MERIAM}").status_code == 200
    assert client.get("/desa/64.02.02.2005").status_code == 403


def test_mitra_sees_no_village_by_default(client, make_user):
    make_user("mitra.a", "mitra", [], organisation="PT Contoh")
    login(client, "mitra.a")
    assert client.get(f"/desa/{SEPATIN}").status_code == 403


def test_anonymous_page_visit_goes_to_login_and_api_gets_401(client):
    response = client.get(f"/desa/{SEPATIN}", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/masuk")
    api = client.get(f"/api/v1/villages/{SEPATIN}")
    assert api.status_code == 401 and api.json()["error"]["reason"] == "unauthenticated"


@pytest.mark.parametrize("role", ["admin", "viewer"])
def test_dpmd_roles_without_scope_see_every_village(client, make_user, role):
    make_user("staf", role, [])
    login(client, "staf")
    assert client.get(f"/desa/{SUNGAI_MERIAM}").status_code == 200


def test_regency_overview_of_an_operator_lists_only_their_village(client, make_user):
    make_user("op.sepatin", "operator_desa", [SEPATIN])
    login(client, "op.sepatin")
    page = client.get("/wilayah/64.02.04").text
    assert "Sepatin" in page and "Sungai Meriam" not in page


def test_routes_with_a_code_parameter_are_scope_checked(app):
    for route in scoped_routes(app):
        assert RULES[route.name].scope in ("region", "village"), route.name
        assert re.search(r"\{kode\}", route.path)

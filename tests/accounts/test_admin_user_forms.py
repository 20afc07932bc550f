"""An admin creates and edits accounts on /admin/pengguna: the role and the scope chosen
there decide what the new user sees; the page names the scope's regions back; a mitra is
linked to its partner; bad input comes back with its problem named; every change is
audited; no other role may open these forms. A user chooses their e-mail digest on /akun and
through /api/v1/me/digest."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from mitradesa.accounts.models import ROLES, User
from mitradesa.audit.models import AuditEntry
from mitradesa.partnerships.models import PartnerMember
from mitradesa.partnerships.partners import create_partner
from tests.conftest import LOH_SUMBER, SEPATIN, SUNGAI_MERIAM, csrf_of, login, send

ANGGANA = "64.02.04"
TYPED = "perahu-kayu-langit-senja"


@pytest.fixture
def other_client(app):
    with TestClient(app, base_url="http://testserver") as second:
        yield second


def _user(db, username: str) -> User:
    db.expire_all()
    return db.scalar(select(User).where(User.username == username))


def _audited(db, action: str) -> list[AuditEntry]:
    return list(db.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def _create(client, **fields):
    data = {"nama_pengguna": "", "nama_lengkap": "", "email": "", "peran": "pendamping",
            "kode_wilayah": "", "sandi_cara": "buat", "csrf_token": csrf_of(client), **fields}
    return client.post("/admin/pengguna/baru", data=data, follow_redirects=False)


def test_an_admin_creates_a_pendamping_who_then_sees_that_kecamatans_villages(
        client, other_client, db, make_user):
    make_user("admin", "admin")
    login(client, "admin")
    form = client.get("/admin/pengguna/baru")
    assert form.status_code == 200 and 'value="64.02.04"' in form.text  # Anggana to tick
    made = _create(client, nama_pengguna="pd.anggana", nama_lengkap="Siti Rahma",
                   email="siti@contoh.go.id", kecamatan=ANGGANA)
    assert made.status_code == 200
    password = re.search(r'id="sandi-baru">([^<]+)<', made.text).group(1)
    assert "Anggana" in made.text  # the scope named back
    user = _user(db, "pd.anggana")
    assert (user.role, user.scope_codes, user.email) == ("pendamping", [ANGGANA],
                                                         "siti@contoh.go.id")
    assert not user.must_change_password  # the box was not ticked
    assert password not in str([e.after for e in _audited(db, "accounts.user.created")])
    assert password not in client.get("/admin/pengguna/pd.anggana").text  # shown once

    login(other_client, "pd.anggana", password)
    assert other_client.get(f"/wilayah/{ANGGANA}").status_code == 200
    assert other_client.get(f"/desa/{SUNGAI_MERIAM}").status_code == 200
    assert other_client.get(f"/desa/{LOH_SUMBER}").status_code == 403


def test_a_typed_password_and_a_village_code_named_back(client, other_client, db, make_user):
    make_user("admin", "admin")
    login(client, "admin")
    made = _create(client, nama_pengguna="op.sepatin", peran="operator_desa",
                   kode_wilayah=SEPATIN.replace(".", ""), sandi_cara="ketik", sandi=TYPED,
                   wajib_ganti="1")
    assert made.status_code == 303
    page = client.get(made.headers["location"])
    assert "Sepatin" in page.text and SEPATIN in page.text
    assert _user(db, "op.sepatin").must_change_password
    login(other_client, "op.sepatin", TYPED)
    landing = other_client.get("/", follow_redirects=False)
    assert landing.headers["location"] == "/akun/kata-sandi"  # must choose their own first


@pytest.mark.parametrize(("fields", "problem"), [
    ({"peran": "operator_desa", "kode_wilayah": f"{SEPATIN}, {SUNGAI_MERIAM}"},
     "tepat satu desa"),
    ({"peran": "pendamping", "kode_wilayah": "64.02.99"}, "64.02.99"),
    ({"peran": "pendamping", "kecamatan": ANGGANA, "email": "bukan-alamat"}, "bukan-alamat"),
    ({"peran": "pendamping", "kecamatan": ANGGANA, "sandi_cara": "ketik", "sandi": "kukar2025"},
     "kata sandi"),
    ({"peran": "pendamping", "kecamatan": ANGGANA, "sandi_cara": "ketik", "sandi": ""},
     "kata sandi"),
    ({"peran": "mitra"}, "mitra"),
])
def test_bad_input_comes_back_with_its_problem_named(client, db, make_user, fields, problem):
    make_user("admin", "admin")
    login(client, "admin")
    refused = _create(client, nama_pengguna="baru.saja", nama_lengkap="Nama Diisi", **fields)
    assert refused.status_code == 400
    assert problem.lower() in refused.text.lower()
    assert 'value="Nama Diisi"' in refused.text  # nothing typed is lost
    assert _user(db, "baru.saja") is None


def test_a_taken_username_is_refused(client, make_user):
    make_user("admin", "admin")
    make_user("staf", "viewer")
    login(client, "admin")
    assert _create(client, nama_pengguna="staf", peran="viewer").status_code == 409


def test_a_mitra_account_is_linked_to_its_partner(client, db, make_user):
    admin = make_user("admin", "admin")
    partner = create_partner(db, admin, name="PT Kaltim Sejahtera", kind="csr_swasta",
                             sectors=["pertanian"])
    db.commit()
    login(client, "admin")
    made = _create(client, nama_pengguna="mitra.kaltim", peran="mitra", mitra_id=str(partner.id),
                   sandi_cara="ketik", sandi=TYPED)
    assert made.status_code == 303
    user = _user(db, "mitra.kaltim")
    member = db.get(PartnerMember, user.id)
    assert member is not None and member.partner_id == partner.id
    assert "PT Kaltim Sejahtera" in client.get("/admin/pengguna/mitra.kaltim").text


def test_an_admin_edits_name_email_role_and_scope_and_it_is_audited(
        client, other_client, db, make_user):
    make_user("admin", "admin")
    make_user("pd.budi", "pendamping", [ANGGANA])
    login(client, "admin")
    form = client.get("/admin/pengguna/pd.budi/ubah")
    assert form.status_code == 200 and 'value="64.02.04" checked' in form.text
    saved = client.post("/admin/pengguna/pd.budi/ubah", data={
        "nama_lengkap": "Budi Santoso", "email": "budi@contoh.go.id", "peran": "operator_desa",
        "kode_wilayah": SEPATIN, "csrf_token": csrf_of(client)}, follow_redirects=False)
    assert saved.status_code == 303
    user = _user(db, "pd.budi")
    assert (user.full_name, user.role, user.scope_codes) == ("Budi Santoso", "operator_desa",
                                                            [SEPATIN])
    entry = _audited(db, "accounts.user.updated")[-1]
    assert entry.before["scope"] == [ANGGANA] and entry.after["scope"] == [SEPATIN]
    assert entry.before["role"] == "pendamping" and entry.actor_name == "admin"
    login(other_client, "pd.budi")
    assert other_client.get(f"/desa/{SUNGAI_MERIAM}").status_code == 403  # scope narrowed


def test_an_admin_cannot_take_the_admin_role_from_themself(client, db, make_user):
    make_user("admin", "admin")
    login(client, "admin")
    refused = client.post("/admin/pengguna/admin/ubah", data={
        "peran": "viewer", "csrf_token": csrf_of(client)})
    assert refused.status_code == 400 and _user(db, "admin").role == "admin"


@pytest.mark.parametrize("role", [r for r in ROLES if r != "admin"])
def test_only_an_admin_opens_the_account_forms(client, db, make_user, role):
    scope = {"operator_desa": [SEPATIN], "pendamping": [ANGGANA]}.get(role, [])
    make_user("someone", role, scope, **({"organisation": "X"} if role == "mitra" else {}))
    make_user("staf", "viewer")
    login(client, "someone")
    assert client.get("/admin/pengguna/baru").status_code == 403
    assert client.get("/admin/pengguna/staf/ubah").status_code == 403
    assert _create(client, nama_pengguna="penyusup", peran="admin").status_code == 403
    edit = client.post("/admin/pengguna/staf/ubah", data={
        "peran": "admin", "csrf_token": csrf_of(client)})
    assert edit.status_code == 403
    assert _user(db, "penyusup") is None and _user(db, "staf").role == "viewer"


def test_a_user_chooses_the_digest_on_their_page_and_through_the_api(client, db, make_user):
    make_user("staf", "viewer")
    login(client, "staf")
    assert 'name="frequency"' in client.get("/akun").text
    no_address = client.post("/akun/ringkasan", data={"frequency": "daily", "email": "",
                                                       "csrf_token": csrf_of(client)})
    assert no_address.status_code == 400 and "alamat e-mail" in no_address.text
    saved = client.post("/akun/ringkasan", data={
        "frequency": "weekly", "email": "staf@contoh.go.id", "csrf_token": csrf_of(client)},
        follow_redirects=False)
    assert saved.status_code == 303
    assert send(client, "GET", "/me/digest").json()["frequency"] == "weekly"
    changed = send(client, "PUT", "/me/digest", json={"frequency": "daily"})
    assert changed.status_code == 200
    assert changed.json() == {"frequency": "daily", "email": "staf@contoh.go.id",
                              "last_sent_at": None}
    assert send(client, "PUT", "/me/digest", json={"frequency": "hourly"}).status_code == 422
    assert _user(db, "staf").digest_frequency == "daily"
    assert len(_audited(db, "accounts.user.digest_changed")) == 2


def test_the_scope_is_found_by_name_and_added(client, db, make_user):
    make_user("admin", "admin")
    login(client, "admin")
    hits = client.get("/admin/pengguna/cari-wilayah", params={"cari_wilayah": "sepatin"})
    assert hits.status_code == 200
    assert f"kode={SEPATIN}" in hits.text and "Anggana" in hits.text  # with its kecamatan
    picked = client.get("/admin/pengguna/pilih-wilayah", params={"kode": SEPATIN})
    assert f'name="wilayah_pilih" value="{SEPATIN}" checked' in picked.text
    made = _create(client, nama_pengguna="op.sepatin", peran="operator_desa",
                   wilayah_pilih=SEPATIN, sandi_cara="ketik", sandi=TYPED)
    assert made.status_code == 303 and _user(db, "op.sepatin").scope_codes == [SEPATIN]
    refused = _create(client, nama_pengguna="op.dua", peran="operator_desa",
                      wilayah_pilih=[SEPATIN, SUNGAI_MERIAM])
    assert refused.status_code == 400  # both chosen villages come back ticked
    assert refused.text.count('name="wilayah_pilih"') == 2


@pytest.mark.parametrize("role", [r for r in ROLES if r != "admin"])
def test_only_an_admin_searches_regions_for_a_scope(client, make_user, role):
    scope = {"operator_desa": [SEPATIN], "pendamping": [ANGGANA]}.get(role, [])
    make_user("someone", role, scope, **({"organisation": "X"} if role == "mitra" else {}))
    login(client, "someone")
    assert client.get("/admin/pengguna/cari-wilayah",
                      params={"cari_wilayah": "sepatin"}).status_code == 403
    assert client.get("/admin/pengguna/pilih-wilayah",
                      params={"kode": SEPATIN}).status_code == 403


def test_the_api_creates_and_changes_accounts_like_the_pages(client, db, make_user):
    admin = make_user("admin", "admin")
    partner = create_partner(db, admin, name="CV Mitra Tani", kind="csr_swasta",
                             sectors=["pertanian"])
    db.commit()
    login(client, "admin")
    made = send(client, "POST", "/users", json={
        "username": "pd.api", "role": "pendamping", "scope": [ANGGANA],
        "email": "pd.api@contoh.go.id"})
    assert made.status_code == 201, made.text
    body = made.json()
    assert len(body["password"]) >= 16 and body["must_change_password"] is True
    assert body["scope"] == [ANGGANA] and body["email"] == "pd.api@contoh.go.id"
    mitra = send(client, "POST", "/users", json={
        "username": "mitra.tani", "role": "mitra", "partner_id": partner.id,
        "password": TYPED, "must_change_password": False})
    assert mitra.status_code == 201 and mitra.json()["password"] is None
    assert db.get(PartnerMember, _user(db, "mitra.tani").id).partner_id == partner.id
    changed = send(client, "PUT", "/users/pd.api", json={
        "full_name": "Pendamping Baru", "role": "operator_desa", "scope": [SEPATIN]})
    assert changed.status_code == 200
    assert changed.json()["role"] == "operator_desa" and changed.json()["scope"] == [SEPATIN]
    refused = send(client, "PUT", "/users/pd.api", json={"role": "operator_desa",
                                                         "scope": [SEPATIN, SUNGAI_MERIAM]})
    assert refused.status_code == 400 and "tepat satu desa" in refused.json()["error"]["message"]
    assert send(client, "POST", "/users", json={"username": "pd.api", "role": "viewer"}
                ).status_code == 409
    assert _audited(db, "accounts.user.updated")

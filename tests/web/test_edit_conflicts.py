"""Two people edit the same record: the second save, based on what the first replaced, is
refused with a clear message and nothing the second typed is lost (optimistic locking)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from mitradesa.db.versioning import EditConflictError
from mitradesa.mentoring import beneficiaries
from mitradesa.partnerships import services
from tests.conftest import SEPATIN, SUNGAI_MERIAM, csrf_of, login
from tests.partnerships.fixtures import agreement, partner

REFUSED = "sudah diubah orang lain sejak Anda membukanya"


def post(client, path: str, data: dict):
    return client.post(path, data={**data, "csrf_token": csrf_of(client)},
                       follow_redirects=False)


def version_in(page: str) -> str:
    return re.search(r'name="versi" value="(\d+)"', page).group(1)


@pytest.fixture
def two_staff(app, make_user):
    make_user("staf.satu", "admin")
    make_user("staf.dua", "admin")
    with TestClient(app, base_url="http://testserver") as one, \
            TestClient(app, base_url="http://testserver") as two:
        login(one, "staf.satu")
        login(two, "staf.dua")
        yield one, two


@pytest.fixture
def deal(db):
    made = agreement(db, [partner(db)], villages=(SUNGAI_MERIAM,))
    db.commit()
    return made


def test_the_second_save_of_an_agreement_form_is_refused_and_keeps_what_was_typed(
        two_staff, db, deal):
    one, two = two_staff
    first_form = version_in(one.get(f"/kerja-sama/{deal.id}/ubah").text)
    second_form = version_in(two.get(f"/kerja-sama/{deal.id}/ubah").text)
    saved = post(one, f"/kerja-sama/{deal.id}/ubah", {
        "judul": "Kebun bibit desa", "desa": [SUNGAI_MERIAM], "versi": first_form})
    assert saved.status_code == 303, saved.text

    refused = post(two, f"/kerja-sama/{deal.id}/ubah", {
        "judul": "Pelatihan UMKM", "desa": [SUNGAI_MERIAM], "versi": second_form,
        "ruang_lingkup": "Teks panjang yang diketik staf kedua"})
    assert refused.status_code == 409
    assert REFUSED in refused.text
    assert "Pelatihan UMKM" in refused.text
    assert "Teks panjang yang diketik staf kedua" in refused.text
    db.expire_all()
    assert services.get_agreement(db, deal.id).title == "Kebun bibit desa"

    # Having seen the message, saving the refilled form again is a deliberate overwrite.
    again = post(two, f"/kerja-sama/{deal.id}/ubah", {
        "judul": "Pelatihan UMKM", "desa": [SUNGAI_MERIAM], "versi": version_in(refused.text)})
    assert again.status_code == 303
    db.expire_all()
    assert services.get_agreement(db, deal.id).title == "Pelatihan UMKM"


def test_the_api_refuses_a_change_based_on_an_old_version(two_staff, db, deal):
    one, two = two_staff
    url = f"/api/v1/agreements/{deal.id}"
    headers = {"X-CSRF-Token": csrf_of(one)}
    seen = one.get(url).json()["versi"]
    changed = one.patch(url, json={"judul": "Judul pertama", "versi": seen}, headers=headers)
    assert changed.status_code == 200 and changed.json()["versi"] == seen + 1
    stale = two.patch(url, json={"judul": "Judul kedua", "versi": seen},
                      headers={"X-CSRF-Token": csrf_of(two)})
    assert stale.status_code == 409
    assert stale.json()["error"]["reason"] == "edit_conflict"
    assert REFUSED in stale.json()["error"]["message"]
    db.expire_all()
    assert services.get_agreement(db, deal.id).title == "Judul pertama"

    partner_url = f"/api/v1/partners/{deal.partners[0].id}"
    seen = one.get(partner_url).json()["versi"]
    assert one.patch(partner_url, json={"catatan": "baru", "versi": seen},
                     headers=headers).status_code == 200
    assert two.patch(partner_url, json={"catatan": "lama", "versi": seen},
                     headers={"X-CSRF-Token": csrf_of(two)}).status_code == 409


def test_a_stale_umkm_edit_is_refused(db):
    umkm = beneficiaries.register_umkm(db, None, name="Kerupuk Udang", owner_name="Rahmah",
                                   village_code=SEPATIN)
    db.flush()
    seen = umkm.version
    beneficiaries.update_umkm(db, None, umkm, expected_version=seen, pirt="P-IRT 123")
    with pytest.raises(EditConflictError) as refused:
        beneficiaries.update_umkm(db, None, umkm, expected_version=seen, pirt="lama")
    assert REFUSED in str(refused.value)
    assert umkm.pirt == "P-IRT 123"

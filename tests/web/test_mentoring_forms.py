"""Mentoring forms report every problem at once, each message matching the value typed, and
keep what was typed; e-mail addresses are checked."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from mitradesa.mentoring import markets
from mitradesa.mentoring.errors import MentoringError
from mitradesa.mentoring.models import Buyer, Household
from tests.conftest import SEPATIN, csrf_of, login


def post(client, path: str, data: dict):
    return client.post(path, data={**data, "csrf_token": csrf_of(client)},
                       follow_redirects=False)


@pytest.fixture
def admin(client, make_user):
    make_user("admin.dpmd", "admin")
    login(client, "admin.dpmd")
    return client


@pytest.mark.parametrize(("typed", "message"), [
    ("-5", "Tenaga kerja paling sedikit 0; yang diisi: -5."),
    ("abc", "Tenaga kerja: “abc” bukan angka; tulis bilangan bulat"),
    ("1,5", "Tenaga kerja harus bilangan bulat, tanpa desimal; yang diisi: “1,5”."),
])
def test_a_number_field_says_what_is_wrong_with_the_value(admin, typed, message):
    page = post(admin, "/pendampingan/umkm", {
        "nama_usaha": "Kerupuk Udang", "pemilik": "Rahmah", "desa": SEPATIN,
        "tenaga_kerja": typed})
    assert page.status_code == 400
    assert message in page.text
    assert f'value="{typed}"' in page.text


def test_every_problem_of_a_household_is_reported_in_one_submit(admin, db):
    page = post(admin, "/pendampingan/rumah-tangga", {
        "no_kk": "12345", "kepala": "", "desa": SEPATIN, "kelas": "prasejahtera",
        "desil": "11", "anggota": "0"})
    assert page.status_code == 400
    for message in ("Desil P3KE paling banyak 10; yang diisi: 11.",
                    "Anggota paling sedikit 1; yang diisi: 0.",
                    "Nomor KK harus 16 angka; yang diisi: “12345”.",
                    "Nama kepala keluarga wajib diisi."):
        assert message in page.text, message
    assert 'value="12345"' in page.text
    assert db.scalar(select(func.count()).select_from(Household)) == 0


def test_every_problem_of_a_program_is_reported_in_one_submit(admin):
    page = post(admin, "/pendampingan/program", {
        "nama": "", "sasaran": "umkm", "sumber_dana": "apbd", "desa": [SEPATIN],
        "tahap": "A\nB", "anggaran": "-1", "mulai": "2025-08-14", "selesai": "2025-08-01"})
    assert page.status_code == 400
    for message in ("Anggaran paling sedikit 0; yang diisi: -1.", "Nama program wajib diisi.",
                    "Model tahap memerlukan sedikitnya 3 tahap",
                    "Program memerlukan kriteria kelulusan yang jelas.",
                    "Tanggal selesai 1 Agustus 2025 sebelum tanggal mulai 14 Agustus 2025."):
        assert message in page.text, message


def test_a_buyers_e_mail_address_is_checked(admin, db):
    page = post(admin, "/pendampingan/pembeli", {"nama": "", "jenis": "hotel",
                                                "kontak": "Bu Sari budi@hotel"})
    assert page.status_code == 400
    assert "“budi@hotel” bukan alamat e-mail yang sah" in page.text
    assert "Nama pembeli wajib diisi." in page.text
    assert db.scalar(select(func.count()).select_from(Buyer)) == 0
    refused = admin.post("/api/v1/buyers", json={"nama": "Hotel", "jenis": "hotel",
                                                 "kontak": "a@@b"},
                         headers={"X-CSRF-Token": csrf_of(admin)})
    assert refused.status_code == 400 and "bukan alamat e-mail" in refused.text
    with pytest.raises(MentoringError):
        markets.create_buyer(db, None, name="Hotel", kind="hotel", contact="sari@")
    kept = markets.create_buyer(db, None, name="Hotel", kind="hotel",
                                contact="Bu Sari, 0812-555-0101, sari@hotel-tepian.co.id")
    assert kept.contact.endswith("sari@hotel-tepian.co.id")

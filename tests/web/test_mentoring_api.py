"""The mentoring API: what staff record, graduation refused with the unmet criteria, NIK
masked by role, an operator kept to their own village, and a mitra account that sees nothing."""

from __future__ import annotations

from datetime import date

import pytest

from mitradesa.accounts import services as accounts
from mitradesa.mentoring import beneficiaries, enrolments, markets, programs
from tests.conftest import LOH_SUMBER, SEPATIN, SUNGAI_MERIAM, login, send

API = "/api/v1"
NIK = "6402045506800002"
KK = "6402040101230001"
CRITERIA = [{"kind": "omzet_minimal", "value": 10_000_000}, {"kind": "kontrak_pembeli"},
            {"kind": "legalitas", "value": "pirt"}]


def ok(response, status: int = 200):
    assert response.status_code == status, response.text
    return response.json()


@pytest.fixture
def admin(client, make_user):
    make_user("admin.dpmd", "admin")
    login(client, "admin.dpmd")
    return client


@pytest.fixture
def records(db):
    """Two UMKM programs' worth of records: a household and an UMKM in Sepatin (the same
    person), an UMKM in Sungai Meriam, each enrolled."""
    umkm_program = programs.create_program(
        db, None, name="Pendampingan UMKM Pesisir", funder="apbd", target_type="umkm",
        village_codes=[SEPATIN, SUNGAI_MERIAM], graduation_criteria=CRITERIA,
        budget_rupiah=100_000_000, start_date=date(2025, 1, 1), end_date=date(2026, 12, 31))
    home_program = programs.create_program(
        db, None, name="Graduasi Prasejahtera", funder="dana_desa", target_type="household",
        village_codes=[SEPATIN], graduation_criteria=[{"kind": "di_atas_prasejahtera"}])
    home = beneficiaries.register_household(
        db, None, kk_number=KK, head_name="Siti Aminah", head_nik=NIK, village_code=SEPATIN,
        welfare_class="prasejahtera", members=4, monthly_income_rupiah=1_200_000)
    shop = beneficiaries.register_umkm(
        db, None, name="Kerupuk Udang Sepatin", owner_name="Siti Aminah", owner_nik=NIK,
        village_code=SEPATIN, employees=2, monthly_turnover_rupiah=3_000_000)
    other = beneficiaries.register_umkm(
        db, None, name="Amplang Sungai Meriam", owner_name="Rini",
        owner_nik="6402044107850031", village_code=SUNGAI_MERIAM,
        monthly_turnover_rupiah=1_000_000)
    enrolled = {
        "shop": enrolments.enrol(db, None, umkm_program, on=date(2025, 2, 1), umkm_id=shop.id),
        "other": enrolments.enrol(db, None, umkm_program, on=date(2025, 2, 1), umkm_id=other.id),
        "home": enrolments.enrol(db, None, home_program, on=date(2025, 2, 1),
                                 household_id=home.id),
    }
    db.commit()
    return {"umkm_program": umkm_program, "home_program": home_program, "home": home,
            "shop": shop, "other": other, **{f"e_{k}": v for k, v in enrolled.items()}}


def test_admin_creates_a_program_registers_and_enrols_a_household(admin):
    program = ok(send(admin, "POST", "/programs", json={
        "nama": "Graduasi Keluarga Pesisir", "sumber_dana": "dana_desa", "sasaran": "household",
        "desa": ["6402042001"], "anggaran_rupiah": 120_000_000, "mulai": "2025-07-01",
        "kriteria": [{"kind": "di_atas_prasejahtera"},
                     {"kind": "pendapatan_minimal", "value": 2_500_000}]}), 201)
    assert program["desa"] == [SEPATIN] and program["tahap"][-1] == "Mandiri (lulus)"
    assert program["kriteria"][1] == {"kind": "pendapatan_minimal", "value": 2_500_000,
                                      "label": "pendapatan rumah tangga bulanan paling "
                                               "sedikit Rp2.500.000"}
    home = ok(send(admin, "POST", "/households", json={
        "no_kk": KK, "nama_kepala_keluarga": "Siti Aminah", "nik_kepala_keluarga": NIK,
        "desa": SEPATIN, "kelas_kesejahteraan": "prasejahtera", "anggota": 4,
        "pendapatan_bulanan": 1_200_000}), 201)
    assert home["no_kk"] == KK and home["nik_kepala_keluarga"] == NIK  # admin sees them
    enrolment = ok(send(admin, "POST", f"/programs/{program['id']}/enrolments",
                        json={"household_id": home["id"], "tanggal": "2025-07-10"}), 201)
    assert (enrolment["tahap"], enrolment["status"], enrolment["jenis"]) == (1, "aktif",
                                                                             "household")
    assert enrolment["baseline"] == {"tanggal": "2025-07-10",
                                     "pendapatan_rumah_tangga": 1_200_000,
                                     "kelas_kesejahteraan": "prasejahtera"}
    listed = ok(admin.get(f"{API}/programs"))
    assert [p["jumlah"] for p in listed if p["id"] == program["id"]] == [
        {"aktif": 1, "lulus": 0, "keluar": 0}]
    rows = ok(admin.get(f"{API}/programs/{program['id']}/enrolments"))
    assert [r["peserta_id"] for r in rows] == [enrolment["peserta_id"]]
    assert {"peserta_id", "jenis", "id", "desa", "tahap", "nama_tahap", "status", "terdaftar",
            "keluar", "alasan_keluar", "baseline", "terbaru", "nama", "no_kk", "nik"} <= set(
        rows[0])
    again = send(admin, "POST", "/households", json={
        "no_kk": KK, "nama_kepala_keluarga": "Lagi", "desa": SEPATIN,
        "kelas_kesejahteraan": "ks1"})
    assert again.status_code == 409 and "sudah terdaftar" in again.json()["error"]["message"]


def test_graduation_is_refused_with_409_and_the_unmet_criteria(admin, records):
    enrolment = records["e_shop"]
    refused = send(admin, "POST", f"/enrolments/{enrolment.id}/graduate", json={})
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert error["reason"] == "graduation_refused"
    assert error["unmet"] == ["omzet bulanan paling sedikit Rp10.000.000",
                              "memiliki kontrak pasok dengan pembeli",
                              "memiliki legalitas PIRT"]
    detail = ok(admin.get(f"{API}/enrolments/{enrolment.id}"))
    assert detail["status"] == "aktif"
    assert [c["terpenuhi"] for c in detail["kriteria_kelulusan"]] == [False, False, False]

    assessed = ok(send(admin, "POST", f"/enrolments/{enrolment.id}/assessment", json={
        "tanggal": "2025-02-05",
        "jawaban": {"produksi": True, "mutu_legalitas": False, "akses_pasar": False}}), 201)
    assert assessed["tahap"] == 3 and assessed["asesmen"][0]["tahap"] == 3
    last = send(admin, "POST", f"/enrolments/{enrolment.id}/stage", json={"tahap": 5})
    assert last.status_code == 400 and "kelulusan" in last.json()["error"]["message"]
    assert ok(send(admin, "POST", f"/enrolments/{enrolment.id}/stage",
                   json={"tahap": 4}))["nama_tahap"] == "Akses pasar"
    buyer = ok(send(admin, "POST", "/buyers", json={"nama": "Hotel Tepian Mahakam",
                                                    "jenis": "hotel"}), 201)
    contract = ok(send(admin, "POST", "/contracts", json={
        "pembeli_id": buyer["id"], "umkm_id": records["shop"].id, "produk": "kerupuk udang",
        "harga_rupiah": 85_000, "volume_per_bulan": 60, "mulai": "2025-08-01"}), 201)
    delivery = ok(send(admin, "POST", f"/contracts/{contract['id']}/deliveries", json={
        "tanggal": "2025-08-20", "volume": 60, "nilai_rupiah": 5_100_000}), 201)
    assert delivery["kontrak_id"] == contract["id"]
    assert ok(admin.get(f"{API}/contracts/{contract['id']}/deliveries"))[0]["volume"] == 60
    still = send(admin, "POST", f"/enrolments/{enrolment.id}/graduate", json={})
    assert still.json()["error"]["unmet"] == ["omzet bulanan paling sedikit Rp10.000.000",
                                              "memiliki legalitas PIRT"]
    measured = ok(send(admin, "POST", f"/enrolments/{enrolment.id}/outcomes", json={
        "tanggal": "2025-09-01", "omzet_bulanan": 12_500_000, "tenaga_kerja": 5}), 201)
    assert measured["terbaru"]["omzet_bulanan"] == 12_500_000
    assert measured["baseline"]["omzet_bulanan"] == 3_000_000


def test_graduation_goes_through_once_every_criterion_holds(admin, records, db):
    beneficiaries.update_umkm(db, None, records["shop"], pirt="P-IRT 2066402010123")
    buyer = markets.create_buyer(db, None, name="Hotel Tepian Mahakam", kind="hotel")
    markets.create_contract(db, None, buyer_id=buyer.id, umkm_id=records["shop"].id,
                             product="kerupuk udang", price_rupiah=85_000,
                             start_date=date(2025, 8, 1))
    db.commit()
    enrolment = records["e_shop"]
    ok(send(admin, "POST", f"/enrolments/{enrolment.id}/outcomes",
            json={"tanggal": "2025-09-01", "omzet_bulanan": 12_500_000}), 201)
    done = ok(send(admin, "POST", f"/enrolments/{enrolment.id}/graduate",
                   json={"tanggal": "2025-10-01"}))
    assert (done["status"], done["tahap"], done["keluar"]) == ("lulus", 5, "2025-10-01")
    program = ok(admin.get(f"{API}/programs/{records['umkm_program'].id}"))
    board = program["dasbor"]
    assert (board["aktif"], board["lulus"], board["keluar"]) == (1, 1, 0)
    assert board["tingkat_kelulusan"] == 0.5 and board["ukuran"] == "monthly_turnover_rupiah"
    assert board["per_tahap"][-1] == {"tahap": 5, "nama": "Mandiri (lulus)", "jumlah": 1}
    assert board["perubahan"]["jumlah"] == 1 and board["perubahan"]["median"] == 9_500_000
    assert [k["nama"] for k in board["per_kecamatan"]] == ["Anggana"]
    story = ok(admin.get(f"{API}/umkm/{records['shop'].id}/success-story"))
    assert story["baseline"]["omzet_bulanan"] == 3_000_000
    assert story["terbaru"]["omzet_bulanan"] == 12_500_000
    assert story["program"][0]["status"] == "lulus" and story["kontrak"][0]["pembeli"] == \
        "Hotel Tepian Mahakam"
    assert story["legalitas"] == {"pirt": "P-IRT 2066402010123"}


def test_leaving_keeps_the_record_and_a_wrong_reason_is_refused(admin, records):
    enrolment = records["e_home"]
    wrong = send(admin, "POST", f"/enrolments/{enrolment.id}/leave", json={"alasan": "bosan"})
    assert wrong.status_code == 400 and wrong.json()["error"]["reason"] == "mentoring_invalid"
    left = ok(send(admin, "POST", f"/enrolments/{enrolment.id}/leave", json={
        "alasan": "pindah", "tanggal": "2025-04-01", "catatan": "ke Samarinda"}))
    assert (left["status"], left["alasan_keluar"], left["catatan_keluar"]) == (
        "keluar", "pindah", "ke Samarinda")
    unreached = ok(admin.get(f"{API}/duplicates"))["prasejahtera_belum_terjangkau"]
    assert [h["id"] for h in unreached] == [records["home"].id]


def test_sessions_record_attendance_of_the_programs_people(admin, records):
    program = records["umkm_program"]
    session = ok(send(admin, "POST", f"/programs/{program.id}/sessions", json={
        "tanggal": "2025-03-10", "jenis": "pelatihan", "pendamping": "Bu Wati",
        "topik": "Higiene pangan", "hadir": [records["e_shop"].id],
        "tidak_hadir": [records["e_other"].id]}), 201)
    assert (session["hadir"], session["tidak_hadir"]) == ([records["e_shop"].id],
                                                          [records["e_other"].id])
    stranger = send(admin, "POST", f"/programs/{program.id}/sessions", json={
        "tanggal": "2025-03-10", "jenis": "pelatihan", "pendamping": "Bu Wati",
        "topik": "Higiene pangan", "hadir": [records["e_home"].id]})
    assert stranger.status_code == 404  # another program's enrolment: as if it did not exist
    assert "tidak ditemukan di program ini" in stranger.json()["error"]["message"]


def test_nik_and_kk_are_masked_for_a_viewer(client, make_user, records):
    make_user("lihat", "viewer")
    login(client, "lihat")
    home = ok(client.get(f"{API}/households/{records['home'].id}"))
    assert home["nik_kepala_keluarga"] == "************0002"
    assert home["no_kk"] == "************0001"
    rows = ok(client.get(f"{API}/programs/{records['umkm_program'].id}/enrolments"))
    assert {r["nik"] for r in rows} == {"************0002", "************0031"}
    assert ok(client.get(f"{API}/umkm/{records['shop'].id}"))["nik_pemilik"] == \
        "************0002"
    several = ok(client.get(f"{API}/duplicates"))["dilayani_beberapa_program"]
    assert [p["kunci"] for p in several] == ["NIK ************0002"]
    assert NIK not in client.get(f"{API}/households").text
    refused = send(client, "POST", "/umkm", json={"nama": "X", "pemilik": "Y",
                                                  "desa": SEPATIN})
    assert refused.status_code == 403


def test_pendamping_sees_the_full_nik(client, make_user, records):
    make_user("p.anggana", "pendamping", ["64.02.04"])
    login(client, "p.anggana")
    assert ok(client.get(f"{API}/households/{records['home'].id}"))["nik_kepala_keluarga"] == NIK


def test_an_operator_sees_and_records_their_own_village_only(client, make_user, records):
    make_user("op.sepatin", "operator_desa", [SEPATIN])
    login(client, "op.sepatin")
    assert [u["id"] for u in ok(client.get(f"{API}/umkm"))] == [records["shop"].id]
    rows = ok(client.get(f"{API}/programs/{records['umkm_program'].id}/enrolments"))
    assert [r["peserta_id"] for r in rows] == [records["e_shop"].id]
    program = ok(client.get(f"{API}/programs/{records['umkm_program'].id}"))
    assert program["jumlah"]["aktif"] == 1
    assert client.get(f"{API}/umkm/{records['other'].id}").status_code == 404
    assert client.get(f"{API}/enrolments/{records['e_other'].id}").status_code == 404
    outcome = send(client, "POST", f"/enrolments/{records['e_other'].id}/outcomes",
                   json={"omzet_bulanan": 9})
    assert outcome.status_code == 404
    elsewhere = send(client, "POST", "/umkm", json={"nama": "Gula Aren", "pemilik": "Yusuf",
                                                    "desa": LOH_SUMBER})
    assert elsewhere.status_code == 403
    assert send(client, "POST", "/programs", json={
        "nama": "Program Desa", "sumber_dana": "dana_desa", "sasaran": "umkm",
        "desa": [SEPATIN], "kriteria": [{"kind": "kontrak_pembeli"}]}).status_code == 403
    own = ok(send(client, "POST", f"/enrolments/{records['e_shop'].id}/outcomes",
                  json={"omzet_bulanan": 4_000_000}), 201)
    assert own["terbaru"]["omzet_bulanan"] == 4_000_000
    assert own["nik"] == "************0002"  # an operator needs no full NIK


def test_a_mitra_account_gets_empty_lists_and_403(client, make_user, records):
    make_user("mitra.a", "mitra", [], organisation="PT Contoh")
    login(client, "mitra.a")
    for path in ("/programs", "/households", "/umkm", "/buyers", "/contracts"):
        assert ok(client.get(API + path)) == [], path
    assert ok(client.get(f"{API}/duplicates")) == {"dilayani_beberapa_program": [],
                                                   "prasejahtera_belum_terjangkau": []}
    for path in (f"/programs/{records['umkm_program'].id}", f"/umkm/{records['shop'].id}",
                 f"/enrolments/{records['e_shop'].id}",
                 f"/umkm/{records['shop'].id}/success-story"):
        assert client.get(API + path).status_code == 403, path
    assert send(client, "POST", "/households", json={
        "no_kk": "6402040101230099", "nama_kepala_keluarga": "X", "desa": SEPATIN,
        "kelas_kesejahteraan": "ks1"}).status_code == 403


def test_cookie_sessions_need_the_csrf_header_and_tokens_do_not(client, db, make_user):
    user = make_user("skrip", "admin")
    token = accounts.create_api_token(db, user, "uji")
    db.commit()
    body = {"nama": "Toko Oleh-oleh", "jenis": "toko"}
    created = client.post(f"{API}/buyers", json=body,
                          headers={"Authorization": f"Bearer {token}"})
    assert created.status_code == 201, created.text
    login(client, "skrip")
    without = client.post(f"{API}/buyers", json=body)
    assert without.status_code == 403 and without.json()["error"]["reason"] == "csrf_failed"


def test_wrong_input_answers_with_the_one_error_shape(admin, records):
    bad = send(admin, "POST", "/households", json={
        "no_kk": "123", "nama_kepala_keluarga": "X", "desa": SEPATIN,
        "kelas_kesejahteraan": "ks1"})
    assert bad.status_code == 400 and "Nomor KK harus 16 angka" in bad.json()["error"]["message"]
    unknown = send(admin, "POST", "/households", json={
        "no_kk": "6402040101230077", "nama_kepala_keluarga": "X", "desa": SEPATIN,
        "kelas_kesejahteraan": "kaya"})
    assert unknown.status_code == 400 and "kaya" in unknown.json()["error"]["message"]
    criteria = send(admin, "POST", "/programs", json={
        "nama": "Tanpa Kriteria", "sumber_dana": "apbd", "sasaran": "umkm", "desa": [SEPATIN],
        "kriteria": []})
    assert criteria.status_code == 400 and "kriteria kelulusan" in criteria.json()["error"][
        "message"]
    assert admin.get(f"{API}/programs/99999").status_code == 404
    wrong_type = send(admin, "POST", f"/programs/{records['umkm_program'].id}/enrolments",
                      json={"household_id": records["home"].id})
    assert wrong_type.status_code == 400 and "untuk UMKM" in wrong_type.json()["error"][
        "message"]

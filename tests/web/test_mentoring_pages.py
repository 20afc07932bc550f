"""The mentoring pages: programs, participants, graduation, beneficiaries, markets — what a
DPMD officer, a pendamping, a village operator and a viewer see and may do."""

from __future__ import annotations

import re
from datetime import date

import pytest

from mitradesa.mentoring import beneficiaries, enrolments, markets, outcomes, programs
from mitradesa.mentoring.models import Enrolment, MentoringSession, Umkm, UmkmPhoto
from mitradesa.web.pages import mentoring_people
from tests.conftest import LOH_SUMBER, SEPATIN, SUNGAI_MERIAM, csrf_of, login

NIK = "6402045506800002"
MASKED = "************0002"
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
       b"\x00\x00\x00\x00IEND\xaeB`\x82")
UMKM_CRITERIA = [{"kind": "omzet_minimal", "value": 10_000_000}, {"kind": "kontrak_pembeli"},
                 {"kind": "legalitas", "value": "pirt"}]


@pytest.fixture
def world(db):
    """An UMKM program in Sepatin and Sungai Meriam with one participant from Sepatin."""
    program = programs.create_program(
        db, None, name="Pendampingan UMKM Pesisir", funder="apbd", target_type="umkm",
        village_codes=[SEPATIN, SUNGAI_MERIAM], budget_rupiah=100_000_000,
        graduation_criteria=UMKM_CRITERIA)
    business = beneficiaries.register_umkm(
        db, None, name="Kerupuk Udang Sepatin", owner_name="Siti Aminah", owner_nik=NIK,
        village_code=SEPATIN, sector="olahan pangan", employees=2,
        monthly_turnover_rupiah=3_000_000)
    enrolment = enrolments.enrol(db, None, program, on=date(2025, 1, 10), umkm_id=business.id)
    db.commit()
    return {"program": program, "umkm": business, "enrolment": enrolment}


@pytest.fixture
def admin(client, make_user):
    make_user("admin", "admin", [])
    login(client, "admin")
    return client


def post(client, path, data, **kwargs):
    return client.post(path, data={**data, "csrf_token": csrf_of(client)},
                       follow_redirects=False, **kwargs)


def test_programs_page_lists_programs_and_a_program_is_created_from_the_form(admin, world):
    page = admin.get("/pendampingan")
    assert page.status_code == 200
    assert "Pendampingan UMKM Pesisir" in page.text and "Program baru" in page.text
    assert "Asesmen kebutuhan\nKeterampilan dasar / produksi" in page.text  # default stages
    response = post(admin, "/pendampingan/program", {
        "nama": "Pendampingan Rumah Tangga Prasejahtera", "sasaran": "household",
        "sumber_dana": "baznas", "anggaran": "250.000.000", "desa": [SEPATIN, LOH_SUMBER],
        "tahap": "Asesmen\nUsaha rumah tangga\nMandiri", "kriteria": "di_atas_prasejahtera",
        "nilai_pendapatan_minimal": "2.500.000",
    })
    assert response.status_code == 303
    created = admin.get(response.headers["location"]).text
    assert "Pendampingan Rumah Tangga Prasejahtera" in created
    assert "pendapatan rumah tangga bulanan paling sedikit Rp2.500.000" in created
    assert "Rp250.000.000" in created and "Loh Sumber" in created


def test_a_program_without_criteria_is_refused_and_the_form_keeps_what_was_typed(admin, world):
    response = post(admin, "/pendampingan/program", {
        "nama": "Program Tanpa Kriteria", "sasaran": "umkm", "sumber_dana": "apbd",
        "desa": [SEPATIN], "tahap": "A\nB\nC", "anggaran": "sepuluh juta"})
    assert response.status_code == 400
    assert "Anggaran: “sepuluh juta” bukan angka" in response.text
    assert "Program memerlukan kriteria kelulusan yang jelas." in response.text  # same submit
    assert 'value="Program Tanpa Kriteria"' in response.text
    assert 'value="sepuluh juta"' in response.text


def test_program_page_shows_stages_graduation_rate_change_and_participants(admin, world, db):
    outcomes.record_outcome(db, None, world["enrolment"], measured_on=date(2025, 6, 1),
                            monthly_turnover_rupiah=4_500_000)
    db.commit()
    page = admin.get(f"/pendampingan/program/{world['program'].id}").text
    assert "Orang per tahap" in page and "Asesmen kebutuhan" in page
    assert re.search(r'id="jumlah-aktif">1<', page)
    assert re.search(r'id="median-perubahan">\+Rp1\.500\.000<', page)
    assert "Anggana" in page and "Sepatin" in page  # by kecamatan and by village
    assert "Kerupuk Udang Sepatin" in page and "Rp3.000.000" in page and "Rp4.500.000" in page
    assert "Catat sesi" in page and "Daftarkan peserta" in page


def test_a_new_umkm_is_recorded_and_enrolled_from_the_program_page(admin, world, db):
    response = post(admin, f"/pendampingan/program/{world['program'].id}/peserta", {
        "cara": "baru", "nama_usaha": "Amplang Bu Rini", "pemilik": "Rini",
        "desa": SUNGAI_MERIAM, "omzet": "Rp1.000.000", "tanggal": "2025-02-01"})
    assert response.status_code == 303
    enrolment = db.get(Enrolment, int(response.headers["location"].rsplit("/", 1)[1]))
    assert enrolment.umkm.name == "Amplang Bu Rini"
    assert enrolment.outcomes[0].monthly_turnover_rupiah == 1_000_000


def test_a_refused_enrolment_records_nothing_and_keeps_the_form(admin, world, db):
    before = db.query(Umkm).count()
    response = post(admin, f"/pendampingan/program/{world['program'].id}/peserta", {
        "cara": "baru", "nama_usaha": "Usaha Luar", "pemilik": "Budi", "desa": LOH_SUMBER,
        "tanggal": "2025-02-01"})
    assert response.status_code == 400
    assert "bukan desa sasaran program ini" in response.text
    assert 'value="Usaha Luar"' in response.text
    assert db.query(Umkm).count() == before


def test_assessment_places_the_stage_and_a_lower_stage_needs_a_note(admin, world):
    path = f"/pendampingan/peserta/{world['enrolment'].id}"
    response = post(admin, f"{path}/asesmen", {"jawaban": ["produksi"], "tanggal": "2025-01-20"})
    assert response.status_code == 303
    page = admin.get(path).text
    assert 'aria-current="step"><span class="stage-no">3</span>' in page
    refused = post(admin, f"{path}/tahap", {"tahap": "2", "catatan": ""})
    assert refused.status_code == 400 and "Turun tahap memerlukan catatan" in refused.text
    assert post(admin, f"{path}/tahap", {"tahap": "4"}).status_code == 303


def test_graduation_is_refused_naming_the_unmet_criteria_until_they_hold(admin, world, db):
    path = f"/pendampingan/peserta/{world['enrolment'].id}"
    refused = post(admin, f"{path}/lulus", {"tanggal": "2025-06-01"})
    assert refused.status_code == 409
    alert = refused.text.split('id="kelulusan-ditolak"')[1].split("</div>")[0]
    for label in ("omzet bulanan paling sedikit Rp10.000.000",
                  "memiliki kontrak pasok dengan pembeli", "memiliki legalitas PIRT"):
        assert label in alert
    check = refused.text.split('id="kelulusan"')[1].split("</section>")[0]
    assert "omzet terakhir Rp3.000.000" in check and "0 kontrak" in check

    umkm = f"/pendampingan/umkm/{world['umkm'].id}"
    assert post(admin, f"{umkm}/ubah", {"pirt": "P-IRT 2066402010123", "tenaga_kerja": "2"}
                ).status_code == 303
    assert post(admin, f"{path}/hasil", {"tanggal": "2025-09-01", "omzet": "12.500.000",
                                         "tenaga_kerja": "5"}).status_code == 303
    buyer = markets.create_buyer(db, None, name="Hotel Tepian Mahakam", kind="hotel")
    db.commit()
    assert post(admin, f"{umkm}/kontrak", {"pembeli": str(buyer.id), "produk": "kerupuk udang",
                                           "satuan": "kg", "harga": "85.000", "volume": "60",
                                           "mulai": "2025-08-01"}).status_code == 303
    partly = post(admin, f"{path}/lulus", {"tanggal": "2025-10-01"})
    assert partly.status_code == 303, partly.text
    page = admin.get(path).text
    assert "lulus" in page and "Lulus pada" in page
    assert "Catat keluar" not in page  # no more actions on a graduated participant


def test_leaving_keeps_the_record_with_reason_and_date(admin, world):
    path = f"/pendampingan/peserta/{world['enrolment'].id}"
    missing = post(admin, f"{path}/keluar", {"tanggal": "2025-04-01"})
    assert missing.status_code == 400 and "Pilih alasan keluar" in missing.text
    assert post(admin, f"{path}/keluar", {"alasan": "pindah", "tanggal": "2025-04-01",
                                          "catatan": "ke Samarinda"}).status_code == 303
    page = admin.get(path).text
    assert "Pindah" in page and "ke Samarinda" in page and "1 Apr 2025" in page


def test_a_session_records_who_was_present_and_absent(admin, world, db):
    enrolment = world["enrolment"]
    response = post(admin, f"/pendampingan/program/{world['program'].id}/sesi", {
        "tanggal": "2025-02-10", "jenis": "pelatihan", "topik": "Higiene pangan",
        "pendamping": "Rina", "peserta": [str(enrolment.id)], "hadir": []})
    assert response.status_code == 303
    session = db.query(MentoringSession).one()
    assert [(a.enrolment_id, a.present) for a in session.attendance] == [(enrolment.id, False)]
    page = admin.get(f"/pendampingan/peserta/{enrolment.id}").text
    assert "Higiene pangan" in page and "tidak hadir" in page


def test_nik_is_masked_for_a_viewer_and_shown_to_a_pendamping(client, make_user, world):
    make_user("lihat", "viewer", [])
    login(client, "lihat")
    for path in (f"/pendampingan/peserta/{world['enrolment'].id}",
                 f"/pendampingan/umkm/{world['umkm'].id}"):
        page = client.get(path).text
        assert MASKED in page and NIK not in page
        assert "Luluskan" not in page  # a viewer reads only
    make_user("pendamping", "pendamping", ["64.02.04"])
    login(client, "pendamping")
    assert NIK in client.get(f"/pendampingan/umkm/{world['umkm'].id}").text


def _without_numbers(page: str) -> str:
    """The page without its numbers and without the per-answer style nonce."""
    return re.sub(r"\d+", "#", re.sub(r'nonce="[^"]*"', "", page))


def test_an_operator_of_another_village_gets_the_same_404_as_for_a_missing_record(
        client, make_user, world, db):
    """"Not yours" and "does not exist" answer alike, so numbers cannot be enumerated."""
    photo = UmkmPhoto(umkm_id=world["umkm"].id, filename="a.png", content_type="image/png",
                      size=1, sha256="0" * 64, stored_path="/nonexistent")
    db.add(photo)
    home = beneficiaries.register_household(
        db, None, kk_number="6402040101230009", head_name="Siti Aminah", village_code=SEPATIN,
        welfare_class="prasejahtera")
    group = beneficiaries.create_group(db, None, name="Kelompok Amplang", village_code=SEPATIN)
    db.commit()
    make_user("op.loh", "operator_desa", [LOH_SUMBER])
    login(client, "op.loh")
    missing = 999_999
    for path, key in (("/pendampingan/program/{}", world["program"].id),
                      ("/pendampingan/peserta/{}", world["enrolment"].id),
                      ("/pendampingan/umkm/{}", world["umkm"].id),
                      ("/pendampingan/umkm/{}/kisah-sukses", world["umkm"].id),
                      ("/pendampingan/rumah-tangga/{}", home.id),
                      ("/pendampingan/kelompok/{}", group.id)):
        theirs, absent = client.get(path.format(key)), client.get(path.format(missing))
        assert theirs.status_code == absent.status_code == 404, path
        assert _without_numbers(theirs.text) == _without_numbers(absent.text), path
    theirs = client.get(f"/pendampingan/umkm/{world['umkm'].id}/foto/{photo.id}")
    absent = client.get(f"/pendampingan/umkm/{missing}/foto/{missing}")
    assert theirs.status_code == absent.status_code == 404
    assert _without_numbers(theirs.text) == _without_numbers(absent.text)
    for action in ("lulus", "keluar", "hasil", "tahap", "asesmen"):
        refused = post(client, f"/pendampingan/peserta/{world['enrolment'].id}/{action}",
                       {"tanggal": "2025-06-01"})
        assert refused.status_code == 404, action
    assert "Pendampingan UMKM Pesisir" not in client.get("/pendampingan").text
    assert "Kerupuk Udang" not in client.get("/pendampingan/umkm").text


def test_an_operator_of_the_village_sees_only_its_participants(client, make_user, world, db):
    other = beneficiaries.register_umkm(db, None, name="Amplang Sungai Meriam", owner_name="Rini",
                                   village_code=SUNGAI_MERIAM)
    enrolments.enrol(db, None, world["program"], on=date(2025, 1, 1), umkm_id=other.id)
    db.commit()
    make_user("op.sepatin", "operator_desa", [SEPATIN])
    login(client, "op.sepatin")
    page = client.get(f"/pendampingan/program/{world['program'].id}").text
    assert "Kerupuk Udang Sepatin" in page and "Amplang Sungai Meriam" not in page
    assert "Program baru" not in client.get("/pendampingan").text  # operators make no program


def test_a_mitra_account_sees_no_mentoring_data(client, make_user, world):
    make_user("mitra.a", "mitra", [SEPATIN], organisation="PT Contoh")
    login(client, "mitra.a")
    for path in ("/pendampingan", "/pendampingan/umkm", "/pendampingan/duplikasi",
                 f"/pendampingan/program/{world['program'].id}",
                 f"/pendampingan/umkm/{world['umkm'].id}"):
        assert client.get(path).status_code == 403, path
    assert 'href="/pendampingan"' not in client.get("/cari").text


def test_lists_and_registration_of_households_and_groups(admin, world, db):
    response = post(admin, "/pendampingan/rumah-tangga", {
        "no_kk": "6402040101230001", "kepala": "Siti Aminah", "nik": NIK, "desa": SEPATIN,
        "kelas": "prasejahtera", "anggota": "4", "pendapatan": "1.200.000"})
    assert response.status_code == 303
    page = admin.get(response.headers["location"]).text
    assert "Siti Aminah" in page and "6402040101230001" in page
    again = post(admin, "/pendampingan/rumah-tangga", {
        "no_kk": "6402040101230001", "kepala": "Lain", "desa": SEPATIN, "kelas": "ks1"})
    assert again.status_code == 409 and "sudah terdaftar" in again.text
    group = post(admin, "/pendampingan/kelompok", {
        "nama_kelompok": "KUB Nelayan Sepatin", "desa": SEPATIN,
        "anggota_umkm": [str(world["umkm"].id)]})
    assert group.status_code == 303
    assert "Kerupuk Udang Sepatin" in admin.get(group.headers["location"]).text
    listing = admin.get("/pendampingan/kelompok").text
    assert "KUB Nelayan Sepatin" in listing
    assert "Kerupuk Udang Sepatin" in admin.get("/pendampingan/umkm", params={"q": "udang"}).text


def test_buyers_contracts_deliveries_and_the_success_story(admin, world, db):
    assert post(admin, "/pendampingan/pembeli", {"nama": "Hotel Tepian Mahakam",
                                                 "jenis": "hotel"}).status_code == 303
    buyers = admin.get("/pendampingan/pembeli").text
    assert "Hotel Tepian Mahakam" in buyers and "Hotel / restoran" in buyers
    buyer_id = markets.create_buyer(db, None, name="Toko Oleh-oleh", kind="toko").id
    db.commit()
    umkm = f"/pendampingan/umkm/{world['umkm'].id}"
    post(admin, f"{umkm}/kontrak", {"pembeli": str(buyer_id), "produk": "kerupuk udang",
                                    "satuan": "kg", "harga": "90.000", "mulai": "2025-08-01"})
    page = admin.get(umkm).text
    contract_id = int(re.search(r'id="kontrak-(\d+)"', page).group(1))
    bad = post(admin, f"/pendampingan/kontrak/{contract_id}/pengiriman",
               {"tanggal": "2025-08-25", "volume": "0", "nilai": "0"})
    assert bad.status_code == 400 and "Volume paling sedikit 1; yang diisi: 0." in bad.text
    assert post(admin, f"/pendampingan/kontrak/{contract_id}/pengiriman",
                {"tanggal": "2025-08-25", "volume": "60", "nilai": "5.400.000"}
                ).status_code == 303
    story = admin.get(f"{umkm}/kisah-sukses").text
    assert "Toko Oleh-oleh" in story and "60 kg" in story
    assert re.search(r'id="nilai-kirim"[^>]*>Rp5\.400\.000<', story)
    assert "DATA DEMO" not in story


def test_the_success_story_of_demo_data_is_labelled(admin, db):
    business = beneficiaries.register_umkm(db, None, name="Kerupuk Demo", owner_name="Rahmah",
                                      village_code=SEPATIN, demo=True)
    db.commit()
    assert "DATA DEMO (sintetis)" in admin.get(
        f"/pendampingan/umkm/{business.id}/kisah-sukses").text


def test_photos_are_checked_by_content(admin, world, db, tmp_path, monkeypatch):
    monkeypatch.setattr(mentoring_people, "photos_dir", lambda: tmp_path)
    umkm = f"/pendampingan/umkm/{world['umkm'].id}"
    pdf = post(admin, f"{umkm}/foto", {}, files={"foto": ("foto.jpg", b"%PDF-1.4 x",
                                                          "image/jpeg")})
    assert pdf.status_code == 400 and "bukan foto" in pdf.text
    ok = post(admin, f"{umkm}/foto", {}, files={"foto": ("produk.png", PNG, "image/png")})
    assert ok.status_code == 303
    photo = db.query(UmkmPhoto).one()
    served = admin.get(f"{umkm}/foto/{photo.id}")
    assert served.status_code == 200 and served.content == PNG
    assert served.headers["content-type"] == "image/png"


def test_people_in_several_programs_and_unreached_households_are_listed(admin, world, db):
    home = beneficiaries.register_household(
        db, None, kk_number="6402040101230001", head_name="Siti Aminah", head_nik=NIK,
        village_code=SEPATIN, welfare_class="prasejahtera")
    plan = programs.create_program(
        db, None, name="Rumah Tangga Sejahtera", funder="baznas", target_type="household",
        village_codes=[SEPATIN], graduation_criteria=[{"kind": "di_atas_prasejahtera"}])
    enrolments.enrol(db, None, plan, on=date(2025, 1, 1), household_id=home.id)
    beneficiaries.register_household(
        db, None, kk_number="6402040101230009", head_name="Pak Darman",
        village_code=SUNGAI_MERIAM, welfare_class="prasejahtera", p3ke_decile=1)
    db.commit()
    page = admin.get("/pendampingan/duplikasi").text
    several = page.split('id="ganda"')[1].split("</section>")[0]
    assert f"NIK {NIK}" in several and "Rumah Tangga Sejahtera" in several
    unreached = page.split('id="belum-terjangkau"')[1]
    assert "Pak Darman" in unreached and "Siti Aminah" not in unreached


def test_pages_speak_english_when_chosen(admin, world):
    admin.cookies.set("mitradesa_lang", "en")
    page = admin.get(f"/pendampingan/peserta/{world['enrolment'].id}").text
    assert "Graduation check" in page and "Needs assessment" in page
    assert "Pemeriksaan kelulusan" not in page

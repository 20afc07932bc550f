"""Issue 15, partnerships through the pages: the edit form keeps what lies outside the user's
area and refuses a village added from outside, closing asks for a reason and a confirmation,
uploads name their village, DPMD verifies or returns a partner's report (flagged on the page
and the dashboard), and a form names every problem at once in words that fit the value."""

from __future__ import annotations

from datetime import date

import pytest

from mitradesa.partnerships import services
from mitradesa.web.pages import partnerships as pages
from tests.conftest import LOH_SUMBER, SEPATIN, SUNGAI_MERIAM, csrf_of, login
from tests.partnerships.fixtures import CONTENT, PDF, agreement, partner, walk_to


@pytest.fixture
def store(tmp_path, monkeypatch):
    folder = tmp_path / "documents"
    monkeypatch.setattr(pages, "documents_dir", lambda: folder)
    return folder


def post(client, path: str, data: dict | None = None, files=None):
    return client.post(path, data={**(data or {}), "csrf_token": csrf_of(client)}, files=files,
                       follow_redirects=False)


def test_edit_form_keeps_villages_outside_the_area_and_refuses_one_added_from_outside(
        client, make_user, db):
    deal = agreement(db, [partner(db)])  # Sepatin (Anggana) and Loh Sumber (Loa Kulu)
    db.commit()
    make_user("p.loakulu", "pendamping", ["64.02.02"])
    login(client, "p.loakulu")
    form = client.get(f"/kerja-sama/{deal.id}/ubah").text
    assert f'<input type="hidden" name="desa" value="{SEPATIN}">' in form
    kept = post(client, f"/kerja-sama/{deal.id}/ubah", {
        "judul": "Judul baru", "desa": [LOH_SUMBER, SEPATIN], "lingkup": ["umkm"],
        "versi": str(deal.version)})
    assert kept.status_code == 303, kept.text
    db.expire_all()
    deal = services.get_agreement(db, deal.id)
    assert deal.village_codes == [LOH_SUMBER, SEPATIN] and deal.title == "Judul baru"
    added = post(client, f"/kerja-sama/{deal.id}/ubah", {
        "judul": "Judul lain", "desa": [LOH_SUMBER, SEPATIN, SUNGAI_MERIAM],
        "lingkup": ["umkm"], "versi": str(deal.version)})
    assert added.status_code == 404
    db.expire_all()
    deal = services.get_agreement(db, deal.id)
    assert deal.title == "Judul baru" and SUNGAI_MERIAM not in deal.village_codes
    without_version = post(client, f"/kerja-sama/{deal.id}/ubah", {
        "judul": "Tanpa versi", "desa": [LOH_SUMBER, SEPATIN]})
    assert without_version.status_code == 422 and "versi" in without_version.text


def test_closing_asks_for_a_reason_and_a_confirmation_on_the_page(client, make_user, db,
                                                                  store):
    make_user("admin.dpmd", "admin")
    login(client, "admin.dpmd")
    deal = agreement(db, [partner(db)], **CONTENT)
    walk_to(db, deal, "evaluasi", store)
    services.record_evaluation(db, None, deal, evaluated_on=date(2026, 1, 5), summary="Baik",
                               rating=4)
    db.commit()
    page = client.get(f"/kerja-sama/{deal.id}").text
    step = page.split('id="langkah-selesai"')[1].split("</form>")[0]
    assert 'name="konfirmasi"' in step and 'name="catatan"' in step
    assert "alasan penutupan sebelum tanggal selesai 31 Agustus 2027" in step
    refused = post(client, f"/kerja-sama/{deal.id}/tahap",
                   {"tahap": "selesai", "konfirmasi": "1"})
    assert refused.status_code == 409
    assert "alasan penutupan dengan realisasi terverifikasi 26% dari komitmen" in refused.text
    closed = post(client, f"/kerja-sama/{deal.id}/tahap", {
        "tahap": "selesai", "catatan": "Anggaran mitra dipotong", "konfirmasi": "1"})
    assert closed.status_code == 303
    db.expire_all()
    assert services.get_agreement(db, deal.id).stage == "selesai"


def test_an_upload_names_the_village_whose_decision_it_is(client, make_user, db, store):
    make_user("admin.dpmd", "admin")
    login(client, "admin.dpmd")
    deal = agreement(db, [partner(db)])
    db.commit()
    page = client.get(f"/kerja-sama/{deal.id}").text.split('id="unggah"')[1]
    assert f'name="desa" value="{SEPATIN}"' in page and 'name="mencakup_beberapa"' in page
    unnamed = post(client, f"/kerja-sama/{deal.id}/dokumen", {"jenis": "keputusan_musdes"},
                   files={"berkas": ("musdes.pdf", PDF, "application/pdf")})
    assert unnamed.status_code == 400 and "pilih desa" in unnamed.text
    named = post(client, f"/kerja-sama/{deal.id}/dokumen",
                 {"jenis": "keputusan_musdes", "desa": [LOH_SUMBER]},
                 files={"berkas": ("musdes.pdf", PDF, "application/pdf")})
    assert named.status_code == 303
    db.expire_all()
    assert services.get_agreement(db, deal.id).documents[0].village_codes == [LOH_SUMBER]
    listed = client.get(f"/kerja-sama/{deal.id}").text.split('id="daftar-dokumen"')[1]
    assert "Untuk desa: Loh Sumber" in listed.split("</table>")[0]


def test_dpmd_verifies_or_returns_a_partners_report_seen_flagged_on_the_dashboard(
        client, make_user, db, store):
    a = partner(db, "PT Mitra A")
    deal = agreement(db, [a], **CONTENT)
    walk_to(db, deal, "pelaksanaan", store)
    user = make_user("mitra.a", "mitra", organisation=a.name)
    services.add_partner_member(db, None, a, user)
    db.commit()
    login(client, "mitra.a")
    sent = post(client, f"/kerja-sama/{deal.id}/laporan", {
        "tanggal": "2026-01-10", "ringkasan": "Semua selesai", "realisasi": "15.000.000",
        "kemajuan": "100"})
    assert sent.status_code == 303, sent.text
    mine = client.get(f"/kerja-sama/{deal.id}").text
    assert "Diajukan (menunggu verifikasi DPMD)" in mine and "/verifikasi" not in mine
    make_user("admin.dpmd", "admin")
    login(client, "admin.dpmd")
    dashboard = client.get("/kerja-sama").text.split('id="laporan-perlu-diperiksa"')[1]
    assert "Laporan menunggu verifikasi DPMD: 1" in dashboard
    assert "Kemajuan 100% tidak sejalan dengan realisasi 10% dari komitmen." in dashboard
    client.cookies.set("mitradesa_lang", "en")
    english = client.get("/kerja-sama").text.split('id="laporan-perlu-diperiksa"')[1]
    assert "Progress of 100% does not match spending of 10% of the commitment." in english
    assert "Kemajuan" not in english and "Check" in english
    client.cookies.set("mitradesa_lang", "id")
    db.expire_all()
    report = services.get_agreement(db, deal.id).reports[-1]
    path = f"/kerja-sama/{deal.id}/laporan/{report.id}/verifikasi"
    no_note = post(client, path, {"keputusan": "dikembalikan"})
    assert no_note.status_code == 400 and "Tulis catatan untuk mitra" in no_note.text
    returned = post(client, path, {"keputusan": "dikembalikan",
                                   "catatan": "Kemajuan 100% belum sesuai bukti"})
    assert returned.status_code == 303
    page = client.get(f"/kerja-sama/{deal.id}").text
    assert "Dikembalikan" in page and "Kemajuan 100% belum sesuai bukti" in page
    assert 'id="realisasi-terverifikasi">Rp0<' in page


def test_forms_name_every_problem_at_once_in_words_that_fit_the_value(client, make_user, db):
    make_user("admin.dpmd", "admin")
    login(client, "admin.dpmd")
    refused = post(client, "/kerja-sama/baru", {
        "judul": "Kerja sama uji", "laporan_setiap": "-5", "nilai": "-750.000",
        "mulai": "2026-09-01", "selesai": "2025-08-31", "ruang_lingkup": "Tetap ada"})
    assert refused.status_code == 400
    text = refused.text
    assert "-5 di bawah batas terendah 7" in text
    assert "Nilai (Rp) tidak boleh negatif; yang diisi: “-750.000”." in text
    assert "Tanggal selesai 31 Agustus 2025 jatuh sebelum tanggal mulai 1 September 2026." \
        in text  # the use case's objection, in the same answer
    assert "Tetap ada" in text and 'value="-5"' in text
    partner_form = post(client, "/mitra/baru", {
        "nama": "PT Surel", "jenis": "csr_swasta", "kontak_email": "humas di contoh",
        "kontak_nama": "Bu Sari"})
    assert partner_form.status_code == 400
    assert "Alamat e-mail “humas di contoh” tidak sah" in partner_form.text
    assert 'value="Bu Sari"' in partner_form.text


def test_what_a_user_may_not_see_answers_like_what_does_not_exist(client, make_user, db):
    a, b = partner(db, "PT Mitra A"), partner(db, "Yayasan Mitra B")
    theirs = services.create_mou(db, None, title="MoU B", region_code="64.02",
                                 partner_ids=[b.id])
    deal_b = agreement(db, [b], villages=(SUNGAI_MERIAM,))
    user = make_user("mitra.a", "mitra", organisation=a.name)
    services.add_partner_member(db, None, a, user)
    db.commit()
    login(client, "mitra.a")
    for hidden, missing in ((f"/kerja-sama/mou/{theirs.id}", "/kerja-sama/mou/999999"),
                            (f"/mitra/{b.id}", "/mitra/999999"),
                            (f"/mitra/{b.id}/laporan.xlsx", "/mitra/999999/laporan.xlsx"),
                            (f"/kerja-sama/{deal_b.id}", "/kerja-sama/999999")):
        seen, absent = client.get(hidden), client.get(missing)
        assert seen.status_code == absent.status_code == 404, hidden


def test_a_progress_report_form_names_its_problems_together(client, make_user, db, store):
    make_user("admin.dpmd", "admin")
    login(client, "admin.dpmd")
    deal = agreement(db, [partner(db)], **CONTENT)
    walk_to(db, deal, "pelaksanaan", store)
    db.commit()
    refused = post(client, f"/kerja-sama/{deal.id}/laporan", {
        "tanggal": "", "ringkasan": "", "kemajuan": "150", "realisasi": "-5"})
    assert refused.status_code == 400
    box = refused.text.split('id="laporan"')[1]
    assert "Tanggal laporan wajib diisi." in box
    assert "150 di atas batas tertinggi 100" in box
    assert "tidak boleh negatif; yang diisi: “-5”" in box
    assert "Isi laporan wajib diisi." in box


def test_the_evaluation_form_names_its_problems_together(client, make_user, db, store):
    make_user("admin.dpmd", "admin")
    login(client, "admin.dpmd")
    deal = agreement(db, [partner(db)], **CONTENT)
    walk_to(db, deal, "evaluasi", store)  # signed 20 August 2025
    db.commit()
    refused = post(client, f"/kerja-sama/{deal.id}/evaluasi", {
        "tanggal": "2025-01-02", "ringkasan": "", "nilai": "9"})
    assert refused.status_code == 400
    box = refused.text.split('id="evaluasi"')[1]
    assert "9 di atas batas tertinggi 5" in box
    assert "Ringkasan evaluasi wajib diisi." in box
    assert "Tanggal evaluasi 2 Januari 2025 jatuh sebelum kerja sama dimulai" in box

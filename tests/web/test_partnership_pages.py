"""The partnership pages: the dashboard and lists, an agreement's page with its lifecycle, the
forms that come back in place when refused, documents served only in scope, and a mitra user
who sees its own partner only."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from mitradesa.idm_records.importing import import_idm_files
from mitradesa.partnerships import services
from mitradesa.web.pages import partnerships as pages
from tests.conftest import LOH_SUMBER, SEPATIN, SUNGAI_MERIAM, csrf_of, login
from tests.idm_records.fixtures import write_scores_csv
from tests.partnerships.fixtures import CONTENT, PDF, agreement, partner, upload, walk_to


@pytest.fixture
def store(tmp_path, monkeypatch):
    folder = tmp_path / "documents"
    monkeypatch.setattr(pages, "documents_dir", lambda: folder)
    return folder


@pytest.fixture
def admin(client, make_user):
    make_user("admin.dpmd", "admin")
    login(client, "admin.dpmd")
    return client


@pytest.fixture
def two_deals(db):
    """Partner A's demo agreement in Sepatin and Loh Sumber; partner B's in Sungai Meriam."""
    a, b = partner(db, "PT Mitra A"), partner(db, "Yayasan Mitra B", sectors=("pertanian",))
    deal_a = agreement(db, [a], demo=True, **CONTENT)
    deal_b = agreement(db, [b], villages=(SUNGAI_MERIAM,))
    deal_b.title = "Kebun bibit Sungai Meriam"
    db.commit()
    return a, b, deal_a, deal_b


def post(client, path: str, data: dict | None = None, files=None, **kwargs):
    return client.post(path, data={**(data or {}), "csrf_token": csrf_of(client)}, files=files,
                       follow_redirects=False, **kwargs)


def mitra_of(db, make_user, client, partner_obj, username="mitra.a"):
    user = make_user(username, "mitra", organisation=partner_obj.name)
    services.add_partner_member(db, None, partner_obj, user)
    db.commit()
    login(client, username)
    return client


# ------------------------------------------------------------------ lists and the detail


def test_dashboard_counts_stages_lists_agreements_and_labels_demo(admin, two_deals):
    page = admin.get("/kerja-sama")
    assert page.status_code == 200
    text = page.text
    assert "Penguatan ekonomi desa" in text and "Kebun bibit Sungai Meriam" in text
    assert 'class="badge badge-demo"' in text and ">DEMO<" in text
    assert "Rp750.000.000" in text
    counts = text.split('id="per-tahap"')[1].split("</section>")[0]
    assert '<span class="stat-value">2</span><span class="stat-label">Persiapan' in counts


def test_dashboard_filters_by_stage_partner_and_village(admin, two_deals):
    a, _b, _deal_a, _deal_b = two_deals
    by_village = admin.get(f"/kerja-sama?desa={SUNGAI_MERIAM}").text.split('id="daftar"')[1]
    assert "Kebun bibit Sungai Meriam" in by_village
    assert "Penguatan ekonomi desa" not in by_village
    by_partner = admin.get(f"/kerja-sama?mitra={a.id}").text.split('id="daftar"')[1]
    assert "Penguatan ekonomi desa" in by_partner
    assert "Kebun bibit Sungai Meriam" not in by_partner
    none = admin.get("/kerja-sama?tahap=pelaksanaan").text.split('id="daftar"')[1]
    assert "Tidak ada perjanjian yang cocok dengan saringan ini." in none


def test_dashboard_reminds_of_an_agreement_ending_soon(admin, db, two_deals):
    _a, _b, deal_a, _deal_b = two_deals
    deal_a.start_date = date.today() - timedelta(days=300)
    deal_a.end_date = date.today() + timedelta(days=30)
    db.commit()
    reminders = admin.get("/kerja-sama").text.split('id="pengingat"')[1].split("</section>")[0]
    assert "Segera berakhir" in reminders and f'href="/kerja-sama/{deal_a.id}"' in reminders
    assert ">DEMO<" in reminders  # demo data is labelled wherever it shows


def test_reminders_read_in_the_pages_language(admin, db, two_deals):
    _a, _b, deal_a, _deal_b = two_deals
    deal_a.start_date = date.today() - timedelta(days=300)
    deal_a.end_date = date.today() + timedelta(days=30)
    db.commit()

    def reminders() -> str:
        return admin.get("/kerja-sama").text.split('id="pengingat"')[1].split("</section>")[0]

    indonesian = reminders()
    assert "Segera berakhir" in indonesian and "(30 hari lagi)" in indonesian
    admin.cookies.set("mitradesa_lang", "en")
    english = reminders()
    assert "Ending soon" in english and "(in 30 days)" in english
    assert "Segera berakhir" not in english and "hari" not in english


def test_pages_read_in_english_too(admin, two_deals):
    _a, _b, deal_a, _deal_b = two_deals
    admin.cookies.set("mitradesa_lang", "en")
    assert "Village partnerships" in admin.get("/kerja-sama").text
    page = admin.get(f"/kerja-sama/{deal_a.id}").text
    assert "Minimum content of the agreement" in page and "Still missing:" in page


def test_agreement_page_shows_parties_content_value_and_next_steps(admin, two_deals):
    a, _b, deal_a, _deal_b = two_deals
    page = admin.get(f"/kerja-sama/{deal_a.id}")
    assert page.status_code == 200
    text = page.text
    assert f'href="/desa/{SEPATIN}">Sepatin</a>' in text
    assert f'href="/desa/{LOH_SUMBER}">Loh Sumber</a>' in text
    assert f'href="/mitra/{a.id}">PT Mitra A</a>' in text
    assert 'id="nilai-rupiah">Rp750.000.000<' in text
    assert "Penguatan UMKM dan produktivitas pertanian" in text  # ruang lingkup
    assert "DATA DEMO (sintetis)" in text  # the banner of demo data
    steps = text.split('id="langkah-penawaran"')[1].split('id="langkah-perubahan"')[0]
    assert "Kerangka Acuan Kerja (KAK)" in steps and "Masih kurang:" in steps


def test_partner_mou_and_village_pages_render(admin, db, two_deals):
    a, _b, deal_a, _deal_b = two_deals
    mou = services.create_mou(db, None, title="MoU Kukar Sejahtera", region_code="64.02",
                              partner_ids=[a.id], demo=True)
    deal_a.mou = mou
    db.commit()
    assert "PT Mitra A" in admin.get("/mitra").text
    partner_page = admin.get(f"/mitra/{a.id}").text
    assert "Penguatan ekonomi desa" in partner_page and "Desa yang cocok" in partner_page
    mous = admin.get("/kerja-sama/mou").text
    assert "MoU Kukar Sejahtera" in mous and ">DEMO<" in mous
    mou_page = admin.get(f"/kerja-sama/mou/{mou.id}").text
    assert "PT Mitra A" in mou_page and "Penguatan ekonomi desa" in mou_page
    village = admin.get(f"/desa/{SEPATIN}").text.split('id="kerja-sama"')[1]
    assert "Penguatan ekonomi desa" in village and ">DEMO<" in village
    assert f'href="/desa/{SEPATIN}/mitra-cocok"' in village


def test_matches_name_the_villages_for_a_partner_and_the_partners_for_a_village(
    admin, db, tmp_path
):
    weak = [5] * 50
    weak[35] = 1  # IKE 1
    import_idm_files(db, [write_scores_csv(tmp_path / "s.csv", [
        (SEPATIN.replace(".", ""), 2023, weak)])], store_dir=tmp_path / "st")
    target = partner(db, "PT Contoh", sectors=("umkm",))
    db.commit()
    villages = admin.get(f"/mitra/{target.id}").text.split('id="desa-cocok"')[1]
    assert f'href="/desa/{SEPATIN}">Sepatin</a>' in villages
    assert "di wilayah kerja mitra" in villages and "IKE 1" in villages
    partners = admin.get(f"/desa/{SEPATIN}/mitra-cocok")
    assert partners.status_code == 200
    assert f'href="/mitra/{target.id}">PT Contoh</a>' in partners.text
    assert "desa ini di wilayah kerja mitra" in partners.text


# ------------------------------------------------------------------ forms


def test_agreement_is_created_from_the_form(admin, db, two_deals):
    a, _b, _deal_a, _deal_b = two_deals
    response = post(admin, "/kerja-sama/baru", {
        "judul": "Pelatihan UMKM", "mitra": str(a.id), "desa": [SEPATIN], "lingkup": ["umkm"],
        "nilai": "Rp250.000.000", "mulai": "2025-09-01", "selesai": "2026-08-31",
        "laporan_setiap": "90"})
    assert response.status_code == 303, response.text
    created = services.get_agreement(db, int(response.headers["location"].split("/")[2]
                                             .split("?")[0]))
    assert (created.title, created.value_rupiah, created.village_codes) == (
        "Pelatihan UMKM", 250_000_000, [SEPATIN])


def test_a_refused_agreement_form_keeps_what_was_typed(admin, two_deals):
    a, _b, _deal_a, _deal_b = two_deals
    response = post(admin, "/kerja-sama/baru", {
        "judul": "", "mitra": str(a.id), "desa": [SEPATIN], "nilai": "tujuh ratus",
        "ruang_lingkup": "Teks panjang yang tidak boleh hilang"})
    assert response.status_code == 400
    text = response.text
    # every problem at once: the amount the form reads and the title the use case requires
    assert "Judul perjanjian wajib diisi." in text and "tujuh ratus" in text
    assert "Nilai (Rp): tulis bilangan bulat, misalnya 1.250.000; yang diisi: “tujuh ratus”." \
        in text
    assert "Teks panjang yang tidak boleh hilang" in text
    assert f'value="{SEPATIN}" checked' in text and f'value="{a.id}" checked' in text


def test_a_refused_transition_names_the_missing_document(admin, db, two_deals, store):
    _a, _b, deal_a, _deal_b = two_deals
    for kind in ("keputusan_musdes", "rkp_desa"):
        upload(db, deal_a, kind, store, villages=deal_a.village_codes)
    upload(db, deal_a, "analisis_biaya_manfaat", store)
    db.commit()
    refused = post(admin, f"/kerja-sama/{deal_a.id}/tahap", {"tahap": "penawaran"})
    assert refused.status_code == 409
    box = refused.text.split('id="langkah-penawaran"')[1].split("</div>")[0]
    assert 'role="alert"' in box and "Belum dapat masuk tahap Penawaran." in box
    assert "dokumen: Kerangka Acuan Kerja (KAK)" in box
    assert "Berita acara" not in box  # only what is missing
    db.expire_all()
    assert services.get_agreement(db, deal_a.id).stage == "persiapan"


def test_ending_without_a_reason_is_refused_and_with_one_it_ends(admin, db, two_deals):
    _a, _b, deal_a, _deal_b = two_deals
    refused = post(admin, f"/kerja-sama/{deal_a.id}/tahap", {"tahap": "diakhiri", "catatan": ""})
    assert refused.status_code == 409 and "alasan pengakhiran" in refused.text
    unconfirmed = post(admin, f"/kerja-sama/{deal_a.id}/tahap",
                       {"tahap": "diakhiri", "catatan": "Mitra menarik diri"})
    assert unconfirmed.status_code == 409 and "tidak dapat dibatalkan" in unconfirmed.text
    ended = post(admin, f"/kerja-sama/{deal_a.id}/tahap",
                 {"tahap": "diakhiri", "catatan": "Mitra menarik diri", "konfirmasi": "1"})
    assert ended.status_code == 303
    db.expire_all()
    page = admin.get(f"/kerja-sama/{deal_a.id}").text
    assert "Mitra menarik diri" in page and "stage-diakhiri" in page


def test_upload_of_a_non_pdf_is_refused_with_a_message(admin, db, two_deals, store):
    _a, _b, deal_a, _deal_b = two_deals
    response = post(admin, f"/kerja-sama/{deal_a.id}/dokumen",
                    {"jenis": "kak", "judul": "KAK versi 2"},
                    files={"berkas": ("kak.pdf", b"bukan pdf, hanya teks", "application/pdf")})
    assert response.status_code == 400
    box = response.text.split('id="dokumen"')[1]
    assert "tidak diterima: hanya PDF, JPEG, PNG, XLSX atau DOCX" in box
    assert 'value="KAK versi 2"' in box and '<option value="kak" selected>' in box
    assert services.get_agreement(db, deal_a.id).documents == []


def test_upload_then_download_within_scope_and_404_for_another_partners_mitra(
    client, db, make_user, two_deals, store
):
    _a, b, deal_a, _deal_b = two_deals
    make_user("admin.dpmd", "admin")
    login(client, "admin.dpmd")
    sent = post(client, f"/kerja-sama/{deal_a.id}/dokumen", {"jenis": "kak"},
                files={"berkas": ("../../KAK final.pdf", PDF, "text/plain")})
    assert sent.status_code == 303, sent.text
    db.expire_all()
    document = services.get_agreement(db, deal_a.id).documents[0]
    path = f"/kerja-sama/{deal_a.id}/dokumen/{document.id}"
    listed = client.get(f"/kerja-sama/{deal_a.id}").text
    assert f'href="{path}"' in listed and "KAK final.pdf" in listed and "PDF" in listed
    got = client.get(path)
    assert got.status_code == 200 and got.content == PDF
    assert got.headers["content-type"] == "application/pdf"
    assert got.headers["content-disposition"].startswith("attachment;")
    assert "KAK%20final.pdf" in got.headers["content-disposition"]  # no path kept
    assert client.get(f"/kerja-sama/{deal_a.id}/dokumen/999999").status_code == 404

    mitra_of(db, make_user, client, b, "mitra.b")
    assert client.get(path).status_code == 404  # the same as a document that does not exist
    assert client.get(f"/kerja-sama/{deal_a.id}").status_code == 404


def test_pendamping_outside_the_villages_scope_gets_404(client, db, make_user, two_deals):
    _a, _b, _deal_a, deal_b = two_deals  # deal_b: Sungai Meriam (Anggana)
    make_user("p.loakulu", "pendamping", ["64.02.02"])
    login(client, "p.loakulu")
    missing = client.get("/kerja-sama/999999")
    assert client.get(f"/kerja-sama/{deal_b.id}").status_code == missing.status_code == 404
    assert post(client, f"/kerja-sama/{deal_b.id}/tahap",
                {"tahap": "diakhiri", "catatan": "x", "konfirmasi": "1"}).status_code == 404
    assert client.get(f"/kerja-sama/{deal_b.id}/ubah").status_code == 404
    listed = client.get("/kerja-sama").text
    assert "Penguatan ekonomi desa" in listed and "Kebun bibit Sungai Meriam" not in listed
    assert services.get_agreement(db, deal_b.id).stage == "persiapan"


def test_mitra_sees_only_its_own_partner_and_agreements(client, db, make_user, two_deals):
    a, b, deal_a, deal_b = two_deals
    mitra_of(db, make_user, client, a)
    listed = client.get("/kerja-sama").text
    assert "Penguatan ekonomi desa" in listed and "Kebun bibit Sungai Meriam" not in listed
    assert client.get(f"/kerja-sama/{deal_a.id}").status_code == 200
    assert client.get(f"/kerja-sama/{deal_b.id}").status_code == 404
    partners = client.get("/mitra").text
    assert "PT Mitra A" in partners and "Yayasan Mitra B" not in partners
    assert client.get(f"/mitra/{a.id}").status_code == 200
    assert client.get(f"/mitra/{b.id}").status_code == 404
    assert client.get(f"/mitra/{b.id}/laporan.pdf").status_code == 404
    assert client.get("/kerja-sama/baru").status_code == 403


def test_commitment_report_with_evidence_and_evaluation_from_the_page(admin, db, two_deals,
                                                                      store):
    _a, _b, deal_a, _deal_b = two_deals
    walk_to(db, deal_a, "pelaksanaan", store)
    db.commit()
    bad = post(admin, f"/kerja-sama/{deal_a.id}/komitmen",
               {"kegiatan": "Bibit unggul", "anggaran": "50.000.000", "indikator": "IKE 99"})
    assert bad.status_code == 400 and "Indikator IDM “IKE 99” tidak dikenal" in bad.text
    assert 'value="Bibit unggul"' in bad.text
    made = post(admin, f"/kerja-sama/{deal_a.id}/komitmen", {
        "kegiatan": "Bibit unggul", "anggaran": "50.000.000", "indikator": "ike 7, IKE 9",
        "desa": [SEPATIN]})
    assert made.status_code == 303
    db.expire_all()
    commitment = services.get_agreement(db, deal_a.id).commitments[-1]
    assert (commitment.indicators, commitment.village_codes) == (["IKE 7", "IKE 9"], [SEPATIN])
    reported = post(admin, f"/kerja-sama/{deal_a.id}/laporan", {
        "tanggal": "2025-12-01", "ringkasan": "Bibit dibagikan", "realisasi": "20.000.000",
        "komitmen": str(commitment.id), "kemajuan": "40"},
        files={"bukti": ("foto.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "image/png")})
    assert reported.status_code == 303, reported.text
    db.expire_all()
    deal = services.get_agreement(db, deal_a.id)
    assert deal.reports[-1].spent_rupiah == 20_000_000
    assert [d.kind for d in deal.documents if d.report_id == deal.reports[-1].id] == [
        "bukti_laporan"]
    assert post(admin, f"/kerja-sama/{deal_a.id}/tahap", {"tahap": "evaluasi"}).status_code == 303
    evaluated = post(admin, f"/kerja-sama/{deal_a.id}/evaluasi", {
        "tanggal": "2026-09-01", "ringkasan": "Tercapai", "nilai": "4"})
    assert evaluated.status_code == 303
    assert post(admin, f"/kerja-sama/{deal_a.id}/tahap", {
        "tahap": "selesai", "catatan": "Ditutup lebih awal", "konfirmasi": "1"}).status_code == 303
    page = admin.get(f"/kerja-sama/{deal_a.id}").text
    assert "4/5" in page and "Bibit dibagikan" in page and "Rp20.000.000" in page


def test_the_whole_content_is_edited_through_the_form(admin, db, two_deals):
    a, _b, _deal_a, deal_b = two_deals
    form = admin.get(f"/kerja-sama/{deal_b.id}/ubah").text
    assert f'value="{SUNGAI_MERIAM}" checked' in form
    saved = post(admin, f"/kerja-sama/{deal_b.id}/ubah", {
        "judul": "Kebun bibit", "mitra": [str(a.id)], "desa": [SUNGAI_MERIAM, SEPATIN],
        "lingkup": ["pertanian"], "nilai": "Rp1.250.000", "mulai": "2025-09-01",
        "selesai": "2026-08-31", "laporan_setiap": "30", "ruang_lingkup": "Bibit unggul",
        "pendanaan": "CSR", "versi": str(deal_b.version)})
    assert saved.status_code == 303, saved.text
    db.expire_all()
    deal = services.get_agreement(db, deal_b.id)
    assert (deal.title, deal.partner_ids, deal.village_codes, deal.value_rupiah,
            deal.report_every_days, deal.ruang_lingkup) == (
        "Kebun bibit", [a.id], [SEPATIN, SUNGAI_MERIAM], 1_250_000, 30, "Bibit unggul")
    backwards = post(admin, f"/kerja-sama/{deal_b.id}/ubah", {
        "judul": "Kebun bibit", "mulai": "2026-09-01", "selesai": "2025-08-31",
        "ruang_lingkup": "Teks yang tetap ada", "versi": str(deal.version)})
    assert backwards.status_code == 400
    assert ("Tanggal selesai 31 Agustus 2025 jatuh sebelum tanggal mulai 1 September 2026."
            in backwards.text)
    assert "Teks yang tetap ada" in backwards.text


def test_content_is_locked_while_signing_and_only_the_signing_date_is_asked(admin, db,
                                                                             two_deals, store):
    _a, _b, deal_a, _deal_b = two_deals
    walk_to(db, deal_a, "penandatanganan", store)
    db.commit()
    form = admin.get(f"/kerja-sama/{deal_a.id}/ubah").text
    assert 'name="tanda_tangan"' in form and 'name="ruang_lingkup"' not in form
    saved = post(admin, f"/kerja-sama/{deal_a.id}/ubah",
                 {"judul": deal_a.title, "tanda_tangan": "2025-08-20",
                  "versi": str(deal_a.version)})
    assert saved.status_code == 303, saved.text
    db.expire_all()
    assert services.get_agreement(db, deal_a.id).signed_on == date(2025, 8, 20)


def test_partner_and_mou_forms_create_and_keep_values_when_refused(admin, db, two_deals):
    a, _b, _deal_a, _deal_b = two_deals
    twice = post(admin, "/mitra/baru", {"nama": "PT Mitra A", "jenis": "csr_bumn",
                                        "kontak_nama": "Bu Sari", "bidang": ["umkm"]})
    assert twice.status_code == 409 and "sudah ada" in twice.text
    assert 'value="Bu Sari"' in twice.text and '<option value="csr_bumn" selected>' in twice.text
    made = post(admin, "/mitra/baru", {"nama": "Bank Desa", "jenis": "perbankan",
                                       "bidang": ["umkm"], "wilayah": ["64.02.04"]})
    assert made.status_code == 303
    assert "Bank Desa" in admin.get(made.headers["location"]).text
    mou = post(admin, "/kerja-sama/mou/baru", {"judul": "MoU baru", "wilayah": "64.02",
                                              "mitra": str(a.id), "lingkup": ["umkm"]})
    assert mou.status_code == 303
    assert "MoU baru" in admin.get(mou.headers["location"]).text


def test_only_admin_records_an_mou(client, make_user):
    make_user("p.anggana", "pendamping", ["64.02.04"])
    login(client, "p.anggana")
    assert client.get("/kerja-sama/mou/baru").status_code == 403
    assert client.get("/kerja-sama/mou").status_code == 200

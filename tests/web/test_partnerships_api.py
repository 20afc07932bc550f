"""The partnerships API: what DPMD staff record, the lifecycle refusals, documents, matching,
and a mitra user who sees and reports on its own partner's agreements only."""

from __future__ import annotations

from datetime import date

import pytest

from mitradesa.accounts import services as accounts
from mitradesa.idm_records.importing import import_idm_files
from mitradesa.partnerships import services
from mitradesa.web.api import partnerships as api
from tests.conftest import LOH_SUMBER, SEPATIN, SUNGAI_MERIAM, login, send
from tests.idm_records.fixtures import write_scores_csv
from tests.partnerships.fixtures import CONTENT, PDF, agreement, partner, upload_for, walk_to

API = "/api/v1"


@pytest.fixture
def store(tmp_path, monkeypatch):
    folder = tmp_path / "documents"
    monkeypatch.setattr(api, "documents_dir", lambda: folder)
    return folder


@pytest.fixture
def admin(client, make_user):
    make_user("admin.dpmd", "admin")
    login(client, "admin.dpmd")
    return client


@pytest.fixture
def two_deals(db):
    """Agreements of two partners: A in Sepatin and Loh Sumber, B in Sungai Meriam."""
    a, b = partner(db, "PT Mitra A"), partner(db, "Yayasan Mitra B", sectors=("pertanian",))
    deal_a = agreement(db, [a], **CONTENT)
    deal_b = agreement(db, [b], villages=(SUNGAI_MERIAM,))
    db.commit()
    return a, b, deal_a, deal_b


def test_admin_records_a_partner_and_an_agreement_and_finds_it_in_the_list(admin):
    created = send(admin, "POST", "/partners", json={
        "nama": "PT Sawit Lestari", "jenis": "csr_swasta", "bidang": ["umkm", "Pertanian"],
        "wilayah": ["64.02.04"], "kontak_telepon": "+62 811 555"})
    assert created.status_code == 201, created.text
    partner_data = created.json()
    assert partner_data["bidang"] == ["umkm", "pertanian"]
    assert partner_data["wilayah"] == ["64.02.04"]
    deal = send(admin, "POST", "/agreements", json={
        "judul": "Penguatan UMKM", "mitra_ids": [partner_data["id"]],
        "desa": ["6402042001"], "lingkup": ["umkm"], "nilai_rupiah": 250_000_000,
        "tanggal_mulai": "2025-09-01", "tanggal_selesai": "2026-08-31"})
    assert deal.status_code == 201, deal.text
    detail = deal.json()
    assert detail["tahap"] == "persiapan" and detail["desa"] == [
        {"kode": SEPATIN, "nama": "Sepatin"}]
    assert [e["ke"] for e in detail["riwayat"]] == ["persiapan"]
    listed = admin.get(f"{API}/agreements").json()
    assert [a["id"] for a in listed] == [detail["id"]]
    assert listed[0]["mitra"] == [{"id": partner_data["id"], "nama": "PT Sawit Lestari"}]
    assert listed[0]["nilai_rupiah"] == 250_000_000 and listed[0]["tanggal_mulai"] == "2025-09-01"


def test_partner_update_changes_only_what_is_sent(admin, db):
    target = partner(db, "PT Lama")
    db.commit()
    changed = send(admin, "PATCH", f"/partners/{target.id}",
                   json={"nama": "PT Baru", "bidang": ["perikanan"], "versi": target.version})
    assert changed.status_code == 200, changed.text
    data = changed.json()
    assert (data["nama"], data["bidang"], data["jenis"]) == ("PT Baru", ["perikanan"],
                                                             "csr_swasta")
    assert data["wilayah"] == [SEPATIN[:8]]
    unknown = send(admin, "PATCH", f"/partners/{target.id}",
                   json={"bidang": ["tambang"], "versi": data["versi"]})
    assert unknown.status_code == 400 and "tambang" in unknown.json()["error"]["message"]


def test_refused_transition_is_409_and_names_the_missing_documents(admin, two_deals):
    deal = two_deals[2]
    refused = send(admin, "POST", f"/agreements/{deal.id}/transitions",
                   json={"target": "penawaran"})
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert error["reason"] == "transition_refused"
    assert "dokumen: Kerangka Acuan Kerja (KAK)" in error["missing"]
    assert "dokumen: Berita acara / keputusan Musyawarah Desa desa Sepatin" in error["missing"]
    assert admin.get(f"{API}/agreements/{deal.id}").json()["tahap"] == "persiapan"


def test_agreement_detail_lists_the_next_steps_with_what_each_still_needs(admin, two_deals):
    deal = two_deals[2]
    detail = admin.get(f"{API}/agreements/{deal.id}").json()
    steps = {s["tahap"]: s for s in detail["langkah_berikut"]}
    assert list(steps) == ["penawaran", "perubahan", "diakhiri"]
    assert not steps["penawaran"]["boleh"]
    assert ("dokumen: Kutipan RKP Desa yang memuat kerja sama desa Loh Sumber"
            in steps["penawaran"]["kurang"])
    assert steps["diakhiri"]["kurang"] == ["alasan pengakhiran"]
    assert detail["ruang_lingkup"] == CONTENT["ruang_lingkup"]


def test_a_step_with_its_documents_uploaded_goes_through(admin, two_deals, store):
    deal = two_deals[2]
    for kind in ("keputusan_musdes", "rkp_desa", "analisis_biaya_manfaat", "kak"):
        # one file of each village's decision that covers both villages, as the user states
        uploaded = send(admin, "POST", f"/agreements/{deal.id}/documents",
                        data={"jenis": kind, "desa": [SEPATIN, LOH_SUMBER]},
                        files={"berkas": (f"{kind}.pdf", PDF + kind.encode(), "application/pdf")})
        assert uploaded.status_code == 201, uploaded.text
    moved = send(admin, "POST", f"/agreements/{deal.id}/transitions",
                 json={"target": "penawaran", "note": "Musdes 12 Juli"})
    assert moved.status_code == 201, moved.text
    assert moved.json() == {"id": deal.id, "tahap": "penawaran", "tahap_label": "Penawaran",
                            "dari": "persiapan"}
    detail = admin.get(f"{API}/agreements/{deal.id}").json()
    assert [d["jenis"] for d in detail["dokumen"]] == [
        "keputusan_musdes", "rkp_desa", "analisis_biaya_manfaat", "kak"]
    assert detail["riwayat"][-1]["catatan"] == "Musdes 12 Juli"
    download = admin.get(detail["dokumen"][3]["unduh"])
    assert download.status_code == 200 and download.content == PDF + b"kak"
    assert download.headers["content-type"] == "application/pdf"


def test_an_upload_is_checked_by_its_content_not_its_name(admin, two_deals, store):
    deal = two_deals[2]
    fake = send(admin, "POST", f"/agreements/{deal.id}/documents", data={"jenis": "kak"},
                files={"berkas": ("kak.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")})
    assert fake.status_code == 400 and fake.json()["error"]["reason"] == "upload_type"


def test_agreements_are_filtered_by_stage_partner_and_village(admin, two_deals):
    a, _b, deal_a, deal_b = two_deals

    def ids(**params):
        return [x["id"] for x in admin.get(f"{API}/agreements", params=params).json()]

    assert ids() == [deal_b.id, deal_a.id]
    assert ids(partner=a.id) == [deal_a.id]
    assert ids(village="6402022005") == [deal_a.id]
    assert ids(village=SUNGAI_MERIAM, stage="persiapan") == [deal_b.id]
    assert ids(stage="pelaksanaan") == []
    assert admin.get(f"{API}/agreements", params={"stage": "x"}).status_code == 400


def test_commitments_reports_and_evaluation_through_the_api(admin, db, tmp_path):
    deal = agreement(db, [partner(db)], **CONTENT)
    walk_to(db, deal, "penandatanganan", tmp_path)
    db.commit()
    commitment = send(admin, "POST", f"/agreements/{deal.id}/commitments", json={
        "kegiatan": "Pelatihan pengemasan", "anggaran_rupiah": 90_000_000,
        "desa": [SEPATIN], "indikator": ["ike 1"]})
    assert commitment.status_code == 201, commitment.text
    assert commitment.json()["indikator"] == ["IKE 1"]
    early = send(admin, "POST", f"/agreements/{deal.id}/reports",
                 json={"tanggal": "2025-10-01", "ringkasan": "Belum mulai"})
    assert early.status_code == 400 and "pelaksanaan" in early.json()["error"]["message"]
    db.expire_all()  # the commitment came through the API's own session
    services.update_agreement(db, None, deal, signed_on=date(2025, 8, 20))
    upload_for(db, deal, "pelaksanaan", tmp_path)
    services.advance(db, None, deal, "pelaksanaan")
    db.commit()
    report = send(admin, "POST", f"/agreements/{deal.id}/reports", json={
        "tanggal": "2025-12-01", "ringkasan": "Angkatan pertama", "realisasi_rupiah": 30_000_000,
        "komitmen_id": commitment.json()["id"], "desa": SEPATIN, "kemajuan_persen": 40})
    assert report.status_code == 201, report.text
    assert send(admin, "POST", f"/agreements/{deal.id}/transitions",
                json={"target": "evaluasi"}).status_code == 201
    evaluation = send(admin, "PUT", f"/agreements/{deal.id}/evaluation", json={
        "tanggal": "2026-09-01", "ringkasan": "Target tercapai", "nilai": 4})
    assert evaluation.status_code == 200, evaluation.text
    detail = admin.get(f"{API}/agreements/{deal.id}").json()
    assert detail["evaluasi"]["nilai"] == 4 and len(detail["laporan"]) == 1
    # closing before the end date, with 30 of 240 million spent, needs a reason
    assert detail["langkah_berikut"][0] == {"tahap": "selesai", "label": "Selesai",
                                            "boleh": False, "kurang": [
        "alasan penutupan sebelum tanggal selesai 31 Agustus 2027",
        "alasan penutupan dengan realisasi terverifikasi 33% dari komitmen (di bawah 80%)"]}


def test_locked_content_is_refused_with_the_amendment_hint(admin, db, tmp_path):
    deal = agreement(db, [partner(db)], **CONTENT)
    walk_to(db, deal, "penandatanganan", tmp_path)
    db.commit()
    locked = send(admin, "PATCH", f"/agreements/{deal.id}",
                  json={"nilai_rupiah": 1, "versi": deal.version})
    assert locked.status_code == 400 and "adendum" in locked.json()["error"]["message"]
    signed = send(admin, "PATCH", f"/agreements/{deal.id}",
                  json={"tanggal_tanda_tangan": "2025-08-20", "versi": deal.version})
    assert signed.status_code == 200 and signed.json()["tanggal_tanda_tangan"] == "2025-08-20"


def test_mitra_sees_and_reports_on_its_own_partners_agreements_only(
    client, db, make_user, two_deals, tmp_path
):
    a, b, deal_a, deal_b = two_deals
    walk_to(db, deal_a, "pelaksanaan", tmp_path)
    user = make_user("mitra.a", "mitra", [], organisation="PT Mitra A")
    services.add_partner_member(db, None, a, user)
    db.commit()
    login(client, "mitra.a")
    assert [x["id"] for x in client.get(f"{API}/agreements").json()] == [deal_a.id]
    assert [p["id"] for p in client.get(f"{API}/partners").json()] == [a.id]
    assert client.get(f"{API}/agreements/{deal_a.id}").status_code == 200
    assert client.get(f"{API}/agreements/{deal_b.id}").status_code == 404
    assert client.get(f"{API}/partners/{b.id}").status_code == 404
    assert client.get(f"{API}/agreements", params={"partner": b.id}).json() == []
    own = send(client, "POST", f"/agreements/{deal_a.id}/reports",
               json={"tanggal": "2025-12-01", "ringkasan": "Pelatihan selesai"})
    assert own.status_code == 201, own.text
    other = send(client, "POST", f"/agreements/{deal_b.id}/reports",
                 json={"tanggal": "2025-12-01", "ringkasan": "Coba-coba"})
    assert other.status_code == 404
    assert send(client, "PATCH", f"/agreements/{deal_a.id}",
                json={"judul": "Ganti"}).status_code == 403
    assert send(client, "POST", f"/agreements/{deal_a.id}/transitions",
                json={"target": "evaluasi"}).status_code == 403


def test_pendamping_cannot_start_an_agreement_outside_their_villages(client, make_user, db):
    target = partner(db)
    db.commit()
    make_user("p.anggana", "pendamping", ["64.02.04"])
    login(client, "p.anggana")
    outside = send(client, "POST", "/agreements", json={
        "judul": "Di luar wilayah", "mitra_ids": [target.id], "desa": [LOH_SUMBER],
        "lingkup": ["umkm"]})
    assert outside.status_code == 404  # as if the village did not exist
    inside = send(client, "POST", "/agreements", json={
        "judul": "Di dalam wilayah", "mitra_ids": [target.id], "desa": [SEPATIN],
        "lingkup": ["umkm"]})
    assert inside.status_code == 201


def test_an_api_token_works_without_a_csrf_header(client, db, make_user):
    user = make_user("skrip", "admin")
    token = accounts.create_api_token(db, user, "uji")
    db.commit()
    created = client.post(f"{API}/partners", headers={"Authorization": f"Bearer {token}"},
                          json={"nama": "Bank Desa", "jenis": "perbankan", "bidang": ["umkm"]})
    assert created.status_code == 201, created.text
    without_csrf = client.post(f"{API}/partners", json={"nama": "X", "jenis": "perbankan"})
    assert without_csrf.status_code == 403


def test_mous_are_recorded_by_admin_and_listed(admin, db):
    target = partner(db)
    db.commit()
    created = send(admin, "POST", "/mous", json={
        "judul": "MoU pemberdayaan ekonomi desa", "wilayah": "64.02", "mitra_ids": [target.id],
        "tanggal_tanda_tangan": "2025-08-14", "lingkup": ["umkm"]})
    assert created.status_code == 201, created.text
    mou = created.json()
    assert mou["mitra"] == [{"id": target.id, "nama": target.name}]
    assert admin.get(f"{API}/mous/{mou['id']}").json()["tanggal_tanda_tangan"] == "2025-08-14"
    assert [m["id"] for m in admin.get(f"{API}/mous").json()] == [mou["id"]]


def test_reminders_name_agreements_ending_soon(admin, two_deals):
    found = admin.get(f"{API}/reminders", params={"today": "2027-07-01"}).json()
    ending = [r for r in found if r["jenis"] == "berakhir"]
    assert [r["perjanjian_id"] for r in ending] == [two_deals[2].id]
    assert ending[0]["hari"] == 61 and "31 Agustus 2027" in ending[0]["pesan"]


def test_matching_both_ways_with_reasons(admin, db, tmp_path):
    low = [5] * 50
    low[35] = 1  # IKE 1
    import_idm_files(db, [write_scores_csv(tmp_path / "s.csv", [
        (SEPATIN.replace(".", ""), 2023, low)])], store_dir=tmp_path / "st")
    target = partner(db, "PT Contoh", sectors=("umkm",))
    db.commit()
    villages = admin.get(f"{API}/partners/{target.id}/matching-villages").json()
    assert [v["kode_desa"] for v in villages] == [SEPATIN]
    assert villages[0]["di_wilayah_mitra"] and villages[0]["indikator"][0]["indikator"] == "IKE 1"
    assert villages[0]["alasan"][0] == "di wilayah kerja mitra"
    partners = admin.get(f"{API}/villages/{SEPATIN}/matching-partners").json()
    assert [p["mitra_id"] for p in partners] == [target.id]
    assert partners[0]["tambahan_idm"] > 0

"""Issue 15, partnerships through the API: a write touches nothing outside the user's scope,
a change carries the record's version, dates that cannot be are refused, the lifecycle asks
for each village's documents, a reason and a confirmation, and a partner's report counts only
once DPMD verified it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from mitradesa.partnerships import services
from mitradesa.partnerships.errors import TransitionRefusedError
from mitradesa.partnerships.models import Agreement, AgreementDocument, Commitment, ProgressReport
from mitradesa.web.api import partnerships as api
from tests.conftest import LOH_SUMBER, SEPATIN, SUNGAI_MERIAM, login, send
from tests.partnerships.fixtures import CONTENT, PDF, agreement, partner, walk_to

API = "/api/v1"
LOA_KULU = "64.02.02"  # Loh Sumber's kecamatan; Sepatin and Sungai Meriam lie in Anggana


@pytest.fixture
def store(tmp_path, monkeypatch):
    folder = tmp_path / "documents"
    monkeypatch.setattr(api, "documents_dir", lambda: folder)
    return folder


@pytest.fixture
def loa_kulu(client, make_user):
    make_user("p.loakulu", "pendamping", [LOA_KULU])
    login(client, "p.loakulu")
    return client


def count(db, model) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(model))


# ------------------------------------------------------------------ 1. write scope


def test_pendamping_cannot_patch_a_village_of_another_kecamatan_into_an_agreement(loa_kulu, db):
    deal = agreement(db, [partner(db)], villages=(LOH_SUMBER,))
    db.commit()
    before = deal.version
    added = send(loa_kulu, "PATCH", f"/agreements/{deal.id}",
                 json={"desa": [LOH_SUMBER, SEPATIN], "versi": deal.version})
    assert added.status_code == 404, added.text
    assert added.json()["error"] == {
        "reason": "region_not_found",
        "message": f"Wilayah dengan kode {SEPATIN} tidak ditemukan."}
    db.expire_all()
    kept = services.get_agreement(db, deal.id)
    assert kept.village_codes == [LOH_SUMBER] and kept.version == before


def test_pendamping_cannot_remove_a_village_outside_their_scope(loa_kulu, db):
    deal = agreement(db, [partner(db)], villages=(SEPATIN, LOH_SUMBER))
    db.commit()
    removed = send(loa_kulu, "PATCH", f"/agreements/{deal.id}",
                   json={"desa": [LOH_SUMBER], "versi": deal.version})
    assert removed.status_code == 404
    db.expire_all()
    assert services.get_agreement(db, deal.id).village_codes == [LOH_SUMBER, SEPATIN]


def test_pendamping_cannot_start_an_agreement_with_villages_partly_outside(loa_kulu, db):
    target = partner(db)
    db.commit()
    partly = send(loa_kulu, "POST", "/agreements", json={
        "judul": "Sebagian di luar", "mitra_ids": [target.id],
        "desa": [LOH_SUMBER, SUNGAI_MERIAM], "lingkup": ["umkm"]})
    assert partly.status_code == 404
    assert partly.json()["error"]["reason"] == "region_not_found"
    assert count(db, Agreement) == 0


def test_an_unknown_partner_or_mou_refuses_the_agreement_as_not_found(loa_kulu, db):
    created = send(loa_kulu, "POST", "/agreements", json={
        "judul": "Mitra tak ada", "mitra_ids": [424242], "desa": [LOH_SUMBER]})
    assert created.status_code == 404 and "424242" in created.json()["error"]["message"]
    with_mou = send(loa_kulu, "POST", "/agreements", json={
        "judul": "MoU tak ada", "mou_id": 4242, "desa": [LOH_SUMBER]})
    assert with_mou.status_code == 404
    assert count(db, Agreement) == 0


def test_commitment_and_report_for_a_village_outside_the_scope_are_refused(
        loa_kulu, db, tmp_path):
    deal = agreement(db, [partner(db)], **CONTENT)  # Sepatin (Anggana) and Loh Sumber
    walk_to(db, deal, "pelaksanaan", tmp_path)
    db.commit()
    commitments, reports = count(db, Commitment), count(db, ProgressReport)
    outside = send(loa_kulu, "POST", f"/agreements/{deal.id}/commitments", json={
        "kegiatan": "Pelatihan", "anggaran_rupiah": 1_000_000, "desa": [SEPATIN]})
    assert outside.status_code == 404
    every = send(loa_kulu, "POST", f"/agreements/{deal.id}/commitments", json={
        "kegiatan": "Pelatihan", "anggaran_rupiah": 1_000_000})  # default: all its villages
    assert every.status_code == 404
    inside = send(loa_kulu, "POST", f"/agreements/{deal.id}/commitments", json={
        "kegiatan": "Pelatihan", "anggaran_rupiah": 1_000_000, "desa": [LOH_SUMBER]})
    assert inside.status_code == 201, inside.text
    report = send(loa_kulu, "POST", f"/agreements/{deal.id}/reports", json={
        "tanggal": "2025-12-01", "ringkasan": "Di Sepatin", "desa": SEPATIN})
    assert report.status_code == 404
    assert count(db, Commitment) == commitments + 1 and count(db, ProgressReport) == reports


def test_operator_cannot_attach_a_document_to_another_villages_report(client, make_user, db,
                                                                      tmp_path, store):
    deal = agreement(db, [partner(db)], **CONTENT)
    walk_to(db, deal, "pelaksanaan", tmp_path)
    elsewhere = services.add_report(db, None, deal, reported_on=date(2025, 12, 2),
                                    summary="Sepatin", village_code=SEPATIN)
    db.commit()
    make_user("op.lohsumber", "operator_desa", [LOH_SUMBER])
    login(client, "op.lohsumber")
    documents = count(db, AgreementDocument)
    proof = send(client, "POST", f"/agreements/{deal.id}/documents",
                 data={"jenis": "bukti_laporan", "laporan_id": str(elsewhere.id)},
                 files={"berkas": ("bukti.pdf", PDF + b"x", "application/pdf")})
    assert proof.status_code == 404
    musdes = send(client, "POST", f"/agreements/{deal.id}/documents",
                  data={"jenis": "keputusan_musdes", "desa": [SEPATIN]},
                  files={"berkas": ("musdes.pdf", PDF + b"y", "application/pdf")})
    assert musdes.status_code == 404
    own = send(client, "POST", f"/agreements/{deal.id}/documents",
               data={"jenis": "keputusan_musdes", "desa": [LOH_SUMBER]},
               files={"berkas": ("musdes.pdf", PDF + b"z", "application/pdf")})
    assert own.status_code == 201, own.text
    assert own.json()["desa"] == [LOH_SUMBER]
    assert count(db, AgreementDocument) == documents + 1


def test_mitra_cannot_report_on_another_partners_commitment(client, make_user, db, tmp_path):
    a, b = partner(db, "PT Mitra A"), partner(db, "Yayasan Mitra B")
    deal = agreement(db, [a, b], **CONTENT)
    walk_to(db, deal, "pelaksanaan", tmp_path)
    theirs = services.add_commitment(db, None, deal, activity="Bibit", budget_rupiah=10,
                                     partner_id=b.id)
    user = make_user("mitra.a", "mitra", organisation=a.name)
    services.add_partner_member(db, None, a, user)
    db.commit()
    login(client, "mitra.a")
    refused = send(client, "POST", f"/agreements/{deal.id}/reports", json={
        "tanggal": "2025-12-01", "ringkasan": "Bukan milik kami", "komitmen_id": theirs.id})
    assert refused.status_code == 404


# ------------------------------------------------------------------ 3. versions


@pytest.mark.parametrize("what", ["agreements", "partners"])
def test_patch_without_the_version_is_refused_and_changes_nothing(client, make_user, db, what):
    make_user("admin.dpmd", "admin")
    login(client, "admin.dpmd")
    target = partner(db) if what == "partners" else agreement(db, [partner(db)])
    db.commit()
    body = {"nama": "PT Ganti"} if what == "partners" else {"judul": "Judul ganti"}
    refused = send(client, "PATCH", f"/{what}/{target.id}", json=body)
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert error["reason"] == "version_required" and "versi" in error["message"]
    db.expire_all()
    assert client.get(f"{API}/{what}/{target.id}").json()[next(iter(body))] != body[
        next(iter(body))]
    stale = send(client, "PATCH", f"/{what}/{target.id}", json={**body, "versi": 99})
    assert stale.status_code == 409
    fresh = send(client, "PATCH", f"/{what}/{target.id}", json={**body, "versi": 1})
    assert fresh.status_code == 200, fresh.text


# ------------------------------------------------------------------ 5. dates that cannot be


def test_an_end_before_the_start_and_a_future_signing_are_refused_naming_the_dates(
        client, make_user, db):
    make_user("admin.dpmd", "admin")
    login(client, "admin.dpmd")
    target = partner(db)
    db.commit()
    future = date.today() + timedelta(days=30)
    refused = send(client, "POST", "/agreements", json={
        "judul": "Tanggal mustahil", "mitra_ids": [target.id], "desa": [SEPATIN],
        "tanggal_mulai": "2025-08-14", "tanggal_selesai": "2025-08-01",
        "tanggal_tanda_tangan": future.isoformat()})
    assert refused.status_code == 400
    message = refused.json()["error"]["message"]
    assert "Tanggal selesai 1 Agustus 2025 jatuh sebelum tanggal mulai 14 Agustus 2025." \
        in message
    assert "Tanggal penandatanganan" in message and "belum terjadi" in message
    assert count(db, Agreement) == 0


def test_a_report_dated_before_the_signing_is_refused(client, make_user, db, tmp_path):
    make_user("admin.dpmd", "admin")
    login(client, "admin.dpmd")
    deal = agreement(db, [partner(db)], **CONTENT)
    walk_to(db, deal, "pelaksanaan", tmp_path)  # signed 20 August 2025
    db.commit()
    early = send(client, "POST", f"/agreements/{deal.id}/reports", json={
        "tanggal": "2025-08-01", "ringkasan": "Sebelum tanda tangan"})
    assert early.status_code == 400
    assert ("Tanggal laporan 1 Agustus 2025 jatuh sebelum kerja sama dimulai "
            "(20 Agustus 2025)") in early.json()["error"]["message"]


def test_an_agreement_cannot_be_closed_before_it_starts(db, tmp_path):
    start = date.today() + timedelta(days=60)
    deal = agreement(db, [partner(db)], **{**CONTENT, "start_date": start,
                                            "end_date": start + timedelta(days=365)})
    walk_to(db, deal, "evaluasi", tmp_path)
    services.record_evaluation(db, None, deal, evaluated_on=date.today(), summary="Batal",
                               rating=1)
    with pytest.raises(TransitionRefusedError) as refused:
        services.advance(db, None, deal, "selesai", "Ditutup", confirmed=True)
    assert any("belum dapat diselesaikan" in m and str(start.year) in m
               for m in refused.value.missing)


# ------------------------------------------------------------------ 6. lifecycle


def test_each_village_needs_its_own_musdes_decision(client, make_user, db, store):
    make_user("admin.dpmd", "admin")
    login(client, "admin.dpmd")
    deal = agreement(db, [partner(db)], **CONTENT)  # Sepatin and Loh Sumber
    db.commit()

    def upload(kind: str, content: bytes, **data):
        return send(client, "POST", f"/agreements/{deal.id}/documents",
                    data={"jenis": kind, **data},
                    files={"berkas": (f"{kind}.pdf", PDF + content, "application/pdf")})

    assert upload("keputusan_musdes", b"1").status_code == 400  # which village's?
    assert upload("keputusan_musdes", b"1", desa=[SEPATIN]).status_code == 201
    for kind in ("rkp_desa",):
        assert upload(kind, b"2", desa=[SEPATIN, LOH_SUMBER]).status_code == 201
    for kind in ("analisis_biaya_manfaat", "kak"):
        assert upload(kind, kind.encode()).status_code == 201
    refused = send(client, "POST", f"/agreements/{deal.id}/transitions",
                   json={"target": "penawaran"})
    assert refused.status_code == 409
    assert refused.json()["error"]["missing"] == [
        "dokumen: Berita acara / keputusan Musyawarah Desa desa Loh Sumber"]
    assert upload("keputusan_musdes", b"3", desa=[LOH_SUMBER]).status_code == 201
    assert send(client, "POST", f"/agreements/{deal.id}/transitions",
                json={"target": "penawaran"}).status_code == 201


def test_one_file_meets_one_requirement_unless_the_user_says_it_covers_several(
        client, make_user, db, store):
    make_user("admin.dpmd", "admin")
    login(client, "admin.dpmd")
    deal = agreement(db, [partner(db)], villages=(SEPATIN,))
    db.commit()
    same = {"berkas": ("gabungan.pdf", PDF + b"semua", "application/pdf")}
    first = send(client, "POST", f"/agreements/{deal.id}/documents", data={"jenis": "kak"},
                 files=same)
    assert first.status_code == 201
    again = send(client, "POST", f"/agreements/{deal.id}/documents",
                 data={"jenis": "analisis_biaya_manfaat"}, files=same)
    assert again.status_code == 400
    assert again.json()["error"]["reason"] == "document_reused"
    stated = send(client, "POST", f"/agreements/{deal.id}/documents",
                  data={"jenis": "analisis_biaya_manfaat", "mencakup_beberapa": "true"},
                  files=same)
    assert stated.status_code == 201


def test_closing_early_or_below_80_percent_needs_a_reason_and_a_confirmation(
        client, make_user, db, tmp_path):
    make_user("admin.dpmd", "admin")
    login(client, "admin.dpmd")
    deal = agreement(db, [partner(db)], **CONTENT)  # ends 31 August 2027
    walk_to(db, deal, "evaluasi", tmp_path)  # 40 of 150 million spent
    services.record_evaluation(db, None, deal, evaluated_on=date(2026, 1, 5), summary="Baik",
                               rating=4)
    db.commit()
    path = f"/agreements/{deal.id}/transitions"
    bare = send(client, "POST", path, json={"target": "selesai", "konfirmasi": True})
    assert bare.status_code == 409
    assert bare.json()["error"]["missing"] == [
        "alasan penutupan sebelum tanggal selesai 31 Agustus 2027",
        "alasan penutupan dengan realisasi terverifikasi 26% dari komitmen (di bawah 80%)"]
    unconfirmed = send(client, "POST", path, json={"target": "selesai", "note": "Dana habis"})
    assert unconfirmed.status_code == 409
    assert unconfirmed.json()["error"]["missing"] == [
        "konfirmasi bahwa tahap Selesai tidak dapat dibatalkan"]
    end = send(client, "POST", path, json={"target": "diakhiri", "note": "Mitra mundur"})
    assert end.status_code == 409 and "konfirmasi" in end.json()["error"]["missing"][0]
    db.expire_all()
    assert services.get_agreement(db, deal.id).stage == "evaluasi"
    closed = send(client, "POST", path,
                  json={"target": "selesai", "note": "Dana habis", "konfirmasi": True})
    assert closed.status_code == 201, closed.text


# ------------------------------------------------------------------ 7. report verification


def test_a_partners_report_waits_for_dpmd_and_counts_only_once_verified(
        client, make_user, db, tmp_path):
    a = partner(db, "PT Mitra A")
    deal = agreement(db, [a], **CONTENT)
    walk_to(db, deal, "pelaksanaan", tmp_path)  # one commitment of 150 million
    user = make_user("mitra.a", "mitra", organisation=a.name)
    services.add_partner_member(db, None, a, user)
    make_user("p.loakulu", "pendamping", [LOA_KULU])
    db.commit()
    login(client, "mitra.a")
    sent = send(client, "POST", f"/agreements/{deal.id}/reports", json={
        "tanggal": "2025-12-01", "ringkasan": "Pelatihan", "realisasi_rupiah": 15_000_000,
        "kemajuan_persen": 100})
    assert sent.status_code == 201, sent.text
    report = sent.json()
    assert report["status"] == "diajukan"
    assert report["tanda"] == ["Kemajuan 100% tidak sejalan dengan realisasi 10% dari komitmen."]
    verify = f"/agreements/{deal.id}/reports/{report['id']}/verification"
    assert send(client, "POST", verify, json={"keputusan": "diverifikasi"}).status_code == 403
    from mitradesa.reports.partner_data import partner_report
    db.expire_all()
    assert partner_report(db, a, None, date.today()).spent == 0  # not verified yet

    login(client, "p.loakulu")
    no_note = send(client, "POST", verify, json={"keputusan": "dikembalikan"})
    assert no_note.status_code == 400 and "catatan" in no_note.json()["error"]["message"]
    verified = send(client, "POST", verify, json={"keputusan": "diverifikasi"})
    assert verified.status_code == 200, verified.text
    assert verified.json()["status"] == "diverifikasi"
    again = send(client, "POST", verify, json={"keputusan": "dikembalikan", "catatan": "x"})
    assert again.status_code == 400
    db.expire_all()
    assert partner_report(db, a, None, date.today()).spent == 15_000_000


def test_a_returned_report_carries_the_note_and_never_counts(client, make_user, db, tmp_path):
    a = partner(db, "PT Mitra A")
    deal = agreement(db, [a], **CONTENT)
    walk_to(db, deal, "pelaksanaan", tmp_path)
    user = make_user("mitra.a", "mitra", organisation=a.name)
    services.add_partner_member(db, None, a, user)
    report = services.add_report(db, user, deal, reported_on=date(2025, 12, 1),
                                 summary="Terlalu besar", spent_rupiah=200_000_000,
                                 progress_percent=50)
    make_user("admin.dpmd", "admin")
    db.commit()
    login(client, "admin.dpmd")
    detail = client.get(f"{API}/agreements/{deal.id}").json()
    flagged = next(r for r in detail["laporan"] if r["id"] == report.id)
    assert flagged["tanda"][0].startswith("Realisasi sampai laporan ini Rp200.000.000 "
                                          "melebihi komitmen Rp150.000.000")
    returned = send(client, "POST", f"/agreements/{deal.id}/reports/{report.id}/verification",
                    json={"keputusan": "dikembalikan", "catatan": "Lampirkan kuitansi"})
    assert returned.status_code == 200
    assert returned.json()["catatan_verifikasi"] == "Lampirkan kuitansi"
    assert returned.json()["status"] == "dikembalikan"
    db.expire_all()
    from mitradesa.partnerships.queries import realisation_by_village
    rows = realisation_by_village(db, [services.get_agreement(db, deal.id)])
    assert sum(r.spent_rupiah for r in rows) == 0


# ------------------------------------------------------------------ 8. e-mail


def test_a_partner_email_that_is_not_one_is_refused_with_every_other_problem(
        client, make_user, db):
    make_user("admin.dpmd", "admin")
    login(client, "admin.dpmd")
    refused = send(client, "POST", "/partners", json={
        "nama": "PT Surel", "jenis": "tambang", "bidang": ["umkm"],
        "kontak_email": "humas@@contoh"})
    assert refused.status_code == 400
    message = refused.json()["error"]["message"]
    assert "Alamat e-mail “humas@@contoh” tidak sah" in message
    assert "Jenis mitra “tambang” tidak dikenal" in message  # both at once
    good = send(client, "POST", "/partners", json={
        "nama": "PT Surel", "jenis": "csr_swasta", "kontak_email": "humas@contoh.co.id"})
    assert good.status_code == 201
    patched = send(client, "PATCH", f"/partners/{good.json()['id']}",
                   json={"kontak_email": "bukan surel", "versi": good.json()["versi"]})
    assert patched.status_code == 400 and "bukan surel" in patched.json()["error"]["message"]


def test_a_pendamping_cannot_leave_an_agreement_without_villages(loa_kulu, db):
    target = partner(db)
    deal = agreement(db, [target], villages=(LOH_SUMBER,))
    db.commit()
    empty = send(loa_kulu, "POST", "/agreements", json={"judul": "Tanpa desa",
                                                         "mitra_ids": [target.id]})
    assert empty.status_code == 400 and "sedikitnya satu desa" in empty.json()["error"]["message"]
    emptied = send(loa_kulu, "PATCH", f"/agreements/{deal.id}",
                   json={"desa": [], "versi": deal.version})
    assert emptied.status_code == 400
    db.expire_all()
    assert services.get_agreement(db, deal.id).village_codes == [LOH_SUMBER]
    assert count(db, Agreement) == 1

"""Every partnership write, by a pendamping of Loa Kulu aimed at something of Anggana, is
refused and changes nothing: 404 where the target exists but lies outside the scope (the same
answer as for what does not exist), 403 where the role may not write at all. A new write
route of partnerships without a case here fails the suite."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import func, select

from mitradesa.partnerships import services
from mitradesa.partnerships.models import (
    Agreement,
    AgreementDocument,
    Commitment,
    Mou,
    Partner,
    ProgressReport,
    StageEvent,
)
from mitradesa.web.api import partnerships as api
from mitradesa.web.pages import partnerships as pages
from mitradesa.web.routes import all_routes
from tests.conftest import LOH_SUMBER, SEPATIN, SUNGAI_MERIAM, csrf_of, login
from tests.partnerships.fixtures import CONTENT, PDF, agreement, partner, walk_to

WRITES = frozenset({"POST", "PATCH", "PUT", "DELETE"})
PARTNERSHIP_PATHS = ("/api/v1/partners", "/api/v1/mous", "/api/v1/agreements", "/mitra",
                     "/kerja-sama")
# Partners are shared by the whole regency (no village to be outside of): any DPMD staff
# records and edits them. Routes listed here have no scoped target.
UNSCOPED = {"api_create_partner", "api_update_partner", "partner_create"}


class World:
    """Partner A's agreement in Sepatin (Anggana) and Loh Sumber (Loa Kulu), in execution,
    with a partner's report on Sepatin awaiting DPMD; partner B's in Sungai Meriam only."""

    def __init__(self, db, make_user, store) -> None:
        a, b = partner(db, "PT Mitra A"), partner(db, "Yayasan Mitra B")
        self.shared = agreement(db, [a], **CONTENT)
        walk_to(db, self.shared, "pelaksanaan", store)
        member = make_user("mitra.a", "mitra", organisation=a.name)
        services.add_partner_member(db, None, a, member)
        self.report = services.add_report(db, member, self.shared,
                                          reported_on=date(2025, 12, 1), summary="Sepatin",
                                          spent_rupiah=5, village_code=SEPATIN)
        self.outside = agreement(db, [b], villages=(SUNGAI_MERIAM,))
        self.partner_b = b
        db.commit()


def api_send(method: str, path: str, **kwargs) -> Callable:
    def send(client, w: World):
        return client.request(method, "/api/v1" + path.format(w=w),
                              headers={"X-CSRF-Token": csrf_of(client)}, **kwargs)
    return send


def page_post(path: str, data: dict, files: dict | None = None) -> Callable:
    def send(client, w: World):
        return client.post(path.format(w=w), data={**data, "csrf_token": csrf_of(client)},
                           files=files, follow_redirects=False)
    return send


def pdf(name: str) -> dict:
    return {"berkas": (name, PDF + name.encode(), "application/pdf")}


# route name → (the out-of-scope request, the status expected)
CASES: dict[str, tuple[Callable, int]] = {
    "api_create_mou": (api_send("POST", "/mous", json={
        "judul": "MoU", "wilayah": "64.02", "mitra_ids": [1]}), 403),
    "api_create_agreement": (api_send("POST", "/agreements", json={
        "judul": "Sebagian di luar", "desa": [LOH_SUMBER, SUNGAI_MERIAM]}), 404),
    "api_update_agreement": (api_send("PATCH", "/agreements/{w.outside.id}", json={
        "judul": "Ganti", "versi": 1}), 404),
    "api_agreement_transition": (api_send("POST", "/agreements/{w.outside.id}/transitions",
                                          json={"target": "diakhiri", "note": "x",
                                                "konfirmasi": True}), 404),
    "api_create_commitment": (api_send("POST", "/agreements/{w.shared.id}/commitments", json={
        "kegiatan": "Di Sepatin", "anggaran_rupiah": 1, "desa": [SEPATIN]}), 404),
    "api_create_report": (api_send("POST", "/agreements/{w.shared.id}/reports", json={
        "tanggal": "2025-12-02", "ringkasan": "Di Sepatin", "desa": SEPATIN, "realisasi": "0"}),
        404),
    "api_verify_report": (api_send(
        "POST", "/agreements/{w.shared.id}/reports/{w.report.id}/verification",
        json={"keputusan": "diverifikasi"}), 404),
    "api_put_evaluation": (api_send("PUT", "/agreements/{w.outside.id}/evaluation", json={
        "tanggal": "2026-01-01", "ringkasan": "Baik", "nilai": 4}), 404),
    "api_upload_document": (api_send("POST", "/agreements/{w.shared.id}/documents",
                                     data={"jenis": "keputusan_musdes", "desa": [SEPATIN]},
                                     files=pdf("musdes.pdf")), 404),
    "mou_create": (page_post("/kerja-sama/mou/baru", {
        "judul": "MoU", "wilayah": "64.02", "mitra": "1"}), 403),
    "agreement_create": (page_post("/kerja-sama/baru", {
        "judul": "Sebagian di luar", "desa": [LOH_SUMBER, SUNGAI_MERIAM]}), 404),
    "agreement_edit": (page_post("/kerja-sama/{w.outside.id}/ubah", {
        "judul": "Ganti", "versi": "1"}), 404),
    "agreement_advance": (page_post("/kerja-sama/{w.outside.id}/tahap", {
        "tahap": "diakhiri", "catatan": "x", "konfirmasi": "1"}), 404),
    "agreement_add_commitment": (page_post("/kerja-sama/{w.shared.id}/komitmen", {
        "kegiatan": "Di Sepatin", "anggaran": "1", "desa": [SEPATIN]}), 404),
    "agreement_add_report": (page_post("/kerja-sama/{w.shared.id}/laporan", {
        "tanggal": "2025-12-02", "ringkasan": "Di Sepatin", "desa": SEPATIN, "realisasi": "0"}),
        404),
    "agreement_verify_report": (page_post(
        "/kerja-sama/{w.shared.id}/laporan/{w.report.id}/verifikasi",
        {"keputusan": "diverifikasi"}), 404),
    "agreement_evaluate": (page_post("/kerja-sama/{w.outside.id}/evaluasi", {
        "tanggal": "2026-01-01", "ringkasan": "Baik", "nilai": "4"}), 404),
    "agreement_upload": (page_post("/kerja-sama/{w.shared.id}/dokumen",
                                   {"jenis": "keputusan_musdes", "desa": [SEPATIN]},
                                   files=pdf("musdes.pdf")), 404),
}


def partnership_writes(app) -> set[str]:
    return {r.name for r in all_routes(app)
            if r.methods & WRITES and r.path.startswith(PARTNERSHIP_PATHS)}


def test_every_partnership_write_route_has_an_out_of_scope_case(app):
    writes = partnership_writes(app)
    assert writes - set(CASES) - UNSCOPED == set(), "add the route to CASES"
    assert set(CASES) - writes == set()  # no case for a route that is gone


def snapshot(db) -> tuple:
    db.expire_all()
    counts = tuple(db.scalar(select(func.count()).select_from(model)) for model in (
        Agreement, Commitment, ProgressReport, AgreementDocument, StageEvent, Mou, Partner))
    agreements = tuple(db.execute(select(Agreement.id, Agreement.version, Agreement.stage,
                                         Agreement.title).order_by(Agreement.id)).all())
    reports = tuple(db.execute(select(ProgressReport.id, ProgressReport.status)).all())
    return counts, agreements, reports


@pytest.mark.parametrize("route", sorted(CASES))
def test_an_out_of_scope_write_is_refused_and_changes_nothing(
        route, client, make_user, db, tmp_path, monkeypatch):
    folder = tmp_path / "documents"
    monkeypatch.setattr(api, "documents_dir", lambda: folder)
    monkeypatch.setattr(pages, "documents_dir", lambda: folder)
    world = World(db, make_user, tmp_path / "fixture-documents")
    make_user("p.loakulu", "pendamping", ["64.02.02"])
    login(client, "p.loakulu")
    before = snapshot(db)
    request, expected = CASES[route]
    response = request(client, world)
    assert response.status_code == expected, response.text[:500]
    assert snapshot(db) == before

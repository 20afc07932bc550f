"""An empty budget or amount field is a question left open, not a zero: the form comes back
with a message naming the field and everything typed kept, and nothing is computed or saved
(the budget plan, a mentoring program's budget, a progress report's spending)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from mitradesa.mentoring.models import Program
from mitradesa.partnerships import services
from mitradesa.partnerships.models import ProgressReport
from mitradesa.web.pages import partnerships as pages
from tests.analysis.planning_fixtures import seed_plan_data
from tests.conftest import SEPATIN, csrf_of, login
from tests.partnerships.fixtures import CONTENT, agreement, partner, walk_to

PLAN = {"indeks": "idm", "tujuan": "status_up", "tahun": "2023", "apbd": "400.000.000",
        "dana_desa": "0", "biaya_iks": "25.000.000", "biaya_ike": "40.000.000",
        "biaya_ikl": "60.000.000", "mode": "to_five", "mitra": "1", "batas_waktu": "5"}


def post(client, path: str, data: dict):
    return client.post(path, data={**data, "csrf_token": csrf_of(client)},
                       follow_redirects=False)


@pytest.fixture
def admin(client, make_user):
    make_user("admin.dpmd", "admin")
    login(client, "admin.dpmd")
    return client


@pytest.mark.parametrize(("field", "label"), [
    ("apbd", "APBD kabupaten (Rp) wajib diisi."),
    ("dana_desa", "Dana Desa per desa (Rp) wajib diisi."),
])
def test_an_empty_plan_budget_is_refused_by_name_with_the_form_kept(
        admin, db, tmp_path, field, label):
    seed_plan_data(db, tmp_path)
    page = post(admin, "/wilayah/64.02/rencana", {**PLAN, field: "", "biaya_ike": "41.000.000"})
    assert page.status_code == 400
    assert label in page.text
    assert 'id="hasil"' not in page.text  # no plan was computed
    assert 'value="41.000.000"' in page.text  # what was typed is still there
    assert f'name="{field}" value=""' in page.text
    zero = post(admin, "/wilayah/64.02/rencana", {**PLAN, "dana_desa": "0"})
    assert zero.status_code == 200 and 'id="hasil"' in zero.text  # a typed 0 is an answer


def test_an_empty_program_budget_is_refused_and_nothing_is_saved(admin, db):
    page = post(admin, "/pendampingan/program", {
        "nama": "Program Tanpa Anggaran", "sasaran": "umkm", "sumber_dana": "apbd",
        "desa": [SEPATIN], "tahap": "A\nB\nC", "nilai_omzet_minimal": "5.000.000",
        "anggaran": ""})
    assert page.status_code == 400
    assert "Anggaran wajib diisi." in page.text
    assert 'value="Program Tanpa Anggaran"' in page.text
    assert db.scalar(select(func.count()).select_from(Program)) == 0


def test_an_empty_amount_spent_on_a_report_is_refused(admin, db, tmp_path, monkeypatch):
    monkeypatch.setattr(pages, "documents_dir", lambda: tmp_path / "documents")
    deal = agreement(db, [partner(db)], **CONTENT)
    walk_to(db, deal, "pelaksanaan", tmp_path / "documents")
    db.commit()
    page = post(admin, f"/kerja-sama/{deal.id}/laporan", {
        "tanggal": "2026-01-10", "ringkasan": "Pelatihan kedua", "realisasi": "",
        "kemajuan": "40"})
    assert page.status_code == 400
    assert "Realisasi (Rp) wajib diisi." in page.text
    assert "Pelatihan kedua" in page.text
    assert db.scalar(select(func.count()).select_from(ProgressReport)) == 0
    assert services.get_agreement(db, deal.id).reports == []

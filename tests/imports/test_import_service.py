"""Imports in the browser, below the pages: staging an upload, the dry run (preview) and the
import itself for each kind of table, on SQLite and PostgreSQL. The importing is the command
line's use cases; these tests check what the browser adds: nothing is kept by a preview, the
confirmation checks again, rows outside the user's scope or of another year are problems."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

from mitradesa.audit.models import AuditEntry
from mitradesa.idm_records.models import IdmResult
from mitradesa.imports import running, staging
from mitradesa.indeks_desa_records.models import IndeksDesaResult
from mitradesa.io.uploads import UploadRefusedError
from mitradesa.mentoring import programs
from mitradesa.partnerships.models import Agreement, Partner
from mitradesa.partnerships.spreadsheets import AGREEMENT_COLUMNS, PARTNER_COLUMNS
from tests.conftest import LOH_SUMBER, SEPATIN, SUNGAI_MERIAM
from tests.idm_records.fixtures import scores_for, write_scores_csv
from tests.imports.helpers import csv_bytes
from tests.indeks_desa_records import fixtures as id_fixtures

PLAIN = {SEPATIN: "6402042001", SUNGAI_MERIAM: "6402042006", LOH_SUMBER: "6402022005"}


def count(db, model) -> int:
    return db.scalar(select(func.count()).select_from(model))


def staged_file(user, kind: str, name: str, content: bytes, **options) -> staging.Staged:
    clean = staging.checked_upload(name, content, allow_json=kind == "idm")
    return staging.stage(user.id, kind, clean, content, **options)


def idm_csv(tmp_path, rows) -> bytes:
    return write_scores_csv(tmp_path / "idm.csv", rows).read_bytes()


# ------------------------------------------------------------------ IDM


def test_idm_preview_keeps_nothing_and_the_import_writes_and_audits(db, connection, make_user,
                                                                    tmp_path):
    admin = make_user("admin.dpmd", "admin")
    content = idm_csv(tmp_path, [(PLAIN[SEPATIN], 2023, scores_for(1)),
                                 (PLAIN[SUNGAI_MERIAM], 2023, scores_for(2))])
    staged = staged_file(admin, "idm", "idm 2023.csv", content)
    preview = running.preview(connection, staged)
    assert (preview.created, preview.updated, preview.unchanged, preview.problems) == (2, 0, 0, [])
    assert [c.code for c in preview.changes] == [SEPATIN, SUNGAI_MERIAM]
    assert preview.changes[0].label == "Sepatin, 2023"
    assert count(db, IdmResult) == 0

    result = running.apply(connection, staged)
    assert (result.created, result.problems) == (2, [])
    assert result.link == "/wilayah/64.02/idm"
    assert count(db, IdmResult) == 2
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "idm.file_imported")).one()
    assert entry.actor_name == "admin.dpmd" and entry.after["baru"] == 2

    again = running.preview(connection, staged_file(admin, "idm", "lagi.csv", content))
    assert again.already_imported and again.written == 0


def test_idm_bad_row_named_with_its_row_and_nothing_written(db, connection, make_user,
                                                           tmp_path):
    admin = make_user("admin.dpmd", "admin")
    bad = scores_for(2)
    bad[3] = 9
    content = idm_csv(tmp_path, [(PLAIN[SEPATIN], 2023, scores_for(1)),
                                 (PLAIN[SUNGAI_MERIAM], 2023, bad)])
    staged = staged_file(admin, "idm", "idm.csv", content)
    preview = running.preview(connection, staged)
    assert [(p.row, "di luar 0–5" in p.reason) for p in preview.problems] == [(3, True)]
    result = running.apply(connection, staged)
    assert result.problems and count(db, IdmResult) == 0


def test_rows_of_another_year_than_chosen_are_problems(connection, make_user,
                                                       tmp_path):
    admin = make_user("admin.dpmd", "admin")
    content = idm_csv(tmp_path, [(PLAIN[SEPATIN], 2023, scores_for(1))])
    preview = running.preview(connection, staged_file(admin, "idm", "idm.csv", content,
                                                      year=2024))
    assert [(p.row, p.reason) for p in preview.problems] == [
        (2, "tahun 2023, bukan tahun 2024 yang dipilih")]


def test_pendamping_rows_outside_scope_name_the_village(db, connection, make_user,
                                                        tmp_path):
    pendamping = make_user("pendamping.tenggarong", "pendamping", scope=["64.02.04"])
    content = idm_csv(tmp_path, [(PLAIN[SEPATIN], 2023, scores_for(1)),
                                 (PLAIN[LOH_SUMBER], 2023, scores_for(2))])
    preview = running.preview(connection, staged_file(pendamping, "idm", "idm.csv", content))
    assert [(p.row, p.reason) for p in preview.problems] == [
        (3, f"desa Loh Sumber ({LOH_SUMBER}) di luar wilayah kerja Anda")]
    assert preview.created == 0


def test_confirm_checks_again_when_the_scope_changed_since_the_preview(db, connection, make_user,
                                                                       tmp_path):
    pendamping = make_user("pendamping.tenggarong", "pendamping", scope=["64.02.04"])
    content = idm_csv(tmp_path, [(PLAIN[SEPATIN], 2023, scores_for(1))])
    staged = staged_file(pendamping, "idm", "idm.csv", content)
    assert running.preview(connection, staged).problems == []
    pendamping.scopes[0].region_code = LOH_SUMBER[:8]  # moved to another kecamatan
    db.commit()
    result = running.apply(connection, staged)
    assert [p.row for p in result.problems] == [2]
    assert count(db, IdmResult) == 0


# ------------------------------------------------------------------ Indeks Desa


def test_indeks_desa_preview_then_import(db, connection, make_user, tmp_path):
    admin = make_user("admin.dpmd", "admin")
    path = id_fixtures.write_export(tmp_path / "id.csv", [
        (PLAIN[SEPATIN], 2025, id_fixtures.scores_for(1)),
        (PLAIN[SUNGAI_MERIAM], 2025, id_fixtures.scores_for(2))])
    staged = staged_file(admin, "indeks-desa", "indeks desa 2025.csv", path.read_bytes(),
                         year=2025)
    preview = running.preview(connection, staged)
    assert (preview.created, preview.problems) == (2, [])
    assert count(db, IndeksDesaResult) == 0
    result = running.apply(connection, staged)
    assert (result.created, result.problems) == (2, [])
    assert result.changes[0].link == f"/desa/{SEPATIN}/indeks-desa"
    assert count(db, IndeksDesaResult) == 2


# ------------------------------------------------------------------ partners and agreements


def test_partners_new_and_changed_counted_and_audited_as_the_user(db, connection, make_user,
                                                                 ):
    admin = make_user("admin.dpmd", "admin")
    from tests.partnerships.fixtures import partner

    known = partner(db, "PT Lama")
    db.commit()
    content = csv_bytes(["nama", "jenis", "bidang"], [
        ["PT Baru", "csr_swasta", "umkm"], ["PT Lama", "csr_swasta", "umkm"],
        ["=1+2", "csr_bumn", ""]])
    staged = staged_file(admin, "mitra", "mitra.csv", content)
    preview = running.preview(connection, staged)
    assert (preview.created, preview.updated, preview.unchanged) == (2, 1, 0)
    assert count(db, Partner) == 1
    result = running.apply(connection, staged)
    assert (result.created, result.updated, result.problems) == (2, 1, [])
    names = set(db.scalars(select(Partner.name)))
    assert names == {"PT Lama", "PT Baru", "=1+2"}  # stored as text, as written
    db.expire_all()
    assert db.get(Partner, known.id).sectors == ["umkm"]
    actors = set(db.scalars(select(AuditEntry.actor_name).where(
        AuditEntry.object_type == "partner", AuditEntry.action.like("%created"))))
    assert "admin.dpmd" in actors


def test_agreements_outside_a_pendamping_scope_are_refused_per_row(db, connection, make_user,
                                                                  ):
    pendamping = make_user("pendamping.tenggarong", "pendamping", scope=["64.02.04"])
    from tests.partnerships.fixtures import partner

    partner(db, "PT Mitra A")
    db.commit()
    columns = ["judul", "mitra", "desa", "lingkup"]
    content = csv_bytes(columns, [["Kebun Sepatin", "PT Mitra A", SEPATIN, "pertanian"],
                                  ["Kebun Loh Sumber", "PT Mitra A", LOH_SUMBER, "pertanian"]])
    assert set(columns) <= set(AGREEMENT_COLUMNS) and "nama" in PARTNER_COLUMNS
    staged = staged_file(pendamping, "perjanjian", "perjanjian.csv", content)
    preview = running.preview(connection, staged)
    assert [p.row for p in preview.problems] == [3]
    assert LOH_SUMBER in preview.problems[0].reason
    assert count(db, Agreement) == 0


# ------------------------------------------------------------------ beneficiaries


def test_beneficiaries_enrolled_in_the_chosen_program(db, connection, make_user):
    admin = make_user("admin.dpmd", "admin")
    chosen = programs.create_program(
        db, None, name="Pendampingan UMKM", funder="apbd", target_type="umkm",
        village_codes=[SEPATIN, SUNGAI_MERIAM], budget_rupiah=100_000_000,
        graduation_criteria=[{"kind": "kontrak_pembeli"}])
    db.commit()
    content = csv_bytes(["nama_usaha", "nama_pemilik", "desa"], [
        ["Keripik Bu Sri", "Sri", SEPATIN], ["Abon Ikan", "Rahmat", SUNGAI_MERIAM]])
    staged = staged_file(admin, "peserta", "peserta.csv", content, program_id=chosen.id)
    preview = running.preview(connection, staged)
    assert (preview.created, preview.problems) == (2, [])
    assert [c.label for c in preview.changes] == ["Keripik Bu Sri", "Abon Ikan"]
    result = running.apply(connection, staged)
    assert result.created == 2 and result.link == f"/pendampingan/program/{chosen.id}"
    unknown = staged_file(admin, "peserta", "peserta.csv", content, program_id=chosen.id + 99)
    assert "program" in running.preview(connection, unknown).problems[0].reason


# ------------------------------------------------------------------ staging


def test_uploads_checked_by_content_and_bound_to_their_user(make_user):
    with pytest.raises(UploadRefusedError, match="XLSX atau CSV"):
        staging.checked_upload("laporan.csv", b"%PDF-1.7 ...", allow_json=False)
    with pytest.raises(UploadRefusedError, match="biner"):
        staging.checked_upload("data.csv", b"abc\x00def", allow_json=False)
    with pytest.raises(UploadRefusedError, match="terlalu besar"):
        staging.checked_upload("big.csv", b"a" * (staging.MAX_BYTES + 1), allow_json=False)
    with pytest.raises(UploadRefusedError, match="JSON"):
        staging.checked_upload("x.csv", b'{"a": 1}', allow_json=False)
    assert staging.checked_upload("x", b'{"a": 1}', allow_json=True) == "x.json"
    assert staging.checked_upload("data.xlsx", b"kode,tahun\n1,2", allow_json=False) == "data.csv"
    owner, other = make_user("admin.a", "admin"), make_user("admin.b", "admin")
    staged = staging.stage(owner.id, "mitra", "m.csv", b"nama,jenis\n")
    assert staging.load(staged.token, owner.id).filename == "m.csv"
    with pytest.raises(Exception, match="tidak ditemukan"):
        staging.load(staged.token, other.id)
    assert staging.clean_old(time.time() + staging.KEEP + 1) == 1
    with pytest.raises(Exception, match="tidak ditemukan"):
        staging.load(staged.token, owner.id)


def test_a_job_that_fails_stores_nothing_and_keeps_the_reason(make_user):
    from mitradesa.imports import jobs

    owner = make_user("admin.a", "admin")
    staged = staging.stage(owner.id, "idm", "idm.csv", b"kode_desa,tahun\n")

    def broken(progress):
        progress(1, 4, "menyimpan")
        raise RuntimeError("disk penuh")

    job = jobs.start(staged, broken, background=False)
    assert job.state == "failed" and "disk penuh" in job.outcome.problems[0].reason
    assert staged.load_json("result.json")["problems"][0]["reason"].startswith("impor gagal")
    again = jobs.start(staged, broken, background=False)  # never run twice: the same outcome
    assert again.state == "failed" and again.outcome.problems == job.outcome.problems


def test_another_process_sees_a_running_job_and_an_interrupted_one_fails(make_user):
    from mitradesa.imports import jobs

    owner = make_user("admin.a", "admin")
    staged = staging.stage(owner.id, "idm", "idm.csv", b"kode_desa,tahun\n")
    assert jobs.status(staged) is None
    staged.save_json("progress.json", {"done": 5000, "total": 20000, "stage": "menyimpan",
                                       "at": time.time()})
    seen = jobs.status(staged)  # as another worker process, without the job in memory
    assert (seen.state, seen.percent) == ("running", 25)
    staged.save_json("progress.json", {"done": 5000, "total": 20000, "stage": "menyimpan",
                                       "at": time.time() - jobs.STALE - 1})
    stopped = jobs.status(staged)
    assert stopped.state == "failed" and "terhenti" in stopped.outcome.problems[0].reason


def test_beneficiaries_outside_a_pendamping_scope_are_problems(db, connection, make_user):
    pendamping = make_user("pendamping.tenggarong", "pendamping", scope=["64.02.04"])
    chosen = programs.create_program(
        db, None, name="Pendampingan UMKM", funder="apbd", target_type="umkm",
        village_codes=[SEPATIN, LOH_SUMBER], budget_rupiah=100_000_000,
        graduation_criteria=[{"kind": "kontrak_pembeli"}])
    db.commit()
    content = csv_bytes(["nama_usaha", "nama_pemilik", "desa"], [
        ["Keripik Bu Sri", "Sri", SEPATIN], ["Abon Ikan", "Rahmat", LOH_SUMBER]])
    staged = staged_file(pendamping, "peserta", "peserta.csv", content, program_id=chosen.id)
    preview = running.preview(connection, staged)
    assert [p.row for p in preview.problems] == [3]
    assert running.apply(connection, staged).problems

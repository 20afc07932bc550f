"""`mitradesa mentoring …` as a user runs it (both backends): programs and beneficiaries as
JSON, an import that rejects every row when one is bad, export → import into another program,
and people served by several programs."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from mitradesa.db.session import make_engine, session_factory
from mitradesa.mentoring import programs
from tests.cli.conftest import run
from tests.conftest import LOH_SUMBER, SEPATIN, SUNGAI_MERIAM

HOUSEHOLD_HEADER = ["no_kk", "nama_kepala_keluarga", "nik_kepala_keluarga", "desa",
                    "kelas_kesejahteraan", "jumlah_anggota", "desil_p3ke", "pendapatan_bulanan"]


def make_program(env, target: str, name: str, villages=(SEPATIN, SUNGAI_MERIAM)) -> int:
    """A program made the way the API and the pages make one (the CLI has no command for it)."""
    url = env.get("MITRADESA_DATABASE_URL") or \
        f"sqlite:///{Path(env['MITRADESA_DATA_DIR']) / 'mitradesa.sqlite3'}"
    engine = make_engine(url)
    try:
        with session_factory(engine)() as session:
            criteria = ([{"kind": "di_atas_prasejahtera"}] if target == "household"
                        else [{"kind": "omzet_minimal", "value": 10_000_000}])
            program = programs.create_program(
                session, None, name=name, funder="apbd", target_type=target,
                village_codes=list(villages), graduation_criteria=criteria,
                budget_rupiah=50_000_000)
            session.commit()
            return program.id
    finally:
        engine.dispose()


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def said(done) -> str:
    """stderr with rich's line wrapping undone."""
    return " ".join(done.stderr.split())


def beneficiaries(env, program: int) -> list[dict]:
    done = run(env, "mentoring", "beneficiaries", "--program", str(program), "--format", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_import_registers_households_and_lists_them_as_json(cli_env, tmp_path):
    program = make_program(cli_env, "household", "Graduasi Sepatin")
    source = write_csv(tmp_path / "rt.csv", [*HOUSEHOLD_HEADER, "tanggal_daftar"], [
        ["6402040101250001", "Siti Aminah", "6402045506800101", SEPATIN, "prasejahtera", "4",
         "1", "1.200.000", "2025-02-01"],
        ["6402040101250002", "Rudi", "", "6402042006", "Keluarga Sejahtera I", "3", "", "", ""],
    ])
    done = run(cli_env, "mentoring", "import-beneficiaries", str(source), "--program",
               str(program), "--on", "2025-03-01")
    assert done.returncode == 0, done.stderr
    assert "2 rumah tangga baru" in done.stdout and "2 peserta masuk" in done.stdout
    rows = beneficiaries(cli_env, program)
    assert [r["nama"] for r in rows] == ["Siti Aminah", "Rudi"]
    first = rows[0]
    assert {"peserta_id", "jenis", "id", "desa", "tahap", "nama_tahap", "status", "terdaftar",
            "keluar", "alasan_keluar", "baseline", "terbaru", "nama", "no_kk", "nik"} <= set(first)
    assert (first["jenis"], first["desa"], first["tahap"], first["status"]) == (
        "household", SEPATIN, 1, "aktif")
    assert first["nik"] == "6402045506800101"  # the command line sees the full NIK
    assert first["baseline"] == {"tanggal": "2025-02-01", "pendapatan_rumah_tangga": 1_200_000,
                                 "kelas_kesejahteraan": "prasejahtera"}
    assert rows[1]["terdaftar"] == "2025-03-01" and rows[1]["desa"] == SUNGAI_MERIAM
    assert rows[1]["baseline"]["kelas_kesejahteraan"] == "ks1"


def test_programs_json_has_every_field_and_counts_per_status(cli_env, tmp_path):
    program = make_program(cli_env, "household", "Program Hitung")
    source = write_csv(tmp_path / "rt.csv", HOUSEHOLD_HEADER, [
        ["6402040101250011", "Ani", "", SEPATIN, "prasejahtera", "2", "", ""]])
    assert run(cli_env, "mentoring", "import-beneficiaries", str(source), "-p",
               str(program)).returncode == 0
    done = run(cli_env, "mentoring", "programs", "--format", "json")
    assert done.returncode == 0, done.stderr
    item = next(p for p in json.loads(done.stdout) if p["id"] == program)
    assert item["nama"] == "Program Hitung" and item["sasaran"] == "household"
    assert item["desa"] == [SEPATIN, SUNGAI_MERIAM] and item["anggaran_rupiah"] == 50_000_000
    assert item["sumber_dana"] == "apbd" and item["tahap"][-1] == "Mandiri (lulus)"
    assert item["kriteria"] == [{"kind": "di_atas_prasejahtera",
                                 "label": "kelas kesejahteraan di atas prasejahtera"}]
    assert item["jumlah"] == {"aktif": 1, "lulus": 0, "keluar": 0}
    assert {"mulai", "selesai", "catatan_sumber_dana", "komitmen_id", "demo"} <= set(item)
    table = run(cli_env, "mentoring", "programs")
    assert table.returncode == 0 and "Program Hitung" in table.stdout


def test_one_bad_row_rejects_the_whole_import_and_each_problem_names_its_row(cli_env, tmp_path):
    program = make_program(cli_env, "household", "Program Tolak")
    source = write_csv(tmp_path / "salah.csv", HOUSEHOLD_HEADER, [
        ["6402040101250021", "Baik", "", SEPATIN, "prasejahtera", "2", "", ""],
        ["12345", "KK Pendek", "", SEPATIN, "prasejahtera", "2", "", ""],
        ["6402040101250023", "Desa Asing", "", "64.02.04.2999", "prasejahtera", "2", "", ""],
        ["6402040101250024", "Kelas Asing", "", SEPATIN, "miskin sekali", "2", "", ""],
        ["6402040101250021", "Ganda", "", SEPATIN, "prasejahtera", "2", "", ""],
        ["6402040101250026", "NIK Salah", "64020455", SEPATIN, "ks2", "2", "", ""],
        ["6402040101250027", "Di Luar Program", "", LOH_SUMBER, "ks2", "2", "", ""],
    ])
    done = run(cli_env, "mentoring", "import-beneficiaries", str(source), "-p", str(program))
    assert done.returncode == 2
    err = said(done)
    assert "salah.csv, baris 3: Nomor KK harus 16 angka (tertulis “12345”)" in err
    assert "baris 4: kode desa “64.02.04.2999” tidak dikenal" in err
    assert "baris 5: kelas kesejahteraan “miskin sekali” tidak dikenal" in err
    assert "baris 6: Nomor KK ganda dalam berkas (sama dengan baris 2)" in err
    assert "baris 7: NIK kepala keluarga harus 16 angka" in err
    assert "baris 8: desa 64.02.02.2005 (Loh Sumber) bukan desa sasaran program ini" in err
    assert "6 masalah, tidak ada yang disimpan" in err
    assert beneficiaries(cli_env, program) == []
    again = write_csv(tmp_path / "baik.csv", HOUSEHOLD_HEADER, [
        ["6402040101250021", "Baik", "", SEPATIN, "prasejahtera", "2", "", ""]])
    done = run(cli_env, "mentoring", "import-beneficiaries", str(again), "-p", str(program))
    assert done.returncode == 0, done.stderr  # nothing of the rejected import was kept
    assert "1 rumah tangga baru" in done.stdout


def test_export_imports_into_another_program_with_the_same_people(cli_env, tmp_path):
    first = make_program(cli_env, "umkm", "UMKM Gelombang 1")
    second = make_program(cli_env, "umkm", "UMKM Gelombang 2")
    source = write_csv(tmp_path / "umkm.csv", [
        "nama_usaha", "nama_pemilik", "nik_pemilik", "desa", "sektor", "produk", "pirt",
        "tenaga_kerja", "omzet_bulanan"], [
        ["Amplang Bu Rini", "Rini", "6402044107850031", SEPATIN, "olahan pangan", "amplang",
         "P-IRT 123", "2", "Rp 3.000.000"],
        ["=Kerupuk \"Ikan\"", "Joko", "", SUNGAI_MERIAM, "olahan pangan", "kerupuk", "", "0",
         "1500000"],
    ])
    assert run(cli_env, "mentoring", "import-beneficiaries", str(source), "-p",
               str(first)).returncode == 0
    exported = tmp_path / "ekspor.xlsx"
    done = run(cli_env, "mentoring", "export-beneficiaries", "--program", str(first),
               "--format", "xlsx", "-o", str(exported))
    assert done.returncode == 0, done.stderr
    assert "2 peserta ditulis" in done.stdout
    done = run(cli_env, "mentoring", "import-beneficiaries", str(exported), "-p", str(second))
    assert done.returncode == 0, done.stderr
    assert "0 UMKM baru" in done.stdout and "2 sudah terdaftar" in done.stdout
    before, after = beneficiaries(cli_env, first), beneficiaries(cli_env, second)
    assert [(r["id"], r["nama"], r["nik"], r["desa"]) for r in after] == [
        (r["id"], r["nama"], r["nik"], r["desa"]) for r in before]
    assert after[1]["nama"] == "=Kerupuk \"Ikan\""  # escaped in the file, restored on import
    assert after[0]["baseline"]["omzet_bulanan"] == 3_000_000
    as_csv = tmp_path / "ekspor.csv"
    assert run(cli_env, "mentoring", "export-beneficiaries", "-p", str(first), "-f", "csv",
               "-o", str(as_csv)).returncode == 0
    lines = as_csv.read_text().splitlines()
    assert lines[0].startswith("nama_usaha,nama_pemilik,nik_pemilik,desa,")
    assert lines[0].endswith(",tanggal_daftar,tahap,status")
    assert "'=Kerupuk" in lines[2]


def test_duplicates_lists_people_in_two_programs_and_unreached_prasejahtera(cli_env, tmp_path):
    first = make_program(cli_env, "household", "Ganda A")
    second = make_program(cli_env, "household", "Ganda B")
    lonely = make_program(cli_env, "household", "Hanya Daftar")
    rows = [["6402040101250041", "Dua Program", "6402045506800141", SEPATIN, "prasejahtera",
             "3", "", ""]]
    both = write_csv(tmp_path / "dua.csv", HOUSEHOLD_HEADER, rows)
    for program in (first, second):
        assert run(cli_env, "mentoring", "import-beneficiaries", str(both), "-p",
                   str(program)).returncode == 0
    left_out = write_csv(tmp_path / "sendiri.csv", HOUSEHOLD_HEADER, [
        ["6402040101250042", "Belum Terjangkau", "", SUNGAI_MERIAM, "prasejahtera", "5", "1",
         ""]])
    assert run(cli_env, "mentoring", "import-beneficiaries", str(left_out), "-p",
               str(lonely)).returncode == 0
    done = run(cli_env, "mentoring", "duplicates", "--format", "json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    person = next(p for p in result["dilayani_beberapa_program"]
                  if p["kunci"] == "NIK 6402045506800141")
    assert person["program"] == ["Ganda A", "Ganda B"] and person["desa"] == [SEPATIN]
    assert "6402040101250042" not in [h["no_kk"] for h in result["prasejahtera_belum_terjangkau"]]
    assert run(cli_env, "mentoring", "duplicates").returncode == 0


def test_wrong_input_is_a_clear_error_with_status_2(cli_env, tmp_path):
    missing = run(cli_env, "mentoring", "beneficiaries", "--program", "99999")
    assert missing.returncode == 2 and "Program nomor 99999 tidak ditemukan" in said(missing)
    program = make_program(cli_env, "household", "Program Kolom")
    no_file = run(cli_env, "mentoring", "import-beneficiaries", str(tmp_path / "tidak.csv"),
                  "-p", str(program))
    assert no_file.returncode == 2 and "tidak.csv tidak ditemukan" in said(no_file)
    columns = write_csv(tmp_path / "kolom.csv", ["nama", "desa"], [["Ani", SEPATIN]])
    done = run(cli_env, "mentoring", "import-beneficiaries", str(columns), "-p", str(program))
    assert done.returncode == 2
    assert "kolom wajib tidak ada: no_kk, nama_kepala_keluarga, kelas_kesejahteraan" in said(done)
    group = make_program(cli_env, "group", "Program Kelompok")
    done = run(cli_env, "mentoring", "export-beneficiaries", "-p", str(group), "-o",
               str(tmp_path / "k.xlsx"))
    assert done.returncode == 2 and "kelompok" in said(done)
    bad_date = run(cli_env, "mentoring", "import-beneficiaries", str(columns), "-p",
                   str(program), "--on", "kemarin")
    assert bad_date.returncode == 2 and "YYYY-MM-DD" in said(bad_date)


@pytest.mark.parametrize("fmt", ["json", "table"])
def test_beneficiaries_of_an_empty_program_is_an_empty_list(cli_env, fmt):
    program = make_program(cli_env, "umkm", f"Kosong {fmt}")
    done = run(cli_env, "mentoring", "beneficiaries", "-p", str(program), "-f", fmt)
    assert done.returncode == 0, done.stderr
    assert (json.loads(done.stdout) == []) if fmt == "json" else ("0 peserta" in done.stdout)

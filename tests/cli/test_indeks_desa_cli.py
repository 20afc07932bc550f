"""`mitradesa indeks-desa …` as a user runs it, on both backends, on the real shared 2025 data
(where it is present) and on small made-up files."""

from __future__ import annotations

import csv
import io
import json

import pytest
from python_calamine import CalamineWorkbook

from mitradesa.idm.indeks_desa import MIN_TOTAL, compute, items
from tests.cli.conftest import run
from tests.conftest import SHARED_DATA
from tests.indeks_desa_records.fixtures import SEPATIN, SUNGAI_MERIAM, scores_for, write_export

SCORES = SHARED_DATA / "indeks-desa-2025" / "scores-2025.csv"
TOP_KEYS = {"kode_desa", "nama_desa", "tahun", "total", "nilai", "status", "target_status",
            "poin_dibutuhkan", "nilai_minimal", "dimensi", "sub_dimensi", "items"}
# Beside the keys: where the figures come from, the published ones where they differ,
# the finding, and the code as the file wrote it.
EXTRA_KEYS = {"sumber_angka", "angka_terbit", "selisih_hitung_ulang", "kode_dalam_berkas"}
ITEM_KEYS = {"no", "dimensi", "sub_dimensi", "indikator", "item", "skor", "skor_maks",
             "rekomendasi", "pelaksana"}
COLUMNS = ["kode_desa", "nama_desa", "kecamatan", "tahun", "total", "nilai", "status",
           "layanan_dasar", "sosial", "ekonomi", "lingkungan", "aksesibilitas", "tata_kelola"]


@pytest.fixture(scope="module")
def imported(cli_env, tmp_path_factory):
    if not SCORES.exists():
        pytest.skip("../shared/data/indeks-desa-2025 is not beside this checkout (CI has it)")
    report = tmp_path_factory.mktemp("report") / "impor.json"
    done = run(cli_env, "indeks-desa", "import", str(SCORES), "--report", str(report))
    assert done.returncode == 0, done.stderr
    assert "10969 desa-tahun baru, 0 diperbarui, 0 tetap." in done.stdout
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["baru"] == 10969 and data["selisih_status"] == [] and data["dilewati"] == []
    return cli_env


def test_reimport_says_nothing_changed(imported):
    done = run(imported, "indeks-desa", "import", str(SCORES))
    assert done.returncode == 0, done.stderr
    assert "sudah pernah diimpor, tidak ada yang berubah" in done.stdout


def test_show_json_of_pupuan_is_the_published_figure_with_every_item(imported):
    done = run(imported, "indeks-desa", "show", "5102102007", "--year", "2025", "--format",
               "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert set(data) == TOP_KEYS | EXTRA_KEYS
    assert (data["kode_desa"], data["nama_desa"], data["tahun"]) == ("5102102007", "Pupuan", 2025)
    assert (data["total"], data["nilai"], data["status"]) == (607, 95.59, "MANDIRI")
    assert (data["target_status"], data["poin_dibutuhkan"]) == ("MANDIRI", 0)
    assert len(data["items"]) == 127 and all(set(i) == ITEM_KEYS for i in data["items"])
    assert set(data["items"][0]["pelaksana"]) == {"pusat", "provinsi", "kabupaten", "desa",
                                                   "lainnya"}
    assert [d["maks"] for d in data["dimensi"]] == [170, 85, 160, 90, 50, 80]
    assert sum(d["skor"] for d in data["dimensi"]) == 607 and len(data["sub_dimensi"]) == 13
    below = [i for i in data["items"] if i["skor"] < i["skor_maks"]]
    assert below and all(i["rekomendasi"] for i in below)


def test_show_table_of_dauh_peken_writes_nilai_the_indonesian_way(imported):
    done = run(imported, "indeks-desa", "show", "5102052005")
    assert done.returncode == 0, done.stderr
    assert "Dauh Peken (5102052005) — Indeks Desa 2025" in done.stdout
    assert "Total 604 · nilai 95,12 · status MANDIRI" in done.stdout


def test_export_csv_to_standard_output_and_xlsx_to_a_file(imported, tmp_path):
    done = run(imported, "indeks-desa", "export", "--year", "2025", "--region", "51.02")
    assert done.returncode == 0, done.stderr
    rows = list(csv.reader(io.StringIO(done.stdout)))
    assert rows[0] == COLUMNS and len(rows) == 134
    assert {row[6] for row in rows[1:]} == {"MANDIRI"}  # Kab. Tabanan: 133 of 133 Mandiri
    pupuan = next(row for row in rows if row[0] == "5102102007")
    assert pupuan[4:7] == ["607", "95.59", "MANDIRI"]
    target = tmp_path / "id.xlsx"
    done = run(imported, "indeks-desa", "export", "--year", "2025", "--region", "51.02",
               "--format", "xlsx", "-o", str(target))
    assert done.returncode == 0, done.stderr and "133 desa ditulis" in done.stdout
    sheet = CalamineWorkbook.from_path(str(target)).get_sheet_by_index(0).to_python()
    assert sheet[0] == COLUMNS and len(sheet) == 134
    assert all(isinstance(row[5], float) for row in sheet[1:])


def test_whatif_raises_items_by_number_and_by_label(imported):
    with SCORES.open(encoding="utf-8", newline="") as handle:
        row = next(r for r in csv.reader(handle) if r[3] == "3301012001")
    scores = [int(value) for value in row[6:]]
    first, second = [item for item in items() if scores[item.position] < item.top][:2]
    done = run(imported, "indeks-desa", "whatif", "3301012001", "--raise",
               f"{first.no}={first.top}", "--raise", f"{second.export_label}={second.top}",
               "--format", "json")
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    gained = first.top - scores[first.position] + second.top - scores[second.position]
    assert answer["sebelum"]["total"] == sum(scores)
    assert answer["sesudah"]["total"] == sum(scores) + gained
    assert [c["no"] for c in answer["perubahan"]] == [first.no, second.no]


def test_a_disagreeing_published_status_is_imported_and_reported(imported, tmp_path):
    scores = scores_for(11)
    figures = compute(scores)
    published = "MANDIRI" if figures.status != "MANDIRI" else "MAJU"
    source = write_export(tmp_path / "terbit.csv", [(SEPATIN, 2025, scores),
                                                    (SUNGAI_MERIAM, 2025, scores)],
                          extra={"Status ID": [published, figures.status]})
    report = tmp_path / "laporan.csv"
    done = run(imported, "indeks-desa", "import", str(source), "--report", str(report))
    assert done.returncode == 0, done.stderr
    assert "1 desa-tahun: angka terbitan berbeda" in done.stdout
    with report.open(encoding="utf-8") as handle:
        [row] = [r for r in csv.DictReader(handle) if r["jenis"] == "selisih"]
    points = MIN_TOTAL[published] - figures.total
    assert (row["kode_desa"], row["status_terbitan"], row["status_hitung_ulang"]) == (
        SEPATIN, published, figures.status)
    assert int(row["selisih_poin"]) == points and row["baris"] == "2"
    quality = json.loads(run(imported, "indeks-desa", "quality", "-f", "json").stdout)
    assert quality["berbeda"] == 1 and quality["status_berubah"] == 1
    assert quality["temuan"][0]["kode_desa"] == SEPATIN
    assert quality["temuan"][0]["status_terbitan"] == published  # stored as the status
    assert quality["temuan"][0]["total_hitung_ulang"] == figures.total
    assert quality["temuan"][0]["selisih_poin"] == points
    beside = run({**imported, "COLUMNS": "200"}, "idm", "quality", "--region", "64.02")
    assert beside.returncode == 0, beside.stderr
    assert "Kualitas data Indeks Desa: Kabupaten Kutai Kartanegara (64.02)" in beside.stdout
    assert "1 dari 2 desa-tahun Indeks Desa berbeda" in beside.stdout
    assert "64.02.04.2001" in beside.stdout


def test_a_bad_file_is_rejected_whole_with_file_row_and_reason(imported, tmp_path):
    bad = write_export(tmp_path / "salah.csv", [("6402042003", 2025, scores_for(12)),
                                                ("6402999999", 2025, scores_for(12))])
    report = tmp_path / "ditolak.json"
    done = run(imported, "indeks-desa", "import", str(bad), "--report", str(report))
    assert done.returncode == 2
    assert "salah.csv, baris 3: kode desa 64.02.99.9999 tidak dikenal" in done.stderr
    assert "tidak ada yang disimpan" in done.stderr
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["diimpor"] is False
    assert data["masalah"][0] == {"berkas": "salah.csv", "baris": 3, "alasan": (
        "kode desa 64.02.99.9999 tidak dikenal di registri maupun riwayat kodenya")}


def test_derive_scores_a_known_grid_and_refuses_an_unknown_one_plainly(cli_env):
    done = run(cli_env, "indeks-desa", "derive", "3", "65%")
    assert done.returncode == 0, done.stderr
    assert "skor 4" in done.stdout and "sementara" in done.stdout
    refused = run(cli_env, "indeks-desa", "derive", "2", "3")
    assert refused.returncode == 2
    assert "kisi penilaiannya belum diketahui" in refused.stderr
    assert "Traceback" not in refused.stderr

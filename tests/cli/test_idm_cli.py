"""`mitradesa idm …` as a user runs it, on both backends."""

from __future__ import annotations

import csv
import json

import pytest
from python_calamine import CalamineWorkbook

from mitradesa.idm import compute
from mitradesa.idm.whatif import what_if
from tests.cli.conftest import run
from tests.idm_records.fixtures import (
    SEPATIN,
    SUNGAI_MERIAM,
    rumusan,
    scores_for,
    write_json,
    write_scores_csv,
)

INDICATOR_KEYS = {"index", "no", "indikator", "skor", "nilai", "keterangan", "kegiatan", "pusat",
                  "prov", "kab", "desa", "csr", "lainnya"}


@pytest.fixture(scope="module")
def imported(cli_env, tmp_path_factory):
    folder = tmp_path_factory.mktemp("files")
    write_json(folder / "sepatin-2022.json", rumusan(SEPATIN, 2022, scores_for(1)))
    write_json(folder / "sepatin-2023.json", rumusan(SEPATIN, 2023, scores_for(2)))
    write_scores_csv(folder / "meriam.csv", [(SUNGAI_MERIAM, 2023, scores_for(3))])
    done = run(cli_env, "idm", "import", str(folder))
    assert done.returncode == 0, done.stderr
    assert "3 desa-tahun baru" in done.stdout
    return folder


def test_reimport_says_nothing_changed(cli_env, imported):
    done = run(cli_env, "idm", "import", str(imported))
    assert done.returncode == 0
    assert done.stdout.count("sudah pernah diimpor") == 3


def test_show_json_is_the_documented_object(cli_env, imported):
    done = run(cli_env, "idm", "show", "64.02.04.2001", "--year", "2022", "--format", "json")
    data = json.loads(done.stdout)
    figures = compute(scores_for(1))
    assert data["kode_desa"] == SEPATIN and data["nama_desa"] == "Sepatin" and data["tahun"] == 2022
    assert [data[k] for k in ("iks", "ike", "ikl", "idm", "penambahan")] == [
        figures.iks, figures.ike, figures.ikl, figures.idm, figures.penambahan
    ]
    assert (data["status"], data["target_status"], data["skor_minimal"]) == (
        figures.status, figures.target_status, figures.skor_minimal
    )
    assert data["status"].isupper()
    assert len(data["indicators"]) == 50
    assert all(set(item) == INDICATOR_KEYS for item in data["indicators"])
    first_ike = next(i for i in data["indicators"] if i["index"] == "IKE")
    assert first_ike["no"] == 1 and first_ike["skor"] == scores_for(1)[35]


def test_show_defaults_to_the_latest_year_and_prints_the_official_table(cli_env, imported):
    done = run(cli_env, "idm", "show", SEPATIN)
    assert "IDM 2023" in done.stdout and "STATUS IDM 2023" in done.stdout
    for column in ("INDIKATOR", "SKOR", "KETERANGAN", "KEGIATAN", "+NILAI", "IKS 2023"):
        assert column in done.stdout


def test_show_missing_year_names_the_years_there_are(cli_env, imported):
    done = run(cli_env, "idm", "show", SEPATIN, "--year", "2019")
    assert done.returncode == 2
    assert "tersedia: 2022, 2023" in done.stderr


def test_export_csv_and_xlsx_one_row_per_village(cli_env, imported, tmp_path):
    target = tmp_path / "idm.csv"
    done = run(cli_env, "idm", "export", "--year", "2023", "--region", "64.02", "-o", str(target))
    assert done.returncode == 0, done.stderr
    with target.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["kode_desa", "nama_desa", "kecamatan", "tahun", "iks", "ike", "ikl",
                             "idm", "status"]
    assert [(r["kode_desa"], r["nama_desa"], r["tahun"]) for r in rows] == [
        (SEPATIN, "Sepatin", "2023"), (SUNGAI_MERIAM, "Sungai Meriam", "2023")
    ]
    assert rows[0]["kecamatan"] == "Anggana"
    xlsx = tmp_path / "idm.xlsx"
    done = run(cli_env, "idm", "export", "--year", "2023", "--format", "xlsx", "-o", str(xlsx))
    assert done.returncode == 0, done.stderr
    sheet = CalamineWorkbook.from_path(str(xlsx)).get_sheet_by_index(0).to_python()
    assert sheet[0][0] == "kode_desa" and len(sheet) == 3
    assert sheet[1][7] == pytest.approx(compute(scores_for(2)).idm)


def test_export_of_a_year_without_data_says_so(cli_env, imported, tmp_path):
    done = run(cli_env, "idm", "export", "--year", "2016", "-o", str(tmp_path / "x.csv"))
    assert done.returncode == 2 and "Tidak ada data IDM 2016" in done.stderr


def test_whatif_shows_the_new_idm_and_status(cli_env, imported):
    done = run(cli_env, "idm", "whatif", SEPATIN, "--year", "2023", "--raise", "IKE 7=5",
               "--format", "json")
    data = json.loads(done.stdout)
    expected = what_if(scores_for(2), ["IKE 7=5"]).after
    assert data["after"] == {"idm": expected.idm, "status": expected.status}
    plain = run(cli_env, "idm", "whatif", SEPATIN, "--year", "2023", "--raise", "IKE 7=5")
    assert f"{expected.idm:.4f}".replace(".", ",") in plain.stdout  # written the Indonesian way


def test_whatif_with_a_wrong_raise_explains(cli_env, imported):
    done = run(cli_env, "idm", "whatif", SEPATIN, "--raise", "IKE 70=5")
    assert done.returncode == 2 and "--raise tidak sah" in done.stderr


def test_a_bad_file_is_rejected_whole_with_row_and_reason(cli_env, imported, tmp_path):
    source = write_scores_csv(tmp_path / "bad.csv", [(SEPATIN, 2021, scores_for(4)),
                                                      ("6402999999", 2021, scores_for(5))])
    done = run(cli_env, "idm", "import", str(source))
    assert done.returncode == 2
    assert "bad.csv, baris 3" in done.stderr and "tidak ada yang disimpan" in done.stderr
    assert run(cli_env, "idm", "show", SEPATIN, "--year", "2021").returncode == 2


def test_derive_shows_the_score_and_the_rule_used(cli_env):
    done = run(cli_env, "idm", "derive", "waktu_tempuh_sarkes_menit", "45")
    assert done.returncode == 0
    assert "IKS 1: skor 4" in done.stdout and "> 30 s.d. ≤ 60 menit" in done.stdout
    unknown = run(cli_env, "idm", "derive", "waktu", "4")
    assert unknown.returncode == 2 and "waktu_tempuh_sarkes_menit" in unknown.stderr

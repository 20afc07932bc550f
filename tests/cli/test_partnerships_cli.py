"""`mitradesa partnerships …` as a user runs it, on both backends: import (all or nothing,
bad rows named), list as json, export that re-imports unchanged, reminders, mitra accounts."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from mitradesa.io.exports import write_xlsx
from tests.cli.conftest import run

LIST_KEYS = {"id", "nomor", "judul", "tahap", "mou_id", "mitra", "desa", "lingkup",
             "tanggal_mulai", "tanggal_selesai", "tanggal_tanda_tangan", "nilai_rupiah", "demo"}
PASSWORD = {"MITRADESA_NEW_PASSWORD": "sandi-uji-yang-panjang"}


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


def read_table(path: Path) -> list[list[str]]:
    if path.suffix == ".csv":
        return list(csv.reader(path.open(encoding="utf-8")))
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()


def flat(text: str) -> str:
    """Rich wraps long lines on stderr; compare on single spaces."""
    return " ".join(text.split())


def listing(env, *args: str) -> list[dict]:
    done = run(env, "partnerships", "list", "--format", "json", *args)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def imported(cli_env, tmp_path_factory):
    folder = tmp_path_factory.mktemp("tables")
    partners = write_csv(folder / "mitra.csv", [
        ["nama", "jenis", "bidang", "wilayah", "kontak_telepon", "aktif"],
        ["PT Tambang Kukar", "csr_swasta", "umkm; pertanian", "64.02.03", "+62 811 555 01", "ya"],
        ["BAZNAS Kutai Kartanegara", "baznas_filantropi", "umkm, pendampingan_usaha", "", "",
         ""],
    ])
    done = run(cli_env, "partnerships", "import-partners", str(partners))
    assert done.returncode == 0, done.stderr
    assert "2 mitra baru, 0 diperbarui, 0 tetap" in done.stdout
    agreements = folder / "perjanjian.xlsx"
    write_xlsx(agreements, ["judul", "mitra", "desa", "lingkup", "nilai_rupiah",
                            "tanggal_mulai", "tanggal_selesai", "ruang_lingkup"], [
        ["Penguatan UMKM Loa Kulu", "PT Tambang Kukar; BAZNAS Kutai Kartanegara",
         "64.02.03.2001; 6402032002", "umkm", 750_000_000, "2025-09-01", "2027-08-31",
         "- pelatihan pemasaran"],
        ["Pertanian Sepatin", "PT Tambang Kukar", "64.02.04.2001", "Pertanian",
         "Rp 120.000.000", "01/10/2025", "30/09/2026", ""],
    ])
    done = run(cli_env, "partnerships", "import-agreements", str(agreements))
    assert done.returncode == 0, done.stderr
    assert "2 perjanjian baru" in done.stdout
    return folder


def test_list_json_has_every_agreement_with_partners_villages_stage_dates_value_scope(
    cli_env, imported
):
    items = listing(cli_env)
    assert [i["judul"] for i in items] == ["Pertanian Sepatin", "Penguatan UMKM Loa Kulu"]
    assert all(set(i) == LIST_KEYS for i in items)
    loa_kulu = items[1]
    assert [p["nama"] for p in loa_kulu["mitra"]] == ["BAZNAS Kutai Kartanegara",
                                                       "PT Tambang Kukar"]
    assert [d["kode"] for d in loa_kulu["desa"]] == ["64.02.03.2001", "64.02.03.2002"]
    assert all(d["nama"] for d in loa_kulu["desa"])
    assert (loa_kulu["tahap"], loa_kulu["lingkup"], loa_kulu["nilai_rupiah"]) == (
        "persiapan", ["umkm"], 750_000_000)
    assert (loa_kulu["tanggal_mulai"], loa_kulu["tanggal_selesai"]) == ("2025-09-01",
                                                                        "2027-08-31")
    sepatin = items[0]
    assert sepatin["nilai_rupiah"] == 120_000_000 and sepatin["tanggal_mulai"] == "2025-10-01"
    assert sepatin["lingkup"] == ["pertanian"]


def test_list_filters_by_village_partner_and_stage(cli_env, imported):
    assert [i["judul"] for i in listing(cli_env, "--village", "6402042001")] == [
        "Pertanian Sepatin"]
    baznas = next(p for i in listing(cli_env) for p in i["mitra"]
                  if p["nama"].startswith("BAZNAS"))
    assert [i["judul"] for i in listing(cli_env, "--partner", str(baznas["id"]))] == [
        "Penguatan UMKM Loa Kulu"]
    assert listing(cli_env, "--stage", "pelaksanaan") == []
    table = run(cli_env, "partnerships", "list")
    assert table.returncode == 0 and "2 perjanjian." in table.stdout


def test_import_with_a_bad_row_saves_nothing_and_names_each_bad_row(cli_env, imported, tmp_path):
    bad = write_csv(tmp_path / "salah.csv", [
        ["judul", "mitra", "desa", "lingkup", "tanggal_mulai"],
        ["Kerja sama yang benar", "PT Tambang Kukar", "64.02.04.2001", "umkm", "2025-09-01"],
        ["Desa salah", "PT Tambang Kukar", "64.02.99.2001", "umkm", ""],
        ["Bidang dan tanggal salah", "PT Tidak Ada", "64.02.04.2001", "tambang", "2025-02-30"],
    ])
    done = run(cli_env, "partnerships", "import-agreements", str(bad))
    assert done.returncode == 2
    errors = flat(done.stderr)
    assert "salah.csv, baris 3: desa: kode desa tidak dikenal: 64.02.99.2001" in errors
    assert "salah.csv, baris 4: mitra tidak ditemukan: PT Tidak Ada" in errors
    assert "bidang tidak dikenal: tambang" in errors
    assert "tanggal_mulai “2025-02-30” bukan tanggal yang sah" in errors
    assert "baris 2" not in errors
    assert "Impor dibatalkan: 2 masalah, tidak ada yang disimpan" in errors
    assert len(listing(cli_env)) == 2  # the good row was not saved either


def test_unknown_partner_kind_and_sector_are_refused(cli_env, imported, tmp_path):
    bad = write_csv(tmp_path / "mitra-salah.csv", [
        ["nama", "jenis", "bidang"], ["PT Baru", "tambang", "umkm; sawit"]])
    done = run(cli_env, "partnerships", "import-partners", str(bad))
    assert done.returncode == 2
    errors = flat(done.stderr)
    assert "mitra-salah.csv, baris 2: jenis “tambang” tidak dikenal" in errors
    assert "bidang tidak dikenal: sawit" in errors


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_exported_files_reimport_unchanged(cli_env, imported, tmp_path, fmt):
    for what, noun in (("partners", "mitra"), ("agreements", "perjanjian")):
        first = tmp_path / f"{what}.{fmt}"
        done = run(cli_env, "partnerships", f"export-{what}", "--format", fmt, "-o", str(first))
        assert done.returncode == 0, done.stderr
        again = run(cli_env, "partnerships", f"import-{what}", str(first))
        assert again.returncode == 0, again.stderr
        assert f"0 {noun} baru, 0 diperbarui, 2 tetap" in again.stdout
        second = tmp_path / f"{what}-2.{fmt}"
        run(cli_env, "partnerships", f"export-{what}", "-o", str(second))
        assert read_table(second) == read_table(first)
    if fmt == "csv":
        text = (tmp_path / "partners.csv").read_text()
        assert "'+62 811 555 01" in text  # a formula character is escaped, and read back
        assert "- pelatihan pemasaran" in (tmp_path / "agreements.csv").read_text()


def test_an_edited_export_updates_only_the_changed_agreement(cli_env, imported, tmp_path):
    path = tmp_path / "perjanjian.csv"
    run(cli_env, "partnerships", "export-agreements", "-o", str(path))
    rows = list(csv.reader(path.open(encoding="utf-8")))
    header = rows[0]
    target = next(r for r in rows[1:] if r[header.index("judul")] == "Pertanian Sepatin")
    target[header.index("nilai_rupiah")] = "130000000"
    write_csv(path, rows)
    done = run(cli_env, "partnerships", "import-agreements", str(path))
    assert done.returncode == 0, done.stderr
    assert "0 perjanjian baru, 1 diperbarui, 1 tetap" in done.stdout
    assert listing(cli_env, "--village", "64.02.04.2001")[0]["nilai_rupiah"] == 130_000_000


def test_reminders_name_agreements_ending_within_90_days(cli_env, imported):
    done = run(cli_env, "partnerships", "reminders", "--today", "2026-08-01", "--format",
               "json")
    assert done.returncode == 0, done.stderr
    ending = [r for r in json.loads(done.stdout) if r["jenis"] == "berakhir"]
    assert [(r["judul"], r["hari"]) for r in ending] == [("Pertanian Sepatin", 60)]


@pytest.mark.parametrize(("args", "message"), [
    (["list", "--village", "64.02.99.2001"], "64.02.99.2001 tidak ditemukan"),
    (["list", "--stage", "tamat"], "Tahap “tamat” tidak dikenal"),
    (["list", "--partner", "999"], "Mitra nomor 999 tidak ditemukan"),
    (["reminders", "--today", "2026-13-01"], "tulis YYYY-MM-DD"),
    (["import-partners", "/tidak/ada.xlsx"], "tidak ditemukan"),
    (["link-user", "tidak.ada", "1"], "Pengguna tidak.ada tidak ditemukan"),
])
def test_wrong_input_is_one_plain_sentence_and_exit_2(cli_env, imported, args, message):
    done = run(cli_env, "partnerships", *args)
    assert done.returncode == 2
    assert message in flat(done.stderr)


def test_a_mitra_account_is_linked_to_the_partner_of_its_organisation(cli_env, imported):
    done = run({**cli_env, **PASSWORD}, "users", "create", "mitra.tambang", "--role", "mitra",
               "--organisation", "PT Tambang Kukar")
    assert done.returncode == 0, done.stderr
    assert "Ditautkan ke mitra PT Tambang Kukar" in done.stdout


def test_a_mitra_account_without_partner_is_told_how_to_link_later(cli_env, imported):
    done = run({**cli_env, **PASSWORD}, "users", "create", "mitra.baru", "--role", "mitra",
               "--organisation", "Yayasan Belum Tercatat")
    assert done.returncode == 0, done.stderr
    assert "mitradesa partnerships link-user mitra.baru" in flat(done.stdout)
    partners = json.loads(run(cli_env, "partnerships", "partners", "--format", "json").stdout)
    baznas = next(p for p in partners if p["nama"].startswith("BAZNAS"))
    linked = run(cli_env, "partnerships", "link-user", "mitra.baru", str(baznas["id"]))
    assert linked.returncode == 0, linked.stderr
    assert "mitra.baru kini bertindak untuk mitra BAZNAS Kutai Kartanegara" in linked.stdout
    refused = run(cli_env, "partnerships", "link-user", "mitra.tambang", "999")
    assert refused.returncode == 2

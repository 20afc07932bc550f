"""Importing the ministry's Indeks Desa exports: checks, all-or-nothing, idempotence, code
history, published statuses (small made-up files, on both backends)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import func, select

from mitradesa.idm.indeks_desa import MIN_TOTAL, compute, items
from mitradesa.indeks_desa_records.importing import import_indeks_desa_files
from mitradesa.indeks_desa_records.models import IndeksDesaImport, IndeksDesaResult
from mitradesa.io.errors import ImportRejectedError
from mitradesa.regions.models import Region
from tests.indeks_desa_records.fixtures import (
    OLD_SUGIE,
    SEPATIN,
    SUNGAI_MERIAM,
    headers,
    scores_for,
    write_export,
)


def run_import(db, paths, tmp_path, **options):
    report = import_indeks_desa_files(db, list(paths), store_dir=tmp_path / "store", **options)
    db.commit()
    return report


def stored(db, code: str, year: int = 2025) -> IndeksDesaResult:
    return db.scalars(select(IndeksDesaResult).where(
        IndeksDesaResult.village_code == code, IndeksDesaResult.year == year)).one()


def count(db, model=IndeksDesaResult) -> int:
    return db.scalar(select(func.count()).select_from(model))


def test_items_are_found_by_label_whatever_their_order_and_spelling(db, tmp_path):
    """Columns shuffled, the structure's wording for some, odd case, spaces and "?"."""
    scores = scores_for(1)
    head = headers()
    labels = [item.label if item.no % 2 else f"  {item.export_label.upper()} ?" for item in
              items()]
    order = list(reversed(range(127)))
    path = tmp_path / "acak.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(head[:6] + [labels[i] for i in order])
        writer.writerow(["P", "K", "C", SEPATIN, "Sepatin", "2025", *(scores[i] for i in order)])
    report = run_import(db, [path], tmp_path)
    assert report.created == 1
    result, figures = stored(db, "64.02.04.2001"), compute(scores)
    assert result.scores == "".join(map(str, scores))
    assert (result.total, result.nilai, result.status) == (figures.total, figures.nilai,
                                                           figures.status)
    assert result.figures_source == "computed" and result.published is None


def test_the_raw_file_is_kept_and_reimporting_it_changes_nothing(db, tmp_path):
    source = write_export(tmp_path / "id.csv", [(SEPATIN, 2025, scores_for(2))])
    run_import(db, [source], tmp_path)
    entry = db.scalars(select(IndeksDesaImport)).one()
    assert Path(entry.stored_path).read_bytes() == source.read_bytes()
    assert entry.sha256 in entry.stored_path and entry.rows == 1
    before = stored(db, "64.02.04.2001").updated_at
    again = run_import(db, [source], tmp_path)
    assert again.files[0].state == "unchanged" and again.written == 0
    copy = tmp_path / "salinan.csv"
    copy.write_bytes(source.read_bytes() + b"\n")
    third = run_import(db, [copy], tmp_path)
    assert (third.created, third.updated, third.unchanged) == (0, 0, 1)
    assert stored(db, "64.02.04.2001").updated_at == before and count(db) == 1


def test_bad_rows_are_listed_with_file_row_and_reason_and_nothing_is_written(db, tmp_path):
    kelurahan = db.scalar(select(Region.code).where(Region.kind == "kelurahan").limit(1))
    outside = scores_for(3)
    two_levels = next(item for item in items() if item.levels == (1, 5))
    outside[two_levels.position] = 3
    rows = [(SEPATIN, 2025, scores_for(3)), ("6402999999", 2025, scores_for(3)),
            (SUNGAI_MERIAM, 2025, outside), (kelurahan.replace(".", ""), 2025, scores_for(3)),
            ("64O2042001", 2025, scores_for(3)), ("6402", 2025, scores_for(3))]
    bad = write_export(tmp_path / "bad.csv", rows)
    missing = tmp_path / "kurang.csv"
    head = headers()
    write_export(missing, [(SEPATIN, 2025, scores_for(4)[:-1])], columns=head[:-1])
    with pytest.raises(ImportRejectedError) as caught:
        run_import(db, [bad, missing], tmp_path)
    db.rollback()
    reasons = {(p.file, p.row): p.reason for p in caught.value.problems}
    assert "64.02.99.9999 tidak dikenal" in reasons[("bad.csv", 3)]
    assert f"skor item {two_levels.no}" in reasons[("bad.csv", 4)]
    assert "= 3, bukan salah satu tingkat item ini (1, 5)" in reasons[("bad.csv", 4)]
    assert "kelurahan" in reasons[("bad.csv", 5)] and "hanya untuk desa" in reasons[("bad.csv", 5)]
    assert "1 kolom item tidak ada: item 127" in reasons[("kurang.csv", 1)]
    assert reasons[("bad.csv", 6)] == "kode desa tidak sah: '64O2042001'"
    assert reasons[("bad.csv", 7)] == "kode desa tidak sah: '6402'"
    assert len(reasons) == 6
    assert count(db) == 0 and count(db, IndeksDesaImport) == 0
    assert not (tmp_path / "store").exists()


def test_an_unknown_column_among_the_items_rejects_the_file(db, tmp_path):
    head = headers()
    head[10] = "Ketersediaan Kolam Renang di Desa"
    path = write_export(tmp_path / "asing.csv", [(SEPATIN, 2025, scores_for(5))], columns=head)
    with pytest.raises(ImportRejectedError) as caught:
        run_import(db, [path], tmp_path)
    db.rollback()
    reasons = [p.reason for p in caught.value.problems]
    assert any("kolom item tidak dikenal: K “Ketersediaan Kolam Renang di Desa”" in r
               for r in reasons)
    assert any("1 kolom item tidak ada: item 5 " in r for r in reasons)


def test_skip_invalid_imports_the_valid_rows_and_lists_the_others(db, tmp_path):
    rows = [(SEPATIN, 2025, scores_for(6)), ("6402999999", 2025, scores_for(6))]
    report = run_import(db, [write_export(tmp_path / "m.csv", rows)], tmp_path,
                        skip_invalid=True)
    assert report.created == 1 and [p.row for p in report.skipped] == [3]


def test_an_old_code_lands_on_todays_desa_and_says_so(db, tmp_path):
    code, name = OLD_SUGIE
    report = run_import(db, [write_export(tmp_path / "lama.csv", [(code, 2025, scores_for(7))],
                                          names=[name])], tmp_path)
    result = stored(db, "21.02.14.2001")
    assert result.given_code == "21.02.01.2005"
    assert "21.02.01.2005" in report.relocated[0] and "21.02.14.2001" in report.relocated[0]


def test_a_disagreeing_published_status_is_imported_as_published_and_reported(db, tmp_path):
    scores = scores_for(8)
    figures = compute(scores)
    higher = "MANDIRI" if figures.status != "MANDIRI" else "MAJU"
    rows = [(SEPATIN, 2025, scores), (SUNGAI_MERIAM, 2025, scores)]
    path = write_export(tmp_path / "terbit.csv", rows, extra={
        "STATUS ID 25": [higher.title(), figures.status],
        "Nilai ID": ["", str(figures.nilai).replace(".", ",")],
    })
    report = run_import(db, [path], tmp_path)
    [finding] = report.discrepancies
    assert (finding.kode_desa, finding.row) == (SEPATIN, 2)
    assert (finding.status_terbitan, finding.status_hitung_ulang) == (higher, figures.status)
    assert finding.selisih_poin == MIN_TOTAL[higher] - figures.total > 0
    result = stored(db, "64.02.04.2001")
    assert result.status == higher and result.figures_source == "published"
    assert result.total == figures.total and result.nilai == figures.nilai
    assert result.published == {"status": higher.title()}
    assert result.discrepancy["status_hitung_ulang"] == figures.status
    agreeing = stored(db, "64.02.04.2006")
    assert agreeing.status == figures.status and agreeing.discrepancy is None
    assert agreeing.figures_source == "published"
    entry = db.scalars(select(IndeksDesaImport)).one()
    assert entry.report["discrepancies"] == 1
    assert entry.report["status_discrepancies"][0]["kode_desa"] == SEPATIN


def test_an_unknown_published_status_is_a_row_problem(db, tmp_path):
    path = write_export(tmp_path / "s.csv", [(SEPATIN, 2025, scores_for(9))],
                        extra={"Status ID": ["HEBAT"]})
    with pytest.raises(ImportRejectedError) as caught:
        run_import(db, [path], tmp_path)
    db.rollback()
    assert "status terbitan tidak dikenal: 'HEBAT'" in caught.value.problems[0].reason


def test_a_published_total_and_nilai_are_the_official_figures(db, tmp_path):
    scores = scores_for(10)
    figures = compute(scores)
    given = figures.total + 3
    nilai = round(given * 100 / 635 + 1e-9, 2)
    path = write_export(tmp_path / "angka.csv", [(SEPATIN, 2025, scores)], extra={
        "Total": [str(given)], "Nilai ID": [f"{nilai:.2f}".replace(".", ",")]})
    report = run_import(db, [path], tmp_path)
    [finding] = report.discrepancies
    assert finding.selisih_poin == 3 and set(finding.fields) == {"total", "nilai"}
    assert finding.fields["total"] == (given, figures.total)
    result = stored(db, "64.02.04.2001")
    assert (result.total, result.nilai, result.figures_source) == (given, nilai, "published")
    dimensions = (result.layanan_dasar, result.sosial, result.ekonomi, result.lingkungan,
                  result.aksesibilitas, result.tata_kelola)
    assert sum(dimensions) == figures.total  # the sums stay those of the scores


def test_a_folder_imports_its_exports_and_leaves_other_files_alone(db, tmp_path):
    folder = tmp_path / "unduhan"
    folder.mkdir()
    write_export(folder / "a.csv", [(SEPATIN, 2025, scores_for(14))])
    write_export(folder / "b.csv", [(SUNGAI_MERIAM, 2025, scores_for(15))])
    (folder / "BACA.txt").write_text("catatan, bukan data", encoding="utf-8")
    report = run_import(db, [folder], tmp_path)
    assert [f.name for f in report.files] == ["a.csv", "b.csv"] and report.created == 2

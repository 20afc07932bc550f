"""Importing the ministry's IDM files: checks, all-or-nothing, idempotence, code history."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import func, select

from mitradesa.idm import compute
from mitradesa.idm_records.discrepancy import GENERIC_CAUSE, KNOWN_2024_DEFECT
from mitradesa.idm_records.importing import import_idm_files
from mitradesa.idm_records.models import IdmImport, IdmResult
from mitradesa.io.errors import ImportRejectedError
from mitradesa.io.idm_files import SCORE_COLUMNS
from tests.conftest import SHARED_DATA
from tests.idm_records.fixtures import (
    OLD_KUKAR_CODE,
    SEPATIN,
    SUNGAI_MERIAM,
    rumusan,
    scores_for,
    write_json,
    write_scores_csv,
)


def run_import(db, paths, tmp_path, **options):
    report = import_idm_files(db, list(paths), store_dir=tmp_path / "store", **options)
    db.commit()
    return report


def stored(db, code: str, year: int) -> IdmResult:
    return db.scalars(
        select(IdmResult).where(IdmResult.village_code == code, IdmResult.year == year)
    ).one()


def count(db) -> int:
    return db.scalar(select(func.count()).select_from(IdmResult))


def test_rumusan_json_with_and_without_envelope_from_a_folder(db, tmp_path):
    folder = tmp_path / "rumusan"
    folder.mkdir()
    write_json(folder / "a.json", rumusan(SEPATIN, 2022, scores_for(1)))
    write_json(folder / "b.json", rumusan(SUNGAI_MERIAM, 2022, scores_for(2), envelope=False))
    report = run_import(db, [folder], tmp_path)
    assert (report.created, report.updated, report.discrepancies) == (2, 0, [])
    result, figures = stored(db, "64.02.04.2001", 2022), compute(scores_for(1))
    assert (result.iks, result.ike, result.ikl, result.idm) == (
        figures.iks, figures.ike, figures.ikl, figures.idm
    )
    assert (result.status, result.target_status, result.skor_minimal) == (
        figures.status, figures.target_status, figures.skor_minimal
    )
    assert result.penambahan == figures.penambahan
    assert result.figures_source == "published"
    assert result.scores == "".join(map(str, scores_for(1)))


def test_summary_rows_are_found_by_label_with_odd_case_and_spaces(db, tmp_path):
    data = rumusan(SEPATIN, 2021, scores_for(3), label="  {index}   {year}  ")
    for row in data["mapData"]["ROW"]:
        row["INDIKATOR"] = row["INDIKATOR"].lower() if row["NO"] is None else row["INDIKATOR"]
    report = run_import(db, [write_json(tmp_path / "odd.json", data)], tmp_path)
    assert report.created == 1 and not report.discrepancies
    assert stored(db, "64.02.04.2001", 2021).idm == compute(scores_for(3)).idm


def test_the_raw_file_is_kept_unchanged_beside_the_result(db, tmp_path):
    source = write_json(tmp_path / "a.json", rumusan(SEPATIN, 2022, scores_for(1)))
    run_import(db, [source], tmp_path)
    entry = db.scalars(select(IdmImport)).one()
    assert Path(entry.stored_path).read_bytes() == source.read_bytes()
    assert stored(db, "64.02.04.2001", 2022).import_id == entry.id
    assert entry.filename == "a.json" and entry.rows == 1


def test_reimporting_the_same_file_changes_nothing(db, tmp_path):
    source = write_scores_csv(tmp_path / "s.csv", [(SEPATIN, 2023, scores_for(4))])
    run_import(db, [source], tmp_path)
    before = stored(db, "64.02.04.2001", 2023).updated_at
    again = run_import(db, [source], tmp_path)
    assert again.files[0].state == "unchanged" and again.written == 0
    assert count(db) == 1 and stored(db, "64.02.04.2001", 2023).updated_at == before
    assert db.scalar(select(func.count()).select_from(IdmImport)) == 1


def test_a_new_file_updates_only_what_changed(db, tmp_path):
    rows = [(SEPATIN, 2023, scores_for(4)), (SUNGAI_MERIAM, 2023, scores_for(5))]
    run_import(db, [write_scores_csv(tmp_path / "one.csv", rows)], tmp_path)
    changed = [rows[0], (SUNGAI_MERIAM, 2023, [5] * 50)]
    report = run_import(db, [write_scores_csv(tmp_path / "two.csv", changed)], tmp_path)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert stored(db, "64.02.04.2006", 2023).status == "MANDIRI"


def test_unknown_code_rejects_the_whole_import_naming_file_row_and_reason(db, tmp_path):
    rows = [(SEPATIN, 2023, scores_for(1)), ("6402999999", 2023, scores_for(2))]
    source = write_scores_csv(tmp_path / "bad.csv", rows)
    with pytest.raises(ImportRejectedError) as caught:
        run_import(db, [source], tmp_path)
    db.rollback()
    [problem] = caught.value.problems
    assert (problem.file, problem.row) == ("bad.csv", 3)
    assert "64.02.99.9999 tidak dikenal" in problem.reason
    assert count(db) == 0 and db.scalar(select(func.count()).select_from(IdmImport)) == 0
    assert not (tmp_path / "store").exists()


def test_score_outside_0_to_5_and_wrong_indicator_count_are_reported(db, tmp_path):
    bad_score = scores_for(1)
    bad_score[SCORE_COLUMNS.index("ike_7")] = 7
    table = write_scores_csv(tmp_path / "t.csv", [(SEPATIN, 2023, bad_score)])
    short = rumusan(SUNGAI_MERIAM, 2023, scores_for(2))
    short["mapData"]["ROW"] = [r for r in short["mapData"]["ROW"] if r["INDIKATOR"] != "Skor Pasar"]
    json_file = write_json(tmp_path / "short.json", short)
    with pytest.raises(ImportRejectedError) as caught:
        run_import(db, [table, json_file], tmp_path)
    db.rollback()
    reasons = {(p.file, p.row): p.reason for p in caught.value.problems}
    assert "IKE 7" in reasons[("t.csv", 2)] and "= 7, di luar 0–5" in reasons[("t.csv", 2)]
    assert "IKE" in reasons[("short.json", None)] and "11" in reasons[("short.json", None)]
    assert count(db) == 0


def test_skip_invalid_imports_the_valid_rows_and_lists_the_others(db, tmp_path):
    rows = [(SEPATIN, 2023, scores_for(1)), ("6402999999", 2023, scores_for(2))]
    report = run_import(db, [write_scores_csv(tmp_path / "m.csv", rows)], tmp_path,
                        skip_invalid=True)
    assert report.created == 1 and [p.row for p in report.skipped] == [3]


def test_an_old_code_lands_on_todays_village_and_says_so(db, tmp_path):
    source = write_scores_csv(tmp_path / "old.csv", [(OLD_KUKAR_CODE, 2019, scores_for(6))])
    report = run_import(db, [source], tmp_path)
    result = stored(db, "64.02.19.2001", 2019)
    assert result.given_code == "64.02.08.2001"
    assert "64.02.08.2001" in report.relocated[0] and "64.02.19.2001" in report.relocated[0]


def test_disagreeing_published_figures_are_kept_as_official_and_reported(db, tmp_path):
    scores = scores_for(7)
    figures = compute(scores)
    shifted = {"iks": figures.iks + 4 / 175, "idm": figures.idm + 4 / 525}
    files = [
        write_json(tmp_path / "a.json", rumusan(SEPATIN, 2024, scores, published=shifted)),
        write_json(tmp_path / "b.json", rumusan(SUNGAI_MERIAM, 2022, scores,
                                                 published={"ike": figures.ike + 0.1})),
    ]
    report = run_import(db, files, tmp_path)
    causes = {d.kode_desa: d.cause for d in report.discrepancies}
    assert causes[SUNGAI_MERIAM] == GENERIC_CAUSE
    assert causes[SEPATIN].startswith(KNOWN_2024_DEFECT)
    assert "IKS terbitan +4/175 (+0,0229)" in causes[SEPATIN]
    assert "IDM terbitan +4/525 (+0,0076)" in causes[SEPATIN]
    assert "Internet Kantor Desa" in causes[SEPATIN]
    result = stored(db, "64.02.04.2001", 2024)
    assert result.iks == pytest.approx(figures.iks + 4 / 175, abs=1e-12)
    assert result.discrepancy["fields"]["iks"]["computed"] == figures.iks
    assert report.created == 2


def test_excel_tables_with_untidy_headers(db, tmp_path):
    import xlsxwriter

    path = tmp_path / "skor.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, ["Kode Desa ", " TAHUN", *(c.upper() for c in SCORE_COLUMNS)])
    sheet.write_row(1, 0, [SEPATIN, 2023, *scores_for(8)])
    workbook.close()
    report = run_import(db, [path], tmp_path)
    assert report.created == 1
    assert stored(db, "64.02.04.2001", 2023).idm == compute(scores_for(8)).idm


def test_the_ministrys_published_file_imports_whole(db, tmp_path):
    """8,912 real village-years and the 21 verbatim API answers: every published figure is
    stored; 2021–2023 all agree with the recomputation, 2024 differ only by the known defect."""
    source = SHARED_DATA / "idm-official" / "scores.csv"
    samples = SHARED_DATA / "idm-official" / "samples"
    if not source.exists():
        pytest.skip("../shared/data/idm-official is not beside this checkout")
    report = run_import(db, [source, samples], tmp_path, skip_invalid=True)
    assert report.created == 8912 and report.skipped == []
    assert [f.records for f in report.files if f.name.endswith(".json")] == [1] * 21
    assert len(report.discrepancies) == 559
    assert {d.tahun for d in report.discrepancies} == {2024}
    assert all(d.cause.startswith(KNOWN_2024_DEFECT) for d in report.discrepancies)
    assert all("IKS 30 Skor Internet Kantor Desa" in d.cause for d in report.discrepancies)
    assert {d.cause.split(" (")[0] for d in report.discrepancies} == {
        f"{KNOWN_2024_DEFECT}: {figure}"
        for figure in ("IKS terbitan +4/175", "IKS terbitan −4/175", "IDM terbitan +4/525",
                       "IDM terbitan −4/525", "status terbitan berbeda dari hitungan ulang walau "
                       "angkanya sama; IKS 30 Skor Internet Kantor Desa / IKS 31 Skor Akses "
                       "Internet Warga disamakan pada data 2024")
    }
    assert len(report.relocated) == 99  # e.g. Asei Kecil → Desa Adat Kleuwblou
    assert any("91.03.02.3005" in line for line in report.relocated)
    with source.open(encoding="utf-8") as handle:
        published = {(r["kode_desa"], int(r["tahun"])): r for r in csv.DictReader(handle)}
    rows = db.execute(select(IdmResult.given_code, IdmResult.year, IdmResult.iks, IdmResult.ike,
                             IdmResult.ikl, IdmResult.idm, IdmResult.status,
                             IdmResult.target_status, IdmResult.skor_minimal,
                             IdmResult.penambahan))
    checked = 0
    for code, year, *figures in rows:
        row = published[(code.replace(".", ""), year)]
        expected = [float(row["iks"]), float(row["ike"]), float(row["ikl"]), float(row["idm"]),
                    row["status"], row["target_status"], row["skor_minimal"],
                    float(row["penambahan"])]
        assert figures == expected, (code, year)
        checked += 1
    assert checked == 8912


def test_published_columns_in_tables_are_found_by_label(db, tmp_path):
    figures = compute(scores_for(9))
    rows = [(SEPATIN, 2023, scores_for(9)), (SUNGAI_MERIAM, 2023, scores_for(9))]
    extra = {
        "IKS 2023 ": [f"{figures.iks:.4f}", f"{figures.iks:.4f}"],
        "Nilai IDM": [f"{figures.idm:.4f}", f"{figures.idm + 0.01:.4f}"],
        "STATUS IDM 2023": [figures.status.lower(), figures.status],
    }
    report = run_import(db, [write_scores_csv(tmp_path / "p.csv", rows, extra)], tmp_path)
    assert [(d.kode_desa, sorted(d.fields)) for d in report.discrepancies] == [
        (SUNGAI_MERIAM, ["idm"])
    ]
    assert stored(db, "64.02.04.2001", 2023).figures_source == "published"


def test_a_malformed_code_is_listed_with_its_row_instead_of_stopping_the_import(db, tmp_path):
    rows = [(SEPATIN, 2023, scores_for(1)), ("64-02-04", 2023, scores_for(2))]
    source = write_scores_csv(tmp_path / "typo.csv", rows)
    with pytest.raises(ImportRejectedError) as caught:
        run_import(db, [source], tmp_path)
    db.rollback()
    [problem] = caught.value.problems
    assert (problem.file, problem.row) == ("typo.csv", 3)
    assert "kode desa tidak sah" in problem.reason

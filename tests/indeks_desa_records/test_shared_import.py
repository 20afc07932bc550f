"""The 10,969 real desa of ../shared/data/indeks-desa-2025 imported whole, from the CSV and from
an XLSX made from it, on both backends: stored under their own codes, and exported with
exactly the spec's total, nilai, status and dimension sums (computed here from the shared
item structure, independently of the catalogue)."""

from __future__ import annotations

import csv
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
import xlsxwriter
from sqlalchemy import func, select

from mitradesa.db.session import make_engine, session_factory
from mitradesa.indeks_desa_records import queries
from mitradesa.indeks_desa_records.importing import import_indeks_desa_files
from mitradesa.indeks_desa_records.models import IndeksDesaResult
from mitradesa.regions.queries import get_region
from tests.conftest import BACKENDS, SHARED_DATA

DATA = SHARED_DATA / "indeks-desa-2025"
CSV = DATA / "scores-2025.csv"
# The spec's status table on the whole-number total.
THRESHOLDS = ((506, "MANDIRI"), (441, "MAJU"), (365, "BERKEMBANG"), (315, "TERTINGGAL"),
              (0, "SANGAT TERTINGGAL"))


def _require_data() -> None:
    if not CSV.exists():
        pytest.skip("../shared/data/indeks-desa-2025 is not beside this checkout (CI has it)")


def _rows() -> tuple[list[str], list[list[str]]]:
    with CSV.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        return next(reader), list(reader)


@pytest.fixture(scope="module")
def shared_xlsx(tmp_path_factory) -> Path:
    """The shared CSV as the first sheet of a workbook, scores and year as numbers."""
    _require_data()
    head, rows = _rows()
    path = tmp_path_factory.mktemp("xlsx") / "scores-2025.xlsx"
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("Indeks Desa 2025")
    sheet.write_row(0, 0, head)
    for number, row in enumerate(rows, start=1):
        sheet.write_row(number, 0, row[:5])
        sheet.write_row(number, 5, [int(value) for value in row[5:]])
    book.close()
    return path


@pytest.fixture(scope="module", params=BACKENDS)
def shared(request, registry_copy, tmp_path_factory):
    """A database of its own per backend holding the registry and the whole shared CSV."""
    _require_data()
    engine = make_engine(registry_copy(request.param, "indeks_desa_shared"))
    store = tmp_path_factory.mktemp("store")
    with session_factory(engine)() as session:
        report = import_indeks_desa_files(session, [CSV], store_dir=store)
        session.commit()
    yield engine, report, store
    engine.dispose()


def expected() -> dict[str, tuple[int, float, str, list[int]]]:
    """kode → (total, nilai, status, six dimension sums) by the spec's formula."""
    with (DATA / "item-structure.csv").open(encoding="utf-8-sig", newline="") as handle:
        dimension_of = [int(row["NO"]) - 1 for row in csv.DictReader(handle, delimiter=";")]
    _, rows = _rows()
    found = {}
    for row in rows:
        scores = [int(value) for value in row[6:]]
        sums = [0] * 6
        for dimension, score in zip(dimension_of, scores, strict=True):
            sums[dimension] += score
        total = sum(scores)
        nilai = float((Decimal(total * 100) / 635).quantize(Decimal("0.01"), ROUND_HALF_UP))
        status = next(name for low, name in THRESHOLDS if total >= low)
        found[row[3]] = (total, nilai, status, sums)
    return found


def test_every_shared_desa_is_stored_under_its_own_code(shared):
    engine, report, _ = shared
    assert (report.created, report.updated, report.skipped, report.relocated) == (10969, 0, [],
                                                                                     [])
    assert report.discrepancies == []
    with session_factory(engine)() as session:
        moved = session.scalar(select(func.count()).select_from(IndeksDesaResult).where(
            IndeksDesaResult.village_code != IndeksDesaResult.given_code))
        assert moved == 0


def test_the_export_has_exactly_the_specs_nilai_status_and_dimension_sums(shared):
    engine, _, _ = shared
    with session_factory(engine)() as session:
        rows = queries.export_rows(session, 2025, None)
    assert len(rows) == 10969
    exported = {row[0]: (row[4], row[5], row[6], list(row[7:])) for row in rows}
    assert exported == expected()
    assert list(queries.EXPORT_COLUMNS) == [
        "kode_desa", "nama_desa", "kecamatan", "tahun", "total", "nilai", "status",
        "layanan_dasar", "sosial", "ekonomi", "lingkungan", "aksesibilitas", "tata_kelola"]


def test_pupuan_and_dauh_peken_show_their_published_figures(shared):
    engine, _, _ = shared
    with session_factory(engine)() as session:
        for code, total, nilai, text in (("5102102007", 607, 95.59, "95,59"),
                                         ("5102052005", 604, 95.12, "95,12")):
            village = get_region(session, code)
            data = queries.indeks_desa_object(queries.result_for(session, village.code, 2025),
                                              village)
            assert (data["total"], data["nilai"], data["status"]) == (total, nilai, "MANDIRI")
            assert queries.nilai_text(data["nilai"]) == text
            assert data["target_status"] == "MANDIRI" and data["poin_dibutuhkan"] == 0


def test_tabanan_is_133_of_133_mandiri_and_jawa_tengah_counts_as_computed(shared):
    engine, _, _ = shared
    with session_factory(engine)() as session:
        tabanan = queries.export_rows(session, 2025, "51.02")
        jateng = Counter(row[6] for row in queries.export_rows(session, 2025, "33"))
    assert len(tabanan) == 133 and {row[6] for row in tabanan} == {"MANDIRI"}
    # The data README: 2,182 / 3,904 / 1,706 / 18 / 0 (published 2,208 / 3,921 / 1,666 / 15).
    assert [jateng[s] for s in ("MANDIRI", "MAJU", "BERKEMBANG", "TERTINGGAL",
                                "SANGAT TERTINGGAL")] == [2182, 3904, 1706, 18, 0]


def test_reimporting_the_csv_or_an_xlsx_made_from_it_changes_nothing(shared, shared_xlsx):
    engine, _, store = shared
    with session_factory(engine)() as session:
        before = session.scalar(select(func.max(IndeksDesaResult.updated_at)))
        again = import_indeks_desa_files(session, [CSV], store_dir=store)
        from_xlsx = import_indeks_desa_files(session, [shared_xlsx], store_dir=store)
        session.commit()
        after = session.scalar(select(func.max(IndeksDesaResult.updated_at)))
    assert again.files[0].state == "unchanged" and again.written == 0
    # Every desa read from the workbook equals what the CSV stored: same code, scores, figures.
    assert (from_xlsx.created, from_xlsx.updated, from_xlsx.unchanged) == (0, 0, 10969)
    assert from_xlsx.skipped == [] and before == after


def test_the_xlsx_imports_whole_into_an_empty_database(registry_copy, shared_xlsx, tmp_path):
    """Once, on SQLite (PostgreSQL reads the same workbook in the re-import test above)."""
    engine = make_engine(registry_copy("sqlite", "indeks_desa_xlsx"))
    try:
        with session_factory(engine)() as session:
            report = import_indeks_desa_files(session, [shared_xlsx], store_dir=tmp_path)
            session.commit()
            rows = queries.export_rows(session, 2025, None)
    finally:
        engine.dispose()
    assert (report.created, report.skipped) == (10969, [])
    assert report.files[0].file_format == "xlsx"
    assert {row[0]: (row[4], row[5], row[6], list(row[7:])) for row in rows} == expected()

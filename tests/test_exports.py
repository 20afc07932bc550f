"""Every spreadsheet export writes formula-like text as text (a partner named
`=HYPERLINK(...)` must not become a live link in DPMD's Excel) and keeps numbers as numbers;
no module writes a workbook or a CSV file around the one writer helper."""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from sqlalchemy import func, select, update

from mitradesa.analysis import planning as pl
from mitradesa.cli.idm import _write_report
from mitradesa.demo.loading import load_demo
from mitradesa.idm_records import queries as idm_queries
from mitradesa.idm_records.models import IdmResult
from mitradesa.io.exports import is_formula_like, restore_cell, safe_cell, write_csv, write_xlsx
from mitradesa.mentoring.models import Household, Program
from mitradesa.mentoring.spreadsheets import export_beneficiaries
from mitradesa.partnerships.models import Agreement, Partner
from mitradesa.partnerships.spreadsheets import export_table
from mitradesa.regions.models import Region
from mitradesa.reports.partner_data import partner_report
from mitradesa.reports.partner_report import write_xlsx as write_partner_xlsx

EVIL = '=HYPERLINK("http://x","y")'
TODAY = date(2026, 11, 23)
SRC = Path(__file__).resolve().parents[1] / "src" / "mitradesa"
HELPER = SRC / "io" / "exports.py"


def xlsx_cells(path: Path) -> list[openpyxl.cell.Cell]:
    book = openpyxl.load_workbook(path)
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
            if cell.value is not None]


def assert_neutral_in_xlsx(path: Path) -> None:
    cells = xlsx_cells(path)
    assert any(c.data_type == "s" and c.value.startswith("'=HYPERLINK") for c in cells), \
        "the test value is not in the export as neutral text"
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    live = [c.value for c in cells if isinstance(c.value, str) and is_formula_like(c.value)]
    assert live == []


def assert_neutral_in_csv(path: Path) -> None:
    with path.open(newline="", encoding="utf-8") as handle:
        values = [v for row in csv.reader(handle) for v in row]
    assert any(v.startswith("'=HYPERLINK") for v in values), "the test value is not in the export"
    assert [v for v in values if is_formula_like(v)] == []


@pytest.fixture
def demo(db, tmp_path):
    load_demo(db, tmp_path / "demo", TODAY)
    db.flush()
    return db


# ------------------------------------------------------------------ the helper


def test_formula_text_is_neutralised_and_numbers_stay_numbers(tmp_path):
    rows = [[EVIL, -5, "-1+2", " =1+1", "@SUM(A1)", "+62 811", "\tx", "Desa Biasa", 2.5,
             date(2025, 1, 2), None]]
    headers = [f"k{i}" for i in range(len(rows[0]))]
    write_xlsx(tmp_path / "t.xlsx", headers, rows)
    cells = openpyxl.load_workbook(tmp_path / "t.xlsx").active[2]
    assert [c.data_type for c in cells[:10]] == ["s", "n", "s", "s", "s", "s", "s", "s", "n",
                                                 "d"]
    assert [c.value for c in cells[:9]] == [
        "'" + EVIL, -5, "'-1+2", "' =1+1", "'@SUM(A1)", "'+62 811", "'\tx", "Desa Biasa", 2.5]
    assert cells[9].value.date() == date(2025, 1, 2)

    write_csv(tmp_path / "t.csv", headers, rows)
    with (tmp_path / "t.csv").open(newline="", encoding="utf-8") as handle:
        written = list(csv.reader(handle))[1]
    assert written[:4] == ["'" + EVIL, "-5", "'-1+2", "' =1+1"]
    assert written[9] == "2025-01-02"


def test_an_import_reads_back_what_the_export_neutralised():
    for text in (EVIL, "-1+2", " =x", "biasa", "'kutip"):
        assert restore_cell(safe_cell(text)) == text


def test_no_export_writes_a_workbook_or_csv_around_the_helper():
    direct = re.compile(r"xlsxwriter\.Workbook\(|openpyxl\.Workbook\(|\bWorkbook\(|"
                        r"csv\.writer\(|csv\.DictWriter\(|\.to_csv\(|\.to_excel\(|"
                        r"import xlsxwriter|from xlsxwriter")
    offenders = [f"{path.relative_to(SRC)}:{n}"
                 for path in SRC.rglob("*.py") if path != HELPER
                 for n, line in enumerate(path.read_text().splitlines(), start=1)
                 if direct.search(line)]
    assert offenders == [], "write spreadsheets through mitradesa.io.exports"


# ------------------------------------------------------------------ each export


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_idm_export_neutralises_a_village_name(demo, tmp_path, fmt):
    year = demo.scalar(select(func.max(IdmResult.year)))
    code = demo.scalar(select(IdmResult.village_code).where(IdmResult.year == year).limit(1))
    demo.execute(update(Region).where(Region.code == code).values(name=EVIL))
    rows = idm_queries.export_rows(demo, year, None)
    path = tmp_path / f"idm.{fmt}"
    if fmt == "csv":
        write_csv(path, idm_queries.EXPORT_COLUMNS, rows)
        assert_neutral_in_csv(path)
    else:
        write_xlsx(path, idm_queries.EXPORT_COLUMNS, rows, sheet=f"IDM {year}")
        assert_neutral_in_xlsx(path)
        numbers = [c for c in xlsx_cells(path) if c.column_letter == "H" and c.row > 1]
        assert numbers and all(c.data_type == "n" for c in numbers)  # the IDM stays a number


def test_idm_import_report_neutralises_a_reason(tmp_path):
    path = tmp_path / "laporan.csv"
    _write_report(path, [("skor.csv", 3, "ditolak", EVIL)])
    assert_neutral_in_csv(path)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("what", ["partners", "agreements"])
def test_partner_and_agreement_exports_neutralise_names(demo, tmp_path, what, fmt):
    first = demo.scalar(select(func.min(Partner.id)))
    demo.execute(update(Partner).where(Partner.id == first).values(name=EVIL))
    demo.execute(update(Agreement).values(title=EVIL))
    path = tmp_path / f"{what}.{fmt}"
    export_table(demo, what, path, fmt)
    (assert_neutral_in_csv if fmt == "csv" else assert_neutral_in_xlsx)(path)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_beneficiary_export_neutralises_a_household_head(demo, tmp_path, fmt):
    demo.execute(update(Household).values(head_name=EVIL))
    program = demo.scalars(select(Program).where(Program.target_type == "household")).first()
    path = tmp_path / f"peserta.{fmt}"
    assert export_beneficiaries(demo, program, path, fmt) > 0
    (assert_neutral_in_csv if fmt == "csv" else assert_neutral_in_xlsx)(path)


def test_partner_report_workbook_neutralises_names(demo, tmp_path):
    partner = demo.scalar(select(Partner).where(Partner.name.like("PT Tambang%")))
    demo.execute(update(Agreement).values(title=EVIL))
    partner.name = EVIL
    path = write_partner_xlsx(partner_report(demo, partner, None, TODAY), tmp_path / "r.xlsx")
    assert_neutral_in_xlsx(path)


def test_planning_workbook_neutralises_a_partner_name(tmp_path):
    codes = [f"64.02.01.20{k:02d}" for k in range(2)]
    villages = pl.Villages(codes, ["64.02.01"] * 2, np.array([[4] * 50] * 2))
    funders = [pl.apbd(100_000_000), pl.partner("P1", 50_000_000, sectors=["umkm"], name=EVIL)]
    plan = pl.plan(villages, pl.default_candidates(villages), funders, "status_up")
    path = pl.write_plan_xlsx(plan, tmp_path / "rencana.xlsx")
    assert_neutral_in_xlsx(path)

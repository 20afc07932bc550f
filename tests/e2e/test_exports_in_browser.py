"""A DPMD officer filters Kukar's IDM ranking on one status, clicks "Download XLSX" beside
the table, and the workbook Excel opens holds the villages of the screen, in the same order,
with the IDM as a number; the CSV link beside it gives the same rows."""

from __future__ import annotations

import csv
import re
from datetime import date

import openpyxl
import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from mitradesa.db.session import session_factory
from mitradesa.demo.loading import load_demo
from mitradesa.idm_records.models import IdmResult
from tests.e2e.conftest import log_in, screenshot

pytestmark = pytest.mark.e2e

KUKAR = "64.02"


@pytest.fixture(scope="module")
def demo_server(live_server, tmp_path_factory):
    with session_factory(live_server.engine)() as session:
        load_demo(session, tmp_path_factory.mktemp("demo"), date(2026, 11, 23))
        session.commit()
        live_server.year = session.scalar(select(func.max(IdmResult.year)))  # type: ignore[attr-defined]
    return live_server


def test_officer_downloads_the_filtered_ranking_and_opens_it(page, demo_server, tmp_path):
    server = demo_server
    log_in(page, server.url, "admin")
    page.goto(f"{server.url}/wilayah/{KUKAR}/idm")
    page.locator("select[name=status]").select_option("MAJU")
    page.locator("form.filters button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"status=MAJU"))
    rows = page.locator("#peringkat table.ranking tbody tr")
    expect(rows.first).to_be_visible()
    names = [rows.nth(i).locator("td").nth(1).locator("a").first.inner_text()
             for i in range(rows.count())]
    ranks = [int(rows.nth(i).locator("td").first.inner_text()) for i in range(rows.count())]
    screenshot(page, f"exports-idm-ranking-{server.backend}")

    link = page.locator("#peringkat .table-downloads a[href*='format=xlsx']")
    expect(link).to_be_visible()
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename.startswith(
        f"peringkat-idm-{server.year}-kabupaten-kutai-kartanegara-")
    assert download.suggested_filename.endswith(".xlsx")
    path = tmp_path / download.suggested_filename
    download.save_as(path)

    book = openpyxl.load_workbook(path)
    data = list(book.worksheets[0].iter_rows(min_row=2))
    assert [row[2].value for row in data][:len(names)] == names
    assert [row[0].value for row in data][:len(ranks)] == ranks
    if page.locator("nav.pager").count() == 0:
        assert len(data) == len(names)  # one page: exactly the screen's rows
    assert {row[8].value for row in data} == {"Maju"}
    assert all(row[7].data_type == "n" and row[7].number_format == "0.0000" for row in data)
    notes = {row[0].value: row[1].value for row in book.worksheets[1].iter_rows()}
    assert "Data contoh (fiktif)" in notes.values() and "Maju" in notes.values()

    with page.expect_download() as info:
        page.locator("#peringkat .table-downloads a[href*='format=csv']").click()
    csv_path = tmp_path / info.value.suggested_filename
    info.value.save_as(csv_path)
    with csv_path.open(encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.reader(handle))[1:]
    assert [line[2] for line in lines] == [row[2].value for row in data]

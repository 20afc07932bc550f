"""An admin imports an IDM file and an Indeks Desa file through /impor: each first with a bad
row, which the preview names with its row; the fixed file is uploaded again, confirmed, and
the result shows what was added. The pages pass axe-core (no serious or critical violation)
at 1366 and 390 px, and screenshots of each step are kept in test-artifacts/."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from mitradesa.settings import get_settings
from tests.e2e.conftest import LiveServer, log_in, screenshot
from tests.e2e.test_accessibility import OVERFLOW, axe_problems
from tests.idm_records.fixtures import scores_for, write_scores_csv
from tests.indeks_desa_records import fixtures as id_fixtures

pytestmark = pytest.mark.e2e
SEPATIN, SUNGAI_MERIAM = "6402042001", "6402042006"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def import_server(live_server: LiveServer, tmp_path_factory) -> Iterator[LiveServer]:
    """The live server with its own data directory (staged uploads, kept files)."""
    folder = tmp_path_factory.mktemp("impor-data")
    before = os.environ.get("MITRADESA_DATA_DIR")
    os.environ["MITRADESA_DATA_DIR"] = str(folder)
    get_settings.cache_clear()
    yield live_server
    if before is None:
        os.environ.pop("MITRADESA_DATA_DIR", None)
    else:
        os.environ["MITRADESA_DATA_DIR"] = before
    get_settings.cache_clear()


def check_page(page: Page, label: str) -> list[str]:
    """axe-core and the card overflow check on the page as it is, at both widths."""
    problems: list[str] = []
    for width, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        problems += axe_problems(page, f"{label} @{width}")
        if width == "phone":
            problems += [f"{label}: overflows its card: {o}" for o in page.evaluate(OVERFLOW)]
        screenshot(page, f"imports-{label}-{viewport['width']}")
    page.set_viewport_size(DESKTOP)
    return problems


def upload(page: Page, base: str, kind: str, path: Path, year: str = "") -> None:
    page.goto(f"{base}/impor")
    page.check(f"input[name=jenis][value={kind}]")
    if year:
        page.select_option("select[name=tahun]", year)
    page.set_input_files("input[name=berkas]", str(path))
    page.locator("form.imports-form button").click()
    page.wait_for_url(re.compile(r"/impor/[A-Za-z0-9_-]{20,}$"))


def fix_and_confirm(page: Page, base: str, kind: str, fixed: Path, label: str,
                    problems: list[str], year: str = "") -> None:
    page.get_by_role("link", name=re.compile("corrected file|berkas yang sudah diperbaiki",
                                             re.I)).click()
    expect(page.locator(f"input[name=jenis][value={kind}]")).to_be_checked()
    upload(page, base, kind, fixed, year)
    expect(page.locator("#jumlah-masalah")).to_have_text("0")
    expect(page.locator("#jumlah-baru")).to_have_text("2")
    problems += check_page(page, f"{label}-preview")
    page.locator("#konfirmasi").click()
    page.wait_for_url(re.compile(r"/hasil$"))
    done = page.locator(".imports-done")
    expect(done).to_be_visible(timeout=20_000)  # the progress bar polls until the job is done
    expect(done.locator("#jumlah-baru")).to_have_text("2")
    problems += check_page(page, f"{label}-result")


def test_admin_imports_idm_and_indeks_desa_fixing_a_bad_row(page, import_server, tmp_path):
    base = import_server.url
    log_in(page, base, "admin")
    page.wait_for_url(lambda url: "/masuk" not in url)
    page.set_viewport_size(DESKTOP)
    page.goto(f"{base}/impor")
    problems = check_page(page, "start")

    # IDM: Sungai Meriam's row carries a score of 9
    bad = scores_for(2)
    bad[4] = 9
    write_scores_csv(tmp_path / "idm-2023.csv", [(SEPATIN, 2023, scores_for(1)),
                                                 (SUNGAI_MERIAM, 2023, bad)])
    upload(page, base, "idm", tmp_path / "idm-2023.csv", "2023")
    table = page.locator("#masalah table")
    expect(table).to_contain_text(re.compile(r"(row|baris) 3"))
    expect(table).to_contain_text("9, di luar 0–5")
    expect(page.locator("#konfirmasi")).to_have_count(0)
    problems += check_page(page, "idm-problems")
    write_scores_csv(tmp_path / "idm-2023.csv", [(SEPATIN, 2023, scores_for(1)),
                                                 (SUNGAI_MERIAM, 2023, scores_for(2))])
    fix_and_confirm(page, base, "idm", tmp_path / "idm-2023.csv", "idm", problems, "2023")
    expect(page.locator(".imports-done")).to_contain_text("Sepatin, 2023")
    page.locator(".imports-done a.btn-primary").click()
    expect(page).to_have_url(re.compile(r"/wilayah/64\.02/idm"))

    # Indeks Desa: one row is of another year than the one chosen
    id_fixtures.write_export(tmp_path / "indeks-desa.csv", [
        (SEPATIN, 2025, id_fixtures.scores_for(1)), (SUNGAI_MERIAM, 2024,
                                                     id_fixtures.scores_for(2))])
    upload(page, base, "indeks-desa", tmp_path / "indeks-desa.csv", "2025")
    expect(page.locator("#masalah table")).to_contain_text(
        "tahun 2024, bukan tahun 2025 yang dipilih")
    id_fixtures.write_export(tmp_path / "indeks-desa.csv", [
        (SEPATIN, 2025, id_fixtures.scores_for(1)), (SUNGAI_MERIAM, 2025,
                                                     id_fixtures.scores_for(2))])
    fix_and_confirm(page, base, "indeks-desa", tmp_path / "indeks-desa.csv", "indeks-desa",
                    problems, "2025")
    page.goto(f"{base}/desa/64.02.04.2001/indeks-desa")
    expect(page.locator("main")).to_contain_text("2025")
    assert problems == [], "\n".join(problems)

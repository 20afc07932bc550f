"""The regency report on the Indeks Desa: the family of the year, its nilai with two decimals,
its dimensions, and a contribution section that says which series it used."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from mitradesa.idm import indeks_desa as idx
from mitradesa.reports.regency_data import regency_report
from mitradesa.reports.regency_report import render_html
from tests.analysis.indeks_desa_fixtures import seed_indeks_desa
from tests.analysis.test_index_families import ID_ROWS
from tests.web.test_analysis_pages import seed


@pytest.fixture
def both(db, tmp_path):
    seed(db, tmp_path)  # IDM 2022 and 2023
    seed_indeks_desa(db, ID_ROWS)


def test_a_2025_report_is_on_the_indeks_desa_and_says_so(db, both):
    report = regency_report(db, "64.02", 2025, date(2026, 12, 7))
    assert report.family.label == "Indeks Desa" and report.idm.villages == 6
    counts = {s.status: s.count for s in report.idm.statuses if s.count}
    assert counts == Counter(idx.compute(scores).status for _c, _y, scores in ID_ROWS)
    assert set(report.targeting.weakest_dimension) == {
        "Layanan Dasar", "Sosial", "Ekonomi", "Lingkungan", "Aksesibilitas",
        "Tata Kelola Pemerintahan Desa"}
    assert report.contribution_details.family == "idm"  # one year of the Indeks Desa
    html = render_html(report)
    assert "Ringkasan Indeks Desa 2025" in html and "Rata-rata Ekonomi" in html
    assert "57,32" in html  # nilai of Sepatin, two decimals, id_ID
    assert "Deret Indeks Desa terlalu pendek" in html
    assert "Ringkasan IDM" not in html and "IKS/IKE/IKL" not in html


def test_an_idm_year_stays_on_the_idm(db, both):
    report = regency_report(db, "64.02", 2023, date(2026, 12, 7))
    assert report.family.label == "IDM"
    html = render_html(report)
    assert "Ringkasan IDM 2023" in html and "Rata-rata IKS" in html


def test_the_pdf_of_a_2025_report_reads_as_the_indeks_desa(db, both, tmp_path):
    import subprocess

    from mitradesa.reports.regency_report import pdf_bytes

    path = tmp_path / "laporan.pdf"
    path.write_bytes(pdf_bytes(regency_report(db, "64.02", 2025, date(2026, 12, 7))))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "Ringkasan Indeks Desa 2025" in text and "Aksesibilitas" in text
    assert "Rata-rata Indeks Desa" in " ".join(text.split())
    assert "57,32" in text and "Permendesa" in text and "IKS" not in text

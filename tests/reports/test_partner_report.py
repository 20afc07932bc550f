"""The partner report: commitments vs realisation per village and IDM before/after, as PDF
and Excel, only for who may see the partner."""

from __future__ import annotations

import io
import re
import subprocess
from datetime import date

from python_calamine import CalamineWorkbook
from sqlalchemy import select

from mitradesa.demo.loading import load_demo
from mitradesa.partnerships import services
from mitradesa.partnerships.models import Partner
from mitradesa.reports.partner_data import partner_report
from mitradesa.reports.partner_report import pdf_bytes, write_xlsx
from tests.conftest import login

TODAY = date(2026, 11, 23)


def mining(db) -> Partner:
    return db.scalar(select(Partner).where(Partner.name.like("PT Tambang%")))


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "r.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def test_report_counts_only_the_partners_own_commitments_per_village(db, tmp_path):
    load_demo(db, tmp_path, TODAY)
    report = partner_report(db, mining(db), None, TODAY)
    by_village = {v.village_name: (v.committed_rupiah, v.spent_rupiah) for v in report.villages}
    # Its own: demplot 600 M (Lung Anai, Jembayan Tengah) and BUMDes 200 M (all four);
    # BAZNAS's 450 M training is not counted.
    assert by_village == {"Lung Anai": (350_000_000, 225_000_000),
                          "Jembayan Tengah": (350_000_000, 15_000_000),
                          "Loa Kulu Kota": (50_000_000, 15_000_000),
                          "Loh Sumber": (50_000_000, 15_000_000)}
    assert (report.committed, report.spent) == (800_000_000, 270_000_000)
    lung_anai = next(v for v in report.idm if v.village_name == "Lung Anai")
    # signed 2025: before, the IDM 2024; after, the Indeks Desa 2025 (the newest index),
    # each named, and no change across the two scales
    assert (lung_anai.before_year, lung_anai.before_family) == (2024, "idm")
    assert (lung_anai.after_year, lung_anai.after_family) == (2025, "indeks_desa")
    assert lung_anai.change is None


def test_pdf_says_demo_and_shows_rupiah_the_indonesian_way(db, tmp_path):
    load_demo(db, tmp_path, TODAY)
    text = pdf_text(pdf_bytes(partner_report(db, mining(db), None, TODAY)), tmp_path)
    assert "DATA DEMO (sintetis)" in text
    assert "Rp800.000.000" in text and "Rp270.000.000" in text
    assert "Lung Anai" in text and "beda indeks" in text
    assert re.search(r"Indeks Desa \d+,\d\d", text) and re.search(r"IDM 0,\d{4}", text)


def test_excel_has_the_same_figures(db, tmp_path):
    load_demo(db, tmp_path, TODAY)
    path = write_xlsx(partner_report(db, mining(db), None, TODAY), tmp_path / "r.xlsx")
    book = CalamineWorkbook.from_path(str(path))
    rows = book.get_sheet_by_name("Realisasi per desa").to_python()
    assert rows[2][0] == "DATA DEMO (sintetis)"
    totals = next(r for r in rows if r[1] == "Jumlah")
    assert totals[2:4] == [800_000_000, 270_000_000]


def test_report_downloads_for_staff_and_refuses_another_partners_mitra(
    db, tmp_path, client, make_user
):
    load_demo(db, tmp_path, TODAY)
    other = services.create_partner(db, None, name="Koperasi Lain", kind="lainnya",
                                    sectors=["umkm"])
    outsider = make_user("mitra.lain", "mitra", organisation="Koperasi Lain")
    services.add_partner_member(db, None, other, outsider)
    make_user("staf", "viewer", [])
    db.commit()
    partner_id = mining(db).id
    login(client, "staf")
    response = client.get(f"/mitra/{partner_id}/laporan.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert "attachment" in response.headers["content-disposition"]
    sheet = client.get(f"/mitra/{partner_id}/laporan.xlsx")
    assert sheet.status_code == 200
    assert CalamineWorkbook.from_filelike(io.BytesIO(sheet.content)).sheet_names[0] == "Perjanjian"
    client.cookies.clear()
    login(client, "mitra.lain")
    # another partner's report answers as if the partner did not exist
    assert client.get(f"/mitra/{partner_id}/laporan.pdf").status_code == 404

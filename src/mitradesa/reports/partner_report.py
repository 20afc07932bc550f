"""The partner report as PDF (WeasyPrint) and Excel (XlsxWriter)."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from mitradesa.analysis.families import family
from mitradesa.demo import DEMO_LABEL
from mitradesa.io.exports import open_workbook
from mitradesa.partnerships.vocab import PARTNER_KINDS, SECTORS, STAGES
from mitradesa.reports import formatting
from mitradesa.reports.partner_data import PartnerReport


def quote(value: float | None, family_key: str | None, named: bool = True) -> str:
    """A village's figure with its family named: `IDM 0,7123`, `Indeks Desa 95,59`."""
    if value is None or family_key is None:
        return "—"
    index = family(family_key)
    text = formatting.figure(value, index.decimals)
    return f"{index.label} {text}" if named else text


def _environment() -> Environment:
    env = Environment(loader=PackageLoader("mitradesa.reports", "templates"),
                      autoescape=select_autoescape(["html"]))
    env.filters.update(rupiah=formatting.rupiah, index4=formatting.index4,
                       percent=formatting.percent, long_date=formatting.long_date,
                       sector_label=lambda key: SECTORS.get(key, key))
    env.globals.update(quote=quote, STAGES=STAGES, SECTORS=SECTORS, PARTNER_KINDS=PARTNER_KINDS,
                       DEMO_LABEL=DEMO_LABEL)
    return env


def render_html(report: PartnerReport) -> str:
    return _environment().get_template("partner_report.html").render(report=report)


def write_pdf(report: PartnerReport, path: Path) -> Path:
    from weasyprint import HTML  # heavy import: only when a PDF is asked for

    HTML(string=render_html(report)).write_pdf(str(path))
    return path


def pdf_bytes(report: PartnerReport) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_html(report)).write_pdf()


def write_xlsx(report: PartnerReport, path: Path) -> Path:
    workbook = open_workbook(path)
    bold = workbook.add_format({"bold": True, "bg_color": "#E7F3EC", "text_wrap": True})
    money = workbook.add_format({"num_format": '"Rp"#,##0'})
    share = workbook.add_format({"num_format": "0.0%"})
    index = workbook.add_format({"num_format": "0.0000"})
    title = workbook.add_format({"bold": True, "font_size": 14})
    warn = workbook.add_format({"bold": True, "font_color": "#5b2a86"})

    def sheet(name: str, headers: list[str], widths: list[int]):
        worksheet = workbook.add_worksheet(name)
        worksheet.write_string(0, 0, f"Laporan mitra: {report.partner.name}", title)
        worksheet.write_string(1, 0, f"Dibuat {formatting.long_date(report.generated_on)}")
        if report.demo:
            worksheet.write_string(2, 0, DEMO_LABEL, warn)
        worksheet.write_row(4, 0, headers, bold)
        for column, width in enumerate(widths):
            worksheet.set_column(column, column, width)
        worksheet.freeze_panes(5, 0)
        return worksheet

    agreements = sheet("Perjanjian", ["Nomor", "Judul", "Tahap", "Mulai", "Selesai",
                                      "Nilai (Rp)", "Desa"], [18, 50, 18, 12, 12, 16, 40])
    for row, agreement in enumerate(report.agreements, start=5):
        agreements.write_string(row, 0, agreement.number)
        agreements.write_string(row, 1, agreement.title)
        agreements.write_string(row, 2, STAGES[agreement.stage])
        agreements.write_string(row, 3, agreement.start_date.isoformat()
                                if agreement.start_date else "")
        agreements.write_string(row, 4, agreement.end_date.isoformat()
                                if agreement.end_date else "")
        if agreement.value_rupiah is not None:
            agreements.write_number(row, 5, agreement.value_rupiah, money)
        agreements.write_string(row, 6, ", ".join(agreement.village_codes))

    villages = sheet("Realisasi per desa", ["Kode desa", "Desa", "Komitmen (Rp)",
                                             "Realisasi (Rp)", "Realisasi (%)", "Kegiatan",
                                             "Laporan"], [16, 24, 16, 16, 12, 10, 10])
    for row, village in enumerate(report.villages, start=5):
        villages.write_string(row, 0, village.village_code)
        villages.write_string(row, 1, village.village_name)
        villages.write_number(row, 2, village.committed_rupiah, money)
        villages.write_number(row, 3, village.spent_rupiah, money)
        if village.share is not None:
            villages.write_number(row, 4, village.share, share)
        villages.write_number(row, 5, village.activities)
        villages.write_number(row, 6, village.reports)
    total = 5 + len(report.villages)
    villages.write_string(total, 1, "Jumlah", bold)
    villages.write_number(total, 2, report.committed, money)
    villages.write_number(total, 3, report.spent, money)

    nilai = workbook.add_format({"num_format": "0.00"})
    formats = {"idm": index, "indeks_desa": nilai}
    idm = sheet("Indeks sebelum-sesudah", [
        "Kode desa", "Desa", "Tahun sebelum", "Indeks sebelum", "Angka sebelum",
        "Status sebelum", "Tahun sesudah", "Indeks sesudah", "Angka sesudah", "Status sesudah",
        "Perubahan (indeks sama)"], [16, 24, 12, 14, 12, 16, 12, 14, 12, 16, 14])
    for row, village in enumerate(report.idm, start=5):
        idm.write_string(row, 0, village.village_code)
        idm.write_string(row, 1, village.village_name)
        for column, (year, key, value, status) in (
            (2, (village.before_year, village.before_family, village.before_idm,
                 village.before_status)),
            (6, (village.after_year, village.after_family, village.after_idm,
                 village.after_status)),
        ):
            if year is None or key is None:
                idm.write_string(row, column, "belum ada data")
                continue
            idm.write_number(row, column, year)
            idm.write_string(row, column + 1, family(key).label)
            idm.write_number(row, column + 2, value, formats[key])
            idm.write_string(row, column + 3, status.title())
        if village.change is not None and village.after_family is not None:
            idm.write_number(row, 10, village.change, formats[village.after_family])
    workbook.close()
    return path

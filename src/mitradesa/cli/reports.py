"""`mitradesa reports …`: PDF and Excel reports."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from pathlib import Path

import typer

from mitradesa.cli.app import progress_bar
from mitradesa.db.session import session_scope
from mitradesa.demo import DEMO_LABEL
from mitradesa.partnerships.services import get_partner
from mitradesa.reports.partner_data import partner_report
from mitradesa.reports.partner_report import write_pdf, write_xlsx
from mitradesa.reports.regency_data import STAGES, choose, regency_report

app = typer.Typer(help="Reports as PDF or Excel.", no_args_is_help=True)


class ReportFormat(StrEnum):
    pdf = "pdf"
    xlsx = "xlsx"


@app.command("partner")
def partner(
    partner_id: int = typer.Argument(..., help="Partner number (see `mitradesa partnerships`)"),
    fmt: ReportFormat = typer.Option(ReportFormat.pdf, "--format", "-f", help="pdf or xlsx"),
    output: Path = typer.Option(None, "--output", "-o", help="File to write"),
) -> None:
    """A partner's commitments against realisation per village, and the IDM of the covered
    villages before and after the cooperation."""
    with session_scope() as session:
        report = partner_report(session, get_partner(session, partner_id), None, date.today())
        target = output or Path(f"laporan-mitra-{partner_id}.{fmt.value}")
        (write_pdf if fmt is ReportFormat.pdf else write_xlsx)(report, target)
    typer.echo(f"Laporan {report.partner.name}: {len(report.agreements)} perjanjian, "
               f"{len(report.villages)} desa → {target}")


@app.command("regency")
def regency(
    region: str = typer.Argument(..., help="Province, kabupaten/kota or kecamatan code"),
    year: int = typer.Option(..., "--year", "-y",
                             help="The year (the Indeks Desa where it has the year, else "
                                  "the IDM)"),
    output: Path = typer.Option(None, "--output", "-o", help="PDF file to write"),
) -> None:
    """A region's report for one year as PDF, on the Indeks Desa or the IDM.

    IDM summary, inequality, where to intervene, robustness, partnerships, mentoring and
    their contribution; DATA DEMO on every page when the figures are demo data."""
    from mitradesa.reports.regency_report import write_pdf as write_regency_pdf

    with session_scope() as session:
        chosen, _years = choose(session, region, year)  # a wrong input fails before the bar
        target = output or Path(f"laporan-wilayah-{chosen.code}-{year}.pdf")
        stages = [*STAGES, "PDF"]
        with progress_bar("Laporan wilayah") as progress:

            def step(stage: str) -> None:
                progress(stages.index(stage), len(stages), stage)

            report = regency_report(session, chosen.code, year, date.today(), step)
            step("PDF")
            write_regency_pdf(report, target)
            progress(len(stages), len(stages), "selesai")
    label = f" · {DEMO_LABEL}" if report.demo else ""
    typer.echo(f"Laporan {report.region.name}, {report.family.label} {year}: "
               f"{report.idm.villages} desa{label}"
               f" → {target}")

"""`mitradesa reports …`: PDF and Excel reports."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from pathlib import Path

import typer

from mitradesa.db.session import session_scope
from mitradesa.partnerships.services import get_partner
from mitradesa.reports.partner_data import partner_report
from mitradesa.reports.partner_report import write_pdf, write_xlsx

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

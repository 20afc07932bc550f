"""`mitradesa idm quality` and `mitradesa indeks-desa quality`: published figures that
disagree with their own scores, a section per index family."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import typer
from babel.numbers import format_decimal
from rich.table import Table

from mitradesa.cli.app import OutputFormat, console, print_json
from mitradesa.db.session import session_scope
from mitradesa.formatting import index4, number
from mitradesa.idm_records.quality import QualityReport, quality_report
from mitradesa.indeks_desa_records.quality import (
    IndeksDesaQualityReport,
    indeks_desa_quality_report,
)
from mitradesa.reports.formatting import LOCALE

FORMAT = typer.Option(OutputFormat.table, "--format", "-f", help="table or json")


def quality(
    region: str = typer.Option(None, "--region", "-r", help="Only villages under this code"),
    year: int = typer.Option(None, "--year", "-y", help="Only this year"),
    status_changes: bool = typer.Option(
        False, "--status-changes", help="Only village-years whose status would change"),
    fmt: OutputFormat = FORMAT,
) -> None:
    """Village-years whose published IDM (and Indeks Desa) differs from a recomputation."""
    with session_scope() as session:
        report = quality_report(session, region, year, status_changes_only=status_changes)
    if fmt is OutputFormat.json:
        print_json(report.as_json())
        return
    _print_summary(report)
    if report.findings:
        _print_findings(report)
    if report.indeks_desa is not None and report.indeks_desa.years:
        typer.echo("")
        _print_indeks_desa(report.indeks_desa)


def indeks_desa_quality(
    region: str = typer.Option(None, "--region", "-r", help="Only desa under this code"),
    year: int = typer.Option(None, "--year", "-y", help="Only this year"),
    status_changes: bool = typer.Option(
        False, "--status-changes", help="Only desa-years whose status differs"),
    fmt: OutputFormat = FORMAT,
) -> None:
    """Desa-years whose published Indeks Desa differs from a recomputation of the scores."""
    with session_scope() as session:
        report = indeks_desa_quality_report(session, region, year,
                                            status_changes_only=status_changes)
    if fmt is OutputFormat.json:
        print_json(report.as_json())
        return
    _print_indeks_desa(report)


def _print_indeks_desa(report: IndeksDesaQualityReport) -> None:
    scope = _scope(report)
    if not report.years:
        typer.echo(f"Belum ada data Indeks Desa untuk {scope}.")
        return
    _print_years(f"Kualitas data Indeks Desa: {scope}", report.years, "Status berbeda")
    typer.echo(
        f"{_count(report.differing)} dari {_count(report.checked)} desa-tahun Indeks Desa "
        f"berbeda dari hitungan ulang skornya; {_count(report.status_changes)} dengan status "
        "lain. Status "
        "terbitan tetap status resmi."
    )
    if not report.findings:
        return
    findings = Table(caption="Selisih poin: total terbitan − hitungan ulang, atau poin yang "
                             "kurang (+) / lebih (−) untuk status terbitan.")
    for heading, justify in (("Kode", "left"), ("Desa", "left"), ("Tahun", "right"),
                             ("Status terbitan", "left"), ("Status hitung ulang", "left"),
                             ("Total hitung ulang", "right"), ("Selisih poin", "right")):
        findings.add_column(heading, justify=justify, no_wrap=heading == "Kode")
    for finding in report.findings:
        findings.add_row(finding.kode_desa, finding.nama_desa, str(finding.tahun),
                         finding.status_terbitan.title(), finding.status_hitung_ulang.title(),
                         str(finding.total_hitung_ulang), f"{finding.selisih_poin:+d}")
    console.print(findings)


def _scope(report: QualityReport | IndeksDesaQualityReport) -> str:
    where = f"{report.region.name} ({report.region.code})" if report.region else "semua wilayah"
    return f"{where}, tahun {report.year}" if report.year else where


def _print_years(title: str, years: Sequence[Any], changes_heading: str) -> None:
    """Checked, differing and status-changing village-years per year, as one table."""
    table = Table(title=title)
    for heading in ("Tahun", "Desa-tahun diperiksa", "Angka terbitan ≠ hitung ulang",
                    changes_heading):
        table.add_column(heading, justify="right")
    for year in years:
        table.add_row(str(year.tahun), _count(year.checked), _count(year.differing),
                      _count(year.status_changes))
    console.print(table)


def _print_summary(report: QualityReport) -> None:
    if not report.years:
        typer.echo(f"Belum ada data IDM untuk {_scope(report)}.")
        return
    _print_years(f"Kualitas data IDM: {_scope(report)}", report.years, "Status akan berubah")
    differing = sum(y.differing for y in report.years)
    typer.echo(
        f"{number(differing)} dari {number(report.checked)} desa-tahun berbeda dari hitungan "
        "ulang; "
        f"{number(report.status_changes)} di antaranya akan berganti status. Angka terbitan tetap "
        "angka resmi."
    )
    for cause, count in report.causes.most_common():
        typer.echo(f"  {number(count)} × {cause}")


def _print_findings(report: QualityReport) -> None:
    table = Table(caption="Sebab lengkap: --format json, atau halaman kualitas data di web.")
    table.add_column("Kode", no_wrap=True)
    table.add_column("Desa")
    table.add_column("Tahun", justify="right")
    table.add_column("IDM terbitan", justify="right")
    table.add_column("IDM hitung ulang", justify="right")
    table.add_column("Status")
    table.add_column("Sebab")
    for finding in report.findings:
        published, computed = finding.published, finding.computed
        status = published["status"].title()
        if finding.status_changes:
            status = f"[bold]{status} → {computed['status'].title()}[/bold]"
        table.add_row(finding.kode_desa, finding.nama_desa, str(finding.tahun),
                      index4(published['idm']), index4(computed['idm']), status,
                      finding.short_cause)
    console.print(table)


def _count(value: int) -> str:
    return format_decimal(value, locale=LOCALE)  # 10.969

"""`mitradesa doctor`: check a production server's configuration and say how to fix it."""

from __future__ import annotations

import typer
from rich.table import Table

from mitradesa.cli.app import OutputFormat, print_json, table_console
from mitradesa.doctor.checks import run_checks
from mitradesa.doctor.findings import Finding, Level, has_problem
from mitradesa.doctor.settings_load import load_settings

LABELS = {Level.ok: "[green]OK[/]", Level.warn: "[yellow]PERINGATAN[/]",
          Level.problem: "[bold red]MASALAH[/]"}


def doctor(
    output: OutputFormat = typer.Option(OutputFormat.table, "--format", "-f",
                                        help="table or json"),
) -> None:
    """Check a production server's configuration; exit 1 on any problem, 0 otherwise.

    Checks the secret key, the environment, the database (reachable, migrated), the data
    folder, SMTP, the trusted proxies, HTTPS cookies and the workers, and prints what is wrong
    and how to fix it. Exit status 0 when there is no problem (warnings allowed), 1 when there
    is any problem.
    """
    settings, bad_settings = load_settings()
    findings = run_checks(settings) if settings is not None else []
    if bad_settings is not None:
        findings.insert(0, bad_settings)
    if output is OutputFormat.json:
        print_json({"ada_masalah": has_problem(findings),
                    "temuan": [finding.as_json() for finding in findings]})
    else:
        _print_table(findings)
    if has_problem(findings):
        raise typer.Exit(1)


def _print_table(findings: list[Finding]) -> None:
    table = Table(title="Pemeriksaan konfigurasi server")
    table.add_column("Pemeriksaan", no_wrap=True)
    table.add_column("Hasil")
    table.add_column("Keadaan", overflow="fold")
    table.add_column("Cara memperbaiki", overflow="fold")
    for finding in findings:
        table.add_row(finding.title, LABELS[finding.level], finding.what, finding.how_to_fix)
    out = table_console()
    out.print(table)
    problems = sum(finding.level is Level.problem for finding in findings)
    warnings = sum(finding.level is Level.warn for finding in findings)
    if problems:
        out.print(f"[bold red]{problems} masalah[/], {warnings} peringatan: perbaiki masalah "
                  "di atas sebelum melayani pengguna.")
    else:
        out.print(f"[green]Tidak ada masalah[/]; {warnings} peringatan.")

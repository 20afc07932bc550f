"""`mitradesa indeks-desa …`: import the ministry's exports, show, export and ask what-if."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from mitradesa.cli.app import OutputFormat, err_console, print_json, progress_bar, table_console
from mitradesa.db.session import session_scope
from mitradesa.errors import MitradesaError
from mitradesa.idm.indeks_desa import IndeksDesaInputError, what_if
from mitradesa.indeks_desa_records import queries
from mitradesa.indeks_desa_records.exporting import write_report, write_table
from mitradesa.indeks_desa_records.importing import ImportReport, import_indeks_desa_files
from mitradesa.io.errors import ImportRejectedError, RowProblem
from mitradesa.regions.queries import get_region
from mitradesa.settings import get_settings

app = typer.Typer(help="Indeks Desa (Permendesa PDTT 9/2024): import, show, export, what-if.",
                  no_args_is_help=True)
FORMAT = typer.Option(OutputFormat.table, "--format", "-f", help="table or json")
YEAR = typer.Option(None, "--year", "-y", help="Year (default: the newest stored)")
nilai_text = queries.nilai_text


class ExportFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"


@app.command("import")
def import_files(
    paths: list[Path] = typer.Argument(..., help="The ministry's Indeks Desa exports (CSV or "
                                                  "XLSX, first sheet), or folders of them"),
    skip_invalid: bool = typer.Option(
        False, "--skip-invalid", help="Import the valid rows and list the others, instead of "
                                      "rejecting the whole import"),
    report_path: Path = typer.Option(
        None, "--report", help="Write every finding to this file (.json, else CSV)"),
) -> None:
    """Import Indeks Desa results; all or nothing, and re-importing a file changes nothing."""
    store = get_settings().data_dir / "imports"
    with session_scope() as session, progress_bar("Impor Indeks Desa") as progress:
        try:
            report = import_indeks_desa_files(session, paths, store_dir=store,
                                              skip_invalid=skip_invalid, progress=progress)
        except ImportRejectedError as exc:
            session.rollback()
            _print_problems(exc.problems)
            if report_path:
                write_report(report_path, None, exc.problems)
            raise MitradesaError(
                f"Impor dibatalkan: {len(exc.problems)} masalah, tidak ada yang disimpan. "
                "Perbaiki berkasnya, atau pakai --skip-invalid untuk mengimpor baris yang sah."
            ) from None
        session.commit()
    _print_report(report)
    if report_path:
        write_report(report_path, report)
        typer.echo(f"Laporan lengkap: {report_path}")


def _print_problems(problems: list[RowProblem]) -> None:
    for problem in problems[:30]:
        err_console.print(f"[red]•[/] {problem}", markup=True, highlight=False)
    if len(problems) > 30:
        err_console.print(f"… dan {len(problems) - 30} masalah lain (lihat --report).")


def _print_report(report: ImportReport) -> None:
    for outcome in report.files:
        if outcome.state == "unchanged":
            typer.echo(f"{outcome.name}: sudah pernah diimpor, tidak ada yang berubah.")
        else:
            typer.echo(f"{outcome.name}: {outcome.records} desa-tahun dibaca.")
    if any(outcome.state == "imported" for outcome in report.files):
        typer.echo(f"{report.created} desa-tahun baru, {report.updated} diperbarui, "
                   f"{report.unchanged} tetap.")
    if report.relocated:
        typer.echo(f"{len(report.relocated)} baris memakai kode lama dan dipindahkan ke kode "
                   "sekarang:")
        for line in report.relocated[:10]:
            typer.echo(f"  {line}")
    if report.discrepancies:
        differing = [d for d in report.discrepancies if d.status_differs]
        typer.echo(f"{len(report.discrepancies)} desa-tahun: angka terbitan berbeda dengan "
                   f"hitungan ulang dari skornya ({len(differing)} dengan status lain); status "
                   "terbitan disimpan sebagai status resmi, mis.:")
        for finding in report.discrepancies[:10]:
            typer.echo(f"  {finding}")
    if report.skipped:
        typer.echo(f"{len(report.skipped)} baris dilewati (--skip-invalid):")
        for problem in report.skipped[:10]:
            typer.echo(f"  {problem}")


@app.command()
def show(kode: str, year: int = YEAR, fmt: OutputFormat = FORMAT) -> None:
    """One desa-year: total, nilai, status, target, dimensions and the 127 items."""
    with session_scope() as session:
        village = get_region(session, kode)
        result = queries.result_for(session, village.code, year)
        data = queries.indeks_desa_object(result, village)
    if fmt is OutputFormat.json:
        print_json(data)
        return
    _print_show_table(data)


def _print_show_table(data: dict[str, Any]) -> None:
    out = table_console()
    out.print(f"[bold]{data['nama_desa']}[/] ({data['kode_desa']}) — Indeks Desa "
              f"{data['tahun']}", highlight=False)
    parts = Table("DIMENSI", "SKOR", "MAKS", title="Dimensi (jumlah skor butir)")
    for part in data["dimensi"]:
        parts.add_row(part["nama"], str(part["skor"]), str(part["maks"]))
    parts.add_row("[bold]TOTAL[/]", f"[bold]{data['total']}[/]", "635")
    out.print(parts)
    items = Table("NO", "ITEM", "SKOR", "MAKS", "REKOMENDASI", "LAINNYA")
    current = None
    for row in data["items"]:
        if row["dimensi"] != current:
            current = row["dimensi"]
            items.add_row("", f"[bold]{current}[/]", "", "", "", "")
        items.add_row(str(row["no"]), row["item"], str(row["skor"]), str(row["skor_maks"]),
                      row["rekomendasi"] or "", row["pelaksana"]["lainnya"] or "")
    out.print(items)
    out.print(
        f"Total {data['total']} · nilai {nilai_text(data['nilai'])} · status {data['status']} · "
        f"target {data['target_status']} · poin dibutuhkan {data['poin_dibutuhkan']} · "
        f"nilai minimal {nilai_text(data['nilai_minimal'])}", highlight=False)
    if data.get("selisih_hitung_ulang"):
        finding = data["selisih_hitung_ulang"]
        out.print(f"[yellow]Catatan:[/] status terbitan {finding['status_terbitan']}, hitungan "
                  f"ulang dari skor {finding['status_hitung_ulang']} (total "
                  f"{finding['total_hitung_ulang']}, selisih {finding['selisih_poin']:+d} poin); "
                  "status terbitan adalah status resmi.", highlight=False)


@app.command()
def export(
    year: int = typer.Option(..., "--year", "-y", help="Year to export"),
    region: str = typer.Option(None, "--region", help="Only desa under this code"),
    fmt: ExportFormat = typer.Option(ExportFormat.csv, "--format", "-f", help="csv or xlsx"),
    output: Path = typer.Option(None, "--output", "-o",
                                help="File to write (default: standard output)"),
) -> None:
    """One row per desa: kode_desa, nama_desa, kecamatan, tahun, total, nilai, status and the
    six dimension sums."""
    with session_scope() as session:
        rows = queries.export_rows(session, year, region)
    if not rows:
        raise MitradesaError(f"Tidak ada data Indeks Desa {year}"
                             + (f" di wilayah {region}." if region else "."))
    if output is None and fmt is ExportFormat.xlsx and sys.stdout.isatty():
        raise MitradesaError("Berkas XLSX tidak dapat ditampilkan di terminal: pakai -o "
                             "NAMA.xlsx, atau alihkan keluaran ke berkas.")
    write_table(fmt.value, queries.EXPORT_COLUMNS, rows, output, f"Indeks Desa {year}")
    if output is not None:
        typer.echo(f"{len(rows)} desa ditulis ke {output}.")


@app.command()
def whatif(
    kode: str,
    year: int = YEAR,
    raises: list[str] = typer.Option(..., "--raise", "-r",
                                     help='"ITEM=LEVEL", item by number or wording, e.g. '
                                          '"12=5" (repeatable)'),
    fmt: OutputFormat = FORMAT,
) -> None:
    """Total, nilai and status if some items were raised to the given levels."""
    with session_scope() as session:
        village = get_region(session, kode)
        result = queries.result_for(session, village.code, year)
        scores, official = queries.scores_of(result), result.status
    try:
        answer = what_if(scores, raises)
    except IndeksDesaInputError as exc:
        raise MitradesaError(f"Masukan --raise tidak sah: {exc}") from None
    before, after = answer.before, answer.after
    if fmt is OutputFormat.json:
        print_json({
            "kode_desa": village.code.replace(".", ""), "tahun": result.year,
            "perubahan": [{"no": c.item.no, "item": c.item.label, "dari": c.old, "ke": c.new}
                          for c in answer.changes],
            "sebelum": _figures(before), "sesudah": _figures(after),
            "status_resmi": official,
        })
        return
    typer.echo(f"{village.name} ({village.code}), Indeks Desa {result.year}:")
    for change in answer.changes:
        same = " (sudah di tingkat ini)" if change.old == change.new else ""
        typer.echo(f"  butir {change.item.no} {change.item.label}: {change.old} → "
                   f"{change.new}{same}")
    typer.echo(f"  total {before.total} → {after.total}, nilai {nilai_text(before.nilai)} → "
               f"{nilai_text(after.nilai)}, status {before.status} → {after.status}")
    if answer.status_changes:
        typer.echo(f"  Status berubah menjadi {after.status}.")
    elif after.poin_dibutuhkan:
        typer.echo(f"  Status tetap; masih kurang {after.poin_dibutuhkan} poin menuju "
                   f"{after.target_status} (nilai {nilai_text(after.nilai_minimal)}).")
    if official != before.status:
        typer.echo(f"  Catatan: status resmi (terbitan) {official}; hitungan ini dari skornya.")


def _figures(figures: Any) -> dict[str, Any]:
    return {"total": figures.total, "nilai": figures.nilai, "status": figures.status,
            "target_status": figures.target_status,
            "poin_dibutuhkan": figures.poin_dibutuhkan}


@app.command()
def derive(
    item: str = typer.Argument(None, help="The item: its number (1–127) or either wording"),
    answer: str = typer.Argument(None, help="The raw answer: a share in % or ya/tidak"),
) -> None:
    """PROVISIONAL: an item's score from its raw questionnaire answer, where the grid is known.

    Without arguments: the items there is a grid for (the others are scored 1–5 directly)."""
    from mitradesa.idm.indeks_desa.derive import derive as derive_score
    from mitradesa.idm.indeks_desa.derive import grids

    if item is None or answer is None:
        table = Table("Butir", "Rumusan", "Kisi (sementara)")
        for number, grid in grids().items():
            table.add_row(str(number), grid.item.label, grid.describe())
        table_console().print(table)
        if item is not None:
            raise MitradesaError("Sebutkan juga jawabannya, mis. "
                                 "`mitradesa indeks-desa derive 3 65%`.")
        return
    try:
        derived = derive_score(item, answer)
    except IndeksDesaInputError as exc:
        raise MitradesaError(f"Tidak dapat menghitung skor: {exc}") from None
    typer.echo(f"Butir {derived.item.no} ({derived.item.label}): skor {derived.score}")
    typer.echo(f"Kisi: {derived.grid} (sementara: kisi Buku Panduan Kuesioner Indeks Desa "
               "2025 baru sebagian diketahui)")

"""`mitradesa idm …`: import the ministry's files, show, export and ask what-if."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from mitradesa.cli.app import OutputFormat, console, err_console, print_json, progress_bar
from mitradesa.db.session import session_scope
from mitradesa.errors import MitradesaError
from mitradesa.formatting import index4
from mitradesa.idm import IdmInputError
from mitradesa.idm.whatif import what_if
from mitradesa.idm_records import queries
from mitradesa.idm_records.fetching import (
    FetchOptions,
    FetchReport,
    fetch_rumusan,
    parse_years,
    villages_to_fetch,
)
from mitradesa.idm_records.importing import ImportReport, import_idm_files
from mitradesa.io.errors import ImportRejectedError
from mitradesa.io.exports import write_csv, write_xlsx
from mitradesa.regions.queries import get_region
from mitradesa.settings import get_settings

app = typer.Typer(help="Indeks Desa Membangun: import, show, export, what-if.",
                  no_args_is_help=True)
FORMAT = typer.Option(OutputFormat.table, "--format", "-f", help="table or json")
YEAR = typer.Option(None, "--year", "-y", help="Year (default: the latest stored)")


class ExportFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"


@app.command("import")
def import_files(
    paths: list[Path] = typer.Argument(..., help="rumusan JSON files, folders of them, or "
                                                  "CSV/XLSX score tables"),
    skip_invalid: bool = typer.Option(
        False, "--skip-invalid", help="Import the valid rows and list the others, instead of "
                                      "rejecting the whole import"),
    report_path: Path = typer.Option(
        None, "--report", help="Write every finding (file, row, reason) to this CSV"),
) -> None:
    """Import IDM results; all or nothing, and re-importing a file changes nothing."""
    store = get_settings().data_dir / "imports"
    with session_scope() as session, progress_bar("Impor IDM") as progress:
        try:
            report = import_idm_files(session, paths, store_dir=store,
                                      skip_invalid=skip_invalid, progress=progress)
        except ImportRejectedError as exc:
            session.rollback()
            _print_problems(exc.problems)
            if report_path:
                _write_report(report_path, [(p.file, p.row, "ditolak", p.reason)
                                            for p in exc.problems])
            raise MitradesaError(
                f"Impor dibatalkan: {len(exc.problems)} masalah, tidak ada yang disimpan. "
                "Perbaiki berkasnya, atau pakai --skip-invalid untuk mengimpor baris yang sah."
            ) from None
        session.commit()
    _print_report(report)
    if report_path:
        _write_report(report_path, _findings(report))
        typer.echo(f"Laporan lengkap: {report_path}")


def _print_problems(problems: list) -> None:
    for problem in problems[:30]:
        err_console.print(f"[red]•[/] {problem}")
    if len(problems) > 30:
        err_console.print(f"… dan {len(problems) - 30} masalah lain (lihat --report).")


def _findings(report: ImportReport) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = [(p.file, p.row, "dilewati", p.reason) for p in report.skipped]
    rows += [(d.file, d.row, "selisih", d.full_text()) for d in report.discrepancies]
    rows += [("", "", "kode lama", line) for line in report.relocated]
    return rows


def _write_report(path: Path, rows: list[tuple[object, ...]]) -> None:
    write_csv(path, ["berkas", "baris", "jenis", "keterangan"], rows)


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
                   "sekarang, mis.:")
        for line in report.relocated[:5]:
            typer.echo(f"  {line}")
    if report.discrepancies:
        typer.echo(f"{len(report.discrepancies)} desa-tahun: angka terbitan berbeda dengan "
                   "hitungan ulang (angka terbitan disimpan sebagai angka resmi), mis.:")
        for finding in report.discrepancies[:5]:
            typer.echo(f"  {finding}")
    if report.skipped:
        typer.echo(f"{len(report.skipped)} baris dilewati (--skip-invalid):")
        for problem in report.skipped[:10]:
            typer.echo(f"  {problem}")


@app.command()
def show(kode: str, year: int = YEAR, fmt: OutputFormat = FORMAT) -> None:
    """One village-year: figures, status, target and the 50 indicators."""
    with session_scope() as session:
        village = get_region(session, kode)
        result = queries.result_for(session, village.code, year)
        data = queries.idm_object(result, village)
    if fmt is OutputFormat.json:
        print_json(data)
        return
    _print_official_table(data)


def _print_official_table(data: dict) -> None:
    """The ministry's table; narrow terminals get the essential columns only."""
    wide = console.width >= 180 or not console.is_terminal
    out = console if console.is_terminal else Console(width=260)
    out.print(f"[bold]{data['nama_desa']}[/] ({data['kode_desa']}) — IDM {data['tahun']}")
    columns = ["NO", "INDIKATOR", "SKOR", "KETERANGAN", "KEGIATAN", "+NILAI"]
    if wide:
        columns += ["PUSAT", "PROV", "KAB", "DESA", "CSR", "LAINNYA"]
    table = Table(*columns)
    width = len(columns)

    def subtotal(label: str, value: str) -> None:
        table.add_row("", f"[bold]{label}[/]", f"[bold]{value}[/]", *([""] * (width - 3)))

    current = None
    for row in data["indicators"]:
        if current and row["index"] != current:
            subtotal(f"{current} {data['tahun']}", index4(data[current.lower()]))
        current = row["index"]
        cells = [str(row["no"]), row["indikator"], str(row["skor"]), row["keterangan"],
                 row["kegiatan"], queries.nilai_text(row["nilai"])]
        if wide:
            cells += [row[actor] for actor in ("pusat", "prov", "kab", "desa", "csr", "lainnya")]
        table.add_row(*cells)
    subtotal(f"{current} {data['tahun']}", index4(data[str(current).lower()]))
    subtotal(f"IDM {data['tahun']}", index4(data['idm']))
    subtotal(f"STATUS IDM {data['tahun']}", data["status"])
    out.print(table)
    out.print(
        f"Skor saat ini {index4(data['idm'])} · status {data['status']} · target "
        f"{data['target_status']} · skor minimal {data['skor_minimal']} · penambahan "
        f"{index4(data['penambahan'])}"
    )
    if not wide:
        out.print("[dim]Kolom pelaku (PUSAT … LAINNYA) tampil di terminal yang lebih lebar "
                  "atau dengan --format json.[/]")
    if data["selisih_hitung_ulang"]:
        out.print(f"[yellow]Catatan:[/] {data['selisih_hitung_ulang']['cause']}")


@app.command()
def export(
    year: int = typer.Option(..., "--year", "-y", help="Year to export"),
    region: str = typer.Option(None, "--region", help="Only villages under this code"),
    fmt: ExportFormat = typer.Option(ExportFormat.csv, "--format", "-f", help="csv or xlsx"),
    output: Path = typer.Option(None, "--output", "-o", help="File to write (default: "
                                                             "idm-<year>[-<region>].<format>)"),
) -> None:
    """One row per village: kode_desa, nama_desa, kecamatan, tahun, IKS, IKE, IKL, IDM, status."""
    with session_scope() as session:
        rows = queries.export_rows(session, year, region)
    if not rows:
        raise MitradesaError(f"Tidak ada data IDM {year}" + (f" di wilayah {region}." if region
                                                              else "."))
    suffix = f"-{region.replace('.', '')}" if region else ""
    target = output or Path(f"idm-{year}{suffix}.{fmt.value}")
    if fmt is ExportFormat.csv:
        write_csv(target, queries.EXPORT_COLUMNS, rows)
    else:
        write_xlsx(target, queries.EXPORT_COLUMNS, rows, sheet=f"IDM {year}")
    typer.echo(f"{len(rows)} desa ditulis ke {target}.")


@app.command()
def whatif(
    kode: str,
    year: int = YEAR,
    raises: list[str] = typer.Option(..., "--raise", "-r", help='e.g. "IKE 7=5" (repeatable)'),
    fmt: OutputFormat = FORMAT,
) -> None:
    """The IDM and status if some indicator scores were raised."""
    with session_scope() as session:
        village = get_region(session, kode)
        result = queries.result_for(session, village.code, year)
        scores = [int(d) for d in result.scores]
    try:
        answer = what_if(scores, raises)
    except IdmInputError as exc:
        raise MitradesaError(f"Masukan --raise tidak sah: {exc}") from None
    before, after = answer.before, answer.after
    if fmt is OutputFormat.json:
        print_json({
            "kode_desa": village.code.replace(".", ""), "tahun": result.year,
            "changes": [{"indikator": c.label, "dari": c.old, "ke": c.new}
                        for c in answer.changes],
            "before": {"idm": before.idm, "status": before.status},
            "after": {"idm": after.idm, "status": after.status},
        })
        return
    typer.echo(f"{village.name} ({village.code}), IDM {result.year}:")
    for change in answer.changes:
        typer.echo(f"  {change.label}: {change.old} → {change.new}")
    typer.echo(f"  IDM {index4(before.idm)} ({before.status}) → {index4(after.idm)} "
               f"({after.status})")
    if answer.status_changes:
        typer.echo(f"  Status berubah menjadi {after.status}.")
    else:
        typer.echo(f"  Status tetap; masih kurang {index4(max(after.penambahan, 0))} menuju "
                   f"{after.target_status}.")
    if result.discrepancy:
        typer.echo("  Catatan: dihitung ulang dari skor; angka terbitan tahun ini berbeda "
                   f"({result.discrepancy['cause']}).")


@app.command()
def derive(
    fact: str = typer.Argument(None, help="The raw fact, e.g. waktu_tempuh_sarkes_menit"),
    value: float = typer.Argument(None, help="Its value, in the unit the rule names"),
) -> None:
    """The score an indicator gets from a raw village fact, and the rule used.

    Without arguments: the facts there are rules for."""
    from mitradesa.idm.derive import derive_score, rules

    if fact is None or value is None:
        table = Table("Fakta", "Indikator", "Satuan", "Dasar aturan")
        for rule in rules().values():
            table.add_row(rule.fact, f"{rule.index} {rule.no}", rule.unit, rule.basis)
        console.print(table)
        if fact is not None:
            raise MitradesaError("Sebutkan juga nilainya, mis. "
                                 "`mitradesa idm derive waktu_tempuh_sarkes_menit 45`.")
        return
    try:
        derived = derive_score(fact, value)
    except IdmInputError as exc:
        raise MitradesaError(f"Tidak dapat menurunkan skor: {exc}") from None
    typer.echo(f"{derived.indicator}: skor {derived.score}")
    typer.echo(f"Aturan: {derived.rule_text} (dasar: {derived.basis})")


@app.command()
def fetch(
    region: str = typer.Option(..., "--region", help="Villages under this code (dotted or "
                                                     "digits)"),
    years: str = typer.Option(..., "--years", help="e.g. 2021-2024, 2023 or 2021,2023"),
    base_url: str = typer.Option(None, "--base-url", help="The API's base URL (default: "
                                                          "MITRADESA_IDM_API_BASE_URL)"),
    rate: float = typer.Option(2.0, "--rate", help="Requests per second, at most"),
    retries: int = typer.Option(3, "--retries", help="Extra tries after a timeout, an HTTP 5xx "
                                                     "or a truncated answer"),
    backoff: float = typer.Option(1.0, "--backoff", help="Seconds before the first retry; "
                                                         "doubled for each further one"),
    timeout: float = typer.Option(30.0, "--timeout", help="Seconds to wait for each answer"),
    no_import: bool = typer.Option(False, "--no-import", help="Only download; do not import"),
) -> None:
    """Download the rumusan of every desa of a region from the ministry's API, then import.

    Each answer is kept under MITRADESA_DATA_DIR/fetch/<region>/; a second run asks only what
    is still missing (interrupted runs resume)."""
    settings = get_settings()
    year_list = parse_years(years)
    options = FetchOptions(base_url=base_url or settings.idm_api_base_url, rate=rate,
                           retries=retries, backoff=backoff, timeout=timeout)
    with session_scope() as session:
        place, codes = villages_to_fetch(session, region)
    folder = settings.data_dir / "fetch" / place.code
    span = (f"{year_list[0]}–{year_list[-1]}" if year_list == list(
        range(year_list[0], year_list[-1] + 1)) else ", ".join(map(str, year_list)))
    typer.echo(f"{place.name} ({place.code}): {len(codes)} desa × {len(year_list)} tahun "
               f"({span}) dari {options.base_url}")
    with progress_bar("Unduh IDM") as progress:
        report = fetch_rumusan(codes, year_list, folder, options, progress=progress)
    _print_fetch_report(report)
    if report.reached_nothing:
        raise MitradesaError(
            f"Server API IDM tidak dapat dihubungi ({options.base_url}): "
            f"{report.failed[-1].reason if report.failed else 'tidak ada jawaban'}. "
            "Periksa sambungan internet atau --base-url; tidak ada yang diimpor."
        )
    if not no_import:
        if report.saved_files:
            with session_scope() as session, progress_bar("Impor IDM") as progress:
                imported = import_idm_files(session, report.saved_files,
                                            store_dir=settings.data_dir / "imports",
                                            skip_invalid=True, progress=progress)
                session.commit()
            _print_report(imported)
        else:
            typer.echo("Tidak ada berkas untuk diimpor.")
    if report.unreachable:
        raise MitradesaError(
            f"Sambungan ke server API terputus ({report.unreachable}); {report.not_tried} "
            "desa-tahun belum dicoba. Jalankan perintah yang sama lagi untuk melanjutkan."
        )


def _print_fetch_report(report: FetchReport) -> None:
    limit = 40
    typer.echo(f"{len(report.downloaded)} desa-tahun diunduh, {len(report.already_had)} sudah "
               f"ada dari unduhan sebelumnya, {report.requests} permintaan ke API.")
    if report.earlier_answers:
        typer.echo(f"{report.earlier_answers} desa-tahun sudah dijawab API pada unduhan "
                   "sebelumnya dan tidak ditanyakan lagi.")
    unknown = report.unknown_by_code()
    if unknown:
        typer.echo(f"{len(unknown)} kode desa tidak dikenal API (\"ID Desa tidak ditemukan\"):")
        for code, years in list(unknown.items())[:limit]:
            typer.echo(f"  {code} ({', '.join(map(str, years))})")
        if len(unknown) > limit:
            typer.echo(f"  … dan {len(unknown) - limit} kode lain.")
    for title, answers in (
        ("tidak dilayani API untuk tahun itu (tidak disimpan)", report.years_not_served),
        ("gagal setelah semua percobaan ulang (dicoba lagi pada unduhan berikutnya)",
         report.failed),
    ):
        if not answers:
            continue
        typer.echo(f"{len(answers)} desa-tahun {title}:")
        for answer in answers[:limit]:
            typer.echo(f"  {answer}")
        if len(answers) > limit:
            typer.echo(f"  … dan {len(answers) - limit} lainnya.")
    if report.timeouts:
        typer.echo(f"{len(report.timeouts)} di antaranya karena waktu habis (coba --timeout "
                   "yang lebih besar).")
    typer.echo(f"Berkas mentah dan catatan jawaban API: {report.folder}")

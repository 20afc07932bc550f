"""`mitradesa partnerships …`: list agreements and reminders, import and export partners and
agreements as CSV/XLSX, and link a mitra account to its partner."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer
from rich.table import Table
from sqlalchemy import select

from mitradesa.accounts.models import User
from mitradesa.cli.app import OutputFormat, console, err_console, print_json
from mitradesa.cli.days import day_or_today
from mitradesa.db.session import session_scope
from mitradesa.errors import MitradesaError
from mitradesa.formatting import long_date, number
from mitradesa.io.errors import ImportRejectedError
from mitradesa.partnerships import queries, services, spreadsheets
from mitradesa.partnerships.errors import PartnershipError
from mitradesa.partnerships.reminders import reminders as find_reminders
from mitradesa.partnerships.vocab import PARTNER_KINDS, SECTORS, STAGES
from mitradesa.regions.queries import get_region

app = typer.Typer(help="Partnerships: agreements, reminders, import and export.",
                  no_args_is_help=True)
FORMAT = typer.Option(OutputFormat.table, "--format", "-f", help="table or json")
NOUNS = {"partners": "mitra", "agreements": "perjanjian"}


class TableFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"


@app.command("list")
def list_agreements(
    fmt: OutputFormat = FORMAT,
    stage: str = typer.Option(None, "--stage", help=f"Only this stage: {', '.join(STAGES)}"),
    partner: int = typer.Option(None, "--partner", help="Only agreements of this partner id"),
    village: str = typer.Option(None, "--village", help="Only agreements covering this village"),
) -> None:
    """Agreements, newest first (json: partners, villages, stage, dates, value, scope)."""
    if stage is not None and stage not in STAGES:
        raise PartnershipError(f"Tahap “{stage}” tidak dikenal. Pilih dari: {', '.join(STAGES)}.")
    with session_scope() as session:
        code = get_region(session, village).code if village else None
        if partner is not None:
            services.get_partner(session, partner)
        found = queries.visible_agreements(session, None, stage=stage, partner_id=partner,
                                           village_code=code)
        items = queries.listing(session, found)
    if fmt is OutputFormat.json:
        print_json(items)
        return
    table = Table("id", "Judul", "Tahap", "Mitra", "Desa", "Jangka waktu", "Nilai (Rp)")
    for item in items:
        period = " – ".join(filter(None, (item["tanggal_mulai"], item["tanggal_selesai"])))
        value = item["nilai_rupiah"]
        table.add_row(str(item["id"]), item["judul"], STAGES[item["tahap"]],
                      ", ".join(p["nama"] for p in item["mitra"]),
                      ", ".join(d["nama"] or d["kode"] for d in item["desa"]), period,
                      number(value) if value is not None else "")
    console.print(table)
    typer.echo(f"{len(items)} perjanjian.")


@app.command("partners")
def list_partners(fmt: OutputFormat = FORMAT) -> None:
    """Partners with their id (for --partner, link-user and reports partner)."""
    with session_scope() as session:
        rows = spreadsheets.partner_rows(session)
    items = [dict(zip(spreadsheets.PARTNER_COLUMNS, row, strict=True)) for row in rows]
    if fmt is OutputFormat.json:
        print_json(items)
        return
    table = Table("id", "Nama", "Jenis", "Bidang", "Wilayah", "Aktif")
    for item in items:
        sectors = [SECTORS.get(code.strip(), code) for code in str(item["bidang"] or "").split(";")
                   if code.strip()]
        table.add_row(str(item["id"]), item["nama"],
                      PARTNER_KINDS.get(item["jenis"], item["jenis"]), "; ".join(sectors),
                      item["wilayah"], item["aktif"])
    console.print(table)


@app.command("reminders")
def list_reminders(
    today: str = typer.Option(None, "--today", help="YYYY-MM-DD (default: today)"),
    fmt: OutputFormat = FORMAT,
) -> None:
    """Agreements ending within 90 days, progress reports overdue, stages stalled over 60 days."""
    day = day_or_today(today)
    with session_scope() as session:
        found = find_reminders(queries.visible_agreements(session, None), day)
    if fmt is OutputFormat.json:
        print_json([{"jenis": r.kind, "label": r.label, "perjanjian_id": r.agreement_id,
                     "judul": r.title, "pesan": r.message, "hari": r.days} for r in found])
        return
    if not found:
        typer.echo(f"Tidak ada pengingat per {long_date(day)}.")
        return
    table = Table("Jenis", "id", "Perjanjian", "Keterangan")
    for r in found:
        table.add_row(r.label, str(r.agreement_id), r.title, r.message)
    console.print(table)


def _import(what: str, path: Path) -> None:
    if not path.is_file():
        raise MitradesaError(f"Berkas {path} tidak ditemukan.")
    run = spreadsheets.import_partners if what == "partners" else spreadsheets.import_agreements
    noun = NOUNS[what]
    with session_scope() as session:
        try:
            report = run(session, path)
        except ImportRejectedError as exc:
            session.rollback()
            for problem in exc.problems[:50]:
                err_console.print(f"[red]•[/] {problem}")
            if len(exc.problems) > 50:
                err_console.print(f"… dan {len(exc.problems) - 50} masalah lain.")
            raise MitradesaError(
                f"Impor dibatalkan: {len(exc.problems)} masalah, tidak ada yang disimpan. "
                "Perbaiki berkasnya lalu impor lagi."
            ) from None
        session.commit()
    typer.echo(f"{path.name}: {report.rows} baris dibaca; {len(report.created)} {noun} baru, "
               f"{len(report.updated)} diperbarui, {report.unchanged} tetap.")
    if report.created:
        typer.echo(f"id {noun} baru: {', '.join(map(str, report.created))}")


@app.command("import-partners")
def import_partners(path: Path = typer.Argument(..., help="FILE.xlsx or FILE.csv")) -> None:
    """Add or update partners from a table (columns in the README); all or nothing."""
    _import("partners", path)


@app.command("import-agreements")
def import_agreements(path: Path = typer.Argument(..., help="FILE.xlsx or FILE.csv")) -> None:
    """Add or update agreements from a table (columns in the README); all or nothing.

    New agreements start in persiapan; stages move only through the lifecycle."""
    _import("agreements", path)


def _export(what: str, fmt: TableFormat | None, output: Path | None) -> None:
    if fmt is None:
        suffix = output.suffix.lower().lstrip(".") if output else ""
        fmt = TableFormat(suffix) if suffix in ("csv", "xlsx") else TableFormat.xlsx
    target = output or Path(f"{NOUNS[what]}.{fmt.value}")
    with session_scope() as session:
        count = spreadsheets.export_table(session, what, target, fmt.value)
    typer.echo(f"{count} {NOUNS[what]} → {target}")


EXPORT_FORMAT = typer.Option(None, "--format", "-f", help="xlsx or csv (default: from the "
                                                            "file name, else xlsx)")
OUTPUT = typer.Option(None, "--output", "-o", help="File to write")


@app.command("export-partners")
def export_partners(fmt: TableFormat = EXPORT_FORMAT, output: Path = OUTPUT) -> None:
    """Every partner, in the columns import-partners reads."""
    _export("partners", fmt, output)


@app.command("export-agreements")
def export_agreements(fmt: TableFormat = EXPORT_FORMAT, output: Path = OUTPUT) -> None:
    """Every agreement, in the columns import-agreements reads."""
    _export("agreements", fmt, output)


@app.command("link-user")
def link_user(
    username: str = typer.Argument(..., help="A user with the mitra role"),
    partner_id: int = typer.Argument(..., help="Partner id (see `mitradesa partnerships "
                                               "partners`)"),
) -> None:
    """Let a mitra account act for a partner (it sees and reports on its agreements only)."""
    with session_scope() as session:
        user = session.scalar(select(User).where(User.username == username.strip().lower()))
        if user is None:
            raise MitradesaError(f"Pengguna {username} tidak ditemukan.")
        partner = services.get_partner(session, partner_id)
        services.add_partner_member(session, None, partner, user)
        session.commit()
        typer.echo(f"Akun {user.username} kini bertindak untuk mitra {partner.name} "
                   f"(id {partner.id}).")

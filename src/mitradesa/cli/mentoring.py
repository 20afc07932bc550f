"""`mitradesa mentoring …`: programs, their beneficiaries, import and export of beneficiaries,
and people served by several programs or by none."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from mitradesa import formatting
from mitradesa.cli.app import OutputFormat, err_console, print_json, table_console
from mitradesa.db.session import session_scope
from mitradesa.errors import MitradesaError
from mitradesa.io.errors import ImportRejectedError
from mitradesa.mentoring import queries, spreadsheets
from mitradesa.mentoring.programs import get_program
from mitradesa.mentoring.vocab import FUNDERS, TARGET_TYPES, WELFARE_CLASSES
from mitradesa.regions.queries import get_region

app = typer.Typer(help="Economic mentoring: programs, beneficiaries, import and export.",
                  no_args_is_help=True)
FORMAT = typer.Option(OutputFormat.table, "--format", "-f", help="table or json")
PROGRAM = typer.Option(..., "--program", "-p", help="Program id (see `mentoring programs`)")


class TableFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"


def rupiah(value: int | None) -> str:
    return "" if value is None else formatting.rupiah(value)


@app.command()
def programs(fmt: OutputFormat = FORMAT) -> None:
    """Every program: funder, target, villages, period, budget, stages, criteria, counts.

    Counts are the beneficiaries per status (aktif, lulus, keluar)."""
    with session_scope() as session:
        items = [queries.program_row(session, p, None)
                 for p in queries.visible_programs(session, None)]
    if fmt is OutputFormat.json:
        print_json(items)
        return
    table = Table("id", "Program", "Dana", "Sasaran", "Desa", "Periode", "Anggaran", "Tahap",
                  "Kriteria kelulusan", "Aktif/lulus/keluar")
    for item in items:
        period = " – ".join(filter(None, (item["mulai"], item["selesai"])))
        table.add_row(
            str(item["id"]), item["nama"], FUNDERS.get(item["sumber_dana"], item["sumber_dana"]),
            TARGET_TYPES[item["sasaran"]], ", ".join(item["desa"]) or "semua", period,
            rupiah(item["anggaran_rupiah"]), str(len(item["tahap"])),
            "; ".join(c["label"] for c in item["kriteria"]),
            "/".join(str(item["jumlah"][s]) for s in ("aktif", "lulus", "keluar")))
    table_console().print(table)
    typer.echo(f"{len(items)} program.")


@app.command()
def beneficiaries(program: int = PROGRAM, fmt: OutputFormat = FORMAT) -> None:
    """A program's beneficiaries: stage, status, village, baseline and latest outcomes."""
    with session_scope() as session:
        chosen = get_program(session, program)
        rows = [queries.enrolment_row(e, None)
                for e in queries.program_enrolments(session, chosen, None)]
        name, stages = chosen.name, len(chosen.stages)
    if fmt is OutputFormat.json:
        print_json(rows)
        return
    table = Table("peserta", "Nama", "Desa", "Tahap", "Status", "Terdaftar", "Baseline",
                  "Terbaru", title=name)
    for row in rows:
        table.add_row(str(row["peserta_id"]), row["nama"], row["desa"],
                      f"{row['tahap']}/{stages} {row['nama_tahap']}",
                      row["status"] + (f" ({row['alasan_keluar']})"
                                       if row["status"] == "keluar" else ""),
                      row["terdaftar"], _figures(row["baseline"]), _figures(row["terbaru"]))
    table_console().print(table)
    typer.echo(f"{len(rows)} peserta.")


def _figures(figures: dict[str, Any]) -> str:
    parts = []
    if "omzet_bulanan" in figures:
        parts.append(f"omzet {rupiah(figures['omzet_bulanan'])}")
    if "tenaga_kerja" in figures:
        parts.append(f"{figures['tenaga_kerja']} pekerja")
    if "pendapatan_rumah_tangga" in figures:
        parts.append(f"pendapatan {rupiah(figures['pendapatan_rumah_tangga'])}")
    if "kelas_kesejahteraan" in figures:
        parts.append(WELFARE_CLASSES.get(figures["kelas_kesejahteraan"], ""))
    return ", ".join(parts)


@app.command("import-beneficiaries")
def import_beneficiaries(
    path: Path = typer.Argument(..., help="FILE.xlsx or FILE.csv (columns: see README)"),
    program: int = PROGRAM,
    on: str = typer.Option(None, "--on", help="Enrolment date YYYY-MM-DD for rows without "
                                              "tanggal_daftar (default: today)"),
) -> None:
    """Register households or UMKM (per the program's target) and enrol them; all or nothing."""
    day = _date(on) if on else None
    if not path.is_file():
        raise MitradesaError(f"Berkas {path} tidak ditemukan.")
    with session_scope() as session:
        chosen = get_program(session, program)
        try:
            report = spreadsheets.import_beneficiaries(session, chosen, path, on=day)
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
        name = chosen.name
    what = "rumah tangga" if report.target == "household" else "UMKM"
    typer.echo(f"{path.name}: {report.rows} baris dibaca; {report.registered} {what} baru "
               f"didaftarkan, {report.existing} sudah terdaftar (data yang ada dipakai); "
               f"{len(report.enrolled)} peserta masuk program “{name}”.")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise MitradesaError(f"Tanggal “{text}” tidak sah; tulis YYYY-MM-DD.") from None


@app.command("export-beneficiaries")
def export_beneficiaries(
    program: int = PROGRAM,
    fmt: TableFormat = typer.Option(TableFormat.xlsx, "--format", "-f", help="xlsx or csv"),
    output: Path = typer.Option(None, "--output", "-o",
                                help="File to write (default: peserta-program-<id>.<format>)"),
) -> None:
    """A program's beneficiaries as CSV/XLSX, re-importable into another program.

    The columns are those import-beneficiaries reads, then the stage and status."""
    target = output or Path(f"peserta-program-{program}.{fmt.value}")
    with session_scope() as session:
        chosen = get_program(session, program)
        count = spreadsheets.export_beneficiaries(session, chosen, target, fmt.value)
    typer.echo(f"{count} peserta ditulis ke {target}.")


@app.command()
def duplicates(
    fmt: OutputFormat = FORMAT,
    region: str = typer.Option(None, "--region", "-r",
                               help="Unreached households only under this code"),
) -> None:
    """People active in several programs, and prasejahtera households no program reaches."""
    with session_scope() as session:
        prefix = get_region(session, region).code if region else ""
        several = [{"kunci": p.key, "nama": p.names, "program": p.programs, "desa": p.villages}
                   for p in queries.served_by_several(session)]
        unreached = [{"id": h.id, "no_kk": h.kk_number, "nama": h.head_name,
                      "desa": h.village_code, "anggota": h.members, "desil_p3ke": h.p3ke_decile,
                      "demo": h.demo}
                     for h in queries.unreached_prasejahtera(session, prefix)]
    if fmt is OutputFormat.json:
        print_json({"dilayani_beberapa_program": several,
                    "prasejahtera_belum_terjangkau": unreached})
        return
    table = Table("Orang", "Nama", "Program", "Desa",
                  title="Dilayani lebih dari satu program")
    for item in several:
        table.add_row(item["kunci"], ", ".join(item["nama"]), "; ".join(item["program"]),
                      ", ".join(item["desa"]))
    table_console().print(table)
    table = Table("id", "No. KK", "Kepala keluarga", "Desa", "Anggota", "Desil P3KE",
                  title="Rumah tangga prasejahtera yang belum dijangkau program")
    for item in unreached:
        table.add_row(str(item["id"]), item["no_kk"], item["nama"], item["desa"],
                      str(item["anggota"]), str(item["desil_p3ke"] or ""))
    table_console().print(table)
    typer.echo(f"{len(several)} orang di beberapa program; {len(unreached)} rumah tangga "
               "prasejahtera belum dijangkau.")

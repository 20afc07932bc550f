"""`mitradesa plan`: the best use of the budgets to raise a region's IDM, beside the greedy
plan, with the spending per funder, the villages that move up and the optimality gap."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
from babel.numbers import format_decimal
from rich.table import Table

from mitradesa.analysis import planning as pl
from mitradesa.analysis.planning_data import (
    PlanRequest,
    plan_as_dict,
    plan_for_region,
    spending_by_funder,
)
from mitradesa.analysis.planning_files import parse_partner, read_dana_desa, read_step_costs
from mitradesa.analysis.results import choose_family
from mitradesa.cli.app import OutputFormat, print_json, progress_bar, table_console
from mitradesa.db.session import session_scope
from mitradesa.formatting import seconds
from mitradesa.regions.queries import get_region
from mitradesa.reports.formatting import LOCALE, index4, rupiah
from mitradesa.settings import get_settings


class Objective(StrEnum):
    status_up = "status_up"
    bottom20 = "bottom20"
    total_gain = "total_gain"


class Mode(StrEnum):
    to_five = "to_five"
    stacked_steps = "stacked_steps"
    next_level = "next_level"


class Index(StrEnum):
    idm = "idm"
    indeks_desa = "indeks_desa"


def plan(
    region: str = typer.Option(None, "--region", "-r",
                               help="Kabupaten, kecamatan or province code (default: "
                                    "MITRADESA_HOME_REGION)"),
    year: int = typer.Option(None, "--year", "-y",
                             help="Year of the index (default: the latest)"),
    indeks: Index = typer.Option(
        None, "--indeks", help="idm or indeks_desa (default: the family of the newest year; "
                               "Indeks Desa costs per point: per dimension or item number)"),
    objective: Objective = typer.Option(
        Objective.status_up, "--objective", "-o",
        help="status_up: most villages moving up a status; bottom20: largest rise of the "
             "bottom 20%; total_gain: largest total IDM gain"),
    apbd: int = typer.Option(0, "--apbd", help="APBD kabupaten budget, rupiah"),
    dana_desa: int = typer.Option(0, "--dana-desa",
                                  help="Dana Desa for IDM activities, rupiah per village"),
    dana_desa_file: Path = typer.Option(
        None, "--dana-desa-file", help="CSV/XLSX with kode_desa, dana_desa: per village "
                                       "(others get --dana-desa)"),
    costs: Path = typer.Option(
        None, "--costs", help="CSV/XLSX of unit costs per step: indikator, pendana, "
                              "biaya_per_langkah (see the README)"),
    partner: list[str] = typer.Option(
        None, "--partner", help="Another partner: NAMA:ANGGARAN:BIDANG[,BIDANG][:WILAYAH]"
                                "; repeatable"),
    no_partners: bool = typer.Option(
        False, "--no-partners", help="Leave out the partnerships' commitments not yet spent"),
    mode: Mode = typer.Option(
        Mode.to_five, "--mode", help="to_five: each activity raises an indicator to 5; "
                                     "stacked_steps: step by step, part of the way allowed "
                                     "(IDM); next_level: to the next allowed level"),
    catalogue_actors: bool = typer.Option(
        False, "--catalogue-actors",
        help="Only the funders the ministry's texts name for a gap may pay for it"),
    time_limit: float = typer.Option(60.0, "--time-limit", help="Seconds for the solver"),
    xlsx: Path = typer.Option(None, "--xlsx", help="Also write the plan to this Excel file"),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", "-f",
                                     help="table or json"),
    limit: int = typer.Option(20, "--limit", help="Rows of villages and activities shown"),
) -> None:
    """Plan the budgets: a mixed-integer program (HiGHS) beside the greedy plan."""
    code = region or get_settings().home_region
    with session_scope() as session:
        index = choose_family(session, get_region(session, code).code,
                              indeks.value if indeks else None)
        with pl.family_scale(index.key):
            step_costs = read_step_costs(costs) if costs else None
        request = PlanRequest(
            region=code, objective=objective.value, year=year, apbd=apbd, dana_desa=dana_desa,
            dana_desa_by_village=read_dana_desa(dana_desa_file) if dana_desa_file else {},
            step_costs=step_costs, mode=mode.value, index=index.key,
            catalogue_actors=catalogue_actors, partners=not no_partners,
            extra_partners=tuple(parse_partner(p) for p in partner or ()),
            time_limit=time_limit)
        with progress_bar("Rencana anggaran") as progress:
            result = plan_for_region(session, request, progress)
    if xlsx:
        pl.write_plan_xlsx(result.plan, xlsx)
    data = plan_as_dict(result)
    if fmt is OutputFormat.json:
        print_json(data)
        return
    _print(data, limit)
    if xlsx:
        typer.echo(f"Excel: {xlsx}")


def _gap(value: float | None) -> str:
    """The MIP gap in percent, precise enough to tell 0 from a hair above it."""
    if value is None:
        return "—"
    return format_decimal(value * 100, format="0.00##", locale=LOCALE) + "%"


def _print(data: dict[str, Any], limit: int) -> None:
    console = table_console()
    demo = " · DATA DEMO (sintetis)" if data["demo"] else ""
    console.print(f"[bold]Rencana anggaran {data['wilayah']['nama']} ({data['wilayah']['kode']})"
                  f", {data['nama_indeks']} {data['tahun']}[/]{demo}")
    typer.echo(f"Tujuan: {data['judul_tujuan']}. {data['desa']} desa, {data['kegiatan_calon']} "
               f"kegiatan calon; anggaran total {rupiah(data['anggaran_total'])}.")
    table = Table(title="Anggaran dan belanja per pendana")
    for heading in ("Pendana", "Jenis", "Anggaran", "Belanja optimal", "Belanja greedy"):
        table.add_column(heading, justify="left" if heading in ("Pendana", "Jenis") else "right")
    for row in spending_by_funder(data):
        table.add_row(row["pendana"], pl.KIND_TITLES[row["jenis"]], rupiah(row["anggaran"]),
                      rupiah(row["optimal"]), rupiah(row["greedy"]))
    console.print(table)
    mip, greedy = data["optimal"], data["greedy"]
    table = Table(title="Hasil: rencana optimal (MIP) dan greedy (NILAI per rupiah)")
    for heading in ("Ukuran", "Optimal (MIP)", "Greedy"):
        table.add_column(heading, justify="left" if heading == "Ukuran" else "right")
    rows = [
        ("Desa naik status", lambda r: str(r["desa_naik_status"])),
        ("Kenaikan total IDM", lambda r: index4(r["kenaikan_idm"])),
        ("Rata-rata IDM 20% terbawah", lambda r: f"{index4(r['idm_20_terbawah_awal'])} → "
                                                 f"{index4(r['idm_20_terbawah_akhir'])}"),
        ("Biaya total", lambda r: rupiah(r["biaya_total"])),
        ("Kegiatan", lambda r: str(len(r["kegiatan"]))),
        ("Celah optimalitas", lambda r: _gap(r["celah_optimalitas"])),
        ("Status solver", lambda r: r["status_solver"]),
        ("Waktu hitung", lambda r: seconds(r['detik'])),
    ]
    for label, show in rows:
        table.add_row(label, show(mip), show(greedy))
    console.print(table)
    changes = mip["perubahan_status"]
    table = Table(title=f"Desa yang naik status (rencana optimal): {len(changes)}")
    for heading in ("Kode", "Desa", "Kecamatan", "IDM", "Status"):
        table.add_column(heading)
    for c in changes[:limit]:
        table.add_row(c["kode"], c["nama"], c["kecamatan"],
                      f"{index4(c['idm_awal'])} → {index4(c['idm_akhir'])}",
                      f"{c['status_awal']} → {c['status_akhir']}")
    console.print(table)
    if len(changes) > limit:
        typer.echo(f"… dan {len(changes) - limit} desa lainnya (--limit, --format json, --xlsx).")
    activities = mip["kegiatan"]
    table = Table(title=f"Kegiatan terpilih (rencana optimal): {len(activities)}")
    for heading in ("Desa", "Indikator", "Skor", "Biaya", "Dibiayai oleh"):
        table.add_column(heading, justify="right" if heading == "Biaya" else "left")
    for a in activities[:limit]:
        table.add_row(f"{a['nama']} ({a['kode']})", a["indikator"],
                      f"{a['skor_awal']} → {a['skor_akhir']}", rupiah(a["biaya"]),
                      "; ".join(f"{p['pendana']} {rupiah(p['rupiah'])}" for p in a["pembayar"]))
    console.print(table)
    if len(activities) > limit:
        typer.echo(f"… dan {len(activities) - limit} kegiatan lainnya.")
    for note in data["catatan"]:
        typer.echo(f"Catatan: {note}")

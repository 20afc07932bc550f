"""`mitradesa demo …`: synthetic demo data on the real registry — Kukar, and a national set."""

from __future__ import annotations

from datetime import date

import typer

from mitradesa.cli.app import progress_bar
from mitradesa.db.session import session_scope
from mitradesa.demo import DEMO_LABEL
from mitradesa.demo.loading import load_demo
from mitradesa.demo.national import SEED, load_national_demo
from mitradesa.formatting import number
from mitradesa.settings import get_settings

app = typer.Typer(help=f"Demo data ({DEMO_LABEL}): Kutai Kartanegara, and a national set.",
                  no_args_is_help=True)


@app.command("load")
def load() -> None:
    """Load the demo set (IDM 2019–2024 and Indeks Desa 2025 of Kukar's desa, partners, an MoU
    and agreements);
    running it again adds only what is missing."""
    store = get_settings().data_dir / "documents"
    with session_scope() as session, progress_bar("Data demo") as progress:
        report = load_demo(session, store, date.today(), progress)
        session.commit()
    typer.echo(f"{DEMO_LABEL}: {report.idm_village_years} desa-tahun IDM ditambahkan "
               "(Kutai Kartanegara, 2019–2024).")
    typer.echo(f"{DEMO_LABEL}: {report.indeks_desa_villages} desa Indeks Desa 2025 ditambahkan "
               "(Kutai Kartanegara).")
    if report.partnerships_created:
        typer.echo("Kerja sama demo dibuat: 3 mitra, 1 nota kesepahaman, 3 perjanjian "
                   "(Lung Anai, Loa Sumber, Loa Kulu Kota, Jembayan Tengah, Loa Duri Seberang).")
    else:
        typer.echo("Kerja sama demo sudah ada; tidak ada yang diubah.")
    if report.mentoring_created:
        typer.echo("Pendampingan demo dibuat: program UMKM (kerupuk udang Sepatin yang memasok "
                   "hotel) dan program graduasi keluarga prasejahtera.")
    if report.history_created:
        typer.echo("Intervensi demo terdahulu dibuat (untuk analisis kontribusi): sekolah lapang "
                   "pertanian di 6 desa Sebulu (2021–2022) dan pendampingan kelompok pengolah "
                   "ikan di 6 desa Kembang Janggut (sejak 2022).")


@app.command("national")
def national(
    villages: int = typer.Option(..., "--villages", help="How many desa (all when more)"),
    years: int = typer.Option(10, "--years", help="Years ending 2024 (1–10)"),
    seed: int = typer.Option(SEED, "--seed", help="Seed of the random draws"),
) -> None:
    """National demo set for benchmarks: IDM of N desa (last Y years) and Indeks Desa 2025.

    Whole regencies, the home regency first, then one from each province in turn; running it
    again adds only what is missing."""
    settings = get_settings()
    with session_scope() as session, progress_bar("IDM demo nasional") as progress:
        report = load_national_demo(session, villages, years, seed, settings.home_region,
                                    progress)
        session.commit()
    span = f"{report.years[0]}–{report.years[-1]}"
    where = (f"{_count(report.villages)} desa di {_count(report.regencies)} kabupaten/kota, "
             f"{report.provinces} provinsi, {span}")
    if report.added == 0 and report.indeks_desa_added == 0:
        typer.echo(f"{DEMO_LABEL}: data demo nasional sudah ada ({where}); "
                   "tidak ada yang ditambahkan.")
        return
    typer.echo(f"{DEMO_LABEL}: {_count(report.added)} desa-tahun IDM ditambahkan ({where}).")
    if report.present:
        typer.echo(f"{_count(report.present)} desa-tahun sudah ada dan tidak diubah.")
    typer.echo(f"{DEMO_LABEL}: {_count(report.indeks_desa_added)} desa Indeks Desa 2025 "
               "ditambahkan.")
    if report.indeks_desa_present:
        typer.echo(f"{_count(report.indeks_desa_present)} desa sudah punya Indeks Desa 2025 "
                   "dan tidak diubah.")


def _count(value: int) -> str:
    return number(value)

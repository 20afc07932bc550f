"""`mitradesa demo …`: synthetic demo data for Kutai Kartanegara on the real registry."""

from __future__ import annotations

from datetime import date

import typer

from mitradesa.cli.app import progress_bar
from mitradesa.db.session import session_scope
from mitradesa.demo import DEMO_LABEL
from mitradesa.demo.loading import load_demo
from mitradesa.settings import get_settings

app = typer.Typer(help=f"Demo data ({DEMO_LABEL}) for Kutai Kartanegara.", no_args_is_help=True)


@app.command("load")
def load() -> None:
    """Load the demo set (IDM 2019–2024 of Kukar's desa, partners, an MoU and agreements);
    running it again adds only what is missing."""
    store = get_settings().data_dir / "documents"
    with session_scope() as session, progress_bar("Data demo") as progress:
        report = load_demo(session, store, date.today(), progress)
        session.commit()
    typer.echo(f"{DEMO_LABEL}: {report.idm_village_years} desa-tahun IDM ditambahkan "
               "(Kutai Kartanegara, 2019–2024).")
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

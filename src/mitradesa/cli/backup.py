"""`mitradesa backup` / `mitradesa restore`: the whole installation in one archive."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import typer

from mitradesa.cli.app import console
from mitradesa.db.backup import create_backup, restore_backup
from mitradesa.db.session import get_engine
from mitradesa.formatting import fixed, number
from mitradesa.settings import get_settings


def _size(size: int) -> str:
    if size >= 100_000:
        return fixed(size / 1_000_000, 1) + " MB"
    return fixed(size / 1000, 1) + " kB"


def backup(
    target: Path = typer.Argument(None, help="Archive to write (default: "
                                  "mitradesa-backup-YYYYMMDD-HHMMSS.tar.gz here)"),
) -> None:
    """Back up the database and the stored files (documents, photos, imports) to one file."""
    target = target or Path(f"mitradesa-backup-{datetime.now():%Y%m%d-%H%M%S}.tar.gz")
    with console.status("Mencadangkan…") as status:
        report = create_backup(get_engine(), get_settings().data_dir, target,
                               progress=lambda step: status.update(f"Mencadangkan: {step}…"))
    console.print(
        f"Cadangan {report.backend} ditulis ke {report.path} ({_size(report.size)}): "
        f"{number(sum(report.rows.values()))} baris dalam {len(report.rows)} tabel, "
        f"{report.files} berkas, skema {report.revision}.")


def restore(
    archive: Path = typer.Argument(..., help="A file written by `mitradesa backup`"),
    replace: bool = typer.Option(False, "--replace",
                                 help="Replace a database that already holds data"),
) -> None:
    """Restore a backup into the configured database and data folder (same backend)."""
    with console.status("Memulihkan…") as status:
        report = restore_backup(get_engine(), get_settings().data_dir, archive,
                                replace=replace,
                                progress=lambda step: status.update(f"Memulihkan: {step}…"))
    console.print(
        f"Dipulihkan dari {archive}: {number(sum(report.rows.values()))} baris dalam "
        f"{len(report.rows)} tabel (sama dengan cadangan), {report.files} berkas, "
        f"skema {report.revision}.")

"""`mitradesa regions …`: the village registry."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from mitradesa.cli.app import OutputFormat, console, print_json, progress_bar
from mitradesa.db.session import session_scope
from mitradesa.regions import geo, persiapan, queries
from mitradesa.regions.errors import RegionInputError
from mitradesa.regions.loading import load_registry
from mitradesa.regions.models import Region
from mitradesa.regions.search import search_regions
from mitradesa.regions.source import EDITION_LABEL
from mitradesa.settings import get_settings

app = typer.Typer(help="The village registry (Kemendagri codes).", no_args_is_help=True)
FORMAT = typer.Option(OutputFormat.table, "--format", "-f", help="table or json")


def as_record(region: Region) -> dict[str, Any]:
    return {
        "kode": region.code,
        "nama": region.name,
        "jenis": region.kind,
        "induk": region.parent_code,
    }


def _print_regions(
    regions: list[Region], fmt: OutputFormat, extra: dict[str, str] | None = None
) -> None:
    if fmt is OutputFormat.json:
        print_json([as_record(r) for r in regions])
        return
    table = Table("Kode", "Nama", "Jenis", "Induk")
    for region in regions:
        note = (extra or {}).get(region.code, "")
        table.add_row(
            region.code,
            region.name + (f" [dim]({note})[/]" if note else ""),
            region.kind,
            region.parent_code or "",
        )
    console.print(table)


@app.command()
def load(
    region: str = typer.Option(None, "--region", help="Only this code and what lies under it"),
) -> None:
    """Load or refresh the official registry (idempotent; shows progress)."""
    with session_scope() as session, progress_bar("Memuat registri") as progress:
        report = load_registry(session, prefix=region, progress=progress)
        session.commit()
    typer.echo(
        f"{EDITION_LABEL}: {report.inserted} ditambahkan, {report.updated} diperbarui, "
        f"{report.unchanged} tetap, {report.deactivated} dinonaktifkan; "
        f"riwayat kode +{report.history}, alias +{report.aliases}."
    )


@app.command()
def show(code: str, fmt: OutputFormat = FORMAT) -> None:
    """Show a region and everything under it."""
    with session_scope() as session:
        region = queries.get_region(session, code)
        regions = [region, *queries.descendants(session, region.code)]
        _print_regions(regions, fmt)


@app.command()
def search(
    query: str,
    fmt: OutputFormat = FORMAT,
    within: str = typer.Option(None, "--within", help="Only under this code, e.g. 64.02"),
    limit: int = typer.Option(20, "--limit", min=1, max=200),
) -> None:
    """Find regions by name; forgives misspellings and missing diacritics."""
    with session_scope() as session:
        hits = search_regions(
            session, query, within=within, prefer=get_settings().home_region, limit=limit
        )
        regions = [session.get(Region, hit.code) for hit in hits]
        found = [r for r in regions if r is not None]
        notes = {
            h.code: f"ditulis: {h.matched}"
            for h, r in zip(hits, regions, strict=True)
            if r is not None and h.matched not in (r.name, r.code)
        }
        if not found and fmt is OutputFormat.table:
            console.print(f"Tidak ada wilayah yang cocok dengan {query!r}.")
            return
        _print_regions(found, fmt, notes)


@app.command()
def resolve(code: str, name: str = typer.Option(None, help="Name recorded with the code")) -> None:
    """Where data recorded under an old code belongs today."""
    with session_scope() as session:
        result = queries.resolve_code(session, code, name)
        typer.echo(result.message or f"{result.region.code} {result.region.name}: kode berlaku.")


@app.command("add-persiapan")
def add_persiapan(parent: str, name: str) -> None:
    """Register a desa persiapan under its parent desa with a provisional code."""
    with session_scope() as session:
        region = persiapan.add_desa_persiapan(session, parent, name)
        session.commit()
        typer.echo(f"Desa persiapan {region.name} terdaftar dengan kode sementara {region.code}.")


@app.command()
def promote(provisional_code: str, definitive_code: str) -> None:
    """Give a desa persiapan its definitive code (its history is kept)."""
    with session_scope() as session:
        region = persiapan.promote_desa_persiapan(session, provisional_code, definitive_code)
        session.commit()
        typer.echo(f"{region.name} kini desa definitif dengan kode {region.code}.")


@app.command("import-geojson")
def import_geojson(
    path: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True),
    code_property: str = typer.Option(None, help="Feature property holding the region code"),
    source: str = typer.Option("", help="Source and attribution to show on maps"),
) -> None:
    """Import boundaries (Polygon) or centre points (Point) from a GeoJSON file; all or nothing."""
    with session_scope() as session:
        report = geo.import_geojson(session, path, code_property=code_property, source=source)
        if report.errors:
            for line in report.errors[:50]:
                console.print(f"[red]•[/] {line}")
            raise RegionInputError(
                f"{len(report.errors)} fitur bermasalah; tidak ada yang disimpan."
            )
        session.commit()
    typer.echo(f"{report.boundaries} batas wilayah dan {report.points} titik tengah disimpan.")

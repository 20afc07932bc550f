"""`mitradesa db …`: schema migrations."""

from __future__ import annotations

import typer

from mitradesa.db import migrate

app = typer.Typer(help="Database schema migrations.", no_args_is_help=True)


@app.command()
def upgrade(revision: str = typer.Argument("head", help="Target revision")) -> None:
    """Create or migrate the database to the newest schema."""
    migrate.upgrade(revision=revision)
    typer.echo(f"Skema basis data pada revisi {migrate.current_revision()}.")


@app.command()
def current() -> None:
    """Show the database's schema revision and the newest one available."""
    typer.echo(f"sekarang: {migrate.current_revision()}  terbaru: {migrate.head_revision()}")

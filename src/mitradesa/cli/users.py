"""`mitradesa users …`: accounts and API tokens."""

from __future__ import annotations

import typer
from rich.table import Table
from sqlalchemy import select
from sqlalchemy.orm import Session

from mitradesa.accounts import services
from mitradesa.accounts.errors import AccountInputError
from mitradesa.accounts.models import ROLES, User
from mitradesa.cli.app import console
from mitradesa.db.session import session_scope
from mitradesa.partnerships.models import Partner
from mitradesa.partnerships.services import add_partner_member

app = typer.Typer(help="Accounts, roles and API tokens.", no_args_is_help=True)


@app.command()
def create(
    username: str = typer.Argument(None, help="Asked for when not given (default: admin)"),
    role: str = typer.Option(..., "--role", help=f"One of: {', '.join(ROLES)}"),
    scope: list[str] = typer.Option([], "--scope", help="Region code; repeat for several"),
    full_name: str = typer.Option("", "--name"),
    organisation: str = typer.Option("", "--organisation", help="Partner organisation (mitra)"),
    password: str = typer.Option(
        None,
        "--password",
        envvar="MITRADESA_NEW_PASSWORD",
        help="Asked for when not given (or set MITRADESA_NEW_PASSWORD)",
    ),
) -> None:
    """Create an account, e.g. the first admin: `mitradesa users create --role admin`."""
    if username is None:
        username = typer.prompt("Nama pengguna", default="admin")
    if password is None:
        password = typer.prompt("Kata sandi", hide_input=True, confirmation_prompt=True)
    if role not in ROLES:
        raise AccountInputError(
            f"Peran tidak dikenal: {role}. Pilih salah satu: {', '.join(ROLES)}."
        )
    with session_scope() as session:
        user = services.create_user(
            session,
            username=username,
            password=password,
            role=role,
            full_name=full_name,
            scope_codes=scope,
            organisation=organisation,
        )
        linked = _link_to_partner(session, user) if role == "mitra" else None
        session.commit()
        typer.echo(f"Pengguna {user.username} ({user.role}) dibuat.")
        if linked is not None:
            typer.echo(f"Ditautkan ke mitra {linked.name} (id {linked.id}): akun ini melihat "
                       "dan melapor pada perjanjian mitra itu saja.")
        elif role == "mitra":
            typer.echo(f"Belum ada mitra bernama “{user.organisation}”. Setelah mitranya dicatat, "
                       f"tautkan dengan: mitradesa partnerships link-user {user.username} "
                       "ID_MITRA (lihat `mitradesa partnerships partners`).")


def _link_to_partner(session: Session, user: User) -> Partner | None:
    """A mitra account acts for the partner of exactly its organisation's name, if any."""
    partner = session.scalar(select(Partner).where(Partner.name == user.organisation.strip()))
    if partner is not None:
        add_partner_member(session, None, partner, user)
    return partner


@app.command("list")
def list_users() -> None:
    """List accounts with their role and scope."""
    with session_scope() as session:
        table = Table("Nama pengguna", "Peran", "Wilayah", "Organisasi", "Aktif")
        for user in session.scalars(select(User).order_by(User.username)):
            table.add_row(
                user.username,
                user.role,
                ", ".join(user.scope_codes) or "semua",
                user.organisation,
                "ya" if user.active else "tidak",
            )
        console.print(table)


@app.command()
def token(username: str, name: str = typer.Option("script", "--name")) -> None:
    """Create an API token for scripts (shown once)."""
    with session_scope() as session:
        user = session.scalar(select(User).where(User.username == username.strip().lower()))
        if user is None:
            raise AccountInputError(f"Pengguna {username} tidak ditemukan.")
        value = services.create_api_token(session, user, name)
        session.commit()
    typer.echo(value)

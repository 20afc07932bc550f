"""`mitradesa users …`: accounts and API tokens."""

from __future__ import annotations

from datetime import datetime

import typer
from rich.table import Table
from sqlalchemy import select
from sqlalchemy.orm import Session

from mitradesa import formatting
from mitradesa.accounts import management, services, sessions, tokens
from mitradesa.accounts.clock import aware
from mitradesa.accounts.errors import AccountInputError
from mitradesa.accounts.models import ROLES, User
from mitradesa.accounts.password_rule import RULE_TEXT_EN
from mitradesa.cli.app import console
from mitradesa.db.session import session_scope
from mitradesa.partnerships.models import Partner
from mitradesa.partnerships.services import add_partner_member

app = typer.Typer(help="Accounts, roles and API tokens.", no_args_is_help=True)


PASSWORD_HELP = "Asked for when not given (or set MITRADESA_NEW_PASSWORD)"


@app.command()
def create(
    username: str = typer.Argument(None, help="Asked for when not given (default: admin)"),
    role: str = typer.Option(..., "--role", help=f"One of: {', '.join(ROLES)}"),
    scope: list[str] = typer.Option([], "--scope", help="Region code; repeat for several"),
    full_name: str = typer.Option("", "--name"),
    organisation: str = typer.Option("", "--organisation", help="Partner organisation (mitra)"),
    email: str = typer.Option("", "--email", help="E-mail address (for the reminder digest)"),
    password: str = typer.Option(
        None,
        "--password",
        envvar="MITRADESA_NEW_PASSWORD",
        help=PASSWORD_HELP,
    ),
) -> None:
    """Create an account, e.g. the first admin: `mitradesa users create --role admin`.

    Password rule: {rule}
    """
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
            email=email,
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
def token(
    username: str,
    name: str = typer.Option("script", "--name"),
    expires_days: int = typer.Option(
        None, "--expires-days", min=1, help="Days until the token stops; default: no expiry"
    ),
) -> None:
    """Create an API token for scripts (shown once)."""
    with session_scope() as session:
        user = management.find_user(session, username)
        value = services.create_api_token(session, user, name, expires_days=expires_days)
        session.commit()
    typer.echo(value)


@app.command("tokens")
def list_tokens(username: str) -> None:
    """List an account's API tokens (id, name, last use, expiry, revoked)."""
    with session_scope() as session:
        user = management.find_user(session, username)
        table = Table("ID", "Nama", "Dibuat", "Terakhir dipakai", "Kedaluwarsa", "Status")
        for row in tokens.list_tokens(session, user):
            table.add_row(str(row.id), row.name, _when(row.created_at), _when(row.last_used_at),
                          _when(row.expires_at) if row.expires_at else "tidak",
                          "dicabut" if row.revoked else "aktif")
        console.print(table)


@app.command("revoke-token")
def revoke_token(username: str, token_id: int = typer.Argument(..., help="From `users tokens`")
                 ) -> None:
    """Revoke one API token of an account; it stops at once."""
    with session_scope() as session:
        user = management.find_user(session, username)
        tokens.revoke_token(session, user, token_id, actor=None)
        session.commit()
    typer.echo(f"Token {token_id} milik {user.username} dicabut.")


@app.command()
def deactivate(username: str) -> None:
    """Switch an account off: its sessions end and its API tokens are revoked at once."""
    with session_scope() as session:
        user = management.find_user(session, username)
        management.deactivate_user(session, user, actor=None)
        session.commit()
    typer.echo(f"Pengguna {user.username} dinonaktifkan; sesi diakhiri dan token dicabut.")


@app.command()
def activate(username: str) -> None:
    """Switch an account on again (its old tokens stay revoked)."""
    with session_scope() as session:
        user = management.find_user(session, username)
        management.activate_user(session, user, actor=None)
        session.commit()
    typer.echo(f"Pengguna {user.username} diaktifkan kembali.")


@app.command("set-password")
def set_password(
    username: str,
    password: str = typer.Option(
        None, "--password", envvar="MITRADESA_NEW_PASSWORD",
        help="The new password; default: a generated one, shown once",
    ),
    must_change: bool = typer.Option(
        True, "--must-change/--no-must-change",
        help="Whether the user must change it at the next login",
    ),
) -> None:
    """Set (reset) an account's password and end its sessions.

    Password rule: {rule}
    """
    with session_scope() as session:
        user = management.find_user(session, username)
        value = management.reset_password(session, user, actor=None, new_password=password,
                                          must_change=must_change)
        session.commit()
    typer.echo(f"Kata sandi {user.username} diganti; sesinya diakhiri.")
    if password is None:
        typer.echo(f"Kata sandi baru (hanya ditampilkan sekali): {value}")
    if must_change:
        typer.echo("Pengguna harus menggantinya saat masuk berikutnya.")


@app.command("sessions")
def list_sessions(
    username: str,
    end: bool = typer.Option(False, "--end", help="End every session of the account"),
) -> None:
    """List an account's login sessions, or end them all with --end."""
    with session_scope() as session:
        user = management.find_user(session, username)
        if end:
            ended = sessions.end_other_sessions(session, user, None, actor=None)
            session.commit()
            typer.echo(f"{ended} sesi {user.username} diakhiri.")
            return
        table = Table("ID", "Masuk", "Berakhir", "Alamat", "Peramban")
        for row in sessions.list_sessions(session, user):
            table.add_row(row.public_id, _when(row.created_at), _when(row.expires_at),
                          row.client or "-", row.user_agent[:60] or "-")
        console.print(table)


def _when(moment: datetime | None) -> str:
    return formatting.moment(aware(moment)) if moment else "-"


for _command in (create, set_password):
    _command.__doc__ = (_command.__doc__ or "").replace("{rule}", RULE_TEXT_EN)

"""`mitradesa digest send`: the reminder digests by e-mail (run it daily from cron or a
systemd timer; each user gets at most one per day or week, as they chose)."""

from __future__ import annotations

import typer
from rich.table import Table

from mitradesa.cli.app import table_console
from mitradesa.cli.days import day_or_today
from mitradesa.db.session import session_scope
from mitradesa.digest.sending import send_digests
from mitradesa.settings import get_settings

app = typer.Typer(help="Reminder digests by e-mail.", no_args_is_help=True)

STATUS_WORDS = {
    "sent": "terkirim",
    "would_send": "akan dikirim (uji coba)",
    "nothing": "tidak ada yang perlu diingatkan",
    "not_due": "sudah dikirim pada periode ini",
    "off": "ringkasan dimatikan",
    "no_email": "tidak ada alamat e-mail",
    "refused": "alamat ditolak server SMTP",
}
FREQUENCY_WORDS = {"off": "mati", "weekly": "mingguan", "daily": "harian"}


@app.command("send")
def send(
    dry_run: bool = typer.Option(False, "--dry-run",
                                 help="Show who would get a digest; send nothing"),
    user: str = typer.Option(None, "--user", help="Only this user (username)"),
    today: str = typer.Option(None, "--today", help="YYYY-MM-DD (default: today)"),
) -> None:
    """Send the digests that are due: agreements ending, progress reports overdue and stages
    stalled, each user only what they may see. SMTP: MITRADESA_SMTP_* settings."""
    day = day_or_today(today)
    with session_scope() as session:
        outcomes = send_digests(session, get_settings(), today=day, username=user,
                                dry_run=dry_run)
    table = Table("Pengguna", "E-mail", "Ringkasan", "Hal", "Hasil")
    for o in outcomes:
        table.add_row(o.username, o.email or "-", FREQUENCY_WORDS.get(o.frequency, o.frequency),
                      str(o.items) if o.items else "-", STATUS_WORDS[o.status])
    table_console().print(table)
    sent = sum(o.status == "sent" for o in outcomes)
    planned = sum(o.status == "would_send" for o in outcomes)
    if dry_run:
        typer.echo(f"Uji coba: {planned} ringkasan akan dikirim; tidak ada yang dikirim.")
    else:
        typer.echo(f"{sent} ringkasan terkirim.")


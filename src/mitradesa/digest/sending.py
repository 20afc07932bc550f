"""`mitradesa digest send`: the digests that are due go out, one message per user, over the
SMTP server of the settings; each one sent is recorded, so that nobody gets two in one period
(a day, or an ISO week). Users with nothing to report are skipped and not recorded."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from mitradesa.accounts.clock import aware, now
from mitradesa.accounts.models import User
from mitradesa.digest.content import digest_for
from mitradesa.digest.message import compose
from mitradesa.errors import MitradesaError, NotFoundError
from mitradesa.settings import Settings

TIMEOUT_SECONDS = 30


class DigestError(MitradesaError):
    reason = "digest_failed"


@dataclass(frozen=True)
class Outcome:
    username: str
    email: str
    frequency: str
    items: int
    status: str  # sent | would_send | nothing | not_due | off | no_email | refused


def is_due(user: User, today: date) -> bool:
    """Daily: none sent today; weekly: none sent this ISO week (local dates)."""
    last = user.digest_last_sent_at
    if last is None:
        return True
    sent_on = aware(last).astimezone().date()
    if user.digest_frequency == "weekly":
        return sent_on.isocalendar()[:2] < today.isocalendar()[:2]
    return sent_on < today


def _candidates(session: Session, username: str | None) -> list[User]:
    query = select(User).where(User.active.is_(True)).order_by(User.username)
    if username:
        query = query.where(User.username == username.strip().lower())
        users = list(session.scalars(query))
        if not users:
            raise NotFoundError(f"Pengguna aktif {username} tidak ditemukan.")
        return users
    return list(session.scalars(query.where(User.digest_frequency != "off")))


def _check_settings(settings: Settings) -> None:
    missing = [name for name, value in (("MITRADESA_SMTP_HOST", settings.smtp_host),
                                        ("MITRADESA_SMTP_SENDER", settings.smtp_sender))
               if not value.strip()]
    if missing:
        raise DigestError(f"SMTP belum diatur: isi {' dan '.join(missing)} (lihat README, "
                          "bagian ringkasan e-mail). Tidak ada yang dikirim.",
                          reason="smtp_not_configured")


@contextmanager
def smtp_connection(settings: Settings) -> Iterator[smtplib.SMTP]:
    """An open, logged-in connection, or a DigestError that says what the server did."""
    where = f"{settings.smtp_host}:{settings.smtp_port}"
    try:
        if settings.smtp_ssl:
            server: smtplib.SMTP = smtplib.SMTP_SSL(
                settings.smtp_host, settings.smtp_port, timeout=TIMEOUT_SECONDS,
                context=ssl.create_default_context())
        else:
            server = smtplib.SMTP(settings.smtp_host, settings.smtp_port,
                                  timeout=TIMEOUT_SECONDS)
    except OSError as exc:
        raise DigestError(f"Tidak dapat terhubung ke server SMTP {where}: {exc}. Tidak ada "
                          "yang dikirim.", reason="smtp_unreachable") from exc
    try:
        if settings.smtp_starttls and not settings.smtp_ssl:
            server.starttls(context=ssl.create_default_context())
        if settings.smtp_username:
            server.login(settings.smtp_username, settings.smtp_password)
    except smtplib.SMTPAuthenticationError as exc:
        server.close()
        raise DigestError(f"Server SMTP {where} menolak login {settings.smtp_username} "
                          f"({exc.smtp_code} {_text(exc.smtp_error)}). Periksa "
                          "MITRADESA_SMTP_USERNAME dan MITRADESA_SMTP_PASSWORD. Tidak ada yang "
                          "dikirim.", reason="smtp_login_refused") from exc
    except (smtplib.SMTPException, OSError) as exc:
        server.close()
        raise DigestError(f"Server SMTP {where} menolak sambungan: {exc}. Tidak ada yang "
                          "dikirim.", reason="smtp_refused") from exc
    try:
        yield server
    finally:
        try:
            server.quit()
        except (smtplib.SMTPException, OSError):
            server.close()


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def send_digests(session: Session, settings: Settings, *, today: date,
                 username: str | None = None, dry_run: bool = False,
                 moment: datetime | None = None) -> list[Outcome]:
    """Send every due digest (or only `username`'s); commit after each message sent."""
    outcomes: list[Outcome] = []
    due = []
    for user in _candidates(session, username):
        base = (user.username, user.email, user.digest_frequency)
        if user.digest_frequency == "off":
            outcomes.append(Outcome(*base, 0, "off"))
        elif not user.email:
            outcomes.append(Outcome(*base, 0, "no_email"))
        elif not is_due(user, today):
            outcomes.append(Outcome(*base, 0, "not_due"))
        else:
            digest = digest_for(session, user, today)
            if not digest.items:
                outcomes.append(Outcome(*base, 0, "nothing"))
            else:
                due.append(digest)
    if dry_run:
        return outcomes + [Outcome(d.user.username, d.user.email, d.user.digest_frequency,
                                   len(d.items), "would_send") for d in due]
    if not due:
        return outcomes
    _check_settings(settings)
    with smtp_connection(settings) as server:
        for digest in due:
            user = digest.user
            base = (user.username, user.email, user.digest_frequency, len(digest.items))
            try:
                server.send_message(compose(digest, settings.smtp_sender, settings.public_url))
            except smtplib.SMTPRecipientsRefused:
                outcomes.append(Outcome(*base, "refused"))
                continue
            except smtplib.SMTPException as exc:
                raise DigestError(f"Server SMTP berhenti saat mengirim ke {user.email}: {exc}. "
                                  f"Yang sudah terkirim: {_sent(outcomes)}.",
                                  reason="smtp_failed") from exc
            user.digest_last_sent_at = moment or now()
            session.commit()
            outcomes.append(Outcome(*base, "sent"))
    return outcomes


def _sent(outcomes: list[Outcome]) -> str:
    names = [o.username for o in outcomes if o.status == "sent"]
    return ", ".join(names) or "tidak ada"

"""Login throttling that holds under parallel tries.

Each try first takes a place in the counter of its client address and, if that one is not
full, in the counter of its account: one `UPDATE … RETURNING` per counter, which the database
runs one at a time per row (a row lock on PostgreSQL, the write lock on SQLite), so thirty
tries at once see the counts 1 to 30 and only those within the limit go on to the password
check. A try that succeeds gives its places back; a failed one keeps them until the window
ends.

Two counters, so a stranger cannot lock a user out from one address: the client counter
(MITRADESA_LOGIN_MAX_FAILURES, default 5) stops that address long before it fills the
account counter (MITRADESA_LOGIN_ACCOUNT_MAX_FAILURES, default 20), which only guesses
spread over many addresses reach.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import case, delete, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from mitradesa.accounts.models import LoginThrottle
from mitradesa.errors import RateLimitedError
from mitradesa.settings import get_settings

STALE = timedelta(days=1)


@dataclass(frozen=True)
class Places:
    """The counters a try holds a place in, to give back when it succeeds."""

    keys: tuple[str, ...]


def client_key(client: str) -> str:
    return f"client:{client[:150]}"


def account_key(username: str) -> str:
    return f"account:{username[:150]}"


def _now() -> datetime:
    return datetime.now(UTC)


def _ensure_row(session: Session, key: str, now: datetime) -> None:
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    session.execute(
        insert(LoginThrottle)
        .values(key=key, window_start=now, failures=0)
        .on_conflict_do_nothing(index_elements=["key"])
    )


def _take_place(session: Session, key: str, now: datetime, since: datetime) -> int:
    """Count this try on `key` (a new window once the old one has passed); the new count."""
    expired = LoginThrottle.window_start < since
    for _ in range(3):  # the row may be swept away between the insert and the update
        _ensure_row(session, key, now)
        count = session.execute(
            update(LoginThrottle)
            .where(LoginThrottle.key == key)
            .values(
                failures=case((expired, 1), else_=LoginThrottle.failures + 1),
                window_start=case((expired, now), else_=LoginThrottle.window_start),
            )
            .returning(LoginThrottle.failures)
        ).scalar_one_or_none()
        if count is not None:
            return count
    raise RuntimeError(f"login throttle row {key} could not be kept")


def _sweep(session: Session, now: datetime, window: timedelta) -> None:
    """Forget keys not seen for a day (or a window), in a transaction of its own (holding no
    counter row, it cannot deadlock with a try)."""
    cutoff = now - max(STALE, window)
    session.execute(delete(LoginThrottle).where(LoginThrottle.window_start < cutoff))
    session.commit()


def _refuse(minutes: int) -> RateLimitedError:
    return RateLimitedError(
        f"Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam {minutes} menit."
    )


def reserve(session: Session, username: str, client: str) -> Places:
    """Take a place for this try, or raise RateLimitedError. Commits (its own transaction:
    the counts must be visible to the parallel tries before the slow password check)."""
    settings = get_settings()
    now = _now()
    since = now - timedelta(seconds=settings.login_window_seconds)
    minutes = max(1, settings.login_window_seconds // 60)
    session.commit()  # end the request's read transaction: SQLite cannot upgrade it safely
    try:
        by_client = client_key(client)
        if _take_place(session, by_client, now, since) > settings.login_max_failures:
            session.commit()
            raise _refuse(minutes)
        by_account = account_key(username)
        if _take_place(session, by_account, now, since) > settings.login_account_max_failures:
            session.commit()
            raise _refuse(minutes)
        session.commit()
    except RateLimitedError:
        raise
    except Exception:
        session.rollback()
        raise
    _sweep(session, now, now - since)
    return Places((by_client, by_account))


def release(session: Session, places: Places) -> None:
    """A successful login gives its places back (in the caller's transaction)."""
    session.execute(
        update(LoginThrottle)
        .where(LoginThrottle.key.in_(places.keys), LoginThrottle.failures > 0)
        .values(failures=LoginThrottle.failures - 1)
    )

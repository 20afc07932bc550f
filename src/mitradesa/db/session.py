"""The one engine and session factory. SQLite gets WAL and foreign keys on."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from mitradesa.db.data_version import track_changes
from mitradesa.settings import get_settings


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()
    # pysqlite's own transaction handling breaks SAVEPOINTs; SQLAlchemy emits BEGIN itself.
    dbapi_connection.isolation_level = None


def _sqlite_begin(connection) -> None:  # type: ignore[no-untyped-def]
    connection.exec_driver_sql("BEGIN")


def make_engine(url: str, **options: Any) -> Engine:
    """The engine for `url`; `options` go to create_engine (e.g. pool sizes)."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False}, **options)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    else:
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
        engine = create_engine(url, pool_pre_ping=True, **options)
    track_changes(engine)
    return engine


@lru_cache(maxsize=4)
def engine_for(url: str) -> Engine:
    return make_engine(url)


def get_engine() -> Engine:
    return engine_for(get_settings().resolved_database_url)


def session_factory(bind: Engine | Connection | None = None) -> sessionmaker[Session]:
    """Sessions on an engine, or on one connection whose outer transaction the caller owns
    (tests): then a commit only releases a savepoint."""
    if isinstance(bind, Connection):
        return sessionmaker(
            bind=bind, expire_on_commit=False, join_transaction_mode="create_savepoint"
        )
    return sessionmaker(bind=bind or get_engine(), expire_on_commit=False)


@contextmanager
def session_scope(engine: Engine | Connection | None = None) -> Iterator[Session]:
    """A session whose transaction rolls back unless the caller commits explicitly."""
    session = session_factory(engine)()
    try:
        yield session
    finally:
        session.close()  # rolls back what was not committed

"""The data version: one number that every committed write raises, so that what is kept
under it (the rendered pages of web/page_cache.py) is never shown after a change.

Raised in the same transaction as the write, at its commit (or at the release of the
savepoint that stands for a commit in the tests), by a hook on every engine that
`make_engine` builds — the web app, the CLI, the imports and the scheduled jobs alike. A
write made outside mitradesa (psql) does not raise it: restart the app processes after one.
Writes that change nothing a page shows (sessions, login attempts) leave it alone."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Connection, Engine, event, text
from sqlalchemy.orm import Session

TABLE = "data_version"
# Tables that no page shows: a login must not empty every cache.
QUIET_TABLES = frozenset({"user_sessions", "login_attempts", "login_throttles", TABLE})
_WROTE = "mitradesa_wrote"
_WRITE_VERBS = ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "ALTER", "DROP", "TRUNCA")
_TARGET = re.compile(
    r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
_CTE_WRITE = re.compile(r"\b(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


def is_change(statement: str) -> bool:
    """Whether `statement` changes data a page may show."""
    head = statement.lstrip()[:6].upper()
    if head.startswith("WITH"):
        return bool(_CTE_WRITE.search(statement))
    if not head.startswith(_WRITE_VERBS):
        return False
    target = _TARGET.match(statement)
    return target is None or target.group(1).lower() not in QUIET_TABLES


def _note_write(conn: Connection, _cursor: Any, statement: str, *_args: Any) -> None:
    if not conn.info.get(_WROTE) and is_change(statement):
        conn.info[_WROTE] = True


def _has_table(cursor: Any, dialect: str) -> bool:
    if dialect == "sqlite":
        cursor.execute(f"SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '{TABLE}'")
    else:
        cursor.execute(f"SELECT to_regclass('{TABLE}')")
    row = cursor.fetchone()
    return row is not None and row[0] is not None


def _raise_version(conn: Connection, *_args: Any) -> None:
    if not conn.info.pop(_WROTE, False):
        return
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        if _has_table(cursor, conn.dialect.name):  # absent while the first migrations run
            cursor.execute(f"UPDATE {TABLE} SET version = version + 1")
    finally:
        cursor.close()


def _forget_write(conn: Connection, *_args: Any) -> None:
    conn.info.pop(_WROTE, None)


def track_changes(engine: Engine) -> None:
    """Raise the data version at the commit of every transaction on `engine` that wrote."""
    event.listen(engine, "before_cursor_execute", _note_write)
    event.listen(engine, "commit", _raise_version)
    event.listen(engine, "release_savepoint", _raise_version)
    event.listen(engine, "rollback", _forget_write)


def current(session: Session) -> int:
    """The data version as this session's transaction sees it."""
    return int(session.execute(text(f"SELECT version FROM {TABLE}")).scalar_one())

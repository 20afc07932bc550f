"""Alembic environment: runs against the engine handed over by mitradesa.db.migrate."""

from __future__ import annotations

from alembic import context

from mitradesa.db.models import Base
from mitradesa.db.session import engine_for

config = context.config
connection = config.attributes.get("connection")


def _run(conn) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=conn,
        target_metadata=Base.metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if connection is not None:
    _run(connection)
else:
    with engine_for(config.get_main_option("sqlalchemy.url") or "").connect() as conn:
        _run(conn)

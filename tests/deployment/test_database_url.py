"""Database URLs of a production server: PostgreSQL through its socket folder (peer login, as
deploy/mitradesa.env.example has it) or with a password holding URL escapes."""

from __future__ import annotations

import pytest

from mitradesa.db.migrate import alembic_config
from mitradesa.db.session import make_engine


@pytest.mark.parametrize("url", [
    "postgresql+psycopg://mitradesa@/mitradesa?host=%2Fvar%2Frun%2Fpostgresql",
    "postgresql+psycopg://mitradesa:s%40ndi%25rahasia@db.example.go.id:5432/mitradesa",
])
def test_the_migration_gets_the_url_unchanged(url):
    engine = make_engine(url)
    try:
        assert alembic_config(engine).get_main_option("sqlalchemy.url") == url
    finally:
        engine.dispose()

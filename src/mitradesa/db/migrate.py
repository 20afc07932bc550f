"""`mitradesa db upgrade`: bring the database schema to the newest Alembic revision."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

from mitradesa.db.session import get_engine


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", "mitradesa.db:migrations")
    # The option is read through configparser interpolation: a URL's escapes (a socket folder
    # as host=%2Fvar%2Frun%2Fpostgresql, a password with %40) need their % doubled.
    url = engine.url.render_as_string(hide_password=False)
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(engine: Engine | None = None, revision: str = "head") -> None:
    engine = engine or get_engine()
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def current_revision(bind: Engine | Connection | None = None) -> str | None:
    bind = bind or get_engine()
    if isinstance(bind, Connection):
        return MigrationContext.configure(bind).get_current_revision()
    with bind.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    config = Config()
    config.set_main_option("script_location", "mitradesa.db:migrations")
    return ScriptDirectory.from_config(config).get_current_head()


def autogenerate(message: str, engine: Engine | None = None) -> None:
    """Developer helper: write a new revision from the models' difference to the database."""
    engine = engine or get_engine()
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.revision(config, message=message, autogenerate=True)

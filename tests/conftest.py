"""Shared fixtures: every database test runs on SQLite and on a throw-away PostgreSQL.

Each backend is migrated and loaded with the whole national registry once per run; each test
then works inside a transaction that is rolled back, so tests never see each other's data.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session

from mitradesa.accounts import services
from mitradesa.accounts.models import User
from mitradesa.db.migrate import upgrade
from mitradesa.db.session import make_engine, session_factory
from mitradesa.regions.loading import load_registry
from mitradesa.web.app import create_app
from tests.pg_server import PostgresServer

os.environ.setdefault("MITRADESA_ENVIRONMENT", "development")
BACKENDS = ("sqlite", "postgresql")
PASSWORD = "sandi-uji-yang-panjang"
SEPATIN = "64.02.04.2001"
SUNGAI_MERIAM = "64.02.04.2006"
LOH_SUMBER = "64.02.02.2005"


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    server = PostgresServer().start()
    yield server
    server.stop()


def prepared_engine(url: str) -> Engine:
    engine = make_engine(url)
    upgrade(engine)
    with session_factory(engine)() as session:
        load_registry(session)
        session.commit()
    return engine


@pytest.fixture(scope="session")
def registry_copy(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """A migrated database holding the whole registry, built once per backend and copied for
    each module that needs its own (CLI and browser tests): loading 91,599 regions takes
    seconds, copying a file or a PostgreSQL template a fraction of that.

    sqlite: copy_to(backend, name, path) writes the copy at `path` and returns its URL;
    postgresql: the copy is a new database called `name`."""
    templates: dict[str, Path] = {}

    def copy_to(backend: str, name: str, path: Path | None = None) -> str:
        if backend == "sqlite":
            if "sqlite" not in templates:
                template = tmp_path_factory.mktemp("registry") / "registry.sqlite3"
                prepared_engine(f"sqlite:///{template}").dispose()
                templates["sqlite"] = template
            target = path or tmp_path_factory.mktemp(name) / f"{name}.sqlite3"
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(templates["sqlite"], target)
            return f"sqlite:///{target}"
        server = request.getfixturevalue("postgres")
        if "postgresql" not in templates:
            prepared_engine(server.create_database("registry_template")).dispose()
            templates["postgresql"] = Path("registry_template")
        return server.create_database(name, template="registry_template")

    return copy_to


@pytest.fixture(scope="session")
def engines(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """Lazily built engines per backend, shared by the whole run."""
    built: dict[str, Engine] = {}

    def get(backend: str) -> Engine:
        if backend not in built:
            if backend == "sqlite":
                path = tmp_path_factory.mktemp("sqlite") / "test.sqlite3"
                built[backend] = prepared_engine(f"sqlite:///{path}")
            else:
                server = request.getfixturevalue("postgres")
                built[backend] = prepared_engine(server.create_database("mitradesa_test"))
        return built[backend]

    yield get
    for engine in built.values():
        engine.dispose()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def connection(engines, backend: str) -> Iterator[Connection]:
    conn = engines(backend).connect()
    outer = conn.begin()
    yield conn
    outer.rollback()
    conn.close()


@pytest.fixture
def db(connection: Connection) -> Iterator[Session]:
    session = session_factory(connection)()
    yield session
    session.close()


@pytest.fixture
def make_user(db: Session):
    def make(username: str, role: str, scope: list[str] | None = None, **extra: str) -> User:
        user = services.create_user(
            db,
            username=username,
            password=PASSWORD,
            role=role,
            scope_codes=scope or [],
            **extra,
        )
        db.commit()
        return user

    return make


@pytest.fixture
def app(connection: Connection):
    return create_app(engine=connection)


@pytest.fixture
def client(app) -> Iterator[TestClient]:
    with TestClient(app, base_url="http://testserver") as test_client:
        yield test_client


def csrf_of(client: TestClient) -> str:
    if "mitradesa_csrf" not in client.cookies:
        client.get("/masuk")
    return client.cookies["mitradesa_csrf"]


def send(client: TestClient, method: str, path: str, **kwargs: Any) -> Any:
    """An API request under /api/v1 with the session's CSRF header."""
    return client.request(method, "/api/v1" + path, headers={"X-CSRF-Token": csrf_of(client)},
                          **kwargs)


def login(client: TestClient, username: str, password: str = PASSWORD) -> None:
    response = client.post(
        "/masuk",
        data={"username": username, "password": password, "csrf_token": csrf_of(client)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


SLOW_ON_POSTGRESQL = ("tests/e2e/",)
SLOW_EVERYWHERE = ("tests/cli/",)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The command-line tests (on both backends) and the browser tests on PostgreSQL form the
    `slow` group (`make test-slow`, which CI also runs): each starts real processes or a
    browser, while the code under them is checked on both backends by the fast group, which
    so stays within 15 minutes."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        on_postgresql = callspec is not None and "postgresql" in callspec.params.values()
        if item.nodeid.startswith(SLOW_EVERYWHERE) or (
                on_postgresql and item.nodeid.startswith(SLOW_ON_POSTGRESQL)):
            item.add_marker(pytest.mark.slow)

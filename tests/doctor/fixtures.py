"""A good production configuration for the doctor: PostgreSQL migrated to head, a writable
data folder, a strong secret, a trusted proxy and an https public address."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from mitradesa.db.migrate import upgrade
from mitradesa.db.session import make_engine


@pytest.fixture(scope="session")
def migrated_postgres_url(postgres) -> str:
    url = postgres.create_database("doctor_good")
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    return url


@pytest.fixture
def good_env(migrated_postgres_url: str, tmp_path: Path) -> dict[str, str]:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    return {
        "MITRADESA_ENVIRONMENT": "production",
        "MITRADESA_SECRET_KEY": secrets.token_urlsafe(32),
        "MITRADESA_DATABASE_URL": migrated_postgres_url,
        "MITRADESA_DATA_DIR": str(data_dir),
        "MITRADESA_TRUSTED_PROXIES": "127.0.0.1",
        "MITRADESA_PUBLIC_URL": "https://mitradesa.example.go.id",
        "MITRADESA_WORKERS": "1",
    }

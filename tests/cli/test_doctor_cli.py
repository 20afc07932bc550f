"""`mitradesa doctor` as an operator runs it: a real process; exit 0 without a problem, 1 with."""

from __future__ import annotations

import json
import os

from tests.cli.conftest import run
from tests.doctor import fixtures
from tests.pg_server import free_port

good_env = fixtures.good_env
migrated_postgres_url = fixtures.migrated_postgres_url


def clean_env(settings: dict[str, str]) -> dict[str, str]:
    """The process environment without the caller's MITRADESA_ settings, plus `settings`."""
    base = {key: value for key, value in os.environ.items()
            if not key.startswith("MITRADESA_")}
    return {**base, **settings}


def test_a_good_production_configuration_exits_0(good_env):
    result = run(clean_env(good_env), "doctor", "--format", "json")
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["ada_masalah"] is False
    results = {item["nama"]: item["hasil"] for item in report["temuan"]}
    assert results["secret_key"] == "ok"
    assert results["database_schema"] == "ok"
    assert results["smtp"] == "peringatan"


def test_a_problem_is_named_with_its_fix_and_exits_1(good_env):
    env = clean_env({**good_env, "MITRADESA_SECRET_KEY": "dev-only-insecure-secret",
                     "MITRADESA_PUBLIC_URL": "http://mitradesa.example.go.id"})
    result = run(env, "doctor")
    assert result.returncode == 1
    out = " ".join(result.stdout.split())
    assert "MASALAH" in out
    assert "MITRADESA_SECRET_KEY belum diisi" in out
    assert "token_urlsafe" in out
    assert "bukan https://" in out
    assert "2 masalah" in out


def test_an_unreachable_database_exits_1(good_env):
    url = f"postgresql://postgres@127.0.0.1:{free_port()}/mitradesa"
    result = run(clean_env({**good_env, "MITRADESA_DATABASE_URL": url}), "doctor", "-f", "json")
    assert result.returncode == 1
    connection = next(item for item in json.loads(result.stdout)["temuan"]
                      if item["nama"] == "database_connection")
    assert connection["hasil"] == "masalah"
    assert "Tidak dapat terhubung" in connection["keadaan"]


def test_help_states_the_exit_status():
    result = run(clean_env({}), "doctor", "--help")
    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    assert "1 when there is any problem" in text

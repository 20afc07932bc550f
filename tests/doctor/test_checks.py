"""Each check of `mitradesa doctor` on a real database, a real folder and a real SMTP server."""

from __future__ import annotations

import os
import sqlite3

import pytest

from mitradesa.doctor.checks import run_checks
from mitradesa.doctor.findings import Finding, Level, has_problem
from mitradesa.doctor.settings_load import UncheckedSettings, load_settings
from tests.digest.smtp_server import LOGIN, SmtpServer
from tests.doctor import fixtures
from tests.pg_server import free_port

good_env = fixtures.good_env
migrated_postgres_url = fixtures.migrated_postgres_url


def settings_from(env: dict[str, str], **changes: str) -> UncheckedSettings:
    values = {**env, **changes}
    return UncheckedSettings(**{key.removeprefix("MITRADESA_").lower(): value
                                for key, value in values.items()})


def finding(findings: list[Finding], name: str) -> Finding:
    return next(f for f in findings if f.name == name)


def test_a_good_production_configuration_has_no_problem(good_env):
    findings = run_checks(settings_from(good_env))
    assert not has_problem(findings), [f for f in findings if f.level is Level.problem]
    assert finding(findings, "secret_key").level is Level.ok
    assert finding(findings, "database_connection").level is Level.ok
    assert "revisi terbaru" in finding(findings, "database_schema").what
    assert "dapat ditulisi; ruang kosong" in finding(findings, "data_dir").what
    assert finding(findings, "trusted_proxies").level is Level.ok
    assert finding(findings, "https_cookies").level is Level.ok
    assert "X-Forwarded-Proto" in finding(findings, "https_cookies").what
    # no SMTP: allowed, but said
    assert finding(findings, "smtp").level is Level.warn
    assert "digest" in finding(findings, "smtp").what
    assert "inti CPU" in finding(findings, "workers").what


@pytest.mark.parametrize("secret, said", [
    ("dev-only-insecure-secret", "belum diisi"),
    ("pendek-sekali-123", "hanya 17 karakter"),
    ("a" * 40, "mudah ditebak"),
    ("abcdabcdabcdabcdabcdabcdabcdabcdabcd", "mudah ditebak"),
])
def test_a_weak_secret_is_a_problem_with_its_fix(good_env, secret, said):
    found = finding(run_checks(settings_from(good_env, MITRADESA_SECRET_KEY=secret)),
                    "secret_key")
    assert found.level is Level.problem
    assert said in found.what
    assert "MITRADESA_SECRET_KEY" in found.how_to_fix and "token_urlsafe" in found.how_to_fix


def test_an_unsafe_secret_in_production_is_reported_not_refused(monkeypatch, good_env):
    for key, value in good_env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("MITRADESA_SECRET_KEY", "dev-only-insecure-secret")
    settings, bad = load_settings()
    assert bad is None and settings is not None
    assert finding(run_checks(settings), "secret_key").level is Level.problem


def test_development_is_a_warning(good_env):
    found = finding(run_checks(settings_from(good_env, MITRADESA_ENVIRONMENT="development")),
                    "environment")
    assert found.level is Level.warn
    assert "MITRADESA_ENVIRONMENT=production" in found.how_to_fix


def test_an_unreachable_database_is_a_problem(good_env):
    url = f"postgresql://postgres@127.0.0.1:{free_port()}/mitradesa"
    findings = run_checks(settings_from(good_env, MITRADESA_DATABASE_URL=url))
    found = finding(findings, "database_connection")
    assert found.level is Level.problem
    assert "Tidak dapat terhubung" in found.what
    assert "MITRADESA_DATABASE_URL" in found.how_to_fix


def test_an_empty_database_is_a_problem_and_sqlite_a_warning_in_production(good_env, tmp_path):
    path = tmp_path / "kosong.sqlite3"
    sqlite3.connect(path).execute("CREATE TABLE catatan (x)").connection.close()
    findings = run_checks(settings_from(good_env, MITRADESA_DATABASE_URL=f"sqlite:///{path}"))
    schema = finding(findings, "database_schema")
    assert schema.level is Level.problem
    assert "mitradesa db upgrade" in schema.how_to_fix
    assert finding(findings, "database_backend").level is Level.warn
    assert "PostgreSQL" in finding(findings, "database_backend").how_to_fix


def test_a_missing_sqlite_file_is_named_and_not_created(good_env, tmp_path):
    path = tmp_path / "belum-ada.sqlite3"
    findings = run_checks(settings_from(good_env, MITRADESA_DATABASE_URL=f"sqlite:///{path}"))
    assert finding(findings, "database_connection").level is Level.problem
    assert not path.exists()


def test_a_data_folder_that_cannot_be_written_is_a_problem(good_env, tmp_path):
    a_file = tmp_path / "berkas"
    a_file.write_text("x")
    found = finding(run_checks(settings_from(good_env, MITRADESA_DATA_DIR=str(a_file / "data"))),
                    "data_dir")
    assert found.level is Level.problem
    assert "MITRADESA_DATA_DIR" in found.how_to_fix


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a chmod 500 folder")
def test_a_read_only_data_folder_is_a_problem(good_env, tmp_path):
    folder = tmp_path / "hanya-baca"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        found = finding(run_checks(settings_from(good_env, MITRADESA_DATA_DIR=str(folder))),
                        "data_dir")
    finally:
        folder.chmod(0o700)
    assert found.level is Level.problem
    assert "tidak dapat ditulisi" in found.what


def test_smtp_set_but_nothing_listening_is_a_problem(good_env):
    port = str(free_port())
    findings = run_checks(settings_from(good_env, MITRADESA_SMTP_HOST="127.0.0.1",
                                        MITRADESA_SMTP_PORT=port,
                                        MITRADESA_SMTP_SENDER="DPMD <noreply@dpmd.go.id>"))
    found = finding(findings, "smtp")
    assert found.level is Level.problem
    assert f"127.0.0.1:{port}" in found.what
    assert "MITRADESA_SMTP_PORT" in found.how_to_fix


def test_a_reachable_smtp_server_with_login_passes(good_env):
    with SmtpServer(with_login=True) as server:
        findings = run_checks(settings_from(
            good_env, MITRADESA_SMTP_HOST="127.0.0.1", MITRADESA_SMTP_PORT=str(server.port),
            MITRADESA_SMTP_USERNAME=LOGIN[0], MITRADESA_SMTP_PASSWORD=LOGIN[1],
            MITRADESA_SMTP_SENDER="DPMD <noreply@dpmd.go.id>"))
    found = finding(findings, "smtp")
    assert found.level is Level.ok, found
    assert "EHLO diterima" in found.what and f"login {LOGIN[0]} berhasil" in found.what
    assert not has_problem(findings)


def test_a_wrong_smtp_password_and_a_missing_sender_are_problems(good_env):
    with SmtpServer(with_login=True) as server:
        findings = run_checks(settings_from(
            good_env, MITRADESA_SMTP_HOST="127.0.0.1", MITRADESA_SMTP_PORT=str(server.port),
            MITRADESA_SMTP_USERNAME=LOGIN[0], MITRADESA_SMTP_PASSWORD="salah"))
    assert "menolak login" in finding(findings, "smtp").what
    assert finding(findings, "smtp_sender").level is Level.problem


def test_an_http_public_url_in_production_is_a_problem(good_env):
    findings = run_checks(settings_from(good_env,
                                        MITRADESA_PUBLIC_URL="http://mitradesa.example.go.id"))
    found = finding(findings, "public_url")
    assert found.level is Level.problem
    assert "https://" in found.how_to_fix


def test_no_trusted_proxy_in_production_warns_about_addresses_and_secure_cookies(good_env):
    findings = run_checks(settings_from(good_env, MITRADESA_TRUSTED_PROXIES=""))
    assert finding(findings, "trusted_proxies").level is Level.warn
    assert "alamat klien" in finding(findings, "trusted_proxies").what
    cookies = finding(findings, "https_cookies")
    assert cookies.level is Level.warn
    assert "tanpa Secure" in cookies.what
    assert not has_problem(findings)


def test_a_proxy_entry_that_is_no_address_is_a_problem(good_env):
    found = finding(run_checks(settings_from(good_env,
                                             MITRADESA_TRUSTED_PROXIES="127.0.0.1, nginx-ku")),
                    "trusted_proxies")
    assert found.level is Level.problem
    assert "nginx-ku" in found.what


def test_more_workers_than_cores_is_a_warning(good_env):
    workers = str((os.cpu_count() or 1) + 1)
    assert finding(run_checks(settings_from(good_env, MITRADESA_WORKERS=workers)),
                   "workers").level is Level.warn


def test_an_invalid_setting_is_named(monkeypatch):
    monkeypatch.setenv("MITRADESA_WORKERS", "500")
    settings, bad = load_settings()
    assert settings is None and bad is not None
    assert bad.level is Level.problem and "MITRADESA_WORKERS" in bad.what




def test_an_http_public_url_is_fine_in_development(good_env):
    findings = run_checks(settings_from(good_env, MITRADESA_ENVIRONMENT="development",
                                        MITRADESA_PUBLIC_URL="http://localhost:8000"))
    assert finding(findings, "public_url").level is Level.ok

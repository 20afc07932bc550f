"""`mitradesa backup` and `mitradesa restore`: a round trip gives back exactly what was saved,
and a refused or broken restore leaves the database as it was."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import text

from mitradesa.db.backup import table_rows
from mitradesa.db.session import make_engine
from tests.cli.conftest import run


def _engine(env: dict[str, str]):
    url = env.get("MITRADESA_DATABASE_URL") or (
        f"sqlite:///{Path(env['MITRADESA_DATA_DIR']) / 'mitradesa.sqlite3'}")
    return make_engine(url)


def _snapshot(env: dict[str, str]) -> tuple[dict[str, int], list[tuple]]:
    engine = _engine(env)
    try:
        with engine.connect() as connection:
            users = [tuple(r) for r in connection.execute(text(
                "SELECT username, role, password_hash FROM users ORDER BY username"))]
        return table_rows(engine), users
    finally:
        engine.dispose()


def _data_version(env: dict[str, str]) -> int:
    engine = _engine(env)
    try:
        with engine.connect() as connection:
            return int(connection.scalar(text("SELECT version FROM data_version")))
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def saved(cli_env, tmp_path_factory):
    """An installation with two accounts and one stored document, backed up."""
    env = {**cli_env, "MITRADESA_NEW_PASSWORD": "sandi-cadangan-panjang"}
    for name, role in (("admin", "admin"), ("staf", "viewer")):
        assert run(env, "users", "create", name, "--role", role).returncode == 0
    documents = Path(env["MITRADESA_DATA_DIR"]) / "documents"
    documents.mkdir(exist_ok=True)
    (documents / "perjanjian.pdf").write_bytes(b"%PDF-1.4 perjanjian")
    archive = tmp_path_factory.mktemp("backup") / "cadangan.tar.gz"
    done = run(env, "backup", str(archive))
    assert done.returncode == 0, done.stderr
    assert "2 berkas" not in done.stdout and "1 berkas" in done.stdout
    return env, archive, _snapshot(env)


def test_restore_gives_back_every_row_and_file_after_changes(saved):
    env, archive, before = saved
    engine = _engine(env)
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM users WHERE username = 'staf'"))
    engine.dispose()
    documents = Path(env["MITRADESA_DATA_DIR"]) / "documents"
    (documents / "perjanjian.pdf").unlink()
    (documents / "baru.pdf").write_bytes(b"%PDF-1.4 added after the backup")

    changed_at = _data_version(env)  # the deletion raised it past the backup's
    refused = run(env, "restore", str(archive))
    assert refused.returncode == 2 and "--replace" in refused.stderr
    assert _snapshot(env)[1] == before[1][:1]  # untouched: still without "staf"

    done = run(env, "restore", str(archive), "--replace")
    assert done.returncode == 0, done.stderr
    assert "sama dengan cadangan" in done.stdout
    assert _snapshot(env) == before
    # past every version a running app process may have kept pages under
    assert _data_version(env) > changed_at
    assert sorted(os.listdir(documents)) == ["perjanjian.pdf"]
    assert (documents / "perjanjian.pdf").read_bytes() == b"%PDF-1.4 perjanjian"


def test_a_broken_archive_is_refused_and_nothing_changes(saved, tmp_path):
    env, archive, before = saved
    truncated = tmp_path / "terpotong.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    done = run(env, "restore", str(truncated), "--replace")
    assert done.returncode == 2
    assert "rusak atau terpotong" in done.stderr and "Traceback" not in done.stderr
    assert _snapshot(env) == before
    not_a_backup = tmp_path / "bukan.tar.gz"
    not_a_backup.write_bytes(b"just text")
    done = run(env, "restore", str(not_a_backup), "--replace")
    assert done.returncode == 2 and "Traceback" not in done.stderr


def test_a_backup_restores_into_a_new_installation(saved, tmp_path, request):
    env, archive, before = saved
    fresh = {**env, "MITRADESA_DATA_DIR": str(tmp_path)}
    if "MITRADESA_DATABASE_URL" in env:
        fresh["MITRADESA_DATABASE_URL"] = request.getfixturevalue("postgres").create_database(
            "restore_target")
    assert run(fresh, "db", "upgrade").returncode == 0
    done = run(fresh, "restore", str(archive))
    assert done.returncode == 0, done.stderr
    assert _snapshot(fresh) == before
    assert (tmp_path / "documents" / "perjanjian.pdf").exists()

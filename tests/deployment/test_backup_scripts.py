"""deploy/backup.sh and deploy/restore-drill.sh as the systemd units run them: a real
PostgreSQL installation in production mode, real archives, a real throw-away database."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.cli.conftest import BIN, run
from tests.conftest import PASSWORD

pytestmark = pytest.mark.slow

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

if shutil.which("bash") is None:  # pragma: no cover - Debian always has it
    pytest.skip("bash is needed for the deploy scripts", allow_module_level=True)


@dataclass
class Installation:
    env: dict[str, str]
    backups: Path
    drill_url: str


@pytest.fixture(scope="module")
def installation(postgres, tmp_path_factory) -> Installation:
    tmp = tmp_path_factory.mktemp("backup-scripts")
    data = tmp / "data"
    (data / "documents").mkdir(parents=True)
    (data / "documents" / "perjanjian.pdf").write_bytes(PDF)
    env = {
        **os.environ,
        "MITRADESA_ENVIRONMENT": "production",
        "MITRADESA_SECRET_KEY": secrets.token_urlsafe(32),
        "MITRADESA_DATABASE_URL": postgres.create_database("deploy_backup"),
        "MITRADESA_DATA_DIR": str(data),
        "MITRADESA_NEW_PASSWORD": PASSWORD,
        "MITRADESA_BIN": str(BIN),
        "MITRADESA_BACKUP_DIR": str(tmp / "backups"),
        "TMPDIR": str(tmp),
    }
    for step in (("db", "upgrade"), ("regions", "load", "--region", "64.02"),
                 ("users", "create", "admin", "--role", "admin")):
        done = run(env, *step)
        assert done.returncode == 0, done.stdout + done.stderr
    return Installation(env, tmp / "backups", postgres.create_database("deploy_drill"))


def script(name: str, env: dict[str, str], **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", str(DEPLOY / name)], env={**env, **extra},
                          capture_output=True, text=True, timeout=600, check=False)


def archives(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.glob("mitradesa-*.tar.gz"))


def old_archive(folder: Path, day: int, age_days: int) -> str:
    """A stand-in for an earlier night's archive, `age_days` old."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"mitradesa-202001{day:02d}-013000.tar.gz"
    path.write_bytes(b"older archive")
    stamp = time.time() - age_days * 86400
    os.utime(path, (stamp, stamp))
    return path.name


def test_backup_keeps_the_newest_dailies_and_one_a_week(installation):
    daily, weekly = installation.backups / "daily", installation.backups / "weekly"
    older_daily = [old_archive(daily, day, 30 - day) for day in range(1, 6)]
    older_weekly = [old_archive(weekly, day, 70 - day * 7) for day in range(1, 5)]
    keep = {"MITRADESA_BACKUP_KEEP_DAILY": "3", "MITRADESA_BACKUP_KEEP_WEEKLY": "2"}

    done = script("backup.sh", installation.env, **keep)
    assert done.returncode == 0, done.stdout + done.stderr
    new = archives(daily)[-1]
    assert new.startswith("mitradesa-2") and new not in older_daily
    assert archives(daily) == [*older_daily[-2:], new]
    # the newest weekly copy was older than a week: tonight's archive is also this week's
    assert archives(weekly) == [older_weekly[-1], new]
    assert (weekly / new).stat().st_ino == (daily / new).stat().st_ino  # a link, no copy

    time.sleep(1.1)  # the next archive gets a later name
    again = script("backup.sh", installation.env, **keep)
    assert again.returncode == 0, again.stdout + again.stderr
    newer = archives(daily)[-1]
    assert archives(daily) == [older_daily[-1], new, newer]
    assert archives(weekly) == [older_weekly[-1], new]  # one weekly copy a week


def test_backup_fails_loudly_when_the_database_is_gone(installation, tmp_path):
    env = {**installation.env, "MITRADESA_DATABASE_URL":
           installation.env["MITRADESA_DATABASE_URL"].rsplit("/", 1)[0] + "/tidak_ada"}
    done = script("backup.sh", env, MITRADESA_BACKUP_DIR=str(tmp_path / "backups"))
    assert done.returncode != 0
    assert archives(tmp_path / "backups" / "daily") == []


def test_the_restore_drill_restores_the_newest_backup_and_checks_it(installation):
    if not archives(installation.backups / "daily"):
        assert script("backup.sh", installation.env).returncode == 0
    drill = script("restore-drill.sh", installation.env,
                   MITRADESA_DRILL_DATABASE_URL=installation.drill_url)
    assert drill.returncode == 0, drill.stdout + drill.stderr
    assert "BERHASIL" in drill.stdout
    assert "1 pengguna, 1 berkas" in drill.stdout
    engine = create_engine(installation.drill_url)
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT username FROM users")) == "admin"
        assert connection.scalar(text("SELECT count(*) FROM regions")) > 100
    engine.dispose()


def test_the_restore_drill_fails_on_a_damaged_newest_archive(installation):
    daily = installation.backups / "daily"
    if not archives(daily):
        assert script("backup.sh", installation.env).returncode == 0
    good = (daily / archives(daily)[-1]).read_bytes()
    damaged = daily / "mitradesa-20991231-235959.tar.gz"
    damaged.write_bytes(good[: len(good) // 2])
    try:
        drill = script("restore-drill.sh", installation.env,
                       MITRADESA_DRILL_DATABASE_URL=installation.drill_url)
    finally:
        damaged.unlink()
    assert drill.returncode != 0
    assert "GAGAL" in drill.stderr


def test_the_restore_drill_refuses_to_overwrite_the_real_database(installation):
    daily = installation.backups / "daily"
    if not archives(daily):
        assert script("backup.sh", installation.env).returncode == 0
    drill = script("restore-drill.sh", installation.env,
                   MITRADESA_DRILL_DATABASE_URL=installation.env["MITRADESA_DATABASE_URL"])
    assert drill.returncode != 0
    assert "basis data yang sebenarnya" in drill.stderr


def test_the_restore_drill_fails_when_there_is_no_backup(installation, tmp_path):
    drill = script("restore-drill.sh", installation.env, MITRADESA_BACKUP_DIR=str(tmp_path),
                   MITRADESA_DRILL_DATABASE_URL=installation.drill_url)
    assert drill.returncode != 0
    assert "tidak ada cadangan" in drill.stderr

"""An IDM import killed with SIGKILL at any point leaves the database exactly as it was, and
the same import afterwards succeeds whole."""

from __future__ import annotations

import hashlib
import random
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from mitradesa.db.backup import table_rows
from mitradesa.db.session import make_engine
from tests.cli.conftest import BIN, run
from tests.idm_records.fixtures import write_scores_csv

YEAR = 2023
KILL_POINTS = (0.1, 0.25, 0.4, 0.55, 0.7)  # fractions of a whole import's duration


def _engine(env: dict[str, str]):
    url = env.get("MITRADESA_DATABASE_URL") or (
        f"sqlite:///{Path(env['MITRADESA_DATA_DIR']) / 'mitradesa.sqlite3'}")
    return make_engine(url)


def _fingerprint(env: dict[str, str]) -> tuple[dict[str, int], str]:
    """Rows per table, and a digest of every stored IDM result."""
    engine = _engine(env)
    try:
        digest = hashlib.sha256()
        with engine.connect() as connection:
            for row in connection.execute(text(
                    "SELECT village_code, year, scores, idm, status FROM idm_results "
                    "ORDER BY village_code, year")):
                digest.update(repr(tuple(row)).encode())
        return table_rows(engine), digest.hexdigest()
    finally:
        engine.dispose()


def _big_csv(env: dict[str, str], path: Path) -> Path:
    engine = _engine(env)
    try:
        with engine.connect() as connection:
            codes = list(connection.scalars(text(
                "SELECT code FROM regions WHERE kind = 'desa' ORDER BY code LIMIT 30000")))
    finally:
        engine.dispose()
    rows = [(code.replace(".", ""), YEAR, [1 + (n * 7 + p * 3) % 5 for p in range(50)])
            for n, code in enumerate(codes)]
    return write_scores_csv(path, rows)


@pytest.mark.slow  # five killed imports of 30,000 village-years
def test_an_import_killed_at_any_point_changes_nothing(cli_env, tmp_path):
    # Something stored already, so "as before" is not merely "empty".
    small = write_scores_csv(tmp_path / "kecil.csv", [
        ("6402042001", 2022, [3] * 50), ("6402042006", 2022, [4] * 50)])
    assert run(cli_env, "idm", "import", str(small)).returncode == 0
    big = _big_csv(cli_env, tmp_path / "besar.csv")
    before = _fingerprint(cli_env)

    # How long a whole import takes here, on a scratch copy of the same database.
    rng = random.Random(7)
    scratch_env = {**cli_env, "MITRADESA_DATA_DIR": str(tmp_path / "scratch")} | _scratch_db(
        cli_env, tmp_path)
    started = time.perf_counter()
    timing = subprocess.Popen([BIN, "idm", "import", str(big), "--report",
                               str(tmp_path / "r.csv")], env=scratch_env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    assert timing.wait(timeout=600) == 0, timing.stderr.read()
    whole = time.perf_counter() - started
    # The whole import, exactly: what a kill landing after the commit (the process still
    # exiting) leaves. Anything between this and `before` would be a half-done import.
    after = _fingerprint(scratch_env)

    killed_alive = 0
    for point in KILL_POINTS:
        process = subprocess.Popen([BIN, "idm", "import", str(big)], env=cli_env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(whole * (point + rng.uniform(-0.05, 0.05)))
        if process.poll() is not None:  # it finished first (the machine ran faster)
            assert process.returncode == 0
            break
        process.send_signal(signal.SIGKILL)
        assert process.wait(timeout=60) == -signal.SIGKILL
        state = _fingerprint(cli_env)
        if state == after:  # it had committed and was exiting when the kill came
            break
        killed_alive += 1
        assert state == before, f"changed after a kill at {point:.0%}"
    assert killed_alive >= 3  # the kills landed while the import was running

    if _fingerprint(cli_env) != after:
        done = run(cli_env, "idm", "import", str(big))
        assert done.returncode == 0, done.stderr
    rows, _digest = _fingerprint(cli_env)
    assert rows["idm_results"] == before[0]["idm_results"] + 30000
    assert _fingerprint(cli_env) == after  # the same as one import that was never killed


def _scratch_db(env: dict[str, str], tmp_path: Path) -> dict[str, str]:
    """The same database copied, so the timing run does not touch the one under test."""
    if "MITRADESA_DATABASE_URL" not in env:
        scratch = tmp_path / "scratch"
        scratch.mkdir(exist_ok=True)
        source = sqlite3.connect(Path(env["MITRADESA_DATA_DIR"]) / "mitradesa.sqlite3")
        target = sqlite3.connect(scratch / "mitradesa.sqlite3")
        source.backup(target)
        target.close()
        source.close()
        return {}
    url = env["MITRADESA_DATABASE_URL"]
    base, name = url.rsplit("/", 1)
    engine = make_engine(base + "/postgres")
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql('DROP DATABASE IF EXISTS "kill_timing"')
        connection.exec_driver_sql(f'CREATE DATABASE "kill_timing" TEMPLATE "{name}"')
    engine.dispose()
    return {"MITRADESA_DATABASE_URL": base + "/kill_timing"}

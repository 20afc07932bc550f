"""`mitradesa serve` as shipped: proxy headers believed only from configured proxies, and
parallel API-token reads on the default database answered without "database is locked"."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.cli.conftest import BIN, run
from tests.cli.test_serve import _wait_until_up
from tests.conftest import PASSWORD
from tests.pg_server import free_port


@pytest.fixture(scope="module")
def served(cli_env) -> Iterator[tuple[str, dict[str, str]]]:
    env = {**cli_env, "MITRADESA_NEW_PASSWORD": PASSWORD}
    env.pop("MITRADESA_TRUSTED_PROXIES", None)
    assert run(env, "users", "create", "staf", "--role", "viewer").returncode == 0
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = subprocess.Popen([BIN, "serve", "--port", str(port)], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        _wait_until_up(base, process)
        yield base, env
    finally:
        process.terminate()
        process.communicate(timeout=30)


def _failed_login(base: str, username: str, forwarded: str) -> int:
    with httpx.Client(base_url=base, timeout=60,
                      headers={"X-Forwarded-For": forwarded}) as client:
        client.get("/masuk")
        return client.post("/masuk", follow_redirects=False, data={
            "username": username, "password": "tebakan-yang-salah",
            "csrf_token": client.cookies["mitradesa_csrf"]}).status_code


def test_a_forged_forwarded_for_does_not_change_the_throttled_client(served):
    """No proxy is configured: six failures under six invented addresses (on six names, so
    only the client counter can stop them) are six failures of this one client."""
    base, _ = served
    answers = [_failed_login(base, f"tamu{n}", f"203.0.113.{n}") for n in range(6)]
    assert answers == [401] * 5 + [429]


def test_forty_parallel_token_reads_get_no_server_error(served):
    base, env = served
    made = run(env, "users", "token", "staf", "--name", "paralel")
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip()

    def read(_: int) -> int:
        with httpx.Client(base_url=base, timeout=60,
                          headers={"Authorization": f"Bearer {token}"}) as client:
            return client.get("/api/v1/me").status_code

    for _ in range(3):
        with ThreadPoolExecutor(40) as pool:
            assert list(pool.map(read, range(40))) == [200] * 40

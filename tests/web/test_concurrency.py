"""More requests at once than the database pool has connections: each waits its turn.

Identifying the user used to query the database on the server's event loop; once every pool
connection was held by requests in progress, the loop itself waited for a connection, the
requests holding them could not finish, and after the pool's timeout the waiting ones failed
(with 50 concurrent clients the benchmark saw requests stall for minutes).
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
import uvicorn
from sqlalchemy import select

from mitradesa.accounts import passwords, services
from mitradesa.accounts.models import ApiToken, User
from mitradesa.db.session import make_engine, session_factory
from mitradesa.web.app import create_app
from tests.conftest import PASSWORD, SEPATIN
from tests.pg_server import free_port

POOL_TIMEOUT = 3


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(request, registry_copy):
    engine = make_engine(registry_copy(request.param, "mitradesa_concurrency"),
                         pool_size=1, max_overflow=0, pool_timeout=POOL_TIMEOUT)
    with session_factory(engine)() as session:
        services.create_user(session, username="staf", password=PASSWORD, role="viewer",
                             scope_codes=[])
        session.commit()
    port = free_port()
    live = uvicorn.Server(uvicorn.Config(create_app(engine), host="127.0.0.1", port=port,
                                         log_level="critical"))
    thread = threading.Thread(target=live.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not live.started and time.time() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    live.should_exit = True
    thread.join(timeout=10)
    engine.dispose()


def test_requests_beyond_the_pool_wait_instead_of_failing(server):
    with httpx.Client(base_url=server) as client:
        client.get("/masuk")
        answer = client.post("/masuk", follow_redirects=False, data={
            "username": "staf", "password": PASSWORD,
            "csrf_token": client.cookies["mitradesa_csrf"]})
        assert answer.status_code == 303
        cookies = dict(client.cookies)

    def fetch(_: int) -> int:
        with httpx.Client(base_url=server, cookies=cookies, timeout=30) as client:
            return client.get(f"/desa/{SEPATIN}").status_code

    start = time.perf_counter()
    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(fetch, range(16)))
    assert statuses == [200] * 16
    assert time.perf_counter() - start < POOL_TIMEOUT  # no request sat out a pool timeout


# ------------------------------------------------------------ logins and tokens in parallel


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def accounts_server(request, registry_copy):
    """A real server on a committed database with the shipped engine settings; it believes
    X-Forwarded-For from loopback, so each test logs in from addresses of its own."""
    engine = make_engine(registry_copy(request.param, "mitradesa_parallel_logins"))
    with session_factory(engine)() as session:
        for name in ("staf", "sasaran"):
            services.create_user(session, username=name, password=PASSWORD, role="viewer",
                                 scope_codes=[])
        session.commit()
    port = free_port()
    live = uvicorn.Server(uvicorn.Config(create_app(engine, trusted_proxies="127.0.0.1"),
                                         host="127.0.0.1", port=port, log_level="critical"))
    thread = threading.Thread(target=live.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not live.started and time.time() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", engine
    live.should_exit = True
    thread.join(timeout=10)
    engine.dispose()


@pytest.fixture
def verifications(monkeypatch):
    """How many password hashes the server checked (the real Argon2 check, counted)."""
    seen: list[int] = []
    real = passwords.verify_password
    lock = threading.Lock()

    def counting(password: str, password_hash: str) -> bool:
        with lock:
            seen.append(1)
        return real(password, password_hash)

    monkeypatch.setattr(passwords, "verify_password", counting)
    return seen


def _try_login(base: str, username: str, client_address: str) -> int:
    with httpx.Client(base_url=base, timeout=60,
                      headers={"X-Forwarded-For": client_address}) as client:
        client.get("/masuk")
        return client.post("/masuk", follow_redirects=False, data={
            "username": username, "password": "tebakan-yang-salah",
            "csrf_token": client.cookies["mitradesa_csrf"]}).status_code


def test_thirty_parallel_tries_from_one_client_check_only_the_limit(accounts_server,
                                                                    verifications):
    base, _ = accounts_server
    with ThreadPoolExecutor(30) as pool:
        statuses = list(pool.map(lambda _: _try_login(base, "staf", "198.51.100.7"),
                                 range(30)))
    assert sorted(statuses) == [401] * 5 + [429] * 25  # no 500, five checked
    assert len(verifications) == 5


def test_thirty_parallel_tries_on_one_account_from_many_clients_stop_at_its_limit(
        accounts_server, verifications):
    base, _ = accounts_server
    with ThreadPoolExecutor(30) as pool:
        statuses = list(pool.map(lambda n: _try_login(base, "sasaran", f"198.51.100.{100 + n}"),
                                 range(30)))
    assert sorted(statuses) == [401] * 20 + [429] * 10
    assert len(verifications) == 20


def test_forty_parallel_token_reads_answer_without_error(accounts_server):
    base, engine = accounts_server
    with session_factory(engine)() as session:
        user = session.scalar(select(User).where(User.username == "staf"))
        token = services.create_api_token(session, user, "paralel")
        session.commit()

    def read(_: int) -> int:
        with httpx.Client(base_url=base, timeout=60,
                          headers={"Authorization": f"Bearer {token}"}) as client:
            return client.get("/api/v1/me").status_code

    for _ in range(2):  # the second round: tokens already used
        with ThreadPoolExecutor(40) as pool:
            assert list(pool.map(read, range(40))) == [200] * 40
    with session_factory(engine)() as session:
        used = session.scalar(select(ApiToken.last_used_at).where(ApiToken.name == "paralel"))
    assert used is not None

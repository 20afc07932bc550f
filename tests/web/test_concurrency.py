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

from mitradesa.accounts import services
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

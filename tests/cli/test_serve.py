"""`mitradesa serve`: one or several worker processes, each connection answered at once."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import uvicorn

from mitradesa.cli.web import listening_socket
from tests.cli.conftest import BIN
from tests.pg_server import free_port


def test_the_socket_workers_share_gives_each_connection_tcp_nodelay():
    """Without TCP_NODELAY each keep-alive request after the first waits ~40 ms for the
    browser's delayed ACK (uvicorn binds with protocol 0 and asyncio then skips it)."""
    config = uvicorn.Config("mitradesa.web.app:create_app", host="127.0.0.1",
                            port=free_port(), workers=2)
    sock = listening_socket(config)
    assert sock.proto == socket.IPPROTO_TCP

    async def accepted_nodelay() -> int:
        seen: asyncio.Future[int] = asyncio.get_running_loop().create_future()

        class Probe(asyncio.Protocol):
            def connection_made(self, transport: asyncio.BaseTransport) -> None:
                accepted = transport.get_extra_info("socket")
                seen.set_result(accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
                transport.close()

        server = await asyncio.get_running_loop().create_server(Probe, sock=sock)
        _, writer = await asyncio.open_connection("127.0.0.1", config.port)
        try:
            return await asyncio.wait_for(seen, 10)
        finally:
            writer.close()
            server.close()

    # A loop of its own in a thread of its own: in a test process that already drove the
    # browser, Playwright's loop runs in this thread and asyncio.run() would refuse.
    with ThreadPoolExecutor(1) as pool:
        assert pool.submit(asyncio.run, accepted_nodelay()).result() == 1


def _wait_until_up(base: str, process: subprocess.Popen[str]) -> None:
    deadline = time.time() + 60
    while time.time() < deadline:
        assert process.poll() is None, process.communicate()[0]
        try:
            if httpx.get(base + "/masuk", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError("the server did not start within 60 s")


def test_two_workers_serve_pages_and_a_taken_port_is_a_clear_error(cli_env):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = subprocess.Popen([BIN, "serve", "--port", str(port), "--workers", "2"],
                               env=cli_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True)
    try:
        _wait_until_up(base, process)
        with httpx.Client(base_url=base, timeout=30) as client:
            statuses = [client.get("/masuk").status_code for _ in range(4)]
        assert statuses == [200] * 4
        second = subprocess.run([BIN, "serve", "--port", str(port), "--workers", "2"],
                                env=cli_env, capture_output=True, text=True, timeout=60,
                                check=False)
        assert second.returncode != 0
        assert "address already in use" in (second.stdout + second.stderr).lower()
    finally:
        process.terminate()
        output = process.communicate(timeout=30)[0]
    assert process.returncode == 0, output

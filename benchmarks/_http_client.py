"""A lean HTTP/1.1 GET client for the page-load benchmark.

The load generator shares the machine with the server and the database; httpx spends about
1 ms of CPU per request, which a two-core machine takes from the server being measured.
This client sends pre-built request bytes over one keep-alive connection and reads the
answer by its Content-Length (or chunked framing), about a tenth of that.
"""

from __future__ import annotations

import asyncio
import contextlib


class ConnectionClosedError(Exception):
    """The server closed the connection before a whole answer came."""


class KeepAliveClient:
    """One persistent connection; `get` returns the status code after reading the body."""

    def __init__(self, host: str, port: int, cookies: dict[str, str]) -> None:
        self.host = host
        self.port = port
        cookie = "; ".join(f"{name}={value}" for name, value in cookies.items())
        self._headers = (f"Host: {host}:{port}\r\nCookie: {cookie}\r\n"
                         "Accept: text/html\r\n\r\n").encode()
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> int:
        if self._writer is None:
            self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
        assert self._reader is not None
        self._writer.write(b"GET " + path.encode() + b" HTTP/1.1\r\n" + self._headers)
        try:
            head = await self._reader.readuntil(b"\r\n\r\n")
        except asyncio.IncompleteReadError as exc:
            await self.close()
            raise ConnectionClosedError(path) from exc
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        status = int(status_line.split(" ", 2)[1])
        headers = {}
        for line in header_lines:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            await self._reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            await self._read_chunks()
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return status

    async def _read_chunks(self) -> None:
        assert self._reader is not None
        while True:
            size = int((await self._reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await self._reader.readexactly(size + 2)  # the chunk and its CRLF
            if size == 0:
                return

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            with contextlib.suppress(OSError):
                await self._writer.wait_closed()
        self._reader = self._writer = None

"""A stand-in for the ministry's open IDM API on loopback: replays the shared sample responses.

`GET /rumusan/{kode}/{tahun}` answers with the sample of that village-year, byte for byte.
A village with samples but none for the year asked gets another year's sample, as the real
API does (SUMMARIES.TAHUN then differs from the year asked); a village without any sample gets
HTTP 400 "ID Desa tidak ditemukan". `misbehave[(kode, tahun)]` (or `misbehave[kode]`) switches
one village-year to: "error_once" (500, then the normal answer), "error" (always 500), "slow"
(answers after `slow_seconds`), "truncated" (half the JSON), "truncated_once", "not_served"
(404 with an error envelope), "unknown" (400). `stop_after` shuts the server down once that
many requests were answered, so later connections are refused.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.conftest import SHARED_DATA

SAMPLES = SHARED_DATA / "idm-official" / "samples"
_SAMPLE_NAME = re.compile(r"^.+_(\d{10})_(\d{4})\.json$")
_PATH = re.compile(r"^/rumusan/([^/]+)/([^/]+)$")
UNKNOWN = json.dumps({"error": True, "message": "ID Desa tidak ditemukan"}).encode()
NOT_SERVED = json.dumps({"status": 404, "error": True,
                         "message": "Data tahun ini belum tersedia"}).encode()

# Misbehaviour per village-year for the tests (kecamatan 11.01.02); its villages without a
# sample get HTTP 400 anyway.
TROUBLE = {
    ("1101022001", 2021): "error_once",  # 500, then the sample: a retry succeeds
    ("1101022001", 2022): "error",  # always 500
    ("1101022001", 2023): "slow",  # beyond the timeout
    ("1101022001", 2024): "truncated",  # half a JSON body
    "1101022006": "not_served",  # 404 error envelope, except 2022 below
    ("1101022006", 2022): "ok",
}


def sample_files() -> dict[tuple[str, int], Path]:
    found: dict[tuple[str, int], Path] = {}
    for path in sorted(SAMPLES.glob("*.json")):
        match = _SAMPLE_NAME.match(path.name)
        if match:
            found[(match.group(1), int(match.group(2)))] = path
    return found


class ReplayServer:
    def __init__(self) -> None:
        self.samples = {key: path.read_bytes() for key, path in sample_files().items()}
        self.misbehave: dict[object, str] = {}
        self.slow_seconds = 1.0
        self.stop_after: int | None = None
        self.log: list[str] = []
        self.seen: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.replay = self
        self._thread = threading.Thread(target=self._httpd.serve_forever,
                                        kwargs={"poll_interval": 0.02}, daemon=True)
        self._stopped = False

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def start(self) -> ReplayServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        with self._lock:
            if self._stopped:
                return
            self._stopped = True
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> ReplayServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def requested(self) -> list[tuple[str, int]]:
        """Village-years asked, in order (retries included)."""
        out = []
        for path in list(self.log):
            match = _PATH.match(path)
            if match:
                out.append((match.group(1), int(match.group(2))))
        return out

    def answer(self, path: str) -> tuple[int, bytes, float]:
        """Status, body and delay for one request path."""
        with self._lock:
            self.log.append(path)
            self.seen[path] += 1
            count = self.seen[path]
        match = _PATH.match(path)
        if not match or not match.group(2).isdigit():
            return 404, b'{"error":true,"message":"not found"}', 0.0
        code, year = match.group(1), int(match.group(2))
        mode = self.misbehave.get((code, year)) or self.misbehave.get(code) or ""
        delay = self.slow_seconds if mode == "slow" else 0.0
        if mode == "error" or (mode == "error_once" and count == 1):
            return 500, b"<html>500 Internal Server Error</html>", delay
        if mode == "unknown":
            return 400, UNKNOWN, delay
        if mode == "not_served":
            return 404, NOT_SERVED, delay
        status, body = self.normal(code, year)
        if status == 200 and (mode == "truncated" or (mode == "truncated_once" and count == 1)):
            body = body[: len(body) // 2]
        return status, body, delay

    def normal(self, code: str, year: int) -> tuple[int, bytes]:
        if (code, year) in self.samples:
            return 200, self.samples[(code, year)]
        others = sorted(y for c, y in self.samples if c == code)
        if others:
            nearest = min(others, key=lambda y: (abs(y - year), y))
            return 200, self.samples[(code, nearest)]
        return 400, UNKNOWN

    def answered(self) -> None:
        if self.stop_after is not None and len(self.log) >= self.stop_after:
            threading.Thread(target=self.stop, daemon=True).start()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    replay: ReplayServer

    def handle_error(self, request, client_address) -> None:  # type: ignore[no-untyped-def]
        return None  # a client that gave up (timeout) is expected here


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        replay = self.server.replay
        status, body, delay = replay.answer(self.path)
        if delay:
            time.sleep(delay)
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:
            pass
        replay.answered()

    def log_message(self, format: str, *args: object) -> None:
        return None

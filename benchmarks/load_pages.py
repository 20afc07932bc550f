"""Benchmark: page latency under concurrent clients on the national demo set, SQLite and PostgreSQL.

Targets (issue 7), on the national set (75,000 villages × 10 years), 10 concurrent clients,
PostgreSQL: village page p95 ≤ 50 ms, regency dashboard p95 ≤ 200 ms; peak memory of the
server process ≤ 1 GB (both backends). The same is measured on SQLite, at 1, 10 and 50
clients, and at 200 (≈ one regency), 7,500 and 75,000 villages to show how each figure grows.

For each backend and size: a fresh database (copy of a migrated one with the registry) gets
`mitradesa demo national --villages N --years 10` (timed) and a viewer account from
`mitradesa users create`; PostgreSQL then gets VACUUM ANALYZE (steady state, no autovacuum
during the measurement). `mitradesa serve` runs as its own process on loopback (production
settings, `--workers` one per CPU core unless `--workers` says otherwise); the load generator
logs in once through /masuk and reuses the session cookie. Each client sends a fixed number
of requests one after another over one keep-alive connection (asyncio and a lean HTTP/1.1
client, _http_client.py, so that the generator takes little of the CPU it shares with the
server): a closed loop without pauses, so with N clients a request waits for up to N − 1
others on the machine's cores, and the mean latency is N divided by the pages per second.
Latency is measured at the client from sending to the last byte; every answer must be 200.
Beside it, the CPU time per request of the server (all its workers) and of PostgreSQL's
processes (/proc), which other load on the machine does not inflate. Peak memory is the sum
of the VmHWM of the server process and its workers, from /proc.

Two legs per backend and size: "pages kept" (the page cache on, every URL requested once
before the measurement: a user seeing a page again) at 1, 10 and 50 clients, and "first views"
(MITRADESA_PAGE_CACHE=0: every page rendered from the database, as a first view or the first
view after a change) at 10 clients.

Pages: village page = /desa/{kode}/idm (the village's IDM: 50 indicators, trend, what-if)
for villages drawn from the set; regency dashboard = /wilayah/64.02/idm (status counts per
year, per-kecamatan summary, ranking), Kutai Kartanegara being complete at every size. The
region overview /wilayah/64.02 and the village overview /desa/{kode} are measured at 10
clients beside them.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx
import numpy as np
from _http_client import ConnectionClosedError, KeepAliveClient

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent / "mitradesa"
REGENCY = "64.02"
PASSWORD = "kopi-jendela-halaman-" + secrets.token_hex(4)  # no username in it
TARGETS = {"village": 50.0, "regency": 200.0}  # p95 ms at 10 clients on PostgreSQL
MEMORY_TARGET_MB = 1024
SIZES = (200, 7_500, 75_000)
LEGS = ("repeat", "first")
LEG_WORDS = {"repeat": "pages kept", "first": "first views"}
CLIENTS = (1, 10, 50)
REQUESTS = {1: 100, 10: 20, 50: 6}  # per client: 100, 200 and 300 requests in all


@dataclass
class Run:
    backend: str
    villages: int
    page: str
    leg: str  # "repeat": every page kept (the page cache on and filled); "first": cache off
    clients: int
    requests: int
    p50: float
    p95: float
    p99: float
    max: float
    per_second: float
    errors: int
    app_cpu_ms: float  # CPU of the server process per request
    db_cpu_ms: float | None  # CPU of PostgreSQL's processes per request (None: SQLite)


@dataclass
class SizeResult:
    backend: str
    villages: int
    village_years: int
    load_seconds: float
    peak_mb: float
    runs: list[Run] = field(default_factory=list)
    load_average: tuple[float, float] = (0.0, 0.0)  # 1-minute, when the measurement began/ended


# --- databases ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Databases:
    """Fresh databases per backend and size, each a copy of one migrated database with the
    registry loaded (built once: a file copy or a PostgreSQL template)."""

    def __init__(self, folder: Path, postgres: object | None) -> None:
        self.folder = folder
        self.postgres = postgres
        self.templates: dict[str, str] = {}

    def _cli(self, env: dict[str, str], *args: str) -> None:
        done = subprocess.run([str(BIN), *args], env=env, capture_output=True, text=True,
                              check=False)
        if done.returncode != 0:
            raise RuntimeError(f"mitradesa {' '.join(args)}: {done.stderr.strip()}")

    def _template(self, backend: str) -> str:
        if backend not in self.templates:
            if backend == "sqlite":
                url = f"sqlite:///{self.folder / 'registry.sqlite3'}"
            else:
                url = self.postgres.create_database("registry")  # type: ignore[attr-defined]
            env = self.env(url, "template")
            self._cli(env, "db", "upgrade")
            self._cli(env, "regions", "load")
            self.templates[backend] = url
        return self.templates[backend]

    def env(self, url: str, name: str) -> dict[str, str]:
        data = self.folder / f"data-{name}"
        data.mkdir(exist_ok=True)
        return {**os.environ, "MITRADESA_DATABASE_URL": url, "MITRADESA_DATA_DIR": str(data),
                "MITRADESA_ENVIRONMENT": "production",
                "MITRADESA_SECRET_KEY": secrets.token_urlsafe(32),
                "MITRADESA_NEW_PASSWORD": PASSWORD}

    def fresh(self, backend: str, villages: int) -> tuple[dict[str, str], float]:
        """Environment of a new database holding the national set; seconds the set took."""
        template = self._template(backend)
        name = f"{backend}_{villages}"
        if backend == "sqlite":
            path = self.folder / f"{name}.sqlite3"
            shutil.copyfile(template.removeprefix("sqlite:///"), path)
            url = f"sqlite:///{path}"
        else:
            url = self.postgres.create_database(name, template="registry")  # type: ignore[attr-defined]
        env = self.env(url, name)
        start = time.perf_counter()
        self._cli(env, "demo", "national", "--villages", str(villages), "--years", "10")
        seconds = time.perf_counter() - start
        self._cli(env, "users", "create", "beban", "--role", "viewer")
        if backend == "postgresql":
            # A database in steady state, not autovacuum working through the fresh rows
            # while the pages are measured.
            with self._admin(name) as conn:
                conn.execute("VACUUM (ANALYZE) idm_results, indeks_desa_results, regions")
        return env, seconds

    def _admin(self, database: str = "postgres") -> Any:
        import psycopg

        port = self.postgres.port  # type: ignore[attr-defined]
        return psycopg.connect(f"host=127.0.0.1 port={port} user=postgres dbname={database}",
                               autocommit=True)

    def postmaster(self) -> int:
        """The PostgreSQL server's main process (its backends are its children)."""
        pid_file = self.postgres.data / "postmaster.pid"  # type: ignore[attr-defined]
        return int(pid_file.read_text().split()[0])

    def drop(self, backend: str, villages: int) -> None:
        if backend == "sqlite":
            for path in self.folder.glob(f"sqlite_{villages}.sqlite3*"):
                path.unlink()
            return
        with self._admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "postgresql_{villages}"')


@contextmanager
def postgres_server() -> Iterator[object | None]:
    """A throw-away PostgreSQL server (tests/pg_server.py), or None when not installed."""
    sys.path.insert(0, str(ROOT))
    from tests.pg_server import PostgresServer, find_pg_bin

    if find_pg_bin() is None:
        yield None
        return
    server = PostgresServer().start()
    try:
        yield server
    finally:
        server.stop()


# --- the server --------------------------------------------------------------------------


@contextmanager
def served(env: dict[str, str], log: Path, workers: int) -> Iterator[tuple[str, int]]:
    """`mitradesa serve --workers N` in its own process; yields (base URL, pid)."""
    port = free_port()
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(BIN), "serve", "--host", "127.0.0.1", "--port", str(port),
             "--workers", str(workers)],
            env=env, stdout=out, stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the server stopped; see {log}")
            try:
                if httpx.get(base + "/masuk", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.time() > deadline:
                raise RuntimeError(f"the server did not start within 60 s; see {log}")
            time.sleep(0.2)
        yield base, process.pid
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def children(pid: int) -> list[int]:
    """The live child processes of `pid` (uvicorn's workers, PostgreSQL's backends)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int(_stat(int(entry.name))[1]) == pid:
                    found.append(int(entry.name))
            except (FileNotFoundError, ProcessLookupError, IndexError):
                continue
    return found


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process, its live children and those it has reaped."""
    fields = _stat(pid)
    total = int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])
    for child in children(pid):
        try:
            stat = _stat(child)
        except (FileNotFoundError, ProcessLookupError):
            continue
        total += int(stat[11]) + int(stat[12])
    return total / TICK


def peak_mb(pid: int) -> float:
    """Peak resident set (VmHWM) of the server and its workers together, in MiB."""
    total_kb = 0
    for process in (pid, *children(pid)):
        for line in Path(f"/proc/{process}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                total_kb += int(line.split()[1])
    return total_kb / 1024


def login(base: str, username: str = "beban") -> dict[str, str]:
    """The cookies of a session of `username` (created with the password PASSWORD)."""
    with httpx.Client(base_url=base, timeout=30) as client:
        client.get("/masuk")
        answer = client.post("/masuk", follow_redirects=False, data={
            "username": username, "password": PASSWORD,
            "csrf_token": client.cookies["mitradesa_csrf"],
        })
        if answer.status_code != 303:
            raise RuntimeError(f"login failed: {answer.status_code}")
        return dict(client.cookies)


# --- the load generator ------------------------------------------------------------------


async def _client(http: KeepAliveClient, urls: list[str], times: list[float],
                  errors: list[str]) -> None:
    for url in urls:
        start = time.perf_counter()
        try:
            status = str(await http.get(url))
        except (OSError, ConnectionClosedError) as exc:  # counted, and the run goes on
            status = type(exc).__name__
        times.append(time.perf_counter() - start)
        if status != "200":
            errors.append(f"{url}: {status}")


def _address(base: str) -> tuple[str, int]:
    host, port = base.removeprefix("http://").split(":")
    return host, int(port)


async def _warm(base: str, cookies: dict[str, str], urls: list[str], workers: int) -> None:
    # Every worker must have compiled its templates and planned its first queries before
    # the measurement: several connections at once, each kept busy, so that the kernel
    # hands some to each worker.
    clients = [KeepAliveClient(*_address(base), cookies) for _ in range(4 * workers)]
    plans = [[urls[(i + k) % len(urls)] for k in range(5)] for i in range(len(clients))]
    await asyncio.gather(*(_client(c, plan, [], []) for c, plan in zip(clients, plans,
                                                                      strict=True)))
    await asyncio.gather(*(c.close() for c in clients))


async def _load(base: str, cookies: dict[str, str], urls: list[str], clients: int,
                each: int) -> tuple[list[float], list[str], float]:
    connections = [KeepAliveClient(*_address(base), cookies) for _ in range(clients)]
    times: list[float] = []
    errors: list[str] = []
    plans = [[urls[(c * each + i) % len(urls)] for i in range(each)] for c in range(clients)]
    start = time.perf_counter()
    await asyncio.gather(*(_client(http, plan, times, errors)
                           for http, plan in zip(connections, plans, strict=True)))
    wall = time.perf_counter() - start
    await asyncio.gather(*(c.close() for c in connections))
    return times, errors, wall


async def _fill(base: str, cookies: dict[str, str], urls: list[str], workers: int) -> None:
    # Each worker keeps its own pages: every URL several times over as many connections as
    # there are workers (the kernel spreads connections over the workers), so that each
    # worker has seen each page.
    clients = [KeepAliveClient(*_address(base), cookies) for _ in range(2 * workers)]
    await asyncio.gather(*(_client(c, urls, [], []) for c in clients))
    await asyncio.gather(*(c.close() for c in clients))


def measure(base: str, cookies: dict[str, str], urls: list[str], clients: int, each: int,
            backend: str, villages: int, page: str,
            cpu: Callable[[], tuple[float, float | None]], workers: int, leg: str) -> Run:
    """`cpu()`: CPU seconds so far of the server and of the database (None: in-process)."""
    asyncio.run(_warm(base, cookies, urls, workers))
    if leg == "repeat":
        asyncio.run(_fill(base, cookies, urls, workers))
    before = cpu()
    times, errors, wall = asyncio.run(_load(base, cookies, urls, clients, each))
    after = cpu()
    ms = np.array(times) * 1000
    per_request = [None if b is None or a is None else round((a - b) / len(times) * 1000, 1)
                   for b, a in zip(before, after, strict=True)]
    run = Run(backend, villages, page, leg, clients, len(times),
              *(round(float(np.percentile(ms, q)), 1) for q in (50, 95, 99)),
              round(float(ms.max()), 1), round(len(times) / wall, 1), len(errors),
              per_request[0] or 0.0, per_request[1])
    if errors:
        print(f"    errors: {errors[:3]}", file=sys.stderr)
    return run


# --- one backend and size -----------------------------------------------------------------


def village_urls(env: dict[str, str], count: int, seed: int = 7) -> list[str]:
    """/desa/{kode}/idm of `count` villages drawn from those with demo data."""
    from sqlalchemy import select

    from mitradesa.db.session import make_engine, session_factory
    from mitradesa.idm_records.models import IdmResult

    engine = make_engine(env["MITRADESA_DATABASE_URL"])
    with session_factory(engine)() as session:
        codes = sorted(set(session.scalars(
            select(IdmResult.village_code).where(IdmResult.year == 2024))))
    engine.dispose()
    return random.Random(seed).sample(codes, min(count, len(codes)))


PAGE_NAMES = {"village": "village page", "regency": "regency dashboard"}
PAGES = {
    "village": lambda codes: [f"/desa/{c}/idm" for c in codes],
    "regency": lambda codes: [f"/wilayah/{REGENCY}/idm"],
    "village overview": lambda codes: [f"/desa/{c}" for c in codes],
    "regency overview": lambda codes: [f"/wilayah/{REGENCY}"],
}


def bench_size(databases: Databases, backend: str, villages: int, clients: tuple[int, ...],
               requests: dict[int, int], folder: Path, workers: int) -> SizeResult:
    env, load_seconds = databases.fresh(backend, villages)
    codes = village_urls(env, 200)
    result = SizeResult(backend, villages, villages * 10, round(load_seconds, 1), 0.0)
    began = os.getloadavg()[0]
    for leg in LEGS:
        # "first": every page rendered from the database (MITRADESA_PAGE_CACHE=0), as for a
        # user's first view or the first view after a change; "repeat": the same user again.
        leg_env = {**env, "MITRADESA_PAGE_CACHE": "0"} if leg == "first" else env
        with served(leg_env, folder / f"serve-{backend}-{villages}-{leg}.log",
                    workers) as (base, pid):
            cookies = login(base)
            postmaster = databases.postmaster() if backend == "postgresql" else None

            def cpu(pid: int = pid, postmaster: int | None = postmaster,
                    ) -> tuple[float, float | None]:
                db = cpu_seconds(postmaster) if postmaster else None
                return cpu_seconds(pid), db

            for page, make in PAGES.items():
                counts = clients if page in TARGETS and leg == "repeat" else (10,)
                for count in counts:
                    run = measure(base, cookies, make(codes), count, requests[count], backend,
                                  villages, page, cpu, workers, leg)
                    result.runs.append(run)
                    db_cpu = f" + db {run.db_cpu_ms:.1f}" if run.db_cpu_ms is not None else ""
                    print(f"  {backend:10} {villages:>6,} villages  {LEG_WORDS[leg]:13} "
                          f"{page:16} {count:>2} clients: "
                          f"p50 {run.p50:7.1f} ms  p95 {run.p95:7.1f} ms  "
                          f"({run.requests} requests, {run.per_second:.0f}/s; CPU per request: "
                          f"server {run.app_cpu_ms:.1f}{db_cpu} ms)", flush=True)
            if leg == "repeat":  # the cache full: the larger of the two
                result.peak_mb = round(peak_mb(pid), 1)
    result.load_average = (round(began, 2), round(os.getloadavg()[0], 2))
    print(f"  {backend:10} {villages:>6,} villages  demo national {load_seconds:.1f} s; "
          f"server peak memory {result.peak_mb:.0f} MiB", flush=True)
    databases.drop(backend, villages)
    return result


# --- verdict ------------------------------------------------------------------------------


def verdict(results: list[SizeResult], largest: int) -> list[str]:
    """One line per target and leg: OK or MISSED."""
    lines = []
    for result in results:
        if result.villages != largest:
            continue
        for leg in LEGS:
            for page, target in TARGETS.items():
                run = next((r for r in result.runs if r.page == page and r.clients == 10
                            and r.leg == leg), None)
                if run is None:
                    continue
                checked = result.backend == "postgresql"
                ok = run.p95 <= target and run.errors == 0
                label = "OK" if ok else "MISSED"
                note = "" if checked else " (target set for PostgreSQL; SQLite shown beside it)"
                lines.append(f"{PAGE_NAMES[page]} p95 at 10 clients, {result.backend}, "
                             f"{largest:,} villages, {LEG_WORDS[leg]}: "
                             f"{run.p95:.1f} ms (target ≤ {target:.0f} ms)"
                             + (f", {run.errors} failed requests" if run.errors else "") + " — "
                             f"{label if checked else ('within' if ok else 'over')}{note}")
        label = "OK" if result.peak_mb <= MEMORY_TARGET_MB else "MISSED"
        lines.append(f"server peak memory, {result.backend}, {largest:,} villages: "
                     f"{result.peak_mb:.0f} MiB (target ≤ {MEMORY_TARGET_MB} MiB) — {label}")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="200 and 7,500 villages, 1 and 10 clients, fewer requests")
    parser.add_argument("--sizes", help="comma-separated numbers of villages")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="server processes (mitradesa serve --workers); default: one "
                        "per CPU core")
    parser.add_argument("--json", type=Path, help="write every figure here")
    args = parser.parse_args()
    sizes = tuple(int(s) for s in args.sizes.split(",")) if args.sizes else (
        SIZES[:2] if args.quick else SIZES)
    clients = CLIENTS[:2] if args.quick else CLIENTS
    requests = {1: 30, 10: 6, 50: 2} if args.quick else REQUESTS
    backends = args.backends.split(",")
    results: list[SizeResult] = []
    with tempfile.TemporaryDirectory(prefix="mitradesa-load-") as tmp, \
            postgres_server() if "postgresql" in backends else _nothing() as server:
        folder = Path(tmp)
        if server is None and "postgresql" in backends:
            print("PostgreSQL is not installed: its legs are skipped", file=sys.stderr)
            backends = [b for b in backends if b != "postgresql"]
        databases = Databases(folder, server)
        for backend in backends:
            for villages in sizes:
                results.append(bench_size(databases, backend, villages, clients, requests,
                                          folder, args.workers))
    lines = verdict(results, max(sizes))
    print("\n".join(lines))
    if args.json:
        args.json.write_text(json.dumps(
            {"sizes": sizes, "clients": clients, "workers": args.workers, "legs": LEGS,
             "requests": {c: requests[c] for c in clients},
             "results": [asdict(r) for r in results],
             "verdict": lines}, indent=1))
    failed = sum(run.errors for result in results for run in result.runs)
    if failed:
        print(f"{failed} requests failed (see the errors above) — MISSED")
    return 1 if failed or any(line.endswith("MISSED") for line in lines) else 0


@contextmanager
def _nothing() -> Iterator[None]:
    yield None


if __name__ == "__main__":
    sys.exit(main())

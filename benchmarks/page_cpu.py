"""Benchmark: server CPU per request of every page as a ratio to the framework floor.

Target (issue 18): every page's server CPU per request ≤ 2 × the floor's, at 200, 7,500 and
75,000 villages, on SQLite and PostgreSQL. The floor is `GET /api/v1/me` with a session
cookie: HTTP, routing, middleware and session, nothing of a page. A ratio measured in one run
cancels most of the machine's noise (a busy neighbour slows the floor and the page alike).

For each backend and size: a fresh database with `mitradesa demo national --villages N
--years 10` (IDM 2015–2024 and the Indeks Desa 2025) and `mitradesa demo load` on top (Kukar's
partners, agreements, mentoring programmes and earlier interventions, so the homes and the
mentoring and partnership pages have something to show), and one account per role from
`mitradesa users create`. `mitradesa serve --workers 1` runs as its own process; one client
sends sequential requests over one keep-alive connection per account (_http_client.py).
Each page is measured in interleaved batches — floor, page, floor, page … — so that drift
(other work on the machine, CPU frequency) falls on both alike; the ratio is the page's CPU
per request over the floor's CPU per request measured beside it. CPU is read from /proc: the
run time of every thread of the server process (schedstat, nanoseconds); PostgreSQL's
processes are shown beside it, not in the ratio. Every answer must be 200.

Two legs per backend and size: first visit (the server started with MITRADESA_PAGE_CACHE=0:
no page cache) and repeat visit (the cache as configured by default; every URL requested once
to warm it, then measured).

Then a profile per page: the app in-process (`create_app` on the same database, sync handlers
run inline so that cProfile sees them) for a few requests of each page, and where a request's
CPU goes: SQL (SQLAlchemy and the DB driver; PostgreSQL's own CPU is in the table), templates
(Jinja2 and the compiled templates), mitradesa's own code (top functions by own time),
framework (Starlette, FastAPI, AnyIO, Pydantic) and other (Babel, the standard library …).
Time in built-in functions counts for the code that called them.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import pstats
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from _http_client import KeepAliveClient
from load_pages import (
    REGENCY,
    Databases,
    _address,
    _nothing,
    cpu_seconds,
    login,
    postgres_server,
    served,
    village_urls,
)

HERE = Path(__file__).resolve().parent
SIZES = (200, 7_500, 75_000)
TARGET_RATIO = 2.0
FLOOR = "/api/v1/me"
SEPATIN = "64.02.04.2001"  # the operator_desa's village: the demo mentoring happens there
MITRA = "PT Tambang Mahakam Sejahtera (demo)"  # a partner of the Kukar demo
# Accounts: username → (role, `users create` options).
ACCOUNTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "staf": ("viewer", ()),  # no scope: the whole country, as DPMD/ministry staff read it
    "admin": ("admin", ()),
    # Anggana and Loa Kulu, where the demo's mentoring programmes run
    "pendamping": ("pendamping", ("--scope", f"{REGENCY}.04", "--scope", f"{REGENCY}.02")),
    "operator": ("operator_desa", ("--scope", SEPATIN)),
    "mitra": ("mitra", ("--organisation", MITRA)),
}
SEARCH_WORDS = ("sungai", "loa", "tanjung", "batu", "muara", "sepatin", "baru", "jaya")


@dataclass(frozen=True)
class Page:
    key: str
    label: str
    account: str
    urls: Callable[[dict[str, list[str]]], list[str]]


PAGES: tuple[Page, ...] = (
    Page("village_idm", "village IDM", "staf", lambda c: [f"/desa/{k}/idm" for k in c["villages"]]),
    Page("village_indeks_desa", "village Indeks Desa", "staf",
         lambda c: [f"/desa/{k}/indeks-desa" for k in c["villages"]]),
    Page("village", "village overview", "staf", lambda c: [f"/desa/{k}" for k in c["villages"]]),
    Page("regency", "regency overview", "staf", lambda c: [f"/wilayah/{REGENCY}"]),
    Page("regency_idm", "regency IDM", "staf", lambda c: [f"/wilayah/{REGENCY}/idm"]),
    Page("regency_indeks_desa", "regency Indeks Desa", "staf",
         lambda c: [f"/wilayah/{REGENCY}/indeks-desa"]),
    Page("kecamatan", "kecamatan", "staf", lambda c: [f"/wilayah/{k}" for k in c["kecamatan"]]),
    Page("province", "province", "staf", lambda c: [f"/wilayah/{REGENCY[:2]}"]),
    Page("map", "map", "staf", lambda c: [f"/wilayah/{REGENCY}/peta"]),
    Page("analysis", "analysis", "staf", lambda c: [f"/wilayah/{REGENCY}/analisis"]),
    Page("targeting", "analysis: where to intervene", "staf",
         lambda c: [f"/wilayah/{REGENCY}/analisis/sasaran"]),
    Page("robustness", "analysis: fragile statuses", "staf",
         lambda c: [f"/wilayah/{REGENCY}/analisis/ketahanan"]),
    Page("plan", "budget plan", "admin", lambda c: [f"/wilayah/{REGENCY}/rencana"]),
    Page("search", "search", "staf", lambda c: [f"/cari?q={w}" for w in SEARCH_WORDS]),
    # An admin's `/` answers 303 to the home regency's overview: measured there, as admin.
    Page("home_admin", "home: admin (the regency overview)", "admin",
         lambda c: [f"/wilayah/{REGENCY}"]),
    Page("home_pendamping", "home: pendamping", "pendamping", lambda c: ["/"]),
    Page("home_operator", "home: operator desa", "operator", lambda c: ["/"]),
    Page("home_mitra", "home: mitra", "mitra", lambda c: ["/"]),
    Page("mentoring", "mentoring", "pendamping", lambda c: ["/pendampingan"]),
    Page("partnerships", "partnerships", "pendamping", lambda c: ["/kerja-sama"]),
    Page("partners", "partners", "admin", lambda c: ["/mitra"]),
    Page("audit", "audit log", "admin", lambda c: ["/audit"]),
    Page("accounts", "accounts", "admin", lambda c: ["/admin/pengguna"]),
    Page("imports", "imports (not kept: lists the user's waiting uploads)", "admin",
         lambda c: ["/impor"]),
)
LEGS = ("first", "repeat")
LEG_NAMES = {"first": "first visit (page cache off)", "repeat": "repeat visit (cache on)"}


@dataclass
class Measure:
    backend: str
    villages: int
    leg: str
    page: str
    requests: int
    floor_ms: float  # server CPU per floor request, measured beside the page
    page_ms: float  # server CPU per page request
    ratio: float
    db_ms: float | None  # PostgreSQL's processes per page request (None: SQLite)
    wall_ms: float  # client-side mean time of a page request
    errors: list[str] = field(default_factory=list)


@dataclass
class Breakdown:
    page: str
    ms: float  # in-process time per request, without the profiler
    shares: dict[str, float]  # category → share of the profiled time
    templates: list[tuple[str, float]]  # template file → share (own time in its code)
    ours: list[tuple[str, float]]  # mitradesa function → share (own time)
    others: list[tuple[str, float]] = field(default_factory=list)  # library → share


@dataclass
class SizeRun:
    backend: str
    villages: int
    load_seconds: float
    measures: list[Measure] = field(default_factory=list)
    profile: list[Breakdown] = field(default_factory=list)
    load_average: tuple[float, float] = (0.0, 0.0)


# --- CPU from /proc ----------------------------------------------------------------------


class ThreadClock:
    """Run time (ns) of every thread of a process, from /proc/<pid>/task/*/schedstat: exact
    to the nanosecond where /proc/<pid>/stat counts 10 ms ticks. A thread that ends between
    two readings takes only its time since the last reading with it."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.seen: dict[str, int] = {}

    def advance(self) -> float:
        """Seconds of CPU the process used since the last call."""
        now: dict[str, int] = {}
        for task in Path(f"/proc/{self.pid}/task").iterdir():
            try:
                now[task.name] = int((task / "schedstat").read_text().split()[0])
            except (FileNotFoundError, ProcessLookupError):
                continue
        spent = sum(value - self.seen.get(tid, 0) for tid, value in now.items())
        self.seen = now
        return spent / 1e9


# --- the measurement -----------------------------------------------------------------------


async def _batch(http: KeepAliveClient, urls: list[str], errors: list[str]) -> None:
    for url in urls:
        status = await http.get(url)
        if status != 200:
            errors.append(f"{url}: {status}")


async def _measure_page(base: str, cookies: dict[str, str], urls: list[str], batches: int,
                        each: int, clock: ThreadClock, warm: int) -> tuple[float, float, float,
                                                                             list[str]]:
    """(floor CPU s, page CPU s, page wall s) summed over the batches, and the errors."""
    http = KeepAliveClient(*_address(base), cookies)
    errors: list[str] = []
    try:
        await _batch(http, [FLOOR] * 3 + urls * warm, errors)
        floor = page = wall = 0.0
        turn = 0
        clock.advance()
        for _ in range(batches):
            await _batch(http, [FLOOR] * each, errors)
            floor += clock.advance()
            plan = [urls[(turn + i) % len(urls)] for i in range(each)]
            turn += each
            start = time.perf_counter()
            await _batch(http, plan, errors)
            wall += time.perf_counter() - start
            page += clock.advance()
    finally:
        await http.close()
    return floor, page, wall, errors


def accounts_for(databases: Databases, env: dict[str, str], names: list[str]) -> None:
    for username in names:
        role, options = ACCOUNTS[username]
        databases._cli(env, "users", "create", username, "--role", role, *options)


def codes_for(env: dict[str, str]) -> dict[str, list[str]]:
    from sqlalchemy import select

    from mitradesa.db.codes import under
    from mitradesa.db.session import make_engine, session_factory
    from mitradesa.regions.models import Region

    engine = make_engine(env["MITRADESA_DATABASE_URL"])
    with session_factory(engine)() as session:
        kecamatan = sorted(session.scalars(select(Region.code).where(
            under(Region.code, REGENCY), Region.kind == "kecamatan")))
    engine.dispose()
    return {"villages": sorted(village_urls(env, 20)),
            "kecamatan": random.Random(3).sample(kecamatan, min(6, len(kecamatan)))}


class PageDatabases(Databases):
    """load_pages.Databases whose template (registry) database holds the accounts too, so
    every size gets them by copy; all but the mitra's, which is tied to its partner when
    created, so it comes after the demo partners."""

    def _template(self, backend: str) -> str:
        new = backend not in self.templates
        url = super()._template(backend)
        if new:
            accounts_for(self, self.env(url, "template"), [n for n in ACCOUNTS if n != "mitra"])
        return url

    def fresh_with_everything(self, backend: str, villages: int) -> tuple[dict[str, str], float]:
        env, seconds = self.fresh(backend, villages)
        self._cli(env, "demo", "load")
        accounts_for(self, env, ["mitra"])
        if backend == "postgresql":
            with self._admin(f"{backend}_{villages}") as conn:
                conn.execute("VACUUM (ANALYZE)")
        return env, seconds


def bench_leg(env: dict[str, str], leg: str, backend: str, villages: int,
              codes: dict[str, list[str]], pages: tuple[Page, ...], batches: int, each: int,
              log: Path, postmaster: int | None,
              cookies: dict[str, dict[str, str]]) -> list[Measure]:
    """Measure every page on a server of its own; fills `cookies` with a session each."""
    leg_env = {**env, "MITRADESA_PAGE_CACHE": "0"} if leg == "first" else dict(env)
    found: list[Measure] = []
    with served(leg_env, log, 1) as (base, pid):
        cookies.update({name: login(base, name) for name in ACCOUNTS})
        clock = ThreadClock(pid)
        for page in pages:
            urls = page.urls(codes)
            db_before = cpu_seconds(postmaster) if postmaster else None
            floor, spent, wall, errors = asyncio.run(_measure_page(
                base, cookies[page.account], urls, batches, each, clock, warm=1))
            requests = batches * each
            # PostgreSQL's processes over the whole page (warm-up and floor included: the floor
            # asks the database for the session and the user too), per page request.
            db_ms = None if postmaster is None or db_before is None else \
                (cpu_seconds(postmaster) - db_before) / requests * 1000
            floor_ms, page_ms = floor / requests * 1000, spent / requests * 1000
            measure = Measure(backend, villages, leg, page.key, requests, round(floor_ms, 2),
                              round(page_ms, 2), round(page_ms / floor_ms, 2),
                              None if db_ms is None else round(db_ms, 2),
                              round(wall / requests * 1000, 1), errors[:5])
            found.append(measure)
            db = f" + db {measure.db_ms:.1f}" if measure.db_ms is not None else ""
            status = f"  {len(errors)} NOT 200: {errors[:2]}" if errors else ""
            print(f"  {backend:10} {villages:>6,} {leg:6} {page.label:30} "
                  f"{measure.ratio:5.1f}× floor  ({page_ms:6.1f}{db} ms; floor "
                  f"{floor_ms:.1f} ms){status}", flush=True)
    return found


# --- the profile ---------------------------------------------------------------------------

CATEGORIES = ("SQL", "templates", "mitradesa", "framework", "other")


def _category(filename: str, name: str) -> str:
    path = filename.replace("\\", "/")
    if filename == "~":
        if "sqlite3" in name or "psycopg" in name:
            return "SQL"
        return "builtin"
    if "/templates/" in path and path.endswith((".html", ".txt", ".svg", ".xml")):
        return "templates"
    for marker, category in (("/sqlalchemy/", "SQL"), ("/psycopg", "SQL"), ("/sqlite3/", "SQL"),
                             ("/jinja2/", "templates"), ("/markupsafe/", "templates"),
                             ("/mitradesa/", "mitradesa"), ("/starlette/", "framework"),
                             ("/fastapi/", "framework"), ("/anyio/", "framework"),
                             ("/pydantic", "framework"), ("/uvicorn/", "framework")):
        if marker in path:
            return category
    return "other"


def _function_name(filename: str, name: str) -> str:
    path = filename.replace("\\", "/")
    module = path.split("/mitradesa/", 1)[1].removesuffix(".py").replace("/", ".")
    return f"{module}.{name}"


def _library(filename: str, name: str) -> str:
    """What an "other" entry belongs to: a package of site-packages or a standard module."""
    path = filename.replace("\\", "/")
    if filename == "~":
        return name.strip("{}").split(" of ")[-1].removesuffix(" objects").strip("'") \
            if " of " in name else name.strip("<>{}")
    if "site-packages/" in path:
        return path.split("site-packages/", 1)[1].split("/", 1)[0].removesuffix(".py")
    parts = path.removesuffix(".py").rsplit("/", 2)
    return parts[-2] if parts[-1] == "__init__" and len(parts) > 1 else parts[-1]


def breakdown(stats: pstats.Stats, page: str, ms: float) -> Breakdown:
    """Own time per category; a built-in's own time goes to the category of its callers."""
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    client = {key for key in raw if "/httpx/" in key[0] or "/h11/" in key[0]
              or key[0].endswith(("page_cpu.py", "asyncio/base_events.py"))}
    totals = dict.fromkeys(CATEGORIES, 0.0)
    templates: dict[str, float] = {}
    ours: dict[str, float] = {}
    others: dict[str, float] = {}
    for key, (_, _, own, _, callers) in raw.items():
        if key in client:
            continue
        filename, _, name = key
        category = _category(filename, name)
        if category == "builtin":
            edges = [(caller, edge[2]) for caller, edge in callers.items() if caller not in client]
            spread = sum(time for _, time in edges) or 1.0
            for caller, time_spent in edges or [(key, own)]:
                share = own * time_spent / spread
                kind = _category(caller[0], caller[2])
                kind = "other" if kind == "builtin" else kind
                totals[kind] += share
                if kind == "other":
                    label = _library(caller[0], caller[2])
                    others[label] = others.get(label, 0.0) + share
            continue
        totals[category] += own
        if category == "other":
            label = _library(filename, name)
            others[label] = others.get(label, 0.0) + own
        if category == "templates" and "/templates/" in filename:
            template = filename.replace("\\", "/").split("/templates/", 1)[1]
            templates[template] = templates.get(template, 0.0) + own
        elif category == "mitradesa":
            label = _function_name(filename, name)
            ours[label] = ours.get(label, 0.0) + own
    whole = sum(totals.values()) or 1.0

    def top(found: dict[str, float], n: int) -> list[tuple[str, float]]:
        return [(k, round(v / whole, 3)) for k, v in sorted(found.items(), key=lambda x: -x[1])[:n]]

    return Breakdown(page, round(ms, 2), {k: round(v / whole, 3) for k, v in totals.items()},
                     top(templates, 2), top(ours, 3), top(others, 2))


def profile_main(spec_path: Path) -> int:
    """In the profiling subprocess (the database's environment): the app in-process."""
    import cProfile

    import anyio.to_thread
    import httpx

    spec = json.loads(spec_path.read_text())

    async def inline(func: Callable[..., Any], *args: Any, **_: Any) -> Any:
        return func(*args)

    anyio.to_thread.run_sync = inline  # type: ignore[assignment]  # handlers in this thread

    from mitradesa.web.app import create_app

    app = create_app()
    results = []

    async def run() -> None:
        transport = httpx.ASGITransport(app=app)

        def client_for(item: dict[str, Any]) -> httpx.AsyncClient:
            return httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1",
                                     cookies=spec["cookies"][item["account"]])

        failed = set()
        for item in spec["pages"]:  # every page once first: templates compiled, imports done
            async with client_for(item) as client:
                statuses = [(await client.get(url)).status_code for url in item["urls"][:8]]
            if set(statuses) != {200}:
                print(f"  {item['page']}: answers {statuses}", file=sys.stderr)
                failed.add(item["page"])
        for item in spec["pages"]:
            if item["page"] in failed:
                continue
            async with client_for(item) as client:
                urls = item["urls"]
                plan = [urls[i % len(urls)] for i in range(spec["requests"])]
                for url in plan[:2]:
                    await client.get(url)
                start = time.process_time()
                for url in plan:
                    await client.get(url)
                ms = (time.process_time() - start) / len(plan) * 1000
                # CPU time, as the ratio: the shares do not move with other work on the
                # machine (wall time would count the waits for a core as the code's).
                profiler = cProfile.Profile(time.process_time)
                profiler.enable()
                for url in plan:
                    await client.get(url)
                profiler.disable()
                results.append(asdict(breakdown(pstats.Stats(profiler), item["page"], ms)))

    asyncio.run(run())
    print(json.dumps(results))
    return 0


def profile_pages(env: dict[str, str], cookies: dict[str, dict[str, str]],
                  codes: dict[str, list[str]], pages: tuple[Page, ...], requests: int,
                  folder: Path) -> list[Breakdown]:
    spec = folder / "profile-spec.json"
    spec.write_text(json.dumps({
        "requests": requests, "cookies": cookies,
        "pages": [{"page": p.key, "account": p.account, "urls": p.urls(codes)} for p in pages],
    }))
    done = subprocess.run([sys.executable, __file__, "--profile-spec", str(spec)],
                          env={**env, "MITRADESA_PAGE_CACHE": "0"}, capture_output=True,
                          text=True, check=False, cwd=HERE)
    for line in done.stderr.splitlines():
        if ": answers [" in line:  # a page that did not answer 200 in-process: left out
            print(f"  profile: {line.strip()}", file=sys.stderr)
    if done.returncode != 0:
        print(f"  the profile failed: {done.stderr.strip()[-800:]}", file=sys.stderr)
        return []
    return [Breakdown(**{**item, **{part: [tuple(t) for t in item[part]]
                                    for part in ("templates", "ours", "others")}})
            for item in json.loads(done.stdout.strip().splitlines()[-1])]


def profile_lines(found: list[Breakdown]) -> list[str]:
    labels = {p.key: p.label for p in PAGES}
    lines = []
    for item in found:
        share = item.shares
        templates = ", ".join(f"{name} {value:.0%}" for name, value in item.templates)
        ours = ", ".join(f"{name} {value:.0%}" for name, value in item.ours)
        others = ", ".join(f"{name} {value:.0%}" for name, value in item.others)
        lines.append(
            f"{labels.get(item.page, item.page)}: {item.ms:.1f} ms — SQL {share['SQL']:.0%}, "
            f"templates {share['templates']:.0%}" + (f" ({templates})" if templates else "")
            + f", mitradesa {share['mitradesa']:.0%}" + (f" ({ours})" if ours else "")
            + f", framework {share['framework']:.0%}, other {share['other']:.0%}"
            + (f" ({others})" if others else ""))
    return lines


# --- one backend and size -------------------------------------------------------------------


def bench_size(databases: PageDatabases, backend: str, villages: int,
               pages: tuple[Page, ...], batches: int, each: int, folder: Path,
               profile: bool) -> SizeRun:
    env, load_seconds = databases.fresh_with_everything(backend, villages)
    codes = codes_for(env)
    run = SizeRun(backend, villages, round(load_seconds, 1))
    postmaster = databases.postmaster() if backend == "postgresql" else None
    began = os.getloadavg()[0]
    cookies: dict[str, dict[str, str]] = {}
    for leg in LEGS:
        run.measures += bench_leg(env, leg, backend, villages, codes, pages, batches, each,
                                  folder / f"serve-{backend}-{villages}-{leg}.log", postmaster,
                                  cookies)
    run.load_average = (round(began, 2), round(os.getloadavg()[0], 2))
    if profile:  # the sessions stay valid: they live in the database
        run.profile = profile_pages(env, cookies, codes, pages, 10, folder)
        print(f"\n  Profile, {backend}, {villages:,} villages (in-process, first visit; CPU "
              "per request without the profiler, shares of the CPU from cProfile):", flush=True)
        for line in profile_lines(run.profile):
            print(f"    {line}", flush=True)
    databases.drop(backend, villages)
    return run


# --- tables and verdict ---------------------------------------------------------------------


def table(runs: list[dict], sizes: list[int], leg: str) -> list[str]:
    """Markdown: page × size; each cell the ratio (server ms + PostgreSQL ms) per backend;
    ✗: some answer was not 200."""
    backends = sorted({r["backend"] for r in runs}, reverse=True)
    head = " | ".join(f"{b}, {n:,}" for n in sizes for b in backends)
    lines = [f"| page | {head} |", "|---|" + "---|" * (len(sizes) * len(backends))]
    measures = {(m["backend"], m["villages"], m["leg"], m["page"]): m
                for r in runs for m in r["measures"]}
    floors: dict[tuple[str, int], list[float]] = {}
    for m in measures.values():
        if m["leg"] == leg:
            floors.setdefault((m["backend"], m["villages"]), []).append(m["floor_ms"])
    for page in PAGES:
        cells = []
        for n in sizes:
            for b in backends:
                m = measures.get((b, n, leg, page.key))
                if m is None:
                    cells.append("—")
                    continue
                bold = "**" if m["ratio"] > TARGET_RATIO else ""
                db = f" + {m['db_ms']:.1f}" if m["db_ms"] is not None else ""
                cells.append(f"{bold}{m['ratio']:.1f}×{bold} ({m['page_ms']:.1f}{db})"
                             + (" ✗" if m["errors"] else ""))
        if any(c != "—" for c in cells):
            lines.append(f"| {page.label} | {' | '.join(cells)} |")
    cells = []
    for n in sizes:
        for b in backends:
            values = sorted(floors.get((b, n), []))
            cells.append(f"{values[len(values) // 2]:.1f} ms" if values else "—")
    lines.append(f"| *floor (`{FLOOR}`), median* | {' | '.join(cells)} |")
    return lines


def verdict(runs: list[dict]) -> list[str]:
    """One line per page and leg: OK when every ratio of that leg ≤ 2, else MISSED with the
    worst ratio."""
    lines = []
    for leg in LEGS:
        for page in PAGES:
            found = [m for r in runs for m in r["measures"]
                     if m["page"] == page.key and m["leg"] == leg]
            if not found:
                continue
            worst = max(found, key=lambda m: m["ratio"])
            failed = sum(bool(m["errors"]) for m in found)
            where = f"{worst['backend']}, {worst['villages']:,} villages"
            name = f"{page.label}, {LEG_NAMES[leg].lower()}"
            if worst["ratio"] <= TARGET_RATIO and not failed:
                lines.append(f"{name}: at most {worst['ratio']:.1f}× the floor ({where}) — OK")
            else:
                extra = f"; {failed} runs had answers other than 200" if failed else ""
                lines.append(f"{name}: {worst['ratio']:.1f}× the floor ({where}; target "
                             f"≤ {TARGET_RATIO:.0f}×){extra} — MISSED")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="200 and 7,500 villages, fewer requests")
    parser.add_argument("--sizes", help="comma-separated numbers of villages")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--pages", help="comma-separated page keys (default: all)")
    parser.add_argument("--profile-sizes", default="largest",
                        help="sizes to profile: 'largest', 'all' or comma-separated numbers")
    parser.add_argument("--json", type=Path, help="write every figure here")
    parser.add_argument("--profile-spec", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.profile_spec:
        return profile_main(args.profile_spec)
    sizes = tuple(int(s) for s in args.sizes.split(",")) if args.sizes else (
        SIZES[:2] if args.quick else SIZES)
    batches, each = (3, 3) if args.quick else (5, 4)
    pages = PAGES if not args.pages else tuple(p for p in PAGES if p.key in args.pages.split(","))
    profiled = set(sizes) if args.profile_sizes == "all" else {max(sizes)} \
        if args.profile_sizes == "largest" else {int(s) for s in args.profile_sizes.split(",")}
    backends = args.backends.split(",")
    runs: list[SizeRun] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="mitradesa-cpu-") as tmp, \
            postgres_server() if "postgresql" in backends else _nothing() as server:
        folder = Path(tmp)
        if server is None and "postgresql" in backends:
            print("PostgreSQL is not installed: its legs are skipped", file=sys.stderr)
            backends = [b for b in backends if b != "postgresql"]
        databases = PageDatabases(folder, server)
        for backend in backends:
            for villages in sizes:
                runs.append(bench_size(databases, backend, villages, pages, batches, each,
                                       folder, villages in profiled))
    data = [asdict(r) for r in runs]
    print(f"\nServer CPU per request as a ratio to the floor (in brackets: the page's CPU in "
          f"ms, server + PostgreSQL's processes; {batches} batches of {each} requests, page "
          "and floor interleaved):")
    for leg in LEGS:
        print(f"\n{LEG_NAMES[leg]}\n")
        print("\n".join(table(data, list(sizes), leg)))
    lines = verdict(data)
    print("\n" + "\n".join(lines))
    print(f"\npage_cpu.py took {time.perf_counter() - started:.0f} s")
    if args.json:
        args.json.write_text(json.dumps({
            "sizes": sizes, "batches": batches, "each": each, "runs": data, "verdict": lines,
            "profile": {f"{r.backend}, {r.villages:,} villages": profile_lines(r.profile)
                        for r in runs if r.profile},
        }, indent=1))
    failed = sum(bool(m.errors) for r in runs for m in r.measures)
    return 1 if failed or any(line.endswith("MISSED") for line in lines) else 0


if __name__ == "__main__":
    sys.exit(main())

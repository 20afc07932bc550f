"""Benchmark: import the whole shared Indeks Desa 2025 export (10,969 real desa).

Each leg imports `../shared/data/indeks-desa-2025/scores-2025.csv` end to end (read, find the
127 item columns by label, resolve codes, check levels, compute, write, commit) into a fresh
database (a copy of one migrated database with the registry loaded: not timed), into SQLite
and into a throw-away PostgreSQL server (skipped when PostgreSQL is not installed). An XLSX
made from the CSV (not timed) is imported too, for information. After each leg the number of
stored results must be 10,969 and a re-import must change nothing.

Target: ≥ 5,000 desa/s from CSV on each backend. Exit status 1 when a leg misses it, stores
the wrong count or re-writes anything; 2 when the data set is absent.
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from mitradesa.db.session import session_factory
from mitradesa.indeks_desa_records.importing import import_indeks_desa_files
from mitradesa.indeks_desa_records.models import IndeksDesaResult

sys.path.insert(0, str(Path(__file__).resolve().parent))
from idm_real_import import Databases, postgres_server

ROOT = Path(__file__).resolve().parents[1]
SCORES = ROOT.parent / "shared" / "data" / "indeks-desa-2025" / "scores-2025.csv"
EXPECTED = 10_969
TARGET = 5_000  # desa per second, from CSV


@dataclass
class Leg:
    source: str
    backend: str
    target: bool  # a speed target applies
    rows: int = 0
    seconds: float = 0.0
    again: float = 0.0
    rewritten: int = 0
    skipped: str = ""

    @property
    def speed(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0

    @property
    def ok(self) -> bool:
        if self.skipped:
            return True
        fast = not self.target or self.speed >= TARGET
        return fast and self.rows == EXPECTED and self.rewritten == 0


def make_xlsx(path: Path) -> None:
    """The CSV as the first sheet of a workbook, scores and year as numbers."""
    with SCORES.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
        sheet = book.add_worksheet("Indeks Desa 2025")
        sheet.write_row(0, 0, next(reader))
        for number, row in enumerate(reader, start=1):
            sheet.write_row(number, 0, row[:5])
            sheet.write_row(number, 5, [int(value) for value in row[5:]])
        book.close()


def count_results(engine: Engine) -> int:
    with session_factory(engine)() as session:
        return session.scalar(select(func.count()).select_from(IndeksDesaResult)) or 0


def run_leg(leg: Leg, path: Path, databases: Databases) -> Leg:
    name = f"bench_id_{leg.source.lower()}_{leg.backend.lower()}"
    engine = databases.fresh(leg.backend, name)
    factory = session_factory(engine)
    store = databases.base / f"{name}-store"
    try:
        start = time.perf_counter()
        with factory() as session:
            import_indeks_desa_files(session, [path], store_dir=store)
            session.commit()
        leg.seconds = time.perf_counter() - start
        leg.rows = count_results(engine)
        start = time.perf_counter()
        with factory() as session:
            again = import_indeks_desa_files(session, [path], store_dir=store)
            session.commit()
        leg.again = time.perf_counter() - start
        leg.rewritten = again.written + (1 if count_results(engine) != leg.rows else 0)
    finally:
        engine.dispose()
    return leg


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite-only", action="store_true", help="skip the PostgreSQL legs")
    args = parser.parse_args()
    if not SCORES.is_file():
        print(f"Indeks Desa import: the shared data set is absent ({SCORES} not found); it "
              "lives beside the checkout in ../shared/data/indeks-desa-2025", file=sys.stderr)
        return 2
    legs: list[Leg] = []
    servers = nullcontext() if args.sqlite_only else postgres_server()
    with tempfile.TemporaryDirectory() as folder, servers as server:
        base = Path(folder)
        databases = Databases(base, server)
        workbook = base / "scores-2025.xlsx"
        start = time.perf_counter()
        make_xlsx(workbook)
        made = time.perf_counter() - start
        for source, path, target in (("CSV", SCORES, True), ("XLSX", workbook, False)):
            for backend in ("SQLite", "PostgreSQL"):
                leg = Leg(source, backend, target)
                if backend == "PostgreSQL" and server is None:
                    leg.skipped = ("skipped: --sqlite-only" if args.sqlite_only
                                   else "skipped: PostgreSQL not installed")
                else:
                    run_leg(leg, path, databases)
                legs.append(leg)

    print(f"Indeks Desa import of the shared 2025 export ({EXPECTED:,} desa × 127 items), "
          "each leg into a fresh database (registry loaded, not timed); XLSX made from the "
          f"CSV in {made:.1f} s (not timed):")
    print(f"  {'source':<6} {'database':<11} {'desa':>7} {'seconds':>8} {'desa/s':>8}   "
          "re-import")
    for leg in legs:
        if leg.skipped:
            print(f"  {leg.source:<6} {leg.backend:<11} {leg.skipped}")
            continue
        verdict = ""
        if leg.target:
            verdict = f"  (target ≥ {TARGET:,}/s) — {'OK' if leg.speed >= TARGET else 'MISSED'}"
        if leg.rows != EXPECTED or leg.rewritten:
            verdict += f"  WRONG (expected {EXPECTED:,} stored, nothing re-written)"
        print(f"  {leg.source:<6} {leg.backend:<11} {leg.rows:>7,} {leg.seconds:>8.2f} "
              f"{leg.speed:>8,.0f}   {leg.again:.2f} s, {leg.rewritten} written{verdict}")
    return 0 if all(leg.ok for leg in legs) else 1


if __name__ == "__main__":
    sys.exit(main())

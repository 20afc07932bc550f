"""Benchmark: import IDM score tables from CSV into a fresh SQLite database.

Target (issue 3): at least 20,000 village-years per second, CSV → SQLite, end to end
(read, resolve codes, check, compute, write, commit). The CSV holds real village codes
(every desa and kelurahan of the 2025 registry, one row per village and year) with random
valid scores; loading the registry itself is not timed.
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from sqlalchemy import select

from mitradesa.db.migrate import upgrade
from mitradesa.db.session import make_engine, session_factory
from mitradesa.idm_records.importing import import_idm_files
from mitradesa.io.idm_files import SCORE_COLUMNS
from mitradesa.regions.loading import load_registry
from mitradesa.regions.models import Region

TARGET = 20_000


def write_csv(path: Path, codes: list[str], years: list[int], seed: int = 2016) -> int:
    rng = np.random.default_rng(seed)
    scores = rng.integers(0, 6, size=(len(codes) * len(years), len(SCORE_COLUMNS)))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["kode_desa", "tahun", *SCORE_COLUMNS])
        row = 0
        for year in years:
            for code in codes:
                writer.writerow([code.replace(".", ""), year, *scores[row].tolist()])
                row += 1
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--years", type=int, default=2, help="years per village (default 2)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        engine = make_engine(f"sqlite:///{base / 'bench.sqlite3'}")
        upgrade(engine)
        factory = session_factory(engine)
        with factory() as session:
            load_registry(session)
            session.commit()
            query = select(Region.code).where(Region.kind.in_(("desa", "kelurahan")))
            codes = list(session.scalars(query.order_by(Region.code)))
        source = base / "scores.csv"
        rows = write_csv(source, codes, list(range(2024 - args.years + 1, 2025)))
        timings = []
        for _ in range(2):
            start = time.perf_counter()
            with factory() as session:
                report = import_idm_files(session, [source], store_dir=base / "imports")
                session.commit()
            timings.append((time.perf_counter() - start, report))
        engine.dispose()
    (first, report), (second, again) = timings
    speed = rows / first
    print(f"IDM import, CSV → SQLite: {rows:,} village-years ({len(codes):,} villages × "
          f"{args.years} years) in {first:.2f} s = {speed:,.0f} village-years/s "
          f"(target ≥ {TARGET:,}/s) — {'OK' if speed >= TARGET else 'MISSED'}")
    print(f"  written: {report.created:,} new; re-import of the same file: {second:.2f} s, "
          f"{again.written} written ({again.files[0].state})")
    return 0 if speed >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())

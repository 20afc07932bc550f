"""Benchmark: load the whole national registry into a fresh SQLite database.

Target (issue 2): under 30 s on this machine. Prints seconds for the first load (insert)
and for a second, idempotent load (compare only).
"""

from __future__ import annotations

import platform
import tempfile
import time
from pathlib import Path

from mitradesa.db.migrate import upgrade
from mitradesa.db.session import make_engine, session_factory
from mitradesa.regions.loading import load_registry


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
        upgrade(engine)
        timings = []
        for _ in range(2):
            start = time.perf_counter()
            with session_factory(engine)() as session:
                report = load_registry(session)
                session.commit()
            timings.append((time.perf_counter() - start, report))
        engine.dispose()
    (first, report), (second, _) = timings
    print(
        f"machine: {platform.processor() or platform.machine()}, python {platform.python_version()}"
    )
    print(
        f"regions load (SQLite, whole country): {report.inserted} regions, "
        f"{report.history} code changes, {report.aliases} aliases in {first:.1f} s "
        f"(target < 30 s) — {'OK' if first < 30 else 'MISSED'}"
    )
    print(f"second load (idempotent, nothing changes): {second:.1f} s")


if __name__ == "__main__":
    main()

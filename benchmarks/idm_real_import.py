"""Benchmark: import the whole shared set of published IDM results (real data).

The set in ../shared/data/idm-official holds 8,912 real village-years (2,279 villages,
2021–2024). Each leg imports all of them into a fresh database (a copy of one migrated
database with the registry loaded: not timed) and times the import end to end (read,
resolve codes, check, compute, write, commit):

- from `scores.csv`, one file;
- from JSON files: one `rumusan` response per village-year, generated (not timed) in the
  API's exact shape from scores.csv and the indicator catalogue (names, level texts,
  NILAI), since the set keeps only 21 verbatim responses; those 21 are timed separately.

into SQLite and into a throw-away PostgreSQL server (skipped when PostgreSQL is not
installed). After each leg the number of stored results must be 8,912 and a re-import must
change nothing. No speed target: the figures are reported. Exit status 1 when a leg stores
the wrong count or its re-import writes anything, 2 when the data set is absent.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from mitradesa.db.migrate import upgrade
from mitradesa.db.session import make_engine, session_factory
from mitradesa.idm.compute import format_nilai, nilai_of
from mitradesa.idm.rumusan import parse_rumusan
from mitradesa.idm.scheme import load_scheme
from mitradesa.idm_records.importing import import_idm_files
from mitradesa.idm_records.models import IdmResult
from mitradesa.io.idm_files import SCORE_COLUMNS
from mitradesa.regions.loading import load_registry

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "idm-official"
CATALOGUE = ROOT / "src" / "mitradesa" / "idm" / "catalogue" / "idm2016"
EXPECTED = 8_912
ACTORS = ("pusat", "prov", "kab", "desa", "csr", "lainnya")
FIRST_ROW_CELL = 10  # the API numbers its rows from spreadsheet row 10


# --- generating rumusan JSON files from scores.csv (not timed) ---------------------------


def _number(text: str) -> int | float:
    """A published figure as the API sends it: an integer when written without a point."""
    return int(text) if text.lstrip("-").isdigit() else float(text)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "desa"


@dataclass(frozen=True)
class Catalogue:
    names: dict[tuple[str, int], str]  # (index, no) → INDIKATOR
    levels: dict[tuple[int, str, int, int], dict[str, str]]  # (year, index, no, score) → texts

    @classmethod
    def load(cls) -> Catalogue:
        with (CATALOGUE / "indicators.csv").open(encoding="utf-8", newline="") as handle:
            names = {(r["index"], int(r["no"])): r["indikator"] for r in csv.DictReader(handle)}
        with (CATALOGUE / "levels.csv").open(encoding="utf-8", newline="") as handle:
            levels = {
                (int(r["tahun"]), r["index"], int(r["no"]), int(r["skor"])): r
                for r in csv.DictReader(handle)
            }
        return cls(names, levels)

    def level(self, year: int, index: str, no: int, score: int) -> dict[str, str]:
        """The row texts of that year, else of the nearest year that showed that score."""
        for candidate in sorted({2021, 2022, 2023, 2024, year}, key=lambda y: abs(y - year)):
            found = self.levels.get((candidate, index, no, score))
            if found is not None:
                return found
        return {}


def rumusan(row: dict[str, str], catalogue: Catalogue) -> dict[str, Any]:
    """One village-year of scores.csv as the API's `rumusan` response (envelope included)."""
    scheme = load_scheme("idm2016")
    year = int(row["tahun"])
    rows: list[dict[str, Any]] = []
    cell = FIRST_ROW_CELL
    columns = iter(SCORE_COLUMNS)
    for index in scheme.indices:
        for no in range(1, index.size + 1):
            score = int(row[next(columns)])
            texts = catalogue.level(year, index.code, no, score)
            rows.append({
                "NO": no,
                "INDIKATOR": catalogue.names.get((index.code, no), f"{index.code} {no}"),
                "SKOR": score,
                "KETERANGAN": texts.get("keterangan") or None,
                "KEGIATAN": texts.get("kegiatan") or None,
                "NILAI": format_nilai(nilai_of(score, index.size, scheme)),
                **{actor.upper(): texts.get(actor) or None for actor in ACTORS},
                "ROW_CELL": cell,
            })
            cell += 1
        rows.append(_summary_row(f"{index.code} {year}", _number(row[index.code.lower()]), cell))
        cell += 1
    rows.append(_summary_row(f"IDM {year}", _number(row["idm"]), cell))
    rows.append(_summary_row(f"STATUS IDM {year}", row["status"].title(), cell + 1))
    code = row["kode_desa"]
    return {
        "status": 200,
        "error": False,
        "mapData": {
            "SUMMARIES": {
                "SKOR_SAAT_INI": _number(row["idm"]),
                "STATUS": row["status"],
                "TARGET_STATUS": row["target_status"],
                "SKOR_MINIMAL": row["skor_minimal"],
                "PENAMBAHAN": _number(row["penambahan"]),
                "TAHUN": year,
            },
            "ROW": rows,
            "IDENTITAS": [{
                "nama_provinsi": row["provinsi"],
                "id_prov": code[:2],
                "id_kabupaten": code[:4],
                "nama_kab_kota": row["kabupaten"],
                "id_kecamatan": code[:6],
                "nama_kecamatan": row["kecamatan"],
                "id_desa": code,
                "nama_desa": row["nama_desa"],
            }],
        },
    }


def _summary_row(label: str, value: Any, cell: int) -> dict[str, Any]:
    empty = dict.fromkeys(("KETERANGAN", "KEGIATAN", "NILAI", *(a.upper() for a in ACTORS)))
    return {"NO": None, "INDIKATOR": label, "SKOR": value, **empty, "ROW_CELL": cell}


def dumps(data: dict[str, Any]) -> str:
    """Compact UTF-8 JSON without a trailing newline, as the API's responses are stored."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def write_json_files(rows: list[dict[str, str]], folder: Path, catalogue: Catalogue) -> int:
    folder.mkdir(parents=True)
    for row in rows:
        name = f"{_slug(row['nama_desa'])}_{row['kode_desa']}_{row['tahun']}.json"
        (folder / name).write_text(dumps(rumusan(row, catalogue)), encoding="utf-8")
    return len(rows)


def _squeeze(value: Any) -> Any:
    """Strings with runs of whitespace collapsed, recursively (the catalogue squeezes them)."""
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, dict):
        return {key: _squeeze(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_squeeze(item) for item in value]
    return value


def check_against_samples(rows: list[dict[str, str]], catalogue: Catalogue) -> tuple[int, int, int]:
    """Generated vs real response for the sampled village-years: (same parse, same content
    up to whitespace, compared)."""
    by_key = {(r["kode_desa"], r["tahun"]): r for r in rows}
    parsed = alike = total = 0
    for path in sorted((DATA / "samples").glob("*.json")):
        real = json.loads(path.read_text(encoding="utf-8"))
        ident = real["mapData"]["IDENTITAS"][0]
        row = by_key.get((ident["id_desa"], str(real["mapData"]["SUMMARIES"]["TAHUN"])))
        if row is None:
            continue
        total += 1
        made = json.loads(dumps(rumusan(row, catalogue)))
        parsed += parse_rumusan(made) == parse_rumusan(real)
        alike += _squeeze(made) == _squeeze(real)
    return parsed, alike, total


# --- databases ---------------------------------------------------------------------------


@contextmanager
def postgres_server() -> Iterator[Any]:
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


class Databases:
    """Fresh databases, each a copy of one migrated database with the registry loaded.

    Migrating and loading the registry (not timed) costs 10–20 s per database; copying a
    prepared one (a file copy, or PostgreSQL's CREATE DATABASE … TEMPLATE) well under 1 s.
    """

    def __init__(self, base: Path, server: Any) -> None:
        self.base = base
        self.server = server
        self.prepared: set[str] = set()

    def _prepare(self, backend: str) -> None:
        if backend == "SQLite":
            engine = make_engine(f"sqlite:///{self.base / 'template.sqlite3'}")
        else:
            engine = make_engine(self.server.create_database("bench_template"))
        try:
            upgrade(engine)
            with session_factory(engine)() as session:
                load_registry(session)
                session.commit()
        finally:
            engine.dispose()
        self.prepared.add(backend)

    def fresh(self, backend: str, name: str) -> Engine:
        if backend not in self.prepared:
            self._prepare(backend)
        if backend == "SQLite":
            shutil.copyfile(self.base / "template.sqlite3", self.base / f"{name}.sqlite3")
            return make_engine(f"sqlite:///{self.base / f'{name}.sqlite3'}")
        import psycopg

        dsn = f"host=127.0.0.1 port={self.server.port} user=postgres dbname=postgres"
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE bench_template')
        return make_engine(self.server.url(name))


@dataclass
class Leg:
    source: str
    backend: str
    rows: int = 0
    seconds: float = 0.0
    again: float = 0.0
    rewritten: int = 0
    discrepancies: int = 0
    skipped: str = ""

    @property
    def ok(self) -> bool:
        return self.skipped != "" or (self.rows == EXPECTED and self.rewritten == 0)


def run_leg(leg: Leg, paths: list[Path], databases: Databases,
            stored: Callable[[Engine], int]) -> Leg:
    name = f"bench_{leg.source.split()[0].lower()}_{leg.backend.lower()}"
    engine = databases.fresh(leg.backend, name)
    factory = session_factory(engine)
    store = databases.base / f"{name}-store"
    try:
        if stored(engine) != 0:
            raise RuntimeError(f"{name}: the fresh database already holds IDM results")
        start = time.perf_counter()
        with factory() as session:
            report = import_idm_files(session, paths, store_dir=store)
            session.commit()
        leg.seconds = time.perf_counter() - start
        leg.discrepancies = len(report.discrepancies)
        leg.rows = stored(engine)
        start = time.perf_counter()
        with factory() as session:
            again = import_idm_files(session, paths, store_dir=store)
            session.commit()
        leg.again = time.perf_counter() - start
        changed = stored(engine) != leg.rows
        leg.rewritten = again.written + (1 if changed else 0)
    finally:
        engine.dispose()
    return leg


def count_results(engine: Engine) -> int:
    with session_factory(engine)() as session:
        return session.scalar(select(func.count()).select_from(IdmResult)) or 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite-only", action="store_true", help="skip the PostgreSQL legs")
    args = parser.parse_args()
    scores = DATA / "scores.csv"
    if not scores.is_file():
        print(f"IDM real-data import: the shared data set is absent ({scores} not found); "
              "it lives beside the checkout in ../shared/data/idm-official", file=sys.stderr)
        return 2
    with scores.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    samples = sorted((DATA / "samples").glob("*.json"))
    catalogue = Catalogue.load()
    parsed, alike, total = check_against_samples(rows, catalogue)

    legs: list[Leg] = []
    servers = nullcontext() if args.sqlite_only else postgres_server()
    with tempfile.TemporaryDirectory() as folder, servers as server:
        base = Path(folder)
        databases = Databases(base, server)
        json_dir = base / "rumusan"
        start = time.perf_counter()
        files = write_json_files(rows, json_dir, catalogue)
        generated = time.perf_counter() - start
        backends = ("SQLite", "PostgreSQL")
        for source, paths in (("CSV", [scores]), ("JSON files", [json_dir])):
            for backend in backends:
                leg = Leg(source, backend)
                if backend == "PostgreSQL" and server is None:
                    leg.skipped = ("skipped: --sqlite-only" if args.sqlite_only
                                   else "skipped: PostgreSQL not installed")
                else:
                    run_leg(leg, paths, databases, count_results)
                legs.append(leg)
        sample_legs = []
        for backend in backends:
            leg = Leg("21 samples", backend)
            if backend == "PostgreSQL" and server is None:
                leg.skipped = "skipped"
            else:
                run_leg(leg, samples, databases, count_results)
            sample_legs.append(leg)

    print(f"IDM import of the real shared set ({len(rows):,} village-years, "
          f"{len({r['kode_desa'] for r in rows}):,} codes, "
          f"{min(r['tahun'] for r in rows)}–{max(r['tahun'] for r in rows)}), "
          "each leg into a fresh database (registry loaded, not timed):")
    print(f"  {files:,} rumusan JSON files generated in {generated:.1f} s (not timed); "
          f"generated vs verbatim response for the {total} sampled village-years: "
          f"{parsed}/{total} parse identically, {alike}/{total} equal up to whitespace")
    print()
    print(f"  {'source':<11} {'database':<11} {'village-years':>13} {'seconds':>8} "
          f"{'village-years/s':>16}   re-import")
    for leg in legs:
        if leg.skipped:
            print(f"  {leg.source:<11} {leg.backend:<11} {leg.skipped}")
            continue
        flag = "" if leg.ok else f"  WRONG (expected {EXPECTED:,} stored, nothing re-written)"
        print(f"  {leg.source:<11} {leg.backend:<11} {leg.rows:>13,} {leg.seconds:>8.2f} "
              f"{leg.rows / leg.seconds:>16,.0f}   {leg.again:.2f} s, "
              f"{leg.rewritten} written{flag}")
    print()
    print(f"  published figures kept that differ from the recomputation: "
          f"{legs[0].discrepancies:,} village-years (the known 2024 defect)")
    for leg in sample_legs:
        if leg.skipped:
            continue
        print(f"  the {len(samples)} verbatim sample responses → {leg.backend}: {leg.rows} "
              f"village-years in {leg.seconds:.3f} s = {leg.rows / leg.seconds:,.0f}/s "
              f"(for information)")
    return 0 if all(leg.ok for leg in legs) else 1


if __name__ == "__main__":
    sys.exit(main())

"""`mitradesa demo national`: synthetic IDM village-years and the Indeks Desa 2025 for desa
across the country.

For benchmarks at national scale. The villages and IDM scores come from `national_scores`, the
Indeks Desa 2025 (continuing each village's 2024 IDM) from `national_indeks_desa`; both are
stored through the bulk insert, in batches, labelled figures_source = "demo". Rows already
stored (from an earlier run, `demo load` or a real import) are left as they are, so running it
again adds only what is missing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from mitradesa.db.base import utcnow
from mitradesa.db.bulk import insert_rows
from mitradesa.demo.national_indeks_desa import YEAR as INDEKS_DESA_YEAR
from mitradesa.demo.national_indeks_desa import regency_indeks_desa
from mitradesa.demo.national_scores import ALL_YEARS, pick_villages, regency_of, regency_scores
from mitradesa.errors import MitradesaError
from mitradesa.idm import compute_many
from mitradesa.idm_records.models import IdmResult
from mitradesa.indeks_desa_records.models import IndeksDesaResult
from mitradesa.indeks_desa_records.rows import result_rows
from mitradesa.regions.models import Region

SEED = 2015
SCHEME = "idm2016"
BATCH = 50_000  # village-years per insert: bounds memory, and the progress bar moves

Progress = Callable[[int, int, str], None]


class NationalDemoInputError(MitradesaError):
    reason = "demo_input_invalid"


@dataclass(frozen=True)
class NationalReport:
    villages: int
    regencies: int
    provinces: int
    years: tuple[int, ...]
    added: int
    present: int  # village-years of the set that were already stored
    indeks_desa_added: int = 0  # desa given an Indeks Desa 2025
    indeks_desa_present: int = 0  # desa of the set that had one already


def _noop(done: int, total: int, stage: str) -> None:
    del done, total, stage


def _check(villages: int, years: int, seed: int) -> None:
    if villages < 1:
        raise NationalDemoInputError(f"Jumlah desa harus paling sedikit 1 (diberikan {villages}).")
    if not 1 <= years <= len(ALL_YEARS):
        raise NationalDemoInputError(
            f"Jumlah tahun harus 1–{len(ALL_YEARS)} ({ALL_YEARS[0]}–{ALL_YEARS[-1]}); "
            f"diberikan {years}."
        )
    if seed < 0:
        raise NationalDemoInputError(f"Seed harus bilangan bulat ≥ 0 (diberikan {seed}).")


def load_national_demo(
    session: Session, villages: int, years: int, seed: int = SEED,
    first_regency: str = "64.02", progress: Progress = _noop,
) -> NationalReport:
    """Store `years` years (ending 2024) of demo IDM for `villages` desa; returns what was
    added. The caller commits."""
    _check(villages, years, seed)
    codes = list(session.scalars(
        select(Region.code).where(Region.kind == "desa", Region.active.is_(True))
    ))
    if not codes:
        raise NationalDemoInputError(
            "Registri wilayah kosong; jalankan `mitradesa regions load` dahulu."
        )
    picked = pick_villages(codes, villages, first_regency)
    wanted = ALL_YEARS[-years:]
    regencies: dict[str, list[str]] = {}
    for code in sorted(codes):
        regencies.setdefault(regency_of(code), []).append(code)
    chosen: dict[str, set[str]] = {}
    for code in picked:
        chosen.setdefault(regency_of(code), set()).add(code)
    existing = set(session.execute(
        select(IdmResult.village_code, IdmResult.year)
        .where(IdmResult.scheme == SCHEME, IdmResult.year.in_(wanted))
    ).tuples())
    with_indeks_desa = set(session.scalars(
        select(IndeksDesaResult.village_code).where(IndeksDesaResult.year == INDEKS_DESA_YEAR)))
    total = len(picked) * len(wanted)
    stage = "membuat dan menyimpan"
    progress(0, total, stage)
    done = added = indeks_desa_added = 0
    pending: list[tuple[str, int, np.ndarray]] = []
    pending_indeks_desa: list[tuple[str, np.ndarray]] = []
    for regency, members in chosen.items():
        everyone = regencies[regency]
        missing = [(row, code, year) for row, code in enumerate(everyone) if code in members
                   for year in wanted if (code, year) not in existing]
        missing_indeks_desa = [(row, code) for row, code in enumerate(everyone)
                               if code in members and code not in with_indeks_desa]
        done += len(members) * len(wanted)
        if missing or missing_indeks_desa:
            scores = regency_scores(everyone, seed)
            pending += [(code, year, scores[row, ALL_YEARS.index(year)])
                        for row, code, year in missing]
        if missing_indeks_desa:
            # From the demo's own 2024 IDM of every desa of the regency (not what is stored,
            # which a real import may have replaced), so the draws stay the same.
            latest = compute_many(scores[:, -1], SCHEME)
            indeks_desa = regency_indeks_desa(latest.idm, latest.status, regency, seed)
            pending_indeks_desa += [(code, indeks_desa[row]) for row, code in missing_indeks_desa]
        if len(pending) >= BATCH or len(pending_indeks_desa) >= BATCH // 2:
            added += _store(session, pending)
            indeks_desa_added += _store_indeks_desa(session, pending_indeks_desa)
            pending, pending_indeks_desa = [], []
            progress(done, total, stage)
    added += _store(session, pending)
    indeks_desa_added += _store_indeks_desa(session, pending_indeks_desa)
    progress(total, total, stage)
    if (added or indeks_desa_added) and session.get_bind().dialect.name == "postgresql":
        # Planner statistics now, not when autovacuum gets round to it: the pages' queries
        # over a region choose their index from them.
        session.execute(text("ANALYZE idm_results"))
        session.execute(text("ANALYZE indeks_desa_results"))
    return NationalReport(
        villages=len(picked), regencies=len(chosen), provinces=len({c[:2] for c in chosen}),
        years=wanted, added=added, present=total - added, indeks_desa_added=indeks_desa_added,
        indeks_desa_present=len(picked) - indeks_desa_added,
    )


def _store_indeks_desa(session: Session, pending: list[tuple[str, np.ndarray]]) -> int:
    if not pending:
        return 0
    now = utcnow()
    rows = result_rows([code for code, _ in pending], np.stack([s for _, s in pending]),
                       INDEKS_DESA_YEAR, figures_source="demo")
    for row in rows:
        row["updated_at"] = now
    return insert_rows(session, IndeksDesaResult.__table__, rows)


def _store(session: Session, pending: list[tuple[str, int, np.ndarray]]) -> int:
    if not pending:
        return 0
    scores = np.stack([item[2] for item in pending])
    figures = compute_many(scores, SCHEME)
    columns: dict[str, list[Any]] = {
        "iks": figures.iks.tolist(), "ike": figures.ike.tolist(), "ikl": figures.ikl.tolist(),
        "idm": figures.idm.tolist(), "status": figures.status_names(),
        "target_status": figures.target_names(), "skor_minimal": figures.skor_minimal(),
        "penambahan": figures.penambahan.tolist(),
    }
    width = scores.shape[1]
    digits = (scores + ord("0")).astype(np.uint8).tobytes().decode("ascii")
    now = utcnow()
    rows = [
        {
            "village_code": code, "year": year, "scheme": SCHEME, "given_code": code,
            "scores": digits[position * width: (position + 1) * width],
            **{key: values[position] for key, values in columns.items()},
            "figures_source": "demo", "discrepancy": None, "import_id": None, "updated_at": now,
        }
        for position, (code, year, _) in enumerate(pending)
    ]
    return insert_rows(session, IdmResult.__table__, rows)

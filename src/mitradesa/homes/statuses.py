"""Each village's status over the years, both index families in one line (IDM up to 2024,
the Indeks Desa from 2024), read in two queries for many villages at once, and the trend
from the last two statuses."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from mitradesa.idm_records.models import IdmResult
from mitradesa.indeks_desa_records.models import IndeksDesaResult

# Both families name the same five statuses, lowest first.
STATUS_ORDER = ("SANGAT TERTINGGAL", "TERTINGGAL", "BERKEMBANG", "MAJU", "MANDIRI")
IDM_SCHEME = "idm2016"
CHUNK = 500  # codes per IN (...) clause


@dataclass(frozen=True)
class StatusPoint:
    year: int
    family: str  # idm | indeks_desa
    status: str
    value: float  # IDM (0–1) or the Indeks Desa's nilai (0–100)
    demo: bool


def _chunks(codes: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(codes), CHUNK):
        yield codes[start:start + CHUNK]


def status_lines(session: Session, codes: Iterable[str]) -> dict[str, list[StatusPoint]]:
    """Village code → its years of both families, oldest first (IDM before the Indeks Desa
    in a year that has both); villages without data are left out."""
    wanted = sorted(set(codes))
    lines: dict[str, list[StatusPoint]] = defaultdict(list)
    for part in _chunks(wanted):
        idm = select(IdmResult.village_code, IdmResult.year, IdmResult.status, IdmResult.idm,
                     IdmResult.figures_source).where(IdmResult.village_code.in_(part),
                                                     IdmResult.scheme == IDM_SCHEME)
        for code, year, status, value, source in session.execute(idm):
            lines[code].append(StatusPoint(year, "idm", status, value, source == "demo"))
        indeks_desa = select(IndeksDesaResult.village_code, IndeksDesaResult.year,
                             IndeksDesaResult.status, IndeksDesaResult.nilai,
                             IndeksDesaResult.figures_source).where(
            IndeksDesaResult.village_code.in_(part))
        for code, year, status, value, source in session.execute(indeks_desa):
            lines[code].append(StatusPoint(year, "indeks_desa", status, value, source == "demo"))
    return {code: sorted(points, key=lambda p: (p.year, p.family != "idm"))
            for code, points in lines.items()}


def trend(line: list[StatusPoint]) -> str | None:
    """`naik`, `turun` or `tetap` from the status before the last to the last; None with
    fewer than two years."""
    if len(line) < 2:
        return None
    before, last = (STATUS_ORDER.index(p.status) if p.status in STATUS_ORDER else None
                    for p in line[-2:])
    if before is None or last is None:
        return None
    return "naik" if last > before else "turun" if last < before else "tetap"

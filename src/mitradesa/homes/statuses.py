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


@dataclass(frozen=True)
class Trend:
    direction: str  # naik | turun | tetap
    family: str  # the family both years are of
    years: tuple[int, int]

    def __str__(self) -> str:
        return self.direction


def trend(line: list[StatusPoint]) -> Trend | None:
    """The status of the newest year against the year before in the same family (the IDM
    and the Indeks Desa measure differently: a status is never compared across them); the
    IDM's last two years when the Indeks Desa has one year only. None without two years."""
    if not line:
        return None
    newest = line[-1].family
    for family in (newest, *(f for f in ("indeks_desa", "idm") if f != newest)):
        points = [p for p in line if p.family == family and p.status in STATUS_ORDER]
        if len(points) >= 2:
            before, last = (STATUS_ORDER.index(p.status) for p in points[-2:])
            direction = "naik" if last > before else "turun" if last < before else "tetap"
            return Trend(direction, family, (points[-2].year, points[-1].year))
    return None

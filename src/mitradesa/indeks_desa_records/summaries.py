"""A region's Indeks Desa: status counts per year and family, ranking, kecamatan, dimensions.

The IDM (≤ 2024) and the Indeks Desa (2024 →) are two families on different scales: their
status counts are listed side by side, one family per row group, never summed or converted.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from mitradesa.db.codes import under
from mitradesa.idm import indeks_desa as core
from mitradesa.idm_records.models import IdmResult
from mitradesa.indeks_desa_records.models import DIMENSION_COLUMNS, IndeksDesaResult
from mitradesa.regions.models import Region
from mitradesa.regions.queries import get_region

STATUSES: tuple[str, ...] = tuple(core.STATUSES)
DIMENSION_KEYS: tuple[str, ...] = DIMENSION_COLUMNS
IDM_SCHEME = "idm2016"
FAMILY_IDM = "idm"
FAMILY_INDEKS_DESA = "indeks_desa"
_KECAMATAN = aliased(Region, name="kecamatan")
_VILLAGE = aliased(Region, name="village")


@dataclass
class FamilyCounts:
    """Villages per status and year within one index family."""

    family: str
    years: list[int]
    counts: dict[int, Counter[str]]


@dataclass
class RegionSummary:
    region: Region
    years: list[int]  # Indeks Desa years
    year: int | None  # the year shown
    families: list[FamilyCounts] = field(default_factory=list)
    ranking: list[dict[str, Any]] = field(default_factory=list)
    kecamatan: list[dict[str, Any]] = field(default_factory=list)
    dimensions: list[dict[str, Any]] = field(default_factory=list)
    villages_without_data: int = 0

    @property
    def counts(self) -> dict[int, Counter[str]]:
        """The Indeks Desa family's counts."""
        for family in self.families:
            if family.family == FAMILY_INDEKS_DESA:
                return family.counts
        return {}


def _counts(session: Session, model: Any, code: str, *extra: Any) -> dict[int, Counter[str]]:
    counts: dict[int, Counter[str]] = {}
    query = (select(model.year, model.status, func.count())
             .where(under(model.village_code, code), *extra)
             .group_by(model.year, model.status))
    for year, status, count in session.execute(query):
        counts.setdefault(year, Counter())[status] = count
    return counts


def family_counts(session: Session, code: str) -> list[FamilyCounts]:
    """Status counts per year of each family with data under `code`: IDM first, then the
    Indeks Desa (the order in which the ministry used them)."""
    found = [
        (FAMILY_IDM, _counts(session, IdmResult, code, IdmResult.scheme == IDM_SCHEME)),
        (FAMILY_INDEKS_DESA, _counts(session, IndeksDesaResult, code)),
    ]
    return [FamilyCounts(name, sorted(counts), counts) for name, counts in found if counts]


def region_years(session: Session, code: str) -> list[int]:
    query = (select(IndeksDesaResult.year).where(under(IndeksDesaResult.village_code, code))
             .distinct().order_by(IndeksDesaResult.year))
    return list(session.scalars(query))


def newest_counts(session: Session, code: str) -> dict[str, Any] | None:
    """The Indeks Desa years under `code` and the status counts of the newest (None when
    there is no data): the headline of a region's page."""
    counts = _counts(session, IndeksDesaResult, code)
    if not counts:
        return None
    year = max(counts)
    return {"years": sorted(counts), "year": year,
            "counts": [(status, counts[year][status]) for status in STATUSES],
            "total": sum(counts[year].values())}


def has_demo(session: Session, code: str) -> bool:
    query = select(IndeksDesaResult.id).where(under(IndeksDesaResult.village_code, code),
                                              IndeksDesaResult.figures_source == "demo")
    return session.scalar(query.limit(1)) is not None


def _dimension_profile(sums: list[list[int]]) -> list[dict[str, Any]]:
    """Mean score of each dimension as a share of its maximum (catalogue order)."""
    profile = []
    for position, dimension in enumerate(core.DIMENSIONS):
        values = [row[position] for row in sums]
        mean = sum(values) / len(values) if values else None
        profile.append({
            "key": dimension.key, "nama": dimension.name, "maks": dimension.maximum,
            "rata": mean,
            "persen": None if mean is None else 100 * mean / dimension.maximum,
        })
    return profile


def region_summary(
    session: Session, code: str, year: int | None = None, status: str | None = None
) -> RegionSummary:
    """Counts of both families, and for one Indeks Desa year (the newest by default): the
    ranking by nilai (only `status` when given), the kecamatan and the dimension profile."""
    region = get_region(session, code)
    families = family_counts(session, region.code)
    years = next((f.years for f in families if f.family == FAMILY_INDEKS_DESA), [])
    chosen = year if year in years else (years[-1] if years else None)
    summary = RegionSummary(region, years, chosen, families)
    if chosen is None:
        summary.dimensions = _dimension_profile([])
        return summary
    result, village, kecamatan = IndeksDesaResult, _VILLAGE, _KECAMATAN
    dimension_columns = [getattr(result, key) for key in DIMENSION_KEYS]
    query = (
        select(result.village_code, result.total, result.nilai, result.status,
               result.figures_source, result.discrepancy, village.name, kecamatan.code,
               kecamatan.name, *dimension_columns)
        .join(village, village.code == result.village_code)
        .join(kecamatan, kecamatan.code == village.parent_code)
        .where(under(result.village_code, region.code), result.year == chosen)
        .order_by(result.total.desc(), result.village_code)
    )
    groups: dict[str, list[float]] = defaultdict(list)
    names: dict[str, str] = {}
    statuses: dict[str, Counter[str]] = defaultdict(Counter)
    sums: list[list[int]] = []
    for rank, row in enumerate(session.execute(query), 1):
        (village_code, total, nilai, row_status, source, discrepancy, village_name, kec_code,
         kec_name, *dims) = row
        groups[kec_code].append(nilai)
        names[kec_code] = kec_name
        statuses[kec_code][row_status] += 1
        sums.append(list(dims))
        if status and row_status != status:
            continue
        summary.ranking.append({
            "rank": rank, "kode": village_code, "nama": village_name, "kecamatan": kec_name,
            "total": total, "nilai": nilai, "status": row_status, "sumber_angka": source,
            "discrepancy": discrepancy is not None,
            "dimensi": dict(zip(DIMENSION_KEYS, dims, strict=True)),
        })
    for kec_code in sorted(groups, key=lambda c: (-sum(groups[c]) / len(groups[c]), c)):
        values = groups[kec_code]
        summary.kecamatan.append({
            "kode": kec_code, "nama": names[kec_code], "desa": len(values),
            "rata_nilai": sum(values) / len(values), "min_nilai": min(values),
            "max_nilai": max(values), "status": statuses[kec_code],
        })
    summary.dimensions = _dimension_profile(sums)
    total_villages = session.scalar(
        select(func.count()).select_from(Region).where(
            under(Region.code, region.code), Region.kind == "desa", Region.active.is_(True))
    ) or 0
    summary.villages_without_data = max(total_villages - len(sums), 0)
    return summary

"""Reading stored IDM results: one village-year as the ministry shows it, trends, summaries."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from mitradesa.db.codes import under
from mitradesa.errors import NotFoundError
from mitradesa.idm import format_nilai, indicators, level_text, load_scheme
from mitradesa.idm.compute import nilai_of
from mitradesa.idm_records.models import IdmResult
from mitradesa.regions.codes import normalize_code
from mitradesa.regions.models import Region
from mitradesa.regions.queries import get_region

SCHEME = "idm2016"
STATUSES = load_scheme(SCHEME).status_names()
# Made once: a new alias per call costs SQLAlchemy column adaptation and a fresh cache key
# on every page view.
_KECAMATAN = aliased(Region, name="kecamatan")
_VILLAGE = aliased(Region, name="village")


class IdmNotFoundError(NotFoundError):
    reason = "idm_not_found"


def years_of(session: Session, village_code: str) -> list[IdmResult]:
    """Every stored year of a village, oldest first."""
    query = (
        select(IdmResult)
        .where(IdmResult.village_code == village_code, IdmResult.scheme == SCHEME)
        .order_by(IdmResult.year)
    )
    return list(session.scalars(query))


def result_for(session: Session, village_code: str, year: int | None) -> IdmResult:
    """One village-year; the latest year when `year` is None."""
    return pick_year(years_of(session, village_code), village_code, year)


def pick_year(results: list[IdmResult], village_code: str, year: int | None) -> IdmResult:
    """From a village's years (`years_of`): `year`, or the latest when None."""
    if not results:
        raise IdmNotFoundError(f"Belum ada data IDM untuk desa {village_code}.")
    if year is None:
        return results[-1]
    for result in results:
        if result.year == year:
            return result
    have = ", ".join(str(r.year) for r in results)
    raise IdmNotFoundError(
        f"Tidak ada data IDM {year} untuk desa {village_code}; tersedia: {have}."
    )


def indicator_rows(result: IdmResult) -> list[dict[str, Any]]:
    """The 50 rows of the official table, with this year's texts and NILAI."""
    scheme = load_scheme(SCHEME)
    sizes = {index.code: index.size for index in scheme.indices}
    rows = []
    for item, digit in zip(indicators(SCHEME), result.scores, strict=True):
        skor = int(digit)
        text = level_text(item.index, item.no, skor, result.year, SCHEME)
        rows.append(
            {
                "index": item.index,
                "no": item.no,
                "indikator": item.indikator,
                "sub_dimensi": item.sub_dimensi,
                "skor": skor,
                "nilai": nilai_of(skor, sizes[item.index], scheme),
                "keterangan": text.keterangan,
                "kegiatan": text.kegiatan,
                **text.actors,
            }
        )
    return rows


SHOW_INDICATOR_KEYS = ("index", "no", "indikator", "skor", "nilai", "keterangan", "kegiatan",
                       "pusat", "prov", "kab", "desa", "csr", "lainnya")


def idm_object(result: IdmResult, village: Region) -> dict[str, Any]:
    """The object `idm show --format json` prints and the API returns."""
    return {
        "kode_desa": village.code.replace(".", ""),
        "nama_desa": village.name,
        "tahun": result.year,
        "iks": result.iks,
        "ike": result.ike,
        "ikl": result.ikl,
        "idm": result.idm,
        "status": result.status,
        "target_status": result.target_status,
        "skor_minimal": result.skor_minimal,
        "penambahan": result.penambahan,
        "indicators": [
            {key: row[key] for key in SHOW_INDICATOR_KEYS} for row in indicator_rows(result)
        ],
        "sumber_angka": result.figures_source,
        "selisih_hitung_ulang": result.discrepancy,
        "kode_dalam_berkas": result.given_code.replace(".", ""),
    }


def nilai_text(value: float) -> str:
    return format_nilai(value)


@dataclass
class RegionSummary:
    region: Region
    years: list[int]
    year: int | None
    counts: dict[int, Counter[str]] = field(default_factory=dict)
    ranking: list[dict[str, Any]] = field(default_factory=list)
    kecamatan: list[dict[str, Any]] = field(default_factory=list)
    villages_without_data: int = 0


def _under(code: str) -> Any:
    return under(IdmResult.village_code, code)


def has_demo(session: Session, code: str) -> bool:
    """Whether any stored result under `code` is demo data (to label the page)."""
    query = select(IdmResult.id).where(_under(code), IdmResult.figures_source == "demo")
    return session.scalar(query.limit(1)) is not None


def region_years(session: Session, code: str) -> list[int]:
    query = select(IdmResult.year).where(_under(code)).distinct().order_by(IdmResult.year)
    return list(session.scalars(query))


def region_summary(
    session: Session, code: str, year: int | None = None, status: str | None = None
) -> RegionSummary:
    """Status counts per year, the ranking of one year, and a per-kecamatan summary."""
    region = get_region(session, code)
    counts: dict[int, Counter[str]] = {}
    for row_year, row_status, count in session.execute(
        select(IdmResult.year, IdmResult.status, func.count())
        .where(_under(region.code))
        .group_by(IdmResult.year, IdmResult.status)
    ):
        counts.setdefault(row_year, Counter())[row_status] = count
    years = sorted(counts)  # the region's years, without a query of their own
    chosen = year if year in years else (years[-1] if years else None)
    summary = RegionSummary(region, years, chosen, counts)
    if chosen is None:
        return summary
    kecamatan, village = _KECAMATAN, _VILLAGE
    # Only the columns shown: whole IdmResult objects cost three times as much per village.
    query = (
        select(IdmResult.village_code, IdmResult.iks, IdmResult.ike, IdmResult.ikl,
               IdmResult.idm, IdmResult.status, IdmResult.discrepancy, village.name,
               kecamatan.code, kecamatan.name)
        .join(village, village.code == IdmResult.village_code)
        .join(kecamatan, kecamatan.code == village.parent_code)
        .where(_under(region.code), IdmResult.year == chosen)
        .order_by(IdmResult.idm.desc(), IdmResult.village_code)
    )
    groups: dict[str, list[float]] = defaultdict(list)
    names: dict[str, str] = {}
    statuses: dict[str, Counter[str]] = defaultdict(Counter)
    for rank, row in enumerate(session.execute(query), 1):
        code, iks, ike, ikl, idm, row_status, discrepancy, village_name, kec_code, kec_name = row
        groups[kec_code].append(idm)
        names[kec_code] = kec_name
        statuses[kec_code][row_status] += 1
        if status and row_status != status:
            continue
        summary.ranking.append(
            {
                "rank": rank, "kode": code, "nama": village_name, "kecamatan": kec_name,
                "iks": iks, "ike": ike, "ikl": ikl, "idm": idm, "status": row_status,
                "discrepancy": discrepancy is not None,
            }
        )
    for kec_code in sorted(groups, key=lambda c: -sum(groups[c]) / len(groups[c])):
        values = groups[kec_code]
        summary.kecamatan.append(
            {
                "kode": kec_code, "nama": names[kec_code], "desa": len(values),
                "rata_idm": sum(values) / len(values), "min_idm": min(values),
                "max_idm": max(values), "status": statuses[kec_code],
            }
        )
    total_villages = session.scalar(
        select(func.count()).select_from(Region).where(
            under(Region.code, region.code), Region.kind == "desa", Region.active.is_(True)
        )
    ) or 0
    with_data = sum(len(values) for values in groups.values())
    summary.villages_without_data = max(total_villages - with_data, 0)
    return summary


EXPORT_COLUMNS = ("kode_desa", "nama_desa", "kecamatan", "tahun", "iks", "ike", "ikl", "idm",
                  "status")


def export_rows(session: Session, year: int, region_code: str | None) -> list[tuple[Any, ...]]:
    """One row per village for `year`, under `region_code` when given, in code order."""
    kecamatan, village = _KECAMATAN, _VILLAGE
    query = (
        select(IdmResult.village_code, village.name, kecamatan.name, IdmResult.year,
               IdmResult.iks, IdmResult.ike, IdmResult.ikl, IdmResult.idm, IdmResult.status)
        .join(village, village.code == IdmResult.village_code)
        .outerjoin(kecamatan, kecamatan.code == village.parent_code)
        .where(IdmResult.year == year, IdmResult.scheme == SCHEME)
        .order_by(IdmResult.village_code)
    )
    if region_code:
        region = get_region(session, normalize_code(region_code))
        query = query.where(under(IdmResult.village_code, region.code))
    return [(code.replace(".", ""), *rest) for code, *rest in session.execute(query)]

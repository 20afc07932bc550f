"""Reading stored Indeks Desa results: one desa-year as the ministry shows it."""

from __future__ import annotations

from typing import Any

from babel.numbers import format_decimal
from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from mitradesa.db.codes import under
from mitradesa.errors import NotFoundError
from mitradesa.idm import indeks_desa
from mitradesa.indeks_desa_records.models import DIMENSION_COLUMNS, IndeksDesaResult
from mitradesa.regions.models import Region
from mitradesa.regions.queries import get_region
from mitradesa.reports.formatting import LOCALE


class IndeksDesaNotFoundError(NotFoundError):
    reason = "indeks_desa_not_found"


def years_of(session: Session, village_code: str) -> list[IndeksDesaResult]:
    """Every stored year of a desa, oldest first."""
    query = (select(IndeksDesaResult).where(IndeksDesaResult.village_code == village_code)
             .order_by(IndeksDesaResult.year))
    return list(session.scalars(query))


def result_for(session: Session, village_code: str, year: int | None) -> IndeksDesaResult:
    """One desa-year; the newest year when `year` is None."""
    return pick_year(years_of(session, village_code), village_code, year)


def pick_year(results: list[IndeksDesaResult], village_code: str,
              year: int | None) -> IndeksDesaResult:
    if not results:
        raise IndeksDesaNotFoundError(f"Belum ada data Indeks Desa untuk desa {village_code}.")
    if year is None:
        return results[-1]
    for result in results:
        if result.year == year:
            return result
    have = ", ".join(str(r.year) for r in results)
    raise IndeksDesaNotFoundError(
        f"Tidak ada data Indeks Desa {year} untuk desa {village_code}; tersedia: {have}.")


def scores_of(result: IndeksDesaResult) -> list[int]:
    return [int(digit) for digit in result.scores]


def figures_of(result: IndeksDesaResult) -> indeks_desa.IndeksDesaFigures:
    """The engine's figures from the stored scores (dimension and sub-dimension sums)."""
    return indeks_desa.compute(scores_of(result))


def item_rows(result: IndeksDesaResult) -> list[dict[str, Any]]:
    """The 127 rows of the ministry's table with this desa's scores and texts."""
    rows = []
    for item, skor in zip(indeks_desa.items(), scores_of(result), strict=True):
        following = item.next_level(skor)
        rows.append({
            "no": item.no,
            "dimensi": item.dimension,
            "dimensi_key": item.dimension_key,
            "sub_dimensi": item.sub_dimension,
            "indikator": item.indicator,
            "item": item.label,
            "skor": skor,
            "skor_maks": item.top,
            "tingkat_berikut": following,
            "poin_berikut": (following - skor) if following else 0,
            "rekomendasi": item.recommendation(skor),
            "pelaksana": item.implementers.as_dict(),
            "pelaksana_lainnya_jenis": list(item.implementers.lainnya_kinds),
        })
    return rows


SHOW_ITEM_KEYS = ("no", "dimensi", "sub_dimensi", "indikator", "item", "skor", "skor_maks",
                  "rekomendasi", "pelaksana")


def _part(part: indeks_desa.Part) -> dict[str, Any]:
    return {"kode": part.key, "nama": part.name, "skor": part.score, "maks": part.maximum}


def indeks_desa_object(result: IndeksDesaResult, village: Region) -> dict[str, Any]:
    """The object `indeks-desa show --format json` prints and the API returns."""
    figures = figures_of(result)
    official = {"total": result.total, "nilai": result.nilai, "status": result.status}
    computed = {"total": figures.total, "nilai": figures.nilai, "status": figures.status}
    return {
        "kode_desa": village.code.replace(".", ""),
        "nama_desa": village.name,
        "tahun": result.year,
        "total": result.total,
        "nilai": result.nilai,
        "status": result.status,
        "target_status": result.target_status,
        "poin_dibutuhkan": result.poin_dibutuhkan,
        "nilai_minimal": indeks_desa.MIN_NILAI[result.target_status],
        "dimensi": [_part(p) for p in figures.dimensions],
        "sub_dimensi": [_part(p) for p in figures.sub_dimensions],
        "items": [{key: row[key] for key in SHOW_ITEM_KEYS} for row in item_rows(result)],
        "sumber_angka": result.figures_source,
        "angka_terbit": result.published if official != computed else None,
        "selisih_hitung_ulang": result.discrepancy,
        "kode_dalam_berkas": result.given_code.replace(".", ""),
    }


# --- added for the command line (export, table output) -----------------------------------

EXPORT_COLUMNS = ("kode_desa", "nama_desa", "kecamatan", "tahun", "total", "nilai", "status",
                  *DIMENSION_COLUMNS)
_KECAMATAN = aliased(Region, name="kecamatan")
_VILLAGE = aliased(Region, name="village")


def export_rows(session: Session, year: int, region_code: str | None) -> list[tuple[Any, ...]]:
    """One row per desa for `year` (under `region_code` when given), in code order: the
    official total, nilai and status and the six raw dimension sums."""
    table = IndeksDesaResult
    query = (
        select(table.village_code, _VILLAGE.name, _KECAMATAN.name, table.year, table.total,
               table.nilai, table.status, *(getattr(table, key) for key in DIMENSION_COLUMNS))
        .join(_VILLAGE, _VILLAGE.code == table.village_code)
        .outerjoin(_KECAMATAN, _KECAMATAN.code == _VILLAGE.parent_code)
        .where(table.year == year)
        .order_by(table.village_code)
    )
    if region_code:
        region = get_region(session, region_code)
        query = query.where(under(table.village_code, region.code))
    return [(code.replace(".", ""), *rest) for code, *rest in session.execute(query)]


def nilai_text(value: float) -> str:
    """A nilai the Indonesian way, 2 decimals: 95,59."""
    return format_decimal(value, format="0.00", locale=LOCALE)

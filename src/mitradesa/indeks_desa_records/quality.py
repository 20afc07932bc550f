"""Data quality of stored Indeks Desa results: published figures that disagree with their own
127 scores.

The published status stays the official one; this lists where it (or the published nilai or
total) differs from the recomputation, with both statuses and the difference in points.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from mitradesa.db.codes import under
from mitradesa.indeks_desa_records.models import IndeksDesaResult
from mitradesa.regions.models import Region
from mitradesa.regions.queries import get_region

FAMILY = "indeks_desa"


@dataclass(frozen=True)
class IndeksDesaFinding:
    """One desa-year whose published figures differ from the recomputation."""

    kode_desa: str
    nama_desa: str
    kecamatan: str
    tahun: int
    status_terbitan: str  # the official status
    status_hitung_ulang: str
    total_hitung_ulang: int
    selisih_poin: int
    differing: tuple[str, ...]

    @property
    def status_changes(self) -> bool:
        return self.status_terbitan != self.status_hitung_ulang

    def as_json(self) -> dict[str, Any]:
        return {
            "kode_desa": self.kode_desa.replace(".", ""), "nama_desa": self.nama_desa,
            "kecamatan": self.kecamatan, "tahun": self.tahun,
            "status_terbitan": self.status_terbitan,
            "status_hitung_ulang": self.status_hitung_ulang,
            "total_hitung_ulang": self.total_hitung_ulang, "selisih_poin": self.selisih_poin,
            "berbeda": list(self.differing), "status_berubah": self.status_changes,
        }


@dataclass
class IndeksDesaYearQuality:
    tahun: int
    checked: int = 0
    differing: int = 0
    status_changes: int = 0


@dataclass
class IndeksDesaQualityReport:
    region: Region | None
    year: int | None
    findings: list[IndeksDesaFinding] = field(default_factory=list)
    years: list[IndeksDesaYearQuality] = field(default_factory=list)

    @property
    def checked(self) -> int:
        return sum(y.checked for y in self.years)

    @property
    def differing(self) -> int:
        return sum(y.differing for y in self.years)

    @property
    def status_changes(self) -> int:
        return sum(y.status_changes for y in self.years)

    def as_json(self) -> dict[str, Any]:
        return {
            "indeks": FAMILY,
            "wilayah": self.region.code if self.region else None,
            "tahun": self.year,
            "diperiksa": self.checked,
            "berbeda": self.differing,
            "status_berubah": self.status_changes,
            "per_tahun": [
                {"tahun": y.tahun, "diperiksa": y.checked, "berbeda": y.differing,
                 "status_berubah": y.status_changes} for y in self.years
            ],
            "temuan": [f.as_json() for f in self.findings],
        }


def indeks_desa_quality_report(
    session: Session,
    region_code: str | None = None,
    year: int | None = None,
    status_changes_only: bool = False,
    *,
    region: Region | None = None,
) -> IndeksDesaQualityReport:
    """Every stored desa-year under the region (all when None) and `year` that differs."""
    if region is None and region_code:
        region = get_region(session, region_code)
    table = IndeksDesaResult
    scope = []
    if region is not None:
        scope.append(under(table.village_code, region.code))
    if year is not None:
        scope.append(table.year == year)
    report = IndeksDesaQualityReport(region, year)
    per_year = {
        row_year: IndeksDesaYearQuality(row_year, checked=count)
        for row_year, count in session.execute(
            select(table.year, func.count()).where(*scope).group_by(table.year))
    }
    village, kecamatan = aliased(Region), aliased(Region)
    query = (
        select(table.year, table.village_code, table.status, table.total, table.discrepancy,
               village.name, kecamatan.name)
        .join(village, village.code == table.village_code)
        .outerjoin(kecamatan, kecamatan.code == village.parent_code)
        .where(*scope, table.discrepancy.is_not(None))
        .order_by(table.year.desc(), table.village_code)
    )
    for row_year, code, status, total, discrepancy, village_name, kecamatan_name in \
            session.execute(query):
        found = discrepancy or {}
        finding = IndeksDesaFinding(
            kode_desa=code, nama_desa=village_name, kecamatan=kecamatan_name or "",
            tahun=row_year, status_terbitan=status,
            status_hitung_ulang=str(found.get("status_hitung_ulang", status)),
            total_hitung_ulang=int(found.get("total_hitung_ulang", total)),
            selisih_poin=int(found.get("selisih_poin", 0)),
            differing=tuple(found.get("fields", {})),
        )
        tally = per_year[row_year]
        tally.differing += 1
        tally.status_changes += finding.status_changes
        if status_changes_only and not finding.status_changes:
            continue
        report.findings.append(finding)
    report.years = [per_year[y] for y in sorted(per_year)]
    return report

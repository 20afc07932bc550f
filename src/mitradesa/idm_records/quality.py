"""Data quality of stored IDM results: published figures that disagree with their own scores.

The published figures stay the official ones (see `discrepancy`); this module lists where
they differ from the recomputation, why where the cause is known, and whose status would
change if the recomputation were right. The report also carries the Indeks Desa's own
findings (`indeks_desa`), the other family, shown as a section of its own beside the IDM's.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from mitradesa.db.codes import under
from mitradesa.idm_records.discrepancy import short_cause
from mitradesa.idm_records.models import IdmResult
from mitradesa.indeks_desa_records.quality import (
    IndeksDesaQualityReport,
    indeks_desa_quality_report,
)
from mitradesa.regions.models import Region
from mitradesa.regions.queries import get_region


@dataclass(frozen=True)
class QualityFinding:
    """One village-year whose published figures differ from the recomputation."""

    kode_desa: str
    nama_desa: str
    kecamatan: str
    tahun: int
    published: dict[str, Any]  # iks, ike, ikl, idm, status: the official figures
    computed: dict[str, Any]  # the same, recomputed from the 50 scores
    differing: tuple[str, ...]
    cause: str

    @property
    def status_changes(self) -> bool:
        return self.published["status"] != self.computed["status"]

    @property
    def short_cause(self) -> str:
        """A few words that fit a table cell; the full cause is in `cause`."""
        return short_cause(self.cause)

    def as_json(self) -> dict[str, Any]:
        return {
            "kode_desa": self.kode_desa.replace(".", ""), "nama_desa": self.nama_desa,
            "kecamatan": self.kecamatan, "tahun": self.tahun, "terbitan": self.published,
            "hitung_ulang": self.computed, "berbeda": list(self.differing),
            "status_berubah": self.status_changes, "sebab": self.cause,
        }


@dataclass
class YearQuality:
    tahun: int
    checked: int = 0
    differing: int = 0
    status_changes: int = 0


@dataclass
class QualityReport:
    region: Region | None
    year: int | None
    findings: list[QualityFinding] = field(default_factory=list)
    years: list[YearQuality] = field(default_factory=list)
    indeks_desa: IndeksDesaQualityReport | None = None  # the other family, same scope

    @property
    def checked(self) -> int:
        return sum(y.checked for y in self.years)

    @property
    def status_changes(self) -> int:
        return sum(y.status_changes for y in self.years)

    @property
    def causes(self) -> Counter[str]:
        return Counter(f.short_cause for f in self.findings)

    def as_json(self) -> dict[str, Any]:
        return {
            "wilayah": self.region.code if self.region else None,
            "tahun": self.year,
            "diperiksa": self.checked,
            "berbeda": len(self.findings),
            "status_berubah": self.status_changes,
            "per_tahun": [
                {"tahun": y.tahun, "diperiksa": y.checked, "berbeda": y.differing,
                 "status_berubah": y.status_changes} for y in self.years
            ],
            "temuan": [f.as_json() for f in self.findings],
            "indeks_desa": self.indeks_desa.as_json() if self.indeks_desa else None,
        }


FIGURES = ("iks", "ike", "ikl", "idm", "status")


def quality_report(
    session: Session,
    region_code: str | None = None,
    year: int | None = None,
    status_changes_only: bool = False,
) -> QualityReport:
    """Every stored village-year under `region_code` (all when None) and `year` that differs."""
    region = get_region(session, region_code) if region_code else None
    scope = []
    if region is not None:
        scope.append(under(IdmResult.village_code, region.code))
    if year is not None:
        scope.append(IdmResult.year == year)
    report = QualityReport(region, year)
    per_year: dict[int, YearQuality] = {}
    for row_year, count in session.execute(
        select(IdmResult.year, func.count()).where(*scope).group_by(IdmResult.year)
    ):
        per_year[row_year] = YearQuality(row_year, checked=count)
    village = aliased(Region)
    kecamatan = aliased(Region)
    query = (
        select(IdmResult, village.name, kecamatan.name)
        .join(village, village.code == IdmResult.village_code)
        .outerjoin(kecamatan, kecamatan.code == village.parent_code)
        .where(*scope, IdmResult.discrepancy.is_not(None))
        .order_by(IdmResult.year.desc(), IdmResult.village_code)
    )
    for result, village_name, kecamatan_name in session.execute(query):
        finding = _finding(result, village_name, kecamatan_name or "")
        tally = per_year[result.year]
        tally.differing += 1
        tally.status_changes += finding.status_changes
        if status_changes_only and not finding.status_changes:
            continue
        report.findings.append(finding)
    report.years = [per_year[y] for y in sorted(per_year)]
    report.indeks_desa = indeks_desa_quality_report(
        session, year=year, status_changes_only=status_changes_only, region=region)
    return report


def _finding(result: IdmResult, village_name: str, kecamatan_name: str) -> QualityFinding:
    discrepancy = result.discrepancy or {}
    fields = discrepancy.get("fields", {})
    published = {name: getattr(result, name) for name in FIGURES}
    computed = dict(published)
    for name in FIGURES:
        if name in fields:
            computed[name] = fields[name]["computed"]
    return QualityFinding(
        kode_desa=result.village_code, nama_desa=village_name, kecamatan=kecamatan_name,
        tahun=result.year, published=published, computed=computed,
        differing=tuple(fields), cause=str(discrepancy.get("cause", "")),
    )

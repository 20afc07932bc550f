"""What a regency report says for one region and year: the index summary, inequality, where
to intervene, robustness, partnerships, mentoring and (where available) their contribution.

One index family per report (the IDM or the Indeks Desa; by default the Indeks Desa where the
year has it), named in `report.family`; numbers of the two are never mixed. Figures come from
the analysis library and the IDM region queries; this module only gathers them for the
chosen region and year.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mitradesa.analysis.contribution import Contribution
from mitradesa.analysis.data import SOURCES as STORED
from mitradesa.analysis.data import YearData, available_years, year_data
from mitradesa.analysis.families import IDM, KEYS, IndexFamily, family
from mitradesa.analysis.interventions import Details, contribution_for_region
from mitradesa.analysis.summaries import convergence, inequality_summary, value_names
from mitradesa.analysis.targeting import NO_PATH
from mitradesa.db.codes import under
from mitradesa.errors import MitradesaError
from mitradesa.idm import STATUS_TITLES
from mitradesa.idm_records import queries as idm_queries
from mitradesa.regions.models import Region
from mitradesa.regions.queries import ancestors, get_region
from mitradesa.reports.regency_areas import area_rows, desa_without_data
from mitradesa.reports.regency_programs import (
    MentoringSection,
    PartnershipSection,
    mentoring_section,
    partnership_section,
)

REGION_KINDS = ("provinsi", "kabupaten", "kota", "kecamatan")
STATUSES: tuple[str, ...] = idm_queries.STATUSES  # lowest first
DIMENSIONS = ("IKS", "IKE", "IKL")  # the IDM's; `report.family.components` for either
DRAWS = 500
LIST_LIMIT = 15
SOURCES = {"published": "angka terbitan Kemendes PDTT",
           "computed": "dihitung mitradesa dari skor indikator/butir",
           "demo": "data demo sintetis"}

# The parts of the work, in order, as `regency_report` reports them to `step`.
STAGES = ("data IDM", "ketimpangan", "sasaran intervensi", "ketahanan status",
          "kerja sama dan pendampingan", "kontribusi")
Step = Callable[[str], None]


def _quiet(_stage: str) -> None:
    pass


@dataclass
class StatusCount:
    status: str
    count: int
    previous: int | None  # None: no earlier year

    @property
    def title(self) -> str:
        return STATUS_TITLES[self.status]

    @property
    def change(self) -> int | None:
        return None if self.previous is None else self.count - self.previous


@dataclass
class AreaRow:
    code: str
    name: str
    villages: int
    mean_idm: float
    counts: Counter[str]
    status: str | None = None  # for a single village (kecamatan reports list villages)


@dataclass
class IdmSection:
    villages: int
    villages_without_data: int
    means: dict[str, float]  # iks, ike, ikl, idm
    previous_year: int | None
    statuses: list[StatusCount]
    area_label: str  # what the rows of `areas` are
    areas: list[AreaRow]
    years: list[int]
    counts_by_year: dict[int, Counter[str]]


@dataclass
class VillageLine:
    """A village named in a list, with what the list is about."""

    code: str
    name: str
    kecamatan: str
    status: str
    idm: float
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass
class TargetingSection:
    weakest_dimension: dict[str, int]
    common_indicators: list[tuple[str, str, int]]  # (key, name, villages)
    near_threshold: list[VillageLine]
    fell_back: list[VillageLine]
    closest: list[VillageLine]
    one_step: int  # villages one raise away from the next status


@dataclass
class RobustnessSection:
    draws: int
    villages: int
    fragile: list[VillageLine]


@dataclass
class InequalitySection:
    summary: dict[str, Any]
    convergence: dict[str, Any]
    beta_start: np.ndarray  # IDM of the common villages in the first year
    beta_growth: np.ndarray  # their annual change


@dataclass
class RegencyReport:
    region: Region
    trail: list[Region]
    year: int
    family: IndexFamily
    generated_on: date
    sources: dict[str, int]  # figures_source → village-years of the chosen year
    idm: IdmSection
    inequality: InequalitySection
    targeting: TargetingSection
    robustness: RobustnessSection
    partnerships: PartnershipSection
    mentoring: MentoringSection
    contribution: Contribution
    contribution_details: Details

    @property
    def demo(self) -> bool:
        return ("demo" in self.sources or self.partnerships.demo or self.mentoring.demo)

    @property
    def source_text(self) -> str:
        return "; ".join(f"{SOURCES.get(k, k)} ({n} desa)" for k, n in sorted(self.sources.items()))


def report_family(session: Session, code: str, year: int, index: str | None) -> IndexFamily:
    """The family asked for; else the one with data in `year`, the Indeks Desa first (the
    current index); the IDM when neither has it (the error then names the IDM's years)."""
    if index:
        return family(index)
    for key in reversed(KEYS):
        if year in available_years(session, code, key):
            return family(key)
    return family(IDM)


def choose(session: Session, raw_code: str, year: int,
           index: str | None = None) -> tuple[Region, list[int]]:
    """The region and its years of the report's family up to `year`; a clear error when
    either does not fit."""
    region = get_region(session, raw_code)
    if region.kind not in REGION_KINDS:
        raise MitradesaError(
            f"{region.name} ({region.code}) adalah {region.kind}; laporan wilayah dibuat untuk "
            "provinsi, kabupaten/kota atau kecamatan (untuk satu desa: `mitradesa idm show`).")
    chosen = report_family(session, region.code, year, index)
    years = available_years(session, region.code, chosen)
    if not years:
        raise idm_queries.IdmNotFoundError(
            f"Belum ada data {chosen.label} untuk desa-desa di {region.name} ({region.code}).")
    if year not in years:
        raise idm_queries.IdmNotFoundError(
            f"Tidak ada data {chosen.label} {year} untuk {region.name}; tersedia: "
            f"{', '.join(map(str, years))}.")
    return region, [y for y in years if y <= year]


def _sources(session: Session, code: str, year: int, index: IndexFamily) -> dict[str, int]:
    source = STORED[index.key]
    model = source.model
    rows = session.execute(
        select(model.figures_source, func.count())
        .where(under(model.village_code, code), model.year == year, *source.where)
        .group_by(model.figures_source))
    return dict(rows.all())


def _areas(region: Region, summary: idm_queries.RegionSummary) -> tuple[str, list[AreaRow]]:
    """Kecamatan rows for a kabupaten/kota; kabupaten rows for a province; village rows for a
    kecamatan."""
    if region.kind == "kecamatan":
        return "Desa", [
            AreaRow(r["kode"], r["nama"], 1, r["idm"], Counter({r["status"]: 1}), r["status"])
            for r in summary.ranking]
    rows = [AreaRow(k["kode"], k["nama"], k["desa"], k["rata_idm"], k["status"])
            for k in summary.kecamatan]
    if region.kind != "provinsi":
        return "Kecamatan", rows
    merged: dict[str, AreaRow] = {}
    for row in rows:
        parent = row.code.rsplit(".", 1)[0]
        area = merged.setdefault(parent, AreaRow(parent, "", 0, 0.0, Counter()))
        area.mean_idm = ((area.mean_idm * area.villages + row.mean_idm * row.villages)
                         / (area.villages + row.villages))
        area.villages += row.villages
        area.counts.update(row.counts)
    return "Kabupaten/kota", sorted(merged.values(), key=lambda a: -a.mean_idm)


def _means(data: YearData) -> dict[str, float]:
    return {k: float(data.indices[:, i].mean()) for i, k in enumerate(value_names(data.family))}


def family_section(session: Session, region: Region, history: list[YearData]) -> IdmSection:
    """The summary from the loaded years (a family without the IDM's region summary)."""
    data = history[-1]
    counts = {h.year: Counter(h.status) for h in history}
    years = [h.year for h in history]
    previous = years[-2] if len(years) >= 2 else None
    now, before = counts[data.year], counts.get(previous) if previous else None
    label, rows = area_rows(session, region, data)
    return IdmSection(
        villages=len(data.codes), villages_without_data=desa_without_data(session, region, data),
        means=_means(data), previous_year=previous,
        statuses=[StatusCount(s, now[s], before[s] if before is not None else None)
                  for s in reversed(STATUSES)],
        area_label=label, areas=[AreaRow(*row) for row in rows], years=years,
        counts_by_year=counts)


def idm_section(session: Session, region: Region, years: list[int],
                data: YearData) -> IdmSection:
    summary = idm_queries.region_summary(session, region.code, data.year)
    previous = years[-2] if len(years) >= 2 else None
    now = summary.counts.get(data.year, Counter())
    before = summary.counts.get(previous, Counter()) if previous else None
    statuses = [StatusCount(s, now[s], before[s] if before is not None else None)
                for s in reversed(STATUSES)]
    label, areas = _areas(region, summary)
    if region.kind == "provinsi":
        names = dict(session.execute(select(Region.code, Region.name).where(
            Region.code.in_([a.code for a in areas]))).all())
        for area in areas:
            area.name = names.get(area.code, area.code)
    return IdmSection(
        villages=len(data.codes), villages_without_data=summary.villages_without_data,
        means=_means(data),
        previous_year=previous, statuses=statuses, area_label=label, areas=areas,
        years=years, counts_by_year={y: summary.counts.get(y, Counter()) for y in years})


def inequality_section(history: list[YearData]) -> InequalitySection:
    data = history[-1]
    years = [h.year for h in history]
    result = convergence(years, [h.codes for h in history], [h.value for h in history])
    first = dict(zip(history[0].codes, history[0].value, strict=True))
    common = [(first[c], v) for c, v in zip(data.codes, data.value, strict=True)
              if c in first]
    start = np.array([s for s, _ in common])
    span = max(years[-1] - years[0], 1)
    growth = np.array([(e - s) / span for s, e in common])
    summary = inequality_summary(data.indices, data.kecamatan, value_names(data.family))
    return InequalitySection(summary, result,
                             start if len(years) > 1 else np.array([]),
                             growth if len(years) > 1 else np.array([]))


def _line(data: YearData, i: int, **detail: Any) -> VillageLine:
    return VillageLine(data.codes[i], data.names[i], data.kecamatan_names[i], data.status[i],
                       float(data.value[i]), detail)


def _nearest_bound(index: IndexFamily, value: float) -> tuple[float, str]:
    """The status bound closest to `value` and the status above it."""
    bound, above = min(index.bounds, key=lambda p: abs(p[0] - value))
    return bound, STATUS_TITLES[above]


def targeting_section(data: YearData, previous: YearData | None) -> TargetingSection:
    index = data.family
    found = index.targets(data.scores, k=3)
    items = index.items()
    dims = Counter(int(d) for d in found.weakest_dimension)
    common = Counter(int(p) for row in found.weakest_indicators for p in row)
    near = []
    for i in np.flatnonzero(found.near_threshold):
        bound, above = _nearest_bound(index, float(data.value[i]))
        near.append(_line(data, int(i), bound=bound, above=above))
    near.sort(key=lambda v: abs(v.idm - v.detail["bound"]))
    fell = []
    if previous is not None:
        before = dict(zip(previous.codes, zip(previous.status, previous.value,
                                              strict=True), strict=True))
        for i, code in enumerate(data.codes):
            if code in before and STATUSES.index(data.status[i]) < STATUSES.index(
                    before[code][0]):
                fell.append(_line(data, i, from_status=before[code][0],
                                  from_idm=float(before[code][1])))
        fell.sort(key=lambda v: (v.idm - v.detail["from_idm"], v.code))
    order = sorted((int(found.steps_to_next[i]), data.codes[i], i)
                   for i in range(len(data.codes)) if found.steps_to_next[i] != NO_PATH)
    closest = []
    for steps, _code, i in order[:LIST_LIMIT]:
        current = STATUSES.index(data.status[i])
        closest.append(_line(
            data, i, steps=steps, by_index=[int(s) for s in found.steps_by_index[i]],
            next_status=STATUSES[min(current + 1, len(STATUSES) - 1)],
            weakest=[items[p].key for p in found.weakest_indicators[i]]))
    return TargetingSection(
        weakest_dimension={name: dims[k] for k, name in enumerate(index.components)},
        common_indicators=[(items[p].key, items[p].name, n) for p, n in common.most_common(8)],
        near_threshold=near, fell_back=fell, closest=closest,
        one_step=int(np.sum(found.steps_to_next == 1)))


def robustness_section(data: YearData, draws: int = DRAWS) -> RobustnessSection:
    result = data.family.robustness(data.components, draws)
    fragile = []
    for i in np.flatnonzero(result.fragile):
        probability = result.status_probability[i].copy()
        official = int(result.official_status[i])
        share = float(probability[official])
        probability[official] = -1
        fragile.append(_line(data, int(i), share=share,
                             other=STATUSES[int(probability.argmax())],
                             rank=(int(result.rank_low[i]), int(result.rank_high[i]))))
    fragile.sort(key=lambda v: (v.detail["share"], v.code))
    return RobustnessSection(draws, len(data.codes), fragile)


def regency_report(session: Session, raw_code: str, year: int, today: date,
                   step: Step = _quiet, index: str | None = None) -> RegencyReport:
    """Everything the report shows, on one index family (`index`: idm | indeks_desa; default:
    the Indeks Desa where `year` has it, else the IDM); `step(stage)` is called before each
    part of the work."""
    region, years = choose(session, raw_code, year, index)
    chosen = report_family(session, region.code, year, index)
    step("data IDM")
    history = [year_data(session, y, region.code, chosen) for y in years]
    data = history[-1]
    idm = idm_section(session, region, years, data) if chosen.key == IDM \
        else family_section(session, region, history)
    step("ketimpangan")
    inequality = inequality_section(history)
    step("sasaran intervensi")
    targeting = targeting_section(data, history[-2] if len(history) > 1 else None)
    step("ketahanan status")
    robustness = robustness_section(data)
    step("kerja sama dan pendampingan")
    partnerships = partnership_section(session, region.code)
    mentoring = mentoring_section(session, region.code)
    step("kontribusi")
    estimate, details = contribution_for_region(session, region.code, "idm", "all")
    return RegencyReport(
        region=region, trail=ancestors(session, region), year=year, family=chosen,
        generated_on=today, sources=_sources(session, region.code, year, chosen), idm=idm,
        inequality=inequality,
        targeting=targeting, robustness=robustness, partnerships=partnerships,
        mentoring=mentoring, contribution=estimate, contribution_details=details)

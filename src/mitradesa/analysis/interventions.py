"""The database side of the contribution analysis: which villages had an intervention from
when, and their yearly IDM (or IKE) — or, once its series is long enough (3 years), their
Indeks Desa nilai (or Ekonomi sum); one family per analysis, named in the result.
`analysis.contribution` stays pure.

What counts as an intervention in a village, and when it starts:
- A partnership agreement that reached implementation (it entered pelaksanaan, whatever
  came after: evaluasi, selesai, perubahan, diakhiri), in every target village of its
  commitments (the agreement's villages for a commitment that names none). It starts on
  the agreement's start date (its jangka waktu), else its signing date, else the day it
  entered pelaksanaan. An agreement that never reached pelaksanaan, or was ended (diakhiri)
  before its start date, does not count.
- A mentoring program with a start date, in every one of its target villages, from that
  date. A program without a start date cannot be placed in time and does not count.
A village's start year is the calendar year of its first intervention of the chosen kind.

The window is the span of stored IDM years. A village is treated when its first start
falls in or before the last IDM year; starting in the first IDM year or earlier leaves no
year before the start, so it cannot be matched and is listed as such. A village whose first
intervention starts after the last IDM year has no year after it yet: it is listed apart,
and as it was not treated in the window it may serve as a comparison village (the spec's
"never treated in the window"). With one kind chosen, villages reached in the window only
by the other kind are left out of the comparison pool.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from mitradesa.analysis.contribution import CALIPER, Contribution, Estimate, contribution
from mitradesa.analysis.data import SOURCES, available_years
from mitradesa.analysis.families import IDM, INDEKS_DESA, IndexFamily, family
from mitradesa.db.codes import under
from mitradesa.errors import MitradesaError
from mitradesa.mentoring.models import Program
from mitradesa.partnerships.models import Agreement
from mitradesa.regions.models import VILLAGE_KINDS, Region
from mitradesa.regions.queries import get_region

OUTCOMES = ("idm", "ike")
# The outcomes in each family's terms, in the same order (the headline value, the economic
# part): an outcome named in the other family's terms means the same place here.
FAMILY_OUTCOMES = {"idm": OUTCOMES, "indeks_desa": ("nilai", "ekonomi")}
MIN_SERIES_YEARS = 3  # a matched DiD needs years before and after the starts
KINDS = ("all", "kemitraan", "pendampingan")
KIND_LABELS = {"kemitraan": "Kerja sama", "pendampingan": "Program pendampingan"}
IMPLEMENTED = frozenset({"pelaksanaan", "evaluasi", "selesai"})
# Why a treated village has no comparison village, and why nothing could be estimated.
# {indeks}: the series' family (IDM or Indeks Desa); {selisih}: the caliper in its units.
UNMATCHED_REASONS = {
    "no_idm": "tidak ada data {indeks} desa ini",
    "no_baseline": "tidak ada data {indeks} pada tahun sebelum intervensi mulai",
    "no_match": "tidak ada desa pembanding dengan {indeks} tahun dasar dalam selisih {selisih}",
}


@dataclass(frozen=True)
class Intervention:
    village: str
    kind: str  # kemitraan | pendampingan
    source_id: int  # the agreement or the program
    title: str
    start: date
    demo: bool

    @property
    def link(self) -> str:
        if self.kind == "kemitraan":
            return f"/kerja-sama/{self.source_id}"
        return f"/pendampingan/program/{self.source_id}"


@dataclass
class TreatedVillage:
    code: str
    name: str
    kecamatan: str
    start_year: int
    intervention: Intervention  # the first one
    comparison: str | None = None  # the matched village
    comparison_name: str = ""
    unmatched_reason: str | None = None  # a key of UNMATCHED_REASONS


@dataclass
class CohortSeries:
    """Mean outcome per year of one start cohort's treated villages and their matches."""

    start_year: int
    years: list[int]
    treated: list[float | None]
    comparison: list[float | None]
    treated_villages: int
    comparison_villages: int


@dataclass
class Details:
    region_code: str
    region_name: str
    outcome: str
    kind: str
    years: list[int]
    treated: list[TreatedVillage] = field(default_factory=list)
    later: list[TreatedVillage] = field(default_factory=list)  # start after the last year
    comparison_pool: int = 0  # villages eligible as comparison
    left_out: int = 0  # reached only by the other kind: neither treated nor comparison
    series: list[CohortSeries] = field(default_factory=list)
    demo: bool = False
    family: str = "idm"  # the index family of the series (never mixed)
    family_label: str = "IDM"
    family_note: str | None = None  # why the other family was not used
    reason: str | None = None  # why there is no overall estimate
    message: str | None = None  # the same in words (Bahasa Indonesia)
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def matched(self) -> list[TreatedVillage]:
        return [t for t in self.treated if t.comparison]

    @property
    def unmatched(self) -> list[TreatedVillage]:
        return [t for t in self.treated if not t.comparison]


def _within(column: Any, region_code: str) -> Any:
    return under(column, region_code)


def agreement_start(agreement: Agreement) -> date | None:
    """When an agreement's work began in its villages; None when it never began."""
    entered = [e.at.date() for e in agreement.events if e.to_stage == "pelaksanaan"]
    if not entered and agreement.stage not in IMPLEMENTED:
        return None
    start = agreement.start_date or agreement.signed_on or min(entered, default=None)
    if start is None:
        return None
    if agreement.stage == "diakhiri":
        ended = [e.at.date() for e in agreement.events if e.to_stage == "diakhiri"]
        if ended and max(ended) < start:
            return None
    return start


def _partnership_interventions(session: Session, region_code: str) -> list[Intervention]:
    found = []
    for agreement in session.scalars(select(Agreement).order_by(Agreement.id)):
        start = agreement_start(agreement)
        if start is None:
            continue
        villages: dict[str, None] = {}
        for commitment in agreement.commitments:
            villages.update(dict.fromkeys(commitment.village_codes or agreement.village_codes))
        if not agreement.commitments:
            villages.update(dict.fromkeys(agreement.village_codes))
        found += [Intervention(code, "kemitraan", agreement.id, agreement.title, start,
                               agreement.demo)
                  for code in villages if code.startswith(f"{region_code}.")]
    return found


def _mentoring_interventions(session: Session, region_code: str) -> list[Intervention]:
    found = []
    programs = session.scalars(
        select(Program).where(Program.start_date.is_not(None)).order_by(Program.id))
    for program in programs:
        assert program.start_date is not None
        found += [Intervention(code, "pendampingan", program.id, program.name,
                               program.start_date, program.demo)
                  for code in program.village_codes if code.startswith(f"{region_code}.")]
    return found


def interventions(session: Session, region_code: str, kind: str = "all") -> list[Intervention]:
    """Every (village, intervention) of the kind in the villages under `region_code`."""
    found = []
    if kind in ("all", "kemitraan"):
        found += _partnership_interventions(session, region_code)
    if kind in ("all", "pendampingan"):
        found += _mentoring_interventions(session, region_code)
    return found


def first_interventions(items: list[Intervention]) -> dict[str, Intervention]:
    """Village → its first intervention (the earliest start; ties: partnerships first)."""
    first: dict[str, Intervention] = {}
    for item in sorted(items, key=lambda i: (i.start, i.kind, i.source_id)):
        first.setdefault(item.village, item)
    return first


@dataclass(frozen=True)
class Panel:
    data: pd.DataFrame  # village, kecamatan, year, value
    names: dict[str, str]
    kecamatan_names: dict[str, str]
    demo: bool


def panel(session: Session, region_code: str, outcome: str = "idm",
          index: str = "idm") -> Panel:
    """One row per village and year of one index family under `region_code`, with the
    chosen outcome (a column of that family: idm, ike; nilai, ekonomi)."""
    village = aliased(Region)
    kecamatan = aliased(Region)
    source = SOURCES[index]
    model = source.model
    column = getattr(model, outcome)
    rows = session.execute(
        select(model.village_code, village.parent_code, model.year, column,
               village.name, kecamatan.name, model.figures_source)
        .join(village, village.code == model.village_code)
        .outerjoin(kecamatan, kecamatan.code == village.parent_code)
        .where(_within(model.village_code, region_code), *source.where)
        .order_by(model.village_code, model.year)
    ).all()
    data = pd.DataFrame([(r[0], r[1] or "", r[2], float(r[3])) for r in rows],
                        columns=["village", "kecamatan", "year", "value"])
    return Panel(data, {r[0]: r[4] for r in rows}, {r[0]: r[5] or "" for r in rows},
                 any(r[6] == "demo" for r in rows))


def _names(session: Session, codes: set[str]) -> dict[str, tuple[str, str]]:
    """Village code → (name, kecamatan name), for villages that may lack IDM data."""
    if not codes:
        return {}
    kecamatan = aliased(Region)
    rows = session.execute(
        select(Region.code, Region.name, kecamatan.name)
        .outerjoin(kecamatan, kecamatan.code == Region.parent_code)
        .where(Region.code.in_(codes))
    ).all()
    return {r[0]: (r[1], r[2] or "") for r in rows}


def _series(data: pd.DataFrame, treated: list[TreatedVillage], years: list[int]) -> list[
        CohortSeries]:
    values = data.groupby(["village", "year"])["value"].first().to_dict()

    def mean(codes: list[str], year: int) -> float | None:
        found = [values[(c, year)] for c in codes if (c, year) in values]
        return round(sum(found) / len(found), 4) if found else None

    series = []
    for start in sorted({t.start_year for t in treated}):
        mine = [t.code for t in treated if t.start_year == start]
        theirs = [t.comparison for t in treated if t.start_year == start and t.comparison]
        series.append(CohortSeries(start, years, [mean(mine, y) for y in years],
                                   [mean(theirs, y) for y in years], len(mine), len(theirs)))
    return series


def _explain(details: Details, first: dict[str, Intervention]) -> None:
    """Say why there is no overall estimate, in words a DPMD officer understands."""
    years = details.years
    if not years:
        details.reason = "no_idm"
        details.message = "Belum ada data IDM untuk desa di wilayah ini."
    elif not first:
        details.reason = "no_interventions"
        details.message = ("Belum ada intervensi yang tercatat di desa wilayah ini (kerja sama "
                           "yang sudah masuk tahap pelaksanaan, atau program pendampingan "
                           "dengan tanggal mulai).")
    elif not details.treated:
        details.reason = "none_in_window"
        details.params = {"first": min(i.start.year for i in first.values()),
                          "last": years[-1]}
        details.message = (f"Intervensi paling awal mulai {details.params['first']}, sesudah "
                           f"tahun data IDM terakhir ({years[-1]}): belum ada tahun sesudah "
                           "intervensi untuk dibandingkan.")
    elif len(details.matched) < 2:
        details.reason = "too_few"
        details.params = {"matched": len(details.matched), "treated": len(details.treated)}
        details.message = (f"Hanya {len(details.matched)} dari {len(details.treated)} desa "
                           "intervensi yang mendapat desa pembanding dengan tahun sebelum dan "
                           "sesudah mulai; perkiraan memerlukan sedikitnya 2.")
    else:
        details.reason = "not_identified"
        details.message = ("Data ini tidak cukup untuk memperkirakan selisih (tidak ada "
                           "perubahan status intervensi yang dapat dibandingkan).")


def series_family(session: Session, region_code: str,
                  index: str | None) -> tuple[IndexFamily, str | None]:
    """The family whose series the DiD runs on, and a note when the one asked for (or, by
    default, the Indeks Desa) has too short a series and the IDM is used instead."""
    if index == IDM:
        return family(IDM), None
    years = available_years(session, region_code, INDEKS_DESA)
    if len(years) >= MIN_SERIES_YEARS:
        return family(INDEKS_DESA), None
    if not years and index is None:
        return family(IDM), None
    shown = ", ".join(map(str, years)) or "belum ada"
    return family(IDM), (
        f"Deret Indeks Desa terlalu pendek untuk analisis kontribusi ({len(years)} tahun: "
        f"{shown}; perlu sedikitnya {MIN_SERIES_YEARS} tahun), jadi dipakai deret IDM. "
        "Angka kedua indeks tidak dicampur.")


def contribution_for_region(
    session: Session, region_code: str, outcome: str = "idm", kind: str = "all",
    index: str | None = None,
) -> tuple[Contribution, Details]:
    """The matched DiD of `outcome` for the villages under `region_code`, with what a page or
    report needs beside the estimate, within one index family: `index` (idm | indeks_desa;
    default: the Indeks Desa when its series is long enough, else the IDM, and
    `details.family_note` says why). Never raises for lack of data: `details.reason` and
    `details.message` say why there is no estimate."""
    known = [o for names in FAMILY_OUTCOMES.values() for o in names]
    if outcome not in known:
        raise MitradesaError(f"Ukuran “{outcome}” tidak dikenal; pilih: {', '.join(known)}.")
    if kind not in KINDS:
        raise MitradesaError(f"Jenis intervensi “{kind}” tidak dikenal; pilih: "
                             f"{', '.join(KINDS)}.")
    region = get_region(session, region_code)
    if region.kind in VILLAGE_KINDS:
        raise MitradesaError(f"{region.code} ({region.name}) adalah desa; analisis kontribusi "
                             "membandingkan desa-desa dalam satu wilayah: pakai kode kecamatan, "
                             "kabupaten atau provinsi.")
    used, note = series_family(session, region.code, index)
    place = next(names.index(outcome) for names in FAMILY_OUTCOMES.values() if outcome in names)
    outcome = FAMILY_OUTCOMES[used.key][place]
    data = panel(session, region.code, outcome, used.key)
    years = sorted(data.data["year"].unique().tolist())
    chosen = first_interventions(interventions(session, region.code, kind))
    details = Details(region.code, region.name, outcome, kind, [int(y) for y in years],
                      demo=data.demo or any(i.demo for i in chosen.values()),
                      family=used.key, family_label=used.label, family_note=note)
    last = years[-1] if years else 0
    names = _names(session, set(chosen))
    for code, item in sorted(chosen.items(), key=lambda p: (p[1].start, p[0])):
        name, kecamatan = names.get(code, (code, ""))
        village = TreatedVillage(code, name, kecamatan, item.start.year, item)
        (details.treated if item.start.year <= last else details.later).append(village)
    starts = {t.code: t.start_year for t in details.treated}
    frame = data.data
    if kind != "all":
        others = first_interventions(interventions(
            session, region.code, "pendampingan" if kind == "kemitraan" else "kemitraan"))
        out = {c for c, i in others.items() if i.start.year <= last and c not in starts}
        details.left_out = len(out & set(frame["village"]))
        frame = frame[~frame["village"].isin(out)]
    details.comparison_pool = int(frame.loc[~frame["village"].isin(starts), "village"].nunique())
    caliper = CALIPER * used.scale  # IDM 0.05; nilai 5
    result = contribution(frame, starts, caliper) if starts else Contribution(None)
    _pair(details, frame, result.pairs, data.names)
    details.series = _series(frame, details.matched, details.years)
    if result.overall is None:
        _explain(details, chosen)
    return result, details


def _pair(details: Details, frame: pd.DataFrame, pairs: dict[str, str],
          names: dict[str, str]) -> None:
    """Give each treated village its comparison village, or the reason it has none."""
    present = set(frame["village"])
    baseline = set(zip(frame["village"], frame["year"], strict=True))
    for village in details.treated:
        if village.code in pairs:
            village.comparison = pairs[village.code]
            village.comparison_name = names.get(village.comparison, village.comparison)
        elif village.code not in present:
            village.unmatched_reason = "no_idm"
        elif (village.code, village.start_year - 1) not in baseline:
            village.unmatched_reason = "no_baseline"
        else:
            village.unmatched_reason = "no_match"


def _estimate(estimate: Estimate | None) -> dict[str, Any] | None:
    if estimate is None:
        return None
    return {"efek": estimate.effect, "ci95": [estimate.ci_low, estimate.ci_high],
            "desa_intervensi": estimate.treated, "desa_pembanding": estimate.comparison}


def _reason(key: str, index: IndexFamily) -> str:
    """The reason in words, in the terms of the series' family."""
    caliper = f"{round(CALIPER * index.scale, 4):g}".replace(".", ",")
    return UNMATCHED_REASONS[key].format(indeks=index.label, selisih=caliper)


def _village(village: TreatedVillage, index: IndexFamily) -> dict[str, Any]:
    item = village.intervention
    return {
        "kode": village.code, "nama": village.name, "kecamatan": village.kecamatan,
        "tahun_mulai": village.start_year,
        "intervensi": {"jenis": item.kind, "id": item.source_id, "judul": item.title,
                       "mulai": item.start.isoformat(), "demo": item.demo},
        "pembanding": ({"kode": village.comparison, "nama": village.comparison_name}
                       if village.comparison else None),
        "tanpa_pembanding": (_reason(village.unmatched_reason, index)
                             if village.unmatched_reason else None),
    }


def as_dict(result: Contribution, details: Details,
            can_see: Callable[[str], bool] | None = None) -> dict[str, Any]:
    """The object of the CLI's `--format json` and of the API. Villages the reader may not
    see are counted in the figures but not listed (`desa_tidak_ditampilkan`)."""
    shown = [t for t in details.treated if can_see is None or can_see(t.code)]
    later = [t for t in details.later if can_see is None or can_see(t.code)]
    cohorts = {e.cohort: e for e in result.cohorts}
    return {
        "wilayah": {"kode": details.region_code, "nama": details.region_name},
        "ukuran": details.outcome, "jenis": details.kind, "tahun_data": details.years,
        "indeks": details.family, "nama_indeks": details.family_label,
        "catatan_indeks": details.family_note,
        "demo": details.demo,
        "perkiraan": _estimate(result.overall),
        "per_kohort": [
            {"tahun_mulai": s.start_year, "desa_intervensi": s.treated_villages,
             "desa_pembanding": s.comparison_villages,
             "perkiraan": _estimate(cohorts.get(s.start_year))}
            for s in details.series
        ],
        "alasan_tanpa_perkiraan": details.reason, "pesan": details.message,
        "catatan": result.note,
        "desa_calon_pembanding": details.comparison_pool,
        "desa_hanya_jenis_lain": details.left_out,
        "desa_intervensi": [_village(t, family(details.family)) for t in shown],
        "mulai_sesudah_data": [_village(t, family(details.family)) for t in later],
        "desa_tidak_ditampilkan": len(details.treated) + len(details.later)
        - len(shown) - len(later),
        "rerata_per_tahun": [
            {"tahun_mulai": s.start_year, "tahun": s.years, "intervensi": s.treated,
             "pembanding": s.comparison}
            for s in details.series
        ],
    }

"""A region-year's analysis as `mitradesa analysis … --format json` prints it, for the web.

The keys are the CLI's; what the pages and the API add comes beside them: each year's
figures (for the charts), the β-convergence points, every village's status probabilities and
whether a village fell back a status. Rows about single villages can be limited to those a
user may see (`visible`); the figures over all villages of the region are kept and the number
left out is given.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from mitradesa.analysis.data import YearData, available_years, year_data
from mitradesa.analysis.robustness import FRAGILE_BELOW, Robustness, monte_carlo
from mitradesa.analysis.summaries import (
    INDEX_NAMES,
    convergence,
    inequality_figures,
    inequality_summary,
)
from mitradesa.analysis.targeting import NEAR, NO_PATH, fell_back, targets
from mitradesa.errors import NotFoundError
from mitradesa.idm import indicators, load_scheme
from mitradesa.idm_records.models import IdmResult
from mitradesa.regions.models import Region

DIMENSIONS = ("IKS", "IKE", "IKL")
DRAWS = 500  # the CLI's default number of Monte Carlo draws
WEAKEST = 3  # weakest indicators per village, as the CLI lists them
Visible = Callable[[str], bool]


class AnalysisDataNotFoundError(NotFoundError):
    reason = "idm_not_found"


@dataclass(frozen=True)
class Selection:
    """The years with IDM data under a region and the chosen year's villages."""

    code: str
    years: list[int]
    data: YearData

    @property
    def previous_year(self) -> int | None:
        at = self.years.index(self.data.year)
        return self.years[at - 1] if at else None


def select_year(session: Session, code: str, year: int | None) -> Selection:
    """The chosen year (the latest when None), as the CLI chooses it; 404 when absent."""
    years = available_years(session, code)
    if not years:
        raise AnalysisDataNotFoundError("Belum ada data IDM untuk desa di wilayah ini.")
    chosen = year or years[-1]
    if chosen not in years:
        raise AnalysisDataNotFoundError(
            f"Tidak ada data IDM {chosen}; tersedia: {', '.join(map(str, years))}.")
    data = year_data(session, chosen, code)
    if not data.codes:
        raise AnalysisDataNotFoundError(f"Tidak ada hasil IDM 2016 untuk tahun {chosen}.")
    return Selection(code, years, data)


def history(session: Session, selection: Selection) -> list[YearData]:
    """Every year's villages with their official figures, oldest first. The other years come
    from one query of plain columns (a province has 8,000 villages a year) and carry no
    indicator scores (`scores` has 0 columns); the chosen year is the one already loaded."""
    village, kecamatan = aliased(Region), aliased(Region)
    query = (
        select(IdmResult.year, IdmResult.village_code, village.name, kecamatan.code,
               kecamatan.name, IdmResult.iks, IdmResult.ike, IdmResult.ikl, IdmResult.idm,
               IdmResult.status, IdmResult.figures_source)
        .join(village, village.code == IdmResult.village_code)
        .outerjoin(kecamatan, kecamatan.code == village.parent_code)
        .where(IdmResult.scheme == "idm2016",
               IdmResult.year.in_([y for y in selection.years if y != selection.data.year]),
               IdmResult.village_code.like(f"{selection.code}.%"))
        .order_by(IdmResult.year, IdmResult.village_code)
    )
    rows_by_year: dict[int, list[Any]] = {}
    for row in session.execute(query):
        rows_by_year.setdefault(row[0], []).append(row)
    found = {selection.data.year: selection.data}
    for year, rows in rows_by_year.items():
        found[year] = YearData(
            year=year, codes=[r[1] for r in rows], names=[r[2] for r in rows],
            kecamatan=[r[3] or "" for r in rows], kecamatan_names=[r[4] or "" for r in rows],
            indices=np.array([r[5:9] for r in rows], dtype=float).reshape(len(rows), 4),
            status=[r[9] for r in rows], scores=np.zeros((len(rows), 0), dtype=np.int8),
            demo=any(r[10] == "demo" for r in rows),
        )
    return [found[y] for y in selection.years if y in found]


def previous(session: Session, selection: Selection) -> YearData | None:
    """The year before the chosen one, for villages that fell back a status."""
    year = selection.previous_year
    return year_data(session, year, selection.code) if year else None


# ---------------------------------------------------------------- inequality


def _year_figures(data: YearData) -> dict[str, Any]:
    return {"tahun": data.year, "villages": len(data.codes),
            **{name: inequality_figures(data.indices[:, i], data.kecamatan)
               for i, name in enumerate(INDEX_NAMES)}}


def inequality(selection: Selection, years_data: list[YearData]) -> dict[str, Any]:
    """The CLI's `analysis inequality` object, and `per_tahun`: each year's figures per index."""
    data = selection.data
    kept = [h for h in years_data if h.codes]
    summary = inequality_summary(data.indices, data.kecamatan)
    summary["convergence"] = convergence([h.year for h in kept], [h.codes for h in kept],
                                         [h.indices[:, 3] for h in kept])
    return {"tahun": data.year, "wilayah": selection.code, "demo": data.demo, **summary,
            "tahun_tersedia": selection.years,
            "per_tahun": [_year_figures(h) for h in kept]}


def beta_points(years_data: list[YearData]) -> dict[str, Any] | None:
    """The villages in the first and the last year: starting IDM and yearly growth (the
    points the β-convergence slope is fitted to)."""
    kept = [h for h in years_data if h.codes]
    if len(kept) < 2:
        return None
    first, last = kept[0], kept[-1]
    start = dict(zip(first.codes, first.indices[:, 3], strict=True))
    end = dict(zip(last.codes, last.indices[:, 3], strict=True))
    common = sorted(set(start) & set(end))
    span = last.year - first.year
    return {"from": first.year, "to": last.year, "x": [float(start[c]) for c in common],
            "y": [float((end[c] - start[c]) / span) for c in common]}


# ---------------------------------------------------------------- targeting


def _status_ranks(statuses: list[str]) -> np.ndarray:
    order = {name: i for i, name in enumerate(load_scheme().status_names())}
    return np.array([order.get(s, -1) for s in statuses], dtype=int)


def targeting(selection: Selection, previous: YearData | None,
              visible: Visible | None = None) -> dict[str, Any]:
    """The CLI's `analysis targeting` object (every village, closest to the next status
    first), each row also with its kecamatan, indicator names, steps per index and whether it
    fell back a status since the year before (None: not in that year's data)."""
    data = selection.data
    found = targets(data.scores, k=WEAKEST)
    items = indicators()
    before: dict[str, str] = dict(zip(previous.codes, previous.status, strict=True)) \
        if previous else {}
    now_rank = _status_ranks(data.status)
    before_rank = _status_ranks([before.get(c, "") for c in data.codes])
    dropped = fell_back(before_rank, now_rank)
    rows = []
    for i, code in enumerate(data.codes):
        steps = int(found.steps_to_next[i])
        weakest = [items[p] for p in found.weakest_indicators[i]]
        had = code in before
        rows.append({
            "kode_desa": code, "nama_desa": data.names[i], "status": data.status[i],
            "idm": float(data.indices[i, 3]),
            "dimensi_terlemah": DIMENSIONS[int(found.weakest_dimension[i])],
            "indikator_terlemah": [f"{item.index} {item.no}" for item in weakest],
            "langkah_ke_status_berikut": None if steps == NO_PATH else steps,
            "dekat_ambang": bool(found.near_threshold[i]),
            "kecamatan": data.kecamatan_names[i],
            "nama_indikator_terlemah": [item.indikator for item in weakest],
            "langkah_per_indeks": None if steps == NO_PATH else dict(zip(
                DIMENSIONS, (int(s) for s in found.steps_by_index[i]), strict=True)),
            "status_sebelumnya": before.get(code),
            "turun_status": bool(dropped[i]) if had else None,
        })
    rows.sort(key=lambda r: (r["langkah_ke_status_berikut"] is None,
                             r["langkah_ke_status_berikut"] or 0, r["kode_desa"]))
    shown = [r for r in rows if visible is None or visible(r["kode_desa"])]
    return {
        "tahun": data.year, "desa": shown,
        "tahun_sebelumnya": previous.year if previous else None,
        "jumlah_desa": len(rows), "desa_tidak_ditampilkan": len(rows) - len(shown),
        "dekat_ambang": int(found.near_threshold.sum()),
        "turun_status": int(sum(1 for r in rows if r["turun_status"])),
        "batas_dekat_ambang": NEAR, "demo": data.demo,
    }


# ---------------------------------------------------------------- robustness

_DRAWN: OrderedDict[tuple[str, int], Robustness] = OrderedDict()
_DRAWN_LOCK = threading.Lock()  # web requests run in threads
DRAWN_KEPT = 16


def drawn(indices: np.ndarray, draws: int) -> Robustness:
    """`monte_carlo` of IKS, IKE, IKL, kept for the same figures: its seed is fixed, so equal
    inputs give equal results (a province's 8,000 villages take most of a second)."""
    values = np.ascontiguousarray(indices[:, :3], dtype=float)
    key = (hashlib.sha256(values.tobytes()).hexdigest() + str(values.shape), draws)
    with _DRAWN_LOCK:
        if key in _DRAWN:
            _DRAWN.move_to_end(key)
            return _DRAWN[key]
    result = monte_carlo(values, draws=draws)
    with _DRAWN_LOCK:
        _DRAWN[key] = result
        while len(_DRAWN) > DRAWN_KEPT:
            _DRAWN.popitem(last=False)
    return result


def robustness(selection: Selection, draws: int = DRAWS,
               visible: Visible | None = None) -> dict[str, Any]:
    """The CLI's `analysis robustness` object and `peluang`: every village's probability of
    each status and its rank interval, fragile villages first, then the least certain."""
    data = selection.data
    result = drawn(data.indices, draws)
    names = load_scheme().status_names()
    fragile_flags = result.fragile
    rows = []
    for i, (code, name, status) in enumerate(zip(data.codes, data.names, data.status,
                                                 strict=True)):
        rows.append({
            "kode_desa": code, "nama_desa": name, "status": status,
            "peluang_status": float(result.status_probability[i, result.official_status[i]]),
            "peringkat": [int(result.rank_low[i]), int(result.rank_high[i])],
            "kecamatan": data.kecamatan_names[i], "idm": float(data.indices[i, 3]),
            "peluang": {s: float(p) for s, p in zip(names, result.status_probability[i],
                                                    strict=True)},
            "rapuh": bool(fragile_flags[i]),
        })
    keys = ("kode_desa", "nama_desa", "status", "peluang_status", "peringkat")
    shown = [r for r in rows if visible is None or visible(r["kode_desa"])]
    ordered = sorted(shown, key=lambda r: (not r["rapuh"], r["peluang_status"], r["kode_desa"]))
    return {
        "tahun": data.year, "undian": draws, "desa": len(data.codes),
        "rapuh": [{k: r[k] for k in keys} for r in shown if r["rapuh"]],
        "jumlah_rapuh": int(fragile_flags.sum()), "batas_rapuh": FRAGILE_BELOW,
        "desa_tidak_ditampilkan": len(rows) - len(shown), "peluang": ordered,
        "demo": data.demo,
    }


# ---------------------------------------------------------------- the dashboard


def headline(session: Session, code: str) -> dict[str, Any] | None:
    """The latest year's Gini of IDM, Theil within and between kecamatan, bottom-20% gap and
    the number of fragile statuses; None when the region has no IDM data."""
    try:
        selection = select_year(session, code, None)
    except AnalysisDataNotFoundError:
        return None
    data = selection.data
    figures = inequality_summary(data.indices, data.kecamatan)
    fragile = drawn(data.indices, DRAWS).fragile
    return {
        "tahun": data.year, "villages": figures["villages"], "gini": figures["gini"],
        "theil": figures["theil"], "theil_within": figures["theil_within"],
        "theil_between": figures["theil_between"], "bottom20_gap": figures["bottom20_gap"],
        "rapuh": int(fragile.sum()), "undian": DRAWS, "demo": data.demo,
    }

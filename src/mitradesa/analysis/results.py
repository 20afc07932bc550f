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
from sqlalchemy.orm import Session

from mitradesa.analysis.data import (
    YearData,
    available_years,
    family_for_year,
    newest_family,
    plain_years,
    year_data,
    years_by_family,
)
from mitradesa.analysis.families import IndexFamily, family
from mitradesa.analysis.robustness import FRAGILE_BELOW, Robustness
from mitradesa.analysis.summaries import (
    convergence,
    inequality_figures,
    inequality_summary,
    value_names,
)
from mitradesa.analysis.targeting import NO_PATH, fell_back
from mitradesa.errors import NotFoundError

DRAWS = 500  # the CLI's default number of Monte Carlo draws
WEAKEST = 3  # weakest indicators per village, as the CLI lists them
Visible = Callable[[str], bool]


class AnalysisDataNotFoundError(NotFoundError):
    reason = "idm_not_found"


@dataclass(frozen=True)
class Selection:
    """The years of one index family with data under a region and the chosen year's
    villages."""

    code: str
    years: list[int]
    data: YearData

    @property
    def family(self) -> IndexFamily:
        return self.data.family

    @property
    def previous_year(self) -> int | None:
        at = self.years.index(self.data.year)
        return self.years[at - 1] if at else None


def choose_family(session: Session, code: str | None, index: str | None,
                  year: int | None = None) -> IndexFamily:
    """The family asked for; else the one with data in `year` (the Indeks Desa first); else
    the one of the newest year under the region."""
    if index:
        return family(index)
    found = family_for_year(session, code, year) if year else None
    return found or newest_family(session, code)


def select_year(session: Session, code: str, year: int | None,
                index: str | None = None) -> Selection:
    """The chosen family (default: the newest year's) and year (the latest when None), as the
    CLI chooses them; 404 when absent."""
    chosen = choose_family(session, code, index, year)
    years = available_years(session, code, chosen)
    if not years:
        raise AnalysisDataNotFoundError(f"Belum ada data {chosen.label} untuk desa di wilayah ini.")
    picked = year or years[-1]
    if picked not in years:
        shown = years if index else sorted({y for ys in years_by_family(session, code).values()
                                            for y in ys})
        what = f"{chosen.label} " if index else ""
        raise AnalysisDataNotFoundError(
            f"Tidak ada data {what}{picked}; tersedia: {', '.join(map(str, shown))}.")
    data = year_data(session, picked, code, chosen)
    if not data.codes:
        raise AnalysisDataNotFoundError(f"Tidak ada hasil {chosen.label} untuk tahun {picked}.")
    return Selection(code, years, data)


def history(session: Session, selection: Selection) -> list[YearData]:
    """Every year of the selection's family with its villages and official figures, oldest
    first. The other years carry no item scores (`scores` has 0 columns); the chosen year is
    the one already loaded."""
    others = [y for y in selection.years if y != selection.data.year]
    found = plain_years(session, others, selection.code, selection.family)
    found[selection.data.year] = selection.data
    return [found[y] for y in selection.years if y in found]


def previous(session: Session, selection: Selection) -> YearData | None:
    """The year before the chosen one in the same family, for villages that fell back a
    status."""
    year = selection.previous_year
    return year_data(session, year, selection.code, selection.family) if year else None


def family_fields(data: YearData) -> dict[str, Any]:
    """Which index the figures are of (every analysis object names it)."""
    return {"indeks": data.family.key, "nama_indeks": data.family.label}


# ---------------------------------------------------------------- inequality


def _year_figures(data: YearData) -> dict[str, Any]:
    return {"tahun": data.year, "villages": len(data.codes),
            **{name: inequality_figures(data.indices[:, i], data.kecamatan)
               for i, name in enumerate(value_names(data.family))}}


def inequality(selection: Selection, years_data: list[YearData]) -> dict[str, Any]:
    """The CLI's `analysis inequality` object, and `per_tahun`: each year's figures per index
    (the headline value's and each part's, of the selection's family only)."""
    data = selection.data
    kept = [h for h in years_data if h.codes]
    summary = inequality_summary(data.indices, data.kecamatan, value_names(data.family))
    summary["convergence"] = convergence([h.year for h in kept], [h.codes for h in kept],
                                         [h.value for h in kept])
    return {"tahun": data.year, "wilayah": selection.code, "demo": data.demo,
            **family_fields(data), **summary, "tahun_tersedia": selection.years,
            "per_tahun": [_year_figures(h) for h in kept]}


def beta_points(years_data: list[YearData]) -> dict[str, Any] | None:
    """The villages in the first and the last year: starting value and yearly growth (the
    points the β-convergence slope is fitted to)."""
    kept = [h for h in years_data if h.codes]
    if len(kept) < 2:
        return None
    first, last = kept[0], kept[-1]
    start = dict(zip(first.codes, first.value, strict=True))
    end = dict(zip(last.codes, last.value, strict=True))
    common = sorted(set(start) & set(end))
    span = last.year - first.year
    return {"from": first.year, "to": last.year, "x": [float(start[c]) for c in common],
            "y": [float((end[c] - start[c]) / span) for c in common]}


# ---------------------------------------------------------------- targeting


def targeting(selection: Selection, previous: YearData | None,
              visible: Visible | None = None) -> dict[str, Any]:
    """The CLI's `analysis targeting` object (every village, closest to the next status
    first), each row also with its kecamatan, indicator names, steps per part and whether it
    fell back a status since the year before in the same family (None: not in that year's
    data). The headline value sits under the family's key (`idm` or `nilai`); the weakest
    part is IKS/IKE/IKL or a dimension, the weakest items indicators or Indeks Desa items."""
    data = selection.data
    index = data.family
    found = index.targets(data.scores, k=WEAKEST)
    items = index.items()
    before: dict[str, str] = dict(zip(previous.codes, previous.status, strict=True)) \
        if previous else {}
    now_rank = index.status_rank(data.status)
    before_rank = index.status_rank([before.get(c, "") for c in data.codes])
    dropped = fell_back(before_rank, now_rank)
    rows = []
    for i, code in enumerate(data.codes):
        steps = int(found.steps_to_next[i])
        weakest = [items[p] for p in found.weakest_indicators[i]]
        had = code in before
        rows.append({
            "kode_desa": code, "nama_desa": data.names[i], "status": data.status[i],
            index.value_key: float(data.value[i]),
            "dimensi_terlemah": index.components[int(found.weakest_dimension[i])],
            "indikator_terlemah": [item.key for item in weakest],
            "langkah_ke_status_berikut": None if steps == NO_PATH else steps,
            "dekat_ambang": bool(found.near_threshold[i]),
            "kecamatan": data.kecamatan_names[i],
            "nama_indikator_terlemah": [item.name for item in weakest],
            "langkah_per_indeks": None if steps == NO_PATH else dict(zip(
                index.components, (int(s) for s in found.steps_by_index[i]), strict=True)),
            "status_sebelumnya": before.get(code),
            "turun_status": bool(dropped[i]) if had else None,
        })
    rows.sort(key=lambda r: (r["langkah_ke_status_berikut"] is None,
                             r["langkah_ke_status_berikut"] or 0, r["kode_desa"]))
    shown = [r for r in rows if visible is None or visible(r["kode_desa"])]
    return {
        "tahun": data.year, **family_fields(data), "desa": shown,
        "tahun_sebelumnya": previous.year if previous else None,
        "jumlah_desa": len(rows), "desa_tidak_ditampilkan": len(rows) - len(shown),
        "dekat_ambang": int(found.near_threshold.sum()),
        "turun_status": int(sum(1 for r in rows if r["turun_status"])),
        "batas_dekat_ambang": index.near, "demo": data.demo,
    }


# ---------------------------------------------------------------- robustness

_DRAWN: OrderedDict[tuple[str, int], Robustness] = OrderedDict()
_DRAWN_LOCK = threading.Lock()  # web requests run in threads
DRAWN_KEPT = 16


def drawn(data: YearData, draws: int) -> Robustness:
    """The family's Monte Carlo over its parts (IKS, IKE, IKL or the six dimensions), kept
    for the same figures: its seed is fixed, so equal inputs give equal results (a
    province's 8,000 villages take most of a second)."""
    values = np.ascontiguousarray(data.components, dtype=float)
    key = (data.family.key + hashlib.sha256(values.tobytes()).hexdigest() + str(values.shape),
           draws)
    with _DRAWN_LOCK:
        if key in _DRAWN:
            _DRAWN.move_to_end(key)
            return _DRAWN[key]
    result = data.family.robustness(values, draws)
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
    result = drawn(data, draws)
    names = data.family.statuses
    fragile_flags = result.fragile
    rows = []
    for i, (code, name, status) in enumerate(zip(data.codes, data.names, data.status,
                                                 strict=True)):
        rows.append({
            "kode_desa": code, "nama_desa": name, "status": status,
            "peluang_status": float(result.status_probability[i, result.official_status[i]]),
            "peringkat": [int(result.rank_low[i]), int(result.rank_high[i])],
            "kecamatan": data.kecamatan_names[i],
            data.family.value_key: float(data.value[i]),
            "peluang": {s: float(p) for s, p in zip(names, result.status_probability[i],
                                                    strict=True)},
            "rapuh": bool(fragile_flags[i]),
        })
    keys = ("kode_desa", "nama_desa", "status", "peluang_status", "peringkat")
    shown = [r for r in rows if visible is None or visible(r["kode_desa"])]
    ordered = sorted(shown, key=lambda r: (not r["rapuh"], r["peluang_status"], r["kode_desa"]))
    return {
        "tahun": data.year, **family_fields(data), "undian": draws, "desa": len(data.codes),
        "rapuh": [{k: r[k] for k in keys} for r in shown if r["rapuh"]],
        "jumlah_rapuh": int(fragile_flags.sum()), "batas_rapuh": FRAGILE_BELOW,
        "desa_tidak_ditampilkan": len(rows) - len(shown), "peluang": ordered,
        "demo": data.demo,
    }


# ---------------------------------------------------------------- the dashboard


def headline(session: Session, code: str, index: str | None = "idm") -> dict[str, Any] | None:
    """The latest year's Gini of the headline value (IDM, or the Indeks Desa's nilai with
    `index="indeks_desa"`; `index=None`: the family of the newest year), Theil within and
    between kecamatan, bottom-20% gap and the number of fragile statuses, with the family
    named (`indeks`, `nama_indeks`); None when the region has no data of that family. The
    default stays the IDM while the dashboard's labels name the IDM."""
    try:
        selection = select_year(session, code, None, index)
    except AnalysisDataNotFoundError:
        return None
    data = selection.data
    figures = inequality_summary(data.indices, data.kecamatan, value_names(data.family))
    fragile = drawn(data, DRAWS).fragile
    return {
        "tahun": data.year, **family_fields(data), "villages": figures["villages"],
        "gini": figures["gini"],
        "theil": figures["theil"], "theil_within": figures["theil_within"],
        "theil_between": figures["theil_between"], "bottom20_gap": figures["bottom20_gap"],
        "rapuh": int(fragile.sum()), "undian": DRAWS, "demo": data.demo,
    }

"""IDM pages: a village-year as the ministry shows it, what-if, and a region's summary."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise, zip_longest
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from mitradesa.accounts.scope import can_see_village
from mitradesa.idm import STATUS_TITLES, IdmInputError, indicators, load_scheme
from mitradesa.idm.gaps import path_to_next_status, ranked_gaps
from mitradesa.idm.whatif import WhatIf, what_if
from mitradesa.idm_records import queries as idm_queries
from mitradesa.idm_records.models import IdmResult
from mitradesa.regions import queries
from mitradesa.regions.models import VILLAGE_KINDS, Region
from mitradesa.web import table_downloads as downloads
from mitradesa.web.page_cache import cached_page
from mitradesa.web.security import CurrentUser, SessionDep, may_open
from mitradesa.web.templating import N_, render

router = APIRouter()
PAGE_SIZE = 50
SIMULATION_ROWS = 5  # rows shown in the what-if form
MAX_SIMULATION_ROWS = 50  # rows read from a submitted form
PREFILLED_ROWS = 3
STATUS_COLORS = {
    "SANGAT TERTINGGAL": "#752227",  # the same colours as the status badges in app.css
    "TERTINGGAL": "#79330a",
    "BERKEMBANG": "#8a6d0e",
    "MAJU": "#126a68",
    "MANDIRI": "#1347ac",
}
INDEX_LABELS = {
    "IKS": "Indeks Ketahanan Sosial",
    "IKE": "Indeks Ketahanan Ekonomi",
    "IKL": "Indeks Ketahanan Ekologi/Lingkungan",
}
FIGURES = ("iks", "ike", "ikl", "idm", "status", "target_status", "skor_minimal", "penambahan")


def year_param(value: str | None) -> int | None:
    text = (value or "").strip()
    return int(text) if text.isdigit() and len(text) == 4 else None


# ---------------------------------------------------------------- the village page


def _sub_dimensions(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Average score of each sub-dimension as a share of the top score, catalogue order."""
    top = load_scheme().max_score
    groups: dict[tuple[str, str], list[int]] = {}
    for row in rows:
        groups.setdefault((row["index"], row["sub_dimensi"]), []).append(row["skor"])
    return [
        {"index": index, "nama": name, "indikator": len(scores),
         "rata": sum(scores) / len(scores), "persen": 100 * sum(scores) / (top * len(scores))}
        for (index, name), scores in groups.items()
    ]


def _groups(result: IdmResult, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The official table's three blocks, each closed by its published sub-index."""
    values = {"IKS": result.iks, "IKE": result.ike, "IKL": result.ikl}
    return [
        {"code": code, "label": INDEX_LABELS[code], "value": values[code],
         "rows": [r for r in rows if r["index"] == code]}
        for code in ("IKS", "IKE", "IKL")
    ]


def _discrepancy(result: IdmResult) -> dict[str, Any] | None:
    found = result.discrepancy
    if not found:
        return None
    fields = found.get("fields") or {}
    ordered = [name for name in FIGURES if name in fields] + sorted(set(fields) - set(FIGURES))
    return {
        "fields": [{"name": name, **fields[name]} for name in ordered],
        "cause": found.get("cause", ""),
    }


def _thresholds() -> list[dict[str, Any]]:
    """The upper bound of every status but the last: a line on the trend chart."""
    statuses = load_scheme().statuses
    return [
        {"value": lower.upper, "label": STATUS_TITLES[upper.name],
         "color": STATUS_COLORS[upper.name]}
        for lower, upper in pairwise(statuses)
    ]


def _trend(results: list[IdmResult]) -> dict[str, Any]:
    return {
        "years": [str(r.year) for r in results],
        **{key: [getattr(r, key) for r in results] for key in ("idm", "iks", "ike", "ikl")},
        "status": [STATUS_TITLES.get(r.status, r.status) for r in results],
        "thresholds": _thresholds(),
    }


@dataclass
class Simulation:
    """The what-if form as the user filled it, and its outcome or what is wrong with it."""

    rows: list[tuple[str, str]]
    errors: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    outcome: WhatIf | None = None

    @property
    def form_rows(self) -> list[tuple[str, str]]:
        return self.rows + [("", "")] * max(SIMULATION_ROWS - len(self.rows), 0)


def _key(index: str, no: int) -> str:
    return f"{index} {no}"


def _default_rows(scores: list[int]) -> list[tuple[str, str]]:
    """The indicators with the largest +NILAI, raised to the top score."""
    items = indicators()
    top = str(load_scheme().max_score)
    return [(_key(items[p].index, items[p].no), top)
            for p, _gain in ranked_gaps(scores)[:PREFILLED_ROWS]]


def _simulate(scores: list[int], chosen: list[str], values: list[str]) -> Simulation:
    """Read the form; each problem is a (message, params) pair, translated where shown."""
    keys = {_key(item.index, item.no): item for item in indicators()}
    top = load_scheme().max_score
    pairs = list(zip_longest(chosen, values, fillvalue=""))[:MAX_SIMULATION_ROWS]
    simulation = Simulation(rows=[(k.strip()[:10], v.strip()[:10]) for k, v in pairs])
    raises: list[str] = []
    seen: set[str] = set()
    for number, (key, value) in enumerate(simulation.rows, 1):
        if not key and not value:
            continue
        item = keys.get(key)
        if item is None:
            message = (N_("Row %(row)s: choose the indicator to change.") if not key
                       else N_("Row %(row)s: unknown indicator."))
            simulation.errors.append((message, {"row": number}))
            continue
        label = f"{key} ({item.indikator})"
        if not value:
            simulation.errors.append((
                N_("Row %(row)s, %(indicator)s: enter the new score, a whole number from 0 to 5."),
                {"row": number, "indicator": label},
            ))
        elif not value.isdigit() or int(value) > top:
            simulation.errors.append((
                N_("Row %(row)s, %(indicator)s: the new score must be a whole number from 0 "
                   "to 5; you entered “%(value)s”."),
                {"row": number, "indicator": label, "value": value},
            ))
        elif key in seen:
            simulation.errors.append((
                N_("Row %(row)s: %(indicator)s is chosen more than once."),
                {"row": number, "indicator": label},
            ))
        else:
            seen.add(key)
            raises.append(f"{key}={int(value)}")
    if not raises and not simulation.errors:
        simulation.errors.append((N_("Choose at least one indicator and its new score."), {}))
    if not simulation.errors:
        try:
            simulation.outcome = what_if(scores, raises)
        except IdmInputError as exc:  # ruled out by the checks above; shown plainly if not
            simulation.errors.append(
                (N_("The simulation could not be computed: %(reason)s"), {"reason": str(exc)})
            )
    return simulation


def _path(scores: list[int]) -> dict[str, Any]:
    """The fewest one-point raises to the next status, grouped per indicator."""
    steps = path_to_next_status(scores)
    items = indicators()
    grouped: dict[int, dict[str, Any]] = {}
    for step in steps:
        item = items[step.position]
        entry = grouped.setdefault(step.position, {
            "key": _key(item.index, item.no), "indikator": item.indikator,
            "from": step.from_score, "to": step.to_score, "gain": 0.0,
        })
        entry["to"] = step.to_score
        entry["gain"] += step.gain
    after = None
    if grouped:
        after = what_if(scores, [f"{g['key']}={g['to']}" for g in grouped.values()]).after
    return {"steps": len(steps), "raises": list(grouped.values()), "after": after}


def _options(result: IdmResult) -> list[tuple[str, list[tuple[str, str, int]]]]:
    """The what-if choices per index: (index, [(key, indicator, score)]). Tuples, grouped
    here: the form repeats them in every row, and the template loops over them cheaply."""
    groups: dict[str, list[tuple[str, str, int]]] = {}
    for item in indicators():
        groups.setdefault(item.index, []).append(
            (_key(item.index, item.no), item.indikator, int(result.scores[item.position])))
    return list(groups.items())


def _village_context(
    db: Session, region: Region, year: int | None, simulation: Simulation | None = None
) -> dict[str, Any]:
    results = idm_queries.years_of(db, region.code)
    context: dict[str, Any] = {
        "region": region, "trail": queries.ancestors(db, region), "results": results,
        "result": None,
    }
    if not results:
        return context
    result = idm_queries.pick_year(results, region.code, year)
    rows = idm_queries.indicator_rows(result)
    scores = [int(d) for d in result.scores]
    sub_dimensions = _sub_dimensions(rows)
    context.update(
        result=result,
        groups=_groups(result, rows),
        discrepancy=_discrepancy(result),
        sub_dimensions=sub_dimensions,
        chart_data={
            "trend": _trend(results),
            "subdims": {
                "names": [s["nama"] for s in sub_dimensions],
                "index": [s["index"] for s in sub_dimensions],
                "persen": [round(s["persen"], 1) for s in sub_dimensions],
            },
        },
        simulation=simulation or Simulation(rows=_default_rows(scores)),
        options=_options(result),
        path=_path(scores),
        mandiri=result.status == load_scheme().statuses[-1].name,
    )
    return context


@router.get("/desa/{kode}/idm")
@cached_page
def village_idm_page(
    kode: str,
    request: Request,
    db: SessionDep,
    tahun: Annotated[str | None, Query(max_length=10)] = None,
) -> Response:
    region = queries.get_region(db, kode)
    if region.kind not in VILLAGE_KINDS:
        return RedirectResponse(f"/wilayah/{region.code}/idm", status_code=303)
    return render(request, "idm/village.html", _village_context(db, region, year_param(tahun)))


@router.post("/desa/{kode}/idm/simulasi")
def village_idm_whatif(
    kode: str,
    request: Request,
    db: SessionDep,
    tahun: Annotated[str, Form(max_length=10)] = "",
    indikator: Annotated[list[str] | None, Form()] = None,
    skor: Annotated[list[str] | None, Form()] = None,
) -> Response:
    """Read-only: the what-if beside the current figures (a fragment for htmx)."""
    region = queries.get_region(db, kode)
    result = idm_queries.result_for(db, region.code, year_param(tahun))
    simulation = _simulate([int(d) for d in result.scores], indikator or [], skor or [])
    context = _village_context(db, region, result.year, simulation)
    if request.headers.get("hx-request"):
        # htmx swaps only 2xx answers, and the form with its message must arrive.
        return render(request, "idm/_whatif.html", context)
    status_code = 400 if simulation.errors else 200
    return render(request, "idm/village.html", context, status_code=status_code)


# ---------------------------------------------------------------- the region page


def _status_filter(value: str | None) -> tuple[str | None, str | None]:
    """(status to filter on, the unknown text the user gave)."""
    wanted = " ".join((value or "").split()).upper()
    if not wanted:
        return None, None
    if wanted in idm_queries.STATUSES:
        return wanted, None
    return None, value


def page_param(value: str | None) -> int:
    text = (value or "").strip()
    return max(int(text), 1) if text.isdigit() and len(text) < 6 else 1


def _counts_chart(years: list[int], counts: dict[int, Counter[str]]) -> dict[str, Any]:
    return {
        "years": [str(y) for y in years],
        "statuses": [
            {"name": STATUS_TITLES[s], "color": STATUS_COLORS[s],
             "counts": [counts.get(y, Counter())[s] for y in years]}
            for s in idm_queries.STATUSES
        ],
    }


RANKING_COLUMNS = (
    downloads.Column(N_("Rank"), "int", 8), downloads.Column(N_("Village code"), width=14),
    downloads.Column(N_("Village"), width=24), downloads.Column(N_("Kecamatan"), width=20),
    downloads.Column("IKS", "d4", 9), downloads.Column("IKE", "d4", 9),
    downloads.Column("IKL", "d4", 9), downloads.Column("IDM", "d4", 9),
    downloads.Column(N_("Status"), width=18),
)


def _ranking_table(db: Session, region: Region, summary: idm_queries.RegionSummary,
                   ranking: list[dict[str, Any]], status: str | None) -> downloads.Table:
    """The ranking as the page lists it (every page of it), for a download."""
    rows = [(r["rank"], r["kode"], r["nama"], r["kecamatan"], r["iks"], r["ike"], r["ikl"],
             r["idm"], STATUS_TITLES.get(r["status"], r["status"])) for r in ranking]
    return downloads.Table(
        name=N_("IDM ranking"), slug=f"peringkat-idm-{summary.year or ''}",
        columns=RANKING_COLUMNS, rows=rows, region=region.name,
        filters=[(N_("Year"), summary.year),
                 (N_("Status"), STATUS_TITLES.get(status or "", ""))],
        demo=idm_queries.has_demo(db, region.code))


@router.get("/wilayah/{kode}/idm")
@cached_page
def region_idm_page(
    kode: str,
    request: Request,
    db: SessionDep,
    user: CurrentUser,
    tahun: Annotated[str | None, Query(max_length=10)] = None,
    status: Annotated[str | None, Query(max_length=30)] = None,
    halaman: Annotated[str | None, Query(max_length=10)] = None,
) -> Response:
    region = queries.get_region(db, kode)
    if region.kind in VILLAGE_KINDS:
        return RedirectResponse(f"/desa/{region.code}/idm", status_code=303)
    wanted, unknown_status = _status_filter(status)
    summary = idm_queries.region_summary(db, region.code, year_param(tahun), wanted)
    ranking = [row for row in summary.ranking if can_see_village(user, row["kode"])]
    fmt = downloads.wanted_format(request)
    if fmt:
        return downloads.download(request, _ranking_table(db, region, summary, ranking, wanted),
                                  fmt)
    pages = max(math.ceil(len(ranking) / PAGE_SIZE), 1)
    page = min(page_param(halaman), pages)
    with_data = sum(k["desa"] for k in summary.kecamatan)
    total = sum(k["rata_idm"] * k["desa"] for k in summary.kecamatan)
    context = {
        "region": region,
        "trail": queries.ancestors(db, region),
        "summary": summary,
        "statuses": idm_queries.STATUSES,
        "status": wanted,
        "unknown_status": unknown_status,
        "ranking": ranking[(page - 1) * PAGE_SIZE: page * PAGE_SIZE],
        "ranking_total": len(ranking),
        "ranking_hidden": len(summary.ranking) - len(ranking),
        "page": page,
        "pages": pages,
        "page_size": PAGE_SIZE,
        "with_data": with_data,
        "mean_idm": total / with_data if with_data else None,
        "chart_data": {"counts": _counts_chart(summary.years, summary.counts)},
        "has_demo": idm_queries.has_demo(db, region.code),
        "report_allowed": may_open(user, "regency_report_pdf", region.code),
    }
    return render(request, "idm/region.html", context)

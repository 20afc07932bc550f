"""IDM pages: a village-year as the ministry shows it, what-if, and a region's summary."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from itertools import zip_longest
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from mitradesa.accounts.scope import can_see_village
from mitradesa.idm import STATUS_TITLES, IdmInputError, indicators, load_scheme
from mitradesa.idm.gaps import path_to_next_status, ranked_gaps
from mitradesa.idm.whatif import WhatIf, what_if
from mitradesa.idm_records import queries as idm_queries
from mitradesa.idm_records.models import IdmResult
from mitradesa.regions import queries
from mitradesa.regions.models import Region
from mitradesa.web.security import CurrentUser, SessionDep
from mitradesa.web.templating import N_, render

router = APIRouter()
VILLAGE_KINDS = ("desa", "kelurahan", "desa_persiapan")
PAGE_SIZE = 50
SIMULATION_ROWS = 5
PREFILLED_ROWS = 3
STATUS_COLORS = {
    "SANGAT TERTINGGAL": "#a8302b",
    "TERTINGGAL": "#d9822b",
    "BERKEMBANG": "#c9a227",
    "MAJU": "#5aa469",
    "MANDIRI": "#1f6f4a",
}
INDEX_LABELS = {
    "IKS": N_("Social resilience index"),
    "IKE": N_("Economic resilience index"),
    "IKL": N_("Ecological resilience index"),
}
FIGURE_LABELS = {"iks": "IKS", "ike": "IKE", "ikl": "IKL", "idm": "IDM", "status": "Status",
                 "target_status": "Target status", "skor_minimal": "Skor minimal",
                 "penambahan": "Penambahan"}


# ---------------------------------------------------------------- the village page


def _year(value: str | None) -> int | None:
    text = (value or "").strip()
    return int(text) if text.isdigit() and len(text) == 4 else None


def _village(db: SessionDep, kode: str) -> Region:
    return queries.get_region(db, kode)


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
    fields = [
        {"name": FIGURE_LABELS.get(name, name), "published": pair.get("published"),
         "computed": pair.get("computed")}
        for name, pair in (found.get("fields") or {}).items()
    ]
    return {"fields": fields, "cause": found.get("cause", "")}


def _thresholds() -> list[dict[str, Any]]:
    statuses = load_scheme().statuses
    return [
        {"value": s.upper, "label": f"{STATUS_TITLES[n.name]} > {s.upper:.4f}",
         "status": n.name}
        for s, n in zip(statuses[:-1], statuses[1:], strict=True)
    ]


def _trend(results: list[IdmResult]) -> dict[str, Any]:
    return {
        "years": [str(r.year) for r in results],
        "idm": [r.idm for r in results],
        "iks": [r.iks for r in results],
        "ike": [r.ike for r in results],
        "ikl": [r.ikl for r in results],
        "status": [STATUS_TITLES.get(r.status, r.status) for r in results],
        "thresholds": _thresholds(),
    }


# ---------------------------------------------------------------- what-if


@dataclass
class Simulation:
    """The what-if form as the user filled it, and its outcome or what is wrong with it."""

    rows: list[tuple[str, str]]
    errors: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    outcome: WhatIf | None = None
    submitted: bool = False


def _indicator_keys() -> dict[str, Any]:
    return {f"{item.index}-{item.no}": item for item in indicators()}


def _default_rows(scores: list[int]) -> list[tuple[str, str]]:
    """The indicators with the largest +NILAI raised to 5, then empty rows."""
    items = indicators()
    top = load_scheme().max_score
    rows = [(f"{items[p].index}-{items[p].no}", str(top))
            for p, _gain in ranked_gaps(scores)[:PREFILLED_ROWS]]
    return rows + [("", "")] * (SIMULATION_ROWS - len(rows))


def _simulate(scores: list[int], chosen: list[str], values: list[str]) -> Simulation:
    """Read the form; each problem is a (message, params) pair, translated when shown."""
    keys = _indicator_keys()
    top = load_scheme().max_score
    rows = [(k.strip(), v.strip()) for k, v in zip_longest(chosen, values, fillvalue="")]
    simulation = Simulation(rows=rows, submitted=True)
    raises: list[str] = []
    seen: set[str] = set()
    for number, (key, value) in enumerate(rows, 1):
        if not key and not value:
            continue
        item = keys.get(key)
        if item is None:
            message = (N_("Row %(row)s: choose the indicator to change.") if not key
                       else N_("Row %(row)s: unknown indicator."))
            simulation.errors.append((message, {"row": number}))
            continue
        label = f"{item.index} {item.no} ({item.indikator})"
        if not value.isdigit() or int(value) > top:
            simulation.errors.append((
                N_("Row %(row)s, %(indicator)s: the new score must be a whole number from 0 "
                   "to 5; you entered “%(value)s”."),
                {"row": number, "indicator": label, "value": value},
            ))
            continue
        if key in seen:
            simulation.errors.append((
                N_("Row %(row)s: %(indicator)s is chosen more than once."),
                {"row": number, "indicator": label},
            ))
            continue
        seen.add(key)
        raises.append(f"{item.index} {item.no}={int(value)}")
    if not raises and not simulation.errors:
        simulation.errors.append((N_("Choose at least one indicator and its new score."), {}))
    if simulation.errors:
        return simulation
    try:
        simulation.outcome = what_if(scores, raises)
    except IdmInputError as exc:  # the form above rules this out; kept as a plain message
        simulation.errors.append((N_("The simulation could not be computed: %(reason)s"),
                                  {"reason": str(exc)}))
    return simulation


def _path(scores: list[int]) -> dict[str, Any]:
    """The fewest one-point raises to the next status, grouped per indicator."""
    steps = path_to_next_status(scores)
    grouped: dict[int, dict[str, Any]] = {}
    for step in steps:
        entry = grouped.setdefault(
            step.position,
            {"label": step.label, "from": step.from_score, "to": step.to_score, "gain": 0.0},
        )
        entry["to"] = step.to_score
        entry["gain"] += step.gain
    items = indicators()
    outcome = None
    if grouped:
        raises = [f"{items[p].index} {items[p].no}={g['to']}" for p, g in grouped.items()]
        outcome = what_if(scores, raises).after
    return {"steps": len(steps), "items": list(grouped.values()), "after": outcome}


def _options(result: IdmResult) -> list[dict[str, Any]]:
    return [
        {"key": f"{item.index}-{item.no}", "index": item.index, "no": item.no,
         "indikator": item.indikator, "skor": int(result.scores[item.position])}
        for item in indicators()
    ]


def _village_context(
    db: SessionDep, region: Region, year: int | None, simulation: Simulation | None = None
) -> dict[str, Any]:
    results = idm_queries.years_of(db, region.code)
    context: dict[str, Any] = {
        "region": region, "trail": queries.ancestors(db, region), "results": results,
        "result": None, "STATUS_TITLES": STATUS_TITLES,
    }
    if not results:
        return context
    result = idm_queries.result_for(db, region.code, year)
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
def village_idm_page(
    kode: str,
    request: Request,
    db: SessionDep,
    tahun: Annotated[str | None, Query(max_length=10)] = None,
) -> Response:
    region = _village(db, kode)
    if region.kind not in VILLAGE_KINDS:
        return RedirectResponse(f"/wilayah/{region.code}/idm", status_code=303)
    return render(request, "idm/village.html", _village_context(db, region, _year(tahun)))


@router.post("/desa/{kode}/idm/simulasi")
def village_idm_whatif(
    kode: str,
    request: Request,
    db: SessionDep,
    tahun: Annotated[str, Form(max_length=10)] = "",
    indikator: Annotated[list[str], Form(max_length=10)] = [],  # noqa: B006 - FastAPI form default
    skor: Annotated[list[str], Form(max_length=10)] = [],  # noqa: B006
) -> Response:
    """Read-only: compute the what-if and show it beside the current figures."""
    region = _village(db, kode)
    result = idm_queries.result_for(db, region.code, _year(tahun))
    scores = [int(d) for d in result.scores]
    simulation = _simulate(scores, indikator[:SIMULATION_ROWS * 2], skor[:SIMULATION_ROWS * 2])
    context = _village_context(db, region, result.year, simulation)
    if request.headers.get("hx-request"):
        # htmx swaps only 2xx answers: the form with its message must still arrive.
        return render(request, "idm/_whatif.html", context)
    return render(
        request, "idm/village.html", context, status_code=400 if simulation.errors else 200
    )


# ---------------------------------------------------------------- the region page


def _status_filter(value: str | None) -> tuple[str | None, bool]:
    wanted = (value or "").strip().upper()
    if not wanted:
        return None, False
    if wanted in idm_queries.STATUSES:
        return wanted, False
    return None, True


def _page_number(value: str | None) -> int:
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


@router.get("/wilayah/{kode}/idm")
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
    summary = idm_queries.region_summary(db, region.code, _year(tahun), wanted)
    ranking = [row for row in summary.ranking if can_see_village(user, row["kode"])]
    pages = max(math.ceil(len(ranking) / PAGE_SIZE), 1)
    page = min(_page_number(halaman), pages)
    with_data = sum(k["desa"] for k in summary.kecamatan)
    mean = sum(k["rata_idm"] * k["desa"] for k in summary.kecamatan) / with_data if with_data else None
    context = {
        "region": region,
        "trail": queries.ancestors(db, region),
        "summary": summary,
        "statuses": idm_queries.STATUSES,
        "STATUS_TITLES": STATUS_TITLES,
        "status": wanted,
        "unknown_status": status if unknown_status else None,
        "ranking": ranking[(page - 1) * PAGE_SIZE: page * PAGE_SIZE],
        "ranking_total": len(ranking),
        "ranking_hidden": len(summary.ranking) - len(ranking),
        "page": page,
        "pages": pages,
        "page_size": PAGE_SIZE,
        "with_data": with_data,
        "mean_idm": mean,
        "chart_data": {"counts": _counts_chart(summary.years, summary.counts)},
    }
    return render(request, "idm/region.html", context)

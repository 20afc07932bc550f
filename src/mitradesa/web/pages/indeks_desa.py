"""Indeks Desa pages: a village-year with its items, what-if and path; a region's summary.

The IDM years of a village are shown beside its Indeks Desa years by their status only (the
status is the bridge between the two families; their numbers are never on one axis).
"""

from __future__ import annotations

import math
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from mitradesa.accounts.scope import can_see_village
from mitradesa.idm import indeks_desa as core
from mitradesa.idm_records import queries as idm_queries
from mitradesa.indeks_desa_records import queries, summaries
from mitradesa.indeks_desa_records.models import IndeksDesaResult
from mitradesa.regions import queries as region_queries
from mitradesa.regions.models import VILLAGE_KINDS, Region
from mitradesa.web import table_downloads as downloads
from mitradesa.web.page_cache import cached_page
from mitradesa.web.pages import indeks_desa_whatif as whatif
from mitradesa.web.pages.idm import STATUS_COLORS, page_param, year_param
from mitradesa.web.security import CurrentUser, SessionDep
from mitradesa.web.templating import N_, render

router = APIRouter()
PAGE_SIZE = 50
WEAKEST = 10  # items listed as the weakest


def status_param(value: str | None) -> tuple[str | None, str | None]:
    """(status to filter on, the unknown text the user gave)."""
    wanted = " ".join((value or "").replace("_", " ").replace("-", " ").split()).upper()
    if not wanted:
        return None, None
    return (wanted, None) if wanted in core.STATUSES else (None, value)


# ---------------------------------------------------------------- the village page


def status_line(results: list[IndeksDesaResult], idm_results: list[Any]) -> list[dict[str, Any]]:
    """Every year of both families, oldest first, each with its status and its own figure."""
    line = [{"year": r.year, "family": "idm", "status": r.status, "idm": r.idm,
             "demo": r.figures_source == "demo"} for r in idm_results]
    line += [{"year": r.year, "family": "indeks_desa", "status": r.status, "nilai": r.nilai,
              "demo": r.figures_source == "demo"} for r in results]
    return sorted(line, key=lambda entry: (entry["year"], entry["family"] != "idm"))


def _item_groups(scores: list[int], figures: core.IndeksDesaFigures) -> list[dict[str, Any]]:
    """Dimensions → sub-dimensions → items, each with its score and what raising it adds."""
    sub_sums = {part.key: part for part in figures.sub_dimensions}
    dimensions: list[dict[str, Any]] = []
    for dimension, part in zip(core.DIMENSIONS, figures.dimensions, strict=True):
        subs = []
        for sub in dimension.sub_dimensions:
            rows = [_row(item, scores[item.position]) for item in core.items()
                    if item.sub_dimension_key == sub.key]
            subs.append({"key": sub.key, "nama": sub.name, "skor": sub_sums[sub.key].score,
                         "maks": sub.maximum, "rows": rows})
        dimensions.append({"key": dimension.key, "nama": dimension.name, "skor": part.score,
                           "maks": part.maximum, "subs": subs})
    return dimensions


def _row(item: core.Item, score: int) -> dict[str, Any]:
    following = item.next_level(score)
    return {"item": item, "skor": score, "next": following,
            "poin": (following - score) if following else 0, "kurang": item.top - score,
            "rekomendasi": item.recommendation(score)}


def weakest(groups: list[dict[str, Any]], count: int = WEAKEST) -> list[dict[str, Any]]:
    """Items below their top: the most points still to gain first, then the most points
    from one raise (its next level), then the lowest score, then catalogue order."""
    rows = [dict(row, dimensi=g["nama"]) for g in groups for s in g["subs"]
            for row in s["rows"] if row["kurang"] > 0]
    rows.sort(key=lambda r: (-r["kurang"], -r["poin"], r["skor"], r["item"].no))
    return rows[:count]


def _chart(figures: core.IndeksDesaFigures) -> dict[str, Any]:
    return {"dimensions": {
        "names": [p.name for p in figures.dimensions],
        "scores": [p.score for p in figures.dimensions],
        "maxima": [p.maximum for p in figures.dimensions],
        "persen": [round(100 * p.score / p.maximum, 1) for p in figures.dimensions],
    }}


def village_context(db: Session, region: Region, year: int | None,
                    simulation: whatif.Simulation | None = None,
                    below_top_only: bool = False) -> dict[str, Any]:
    results = queries.years_of(db, region.code)
    idm_results = idm_queries.years_of(db, region.code)
    context: dict[str, Any] = {
        "region": region, "trail": region_queries.ancestors(db, region), "results": results,
        "result": None, "idm_results": idm_results,
        "status_line": status_line(results, idm_results),
    }
    if not results:
        return context
    result = queries.result_for(db, region.code, year)
    scores = [int(d) for d in result.scores]
    figures = core.compute(scores)
    groups = _item_groups(scores, figures)
    path = whatif.path(scores)
    context.update(
        result=result, figures=figures, groups=groups, weakest=weakest(groups),
        chart_data=_chart(figures),
        simulation=simulation or whatif.Simulation(rows=whatif.default_rows(path["raises"])),
        options=whatif.options(scores), path=path,
        mandiri=result.status == core.STATUSES[-1],
        below_top_only=below_top_only,
        below_top=sum(1 for g in groups for sub in g["subs"] for r in sub["rows"] if r["kurang"]),
    )
    return context


@router.get("/desa/{kode}/indeks-desa")
@cached_page
def village_indeks_desa_page(
    kode: str, request: Request, db: SessionDep,
    tahun: Annotated[str | None, Query(max_length=10)] = None,
    item: Annotated[str | None, Query(max_length=10)] = None,
) -> Response:
    """`?item=kurang`: the item table lists only the items below their top level."""
    region = region_queries.get_region(db, kode)
    if region.kind not in VILLAGE_KINDS:
        return RedirectResponse(f"/wilayah/{region.code}/indeks-desa", status_code=303)
    context = village_context(db, region, year_param(tahun), below_top_only=item == "kurang")
    return render(request, "indeks_desa/village.html", context)


@router.post("/desa/{kode}/indeks-desa/simulasi")
def village_indeks_desa_whatif(
    kode: str, request: Request, db: SessionDep,
    tahun: Annotated[str, Form(max_length=10)] = "",
    item: Annotated[list[str] | None, Form()] = None,
    skor: Annotated[list[str] | None, Form()] = None,
) -> Response:
    """Read-only: the what-if beside the current figures (a fragment for htmx)."""
    region = region_queries.get_region(db, kode)
    result = queries.result_for(db, region.code, year_param(tahun))
    simulation = whatif.simulate([int(d) for d in result.scores], item or [], skor or [])
    context = village_context(db, region, result.year, simulation)
    if request.headers.get("hx-request"):
        return render(request, "indeks_desa/_whatif.html", context)
    status_code = 400 if simulation.errors else 200
    return render(request, "indeks_desa/village.html", context, status_code=status_code)


# ---------------------------------------------------------------- the region page


def counts_chart(family: summaries.FamilyCounts) -> dict[str, Any]:
    return {
        "family": family.family,
        "years": [str(y) for y in family.years],
        "statuses": [{"name": s.title(), "color": STATUS_COLORS[s],
                      "counts": [family.counts[y][s] for y in family.years]}
                     for s in core.STATUSES],
    }


RANKING_COLUMNS = (
    downloads.Column(N_("Rank"), "int", 8), downloads.Column(N_("Village code"), width=14),
    downloads.Column(N_("Village"), width=24), downloads.Column(N_("Kecamatan"), width=20),
    downloads.Column(N_("Points"), "int", 9), downloads.Column(N_("Nilai"), "d2", 9),
    downloads.Column(N_("Status"), width=18),
)


def _ranking_table(db: Session, region: Region, year: int | None,
                   ranking: list[dict[str, Any]], status: str | None) -> downloads.Table:
    """The ranking as the page lists it (every page of it), for a download."""
    rows = [(r["rank"], r["kode"], r["nama"], r["kecamatan"], r["total"], r["nilai"],
             r["status"].title()) for r in ranking]
    return downloads.Table(
        name=N_("Indeks Desa ranking"), slug=f"peringkat-indeks-desa-{year or ''}",
        columns=RANKING_COLUMNS, rows=rows, region=region.name,
        filters=[(N_("Year"), year), (N_("Status"), (status or "").title())],
        demo=summaries.has_demo(db, region.code))


@router.get("/wilayah/{kode}/indeks-desa")
@cached_page
def region_indeks_desa_page(
    kode: str, request: Request, db: SessionDep, user: CurrentUser,
    tahun: Annotated[str | None, Query(max_length=10)] = None,
    status: Annotated[str | None, Query(max_length=30)] = None,
    halaman: Annotated[str | None, Query(max_length=10)] = None,
) -> Response:
    region = region_queries.get_region(db, kode)
    if region.kind in VILLAGE_KINDS:
        return RedirectResponse(f"/desa/{region.code}/indeks-desa", status_code=303)
    wanted, unknown_status = status_param(status)
    summary = summaries.region_summary(db, region.code, year_param(tahun), wanted)
    ranking = [row for row in summary.ranking if can_see_village(user, row["kode"])]
    fmt = downloads.wanted_format(request)
    if fmt:
        table = _ranking_table(db, region, summary.year, ranking, wanted)
        return downloads.download(request, table, fmt)
    pages = max(math.ceil(len(ranking) / PAGE_SIZE), 1)
    page = min(page_param(halaman), pages)
    with_data = sum(k["desa"] for k in summary.kecamatan)
    total = sum(k["rata_nilai"] * k["desa"] for k in summary.kecamatan)
    context = {
        "region": region, "trail": region_queries.ancestors(db, region), "summary": summary,
        "statuses": core.STATUSES, "status": wanted, "unknown_status": unknown_status,
        "ranking": ranking[(page - 1) * PAGE_SIZE: page * PAGE_SIZE],
        "ranking_total": len(ranking), "ranking_hidden": len(summary.ranking) - len(ranking),
        "page": page, "pages": pages, "with_data": with_data,
        "mean_nilai": total / with_data if with_data else None,
        "dimension_keys": summaries.DIMENSION_KEYS,
        "chart_data": {
            "families": [counts_chart(f) for f in summary.families],
            "profile": {"names": [d["nama"] for d in summary.dimensions],
                        "persen": [round(d["persen"] or 0, 1) for d in summary.dimensions]},
        },
        "has_demo": summaries.has_demo(db, region.code),
    }
    return render(request, "indeks_desa/region.html", context)

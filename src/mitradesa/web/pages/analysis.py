"""Analysis pages of a region: inequality and convergence, where to intervene, how robust
each village's status is. The figures come from mitradesa.analysis.results, the same objects
the API and `mitradesa analysis … --format json` give."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from functools import lru_cache, partial
from html import escape
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.responses import RedirectResponse, Response

from mitradesa import formatting
from mitradesa.accounts.scope import can_see_village
from mitradesa.analysis import results
from mitradesa.analysis.data import available_years, years_by_family
from mitradesa.analysis.families import IndexFamily, UnknownFamilyError, family
from mitradesa.analysis.summaries import value_names
from mitradesa.idm import STATUS_TITLES
from mitradesa.idm_records.queries import STATUSES
from mitradesa.regions import queries
from mitradesa.regions.models import VILLAGE_KINDS, Region
from mitradesa.web import table_downloads as downloads
from mitradesa.web.i18n import page_locale
from mitradesa.web.page_cache import cached_page
from mitradesa.web.pages.idm import STATUS_COLORS, page_param, year_param
from mitradesa.web.routes import all_routes
from mitradesa.web.security import CurrentUser, SessionDep, may_open
from mitradesa.web.templating import N_, render

router = APIRouter()
PAGE_SIZE = 50
BASE = "/wilayah/{kode}/analisis"
# Pages of other parts of the analysis, linked from the sub-navigation once they exist.
OPTIONAL_PAGES = (
    ("/wilayah/{kode}/analisis/kontribusi", "kontribusi", N_("Contribution")),
    ("/wilayah/{kode}/rencana", "rencana", N_("Budget plan")),
)
MARKS = {"dekat": N_("Near a threshold"), "turun": N_("Fell back a status")}
ORDERS = {"langkah": N_("Fewest steps first"), "nilai": N_("Lowest value first"),
          "nama": N_("Name")}


@lru_cache(maxsize=4)
def _page_routes(app: FastAPI) -> dict[str, str]:
    """Path → route name of the app's pages (GET)."""
    return {r.path: r.name for r in all_routes(app) if "GET" in r.methods}


def analysis_nav(request: Request, region: Region) -> list[dict[str, str]]:
    """The analysis pages; those of other parts only once they exist and let the user in."""
    pages = [(BASE, "ketimpangan", N_("Inequality")),
             (BASE + "/sasaran", "sasaran", N_("Targeting")),
             (BASE + "/ketahanan", "ketahanan", N_("Robustness"))]
    routes = _page_routes(request.app)
    user = getattr(request.state, "user", None)
    pages += [page for page in OPTIONAL_PAGES
              if page[0] in routes and may_open(user, routes[page[0]], region.code)]
    return [{"href": path.replace("{kode}", region.code), "key": key, "label": label}
            for path, key, label in pages]


def family_param(db: SessionDep, code: str, value: str | None,
                 year: int | None = None) -> IndexFamily:
    """`?indeks=idm|indeks_desa`; anything else (or nothing): the family with data in the
    asked year, else the newest year's family."""
    try:
        return results.choose_family(db, code, (value or "").strip() or None, year)
    except UnknownFamilyError:
        return results.choose_family(db, code, None, year)


def value_text(index: IndexFamily, locale: str = "id") -> Callable[[float | None], str]:
    """The headline value as the ministry prints it, in the page's language: IDM 0,7123,
    Indeks Desa nilai 95,59 (en: 0.7123, 95.59)."""
    return partial(formatting.figure, decimals=index.decimals, locale=locale)


def family_choices(db: SessionDep, code: str) -> list[dict[str, Any]]:
    """The families with data under the region, each with its years (for the chooser)."""
    return [{"key": key, "label": family(key).label, "years": years}
            for key, years in years_by_family(db, code).items() if years]


def _start(db: SessionDep, kode: str, request: Request, tahun: str | None,
           current: str, indeks: str | None = None,
           ) -> tuple[dict[str, Any], results.Selection | None] | Response:
    """The region, the page's common context, the chosen index family (default: the newest
    year's) and year; None when the region has no data of that family (the page says so).
    A village goes to its own page."""
    region = queries.get_region(db, kode)
    index = family_param(db, region.code, indeks, year_param(tahun))
    if region.kind in VILLAGE_KINDS:
        return RedirectResponse(f"/desa/{region.code}/{index.path}", status_code=303)
    context: dict[str, Any] = {
        "region": region, "trail": queries.ancestors(db, region),
        "nav": analysis_nav(request, region), "current": current, "family": index,
        "families": family_choices(db, region.code),
        "dv": value_text(index, page_locale(request)),
    }
    years = available_years(db, region.code, index)
    if not years:
        return context, None
    selection = results.select_year(db, region.code, year_param(tahun), index.key)
    context.update(years=selection.years, year=selection.data.year, demo=selection.data.demo,
                   villages=len(selection.data.codes))
    return context, selection


def _paged(rows: list[Any], halaman: str | None) -> tuple[list[Any], int, int]:
    pages = max(math.ceil(len(rows) / PAGE_SIZE), 1)
    page = min(page_param(halaman), pages)
    return rows[(page - 1) * PAGE_SIZE: page * PAGE_SIZE], page, pages


# ---------------------------------------------------------------- inequality


def _villages_text(per_year: list[dict[str, Any]]) -> dict[str, Any]:
    counts = [y["villages"] for y in per_year]
    return {"low": min(counts), "high": max(counts), "first": per_year[0]["tahun"],
            "last": per_year[-1]["tahun"]}


def _chart_data(figures: dict[str, Any], beta: dict[str, Any] | None,
                index: IndexFamily) -> dict[str, Any]:
    """The charts of one family only (its headline value and parts: never the other's)."""
    per_year = figures["per_tahun"]
    years = [str(y["tahun"]) for y in per_year]
    names = value_names(index)
    lines = [{"key": index.value_key, "name": index.label}] + [
        {"key": k, "name": n} for k, n in zip(index.component_keys, index.components,
                                              strict=True)]

    def series(measure: str) -> dict[str, list[float]]:
        return {name: [y[name][measure] for y in per_year] for name in names}

    head = index.value_key
    data: dict[str, Any] = {
        "gini": {"years": years, "series": series("gini"), "lines": lines},
        "theil": {"years": years, "series": series("theil"), "lines": lines},
        "split": {"years": years, "within": [y[head]["theil_within"] for y in per_year],
                  "between": [y[head]["theil_between"] for y in per_year]},
        "sigma": {"years": [str(s["tahun"]) for s in figures["convergence"]["sigma"]],
                  "cv": [s["cv"] for s in figures["convergence"]["sigma"]]},
        "gap": {"years": years, "series": series("bottom20_gap"), "lines": lines},
    }
    fit = figures["convergence"]["beta"]
    if beta and fit and beta["x"]:
        # the OLS line passes through the means: a = ȳ − b·x̄
        mean_x, mean_y = sum(beta["x"]) / len(beta["x"]), sum(beta["y"]) / len(beta["y"])
        data["beta"] = {**beta, "slope": fit["slope"],
                        "intercept": mean_y - fit["slope"] * mean_x}
    return data


@router.get("/wilayah/{kode}/analisis")
@cached_page
def region_analysis_page(
    kode: str, request: Request, db: SessionDep,
    tahun: Annotated[str | None, Query(max_length=10)] = None,
    indeks: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    started = _start(db, kode, request, tahun, "ketimpangan", indeks)
    if isinstance(started, Response):
        return started
    context, selection = started
    if selection is not None:
        index = selection.family
        years_data = results.history(db, selection)
        figures = results.inequality(selection, years_data)
        beta = results.beta_points(years_data)
        fragile = results.drawn(selection.data, results.DRAWS).fragile
        parts = dict(zip(index.component_keys, index.components, strict=True))
        context.update(
            figures=figures, beta=figures["convergence"]["beta"],
            rows=[(index.label, figures)] + [(parts[k], v)
                                             for k, v in figures["by_index"].items()],
            fragile=int(fragile.sum()), draws=results.DRAWS,
            per_year=figures["per_tahun"], span=_villages_text(figures["per_tahun"]),
            chart_data=_chart_data(figures, beta, index),
            series_columns=[(index.value_key, index.label), *parts.items()],
        )
    return render(request, "analysis/inequality.html", context)


# ---------------------------------------------------------------- targeting


def _targeting_filter(rows: list[dict[str, Any]], kecamatan: str, status: str, mark: str,
                      order: str, value_key: str) -> list[dict[str, Any]]:
    chosen = [
        r for r in rows
        if (not kecamatan or r["kecamatan"] == kecamatan) and (not status or r["status"] == status)
        and (mark != "dekat" or r["dekat_ambang"]) and (mark != "turun" or r["turun_status"])
    ]
    if order == "nilai":
        chosen.sort(key=lambda r: (r[value_key], r["kode_desa"]))
    elif order == "nama":
        chosen.sort(key=lambda r: (r["nama_desa"], r["kode_desa"]))
    return chosen


def _targeting_table(region: Region, selection: results.Selection,
                     rows: list[dict[str, Any]], wanted: dict[str, str]) -> downloads.Table:
    """The villages the page lists with its filters and order (every page of them)."""
    index = selection.family
    value_kind = "d4" if index.decimals == 4 else "d2"
    columns = (
        downloads.Column(N_("Village code"), width=14), downloads.Column(N_("Village"), width=22),
        downloads.Column(N_("Kecamatan"), width=18), downloads.Column(N_("Status"), width=16),
        downloads.Column(index.value_label, value_kind, 10),
        downloads.Column(N_("Weakest dimension"), width=16),
        downloads.Column(N_("Weakest indicators"), width=50),
        downloads.Column(N_("Steps to next status"), "int", 12),
        downloads.Column(N_("Near a threshold"), "flag", 12),
        downloads.Column(N_("Fell back from"), width=16),
    )
    table_rows = [(
        r["kode_desa"], r["nama_desa"], r["kecamatan"], r["status"].title(), r[index.value_key],
        r["dimensi_terlemah"],
        "; ".join(f"{key} {name}" for key, name in zip(r["indikator_terlemah"],
                                                        r["nama_indikator_terlemah"],
                                                        strict=False)),
        r["langkah_ke_status_berikut"], r["dekat_ambang"],
        (r.get("status_sebelumnya") or "").title() if r["turun_status"] else "",
    ) for r in rows]
    marks = {"dekat": MARKS["dekat"], "turun": MARKS["turun"]}
    return downloads.Table(
        name=N_("Targeting"), slug=f"sasaran-{index.key.replace('_', '-')}-{selection.data.year}",
        columns=columns, rows=table_rows, region=region.name,
        filters=[(N_("Index"), index.label), (N_("Year"), selection.data.year),
                 (N_("Kecamatan"), wanted["kecamatan"]), (N_("Status"), wanted["status"].title()),
                 (N_("Show"), marks.get(wanted["tanda"], "")),
                 (N_("Order"), ORDERS.get(wanted["urut"], ""))],
        demo=selection.data.demo)


@router.get("/wilayah/{kode}/analisis/sasaran")
@cached_page
def region_targeting_page(
    kode: str, request: Request, db: SessionDep, user: CurrentUser,
    tahun: Annotated[str | None, Query(max_length=10)] = None,
    kecamatan: Annotated[str | None, Query(max_length=100)] = None,
    status: Annotated[str | None, Query(max_length=30)] = None,
    tanda: Annotated[str | None, Query(max_length=10)] = None,
    urut: Annotated[str | None, Query(max_length=10)] = None,
    halaman: Annotated[str | None, Query(max_length=10)] = None,
    indeks: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    started = _start(db, kode, request, tahun, "sasaran", indeks)
    if isinstance(started, Response):
        return started
    context, selection = started
    if selection is not None:
        found = results.targeting(selection, results.previous(db, selection),
                                  lambda c: can_see_village(user, c))
        rows = found["desa"]
        wanted = {
            "kecamatan": kecamatan if kecamatan in {r["kecamatan"] for r in rows} else "",
            "status": (status or "").upper() if (status or "").upper() in STATUSES else "",
            "tanda": tanda if tanda in ("dekat", "turun") else "",
            "urut": ("nilai" if urut == "idm" else urut) if urut in (*ORDERS, "idm")
            else "langkah",
        }
        chosen = _targeting_filter(rows, wanted["kecamatan"], wanted["status"],
                                   wanted["tanda"], wanted["urut"], selection.family.value_key)
        fmt = downloads.wanted_format(request)
        if fmt:
            table = _targeting_table(context["region"], selection, chosen, wanted)
            return downloads.download(request, table, fmt)
        shown, page, pages = _paged(chosen, halaman)
        context.update(
            found=found, rows=shown, total=len(chosen), page=page, pages=pages,
            wanted=wanted, statuses=STATUSES, marks=MARKS, orders=ORDERS,
            kecamatan_names=sorted({r["kecamatan"] for r in rows}),
            weakest=Counter(r["dimensi_terlemah"] for r in rows),
            one_step=sum(1 for r in rows if r["langkah_ke_status_berikut"] == 1),
            filtered=any(wanted[k] for k in ("kecamatan", "status", "tanda")),
        )
    return render(request, "analysis/targeting.html", context)


# ---------------------------------------------------------------- robustness


def _probability_chart(rows: list[dict[str, Any]], names: tuple[str, ...]) -> dict[str, Any]:
    """Stacked shares per status; fragile villages in bold, a name shared by two villages
    followed by its kecamatan (the chart's categories must differ)."""
    seen = Counter(r["nama_desa"] for r in rows)
    labels = [escape(r["nama_desa"] if seen[r["nama_desa"]] == 1
                     else f"{r['nama_desa']} · {r['kecamatan']}", quote=False) for r in rows]
    return {
        "villages": [f"<b>{label}</b>" if r["rapuh"] else label
                     for label, r in zip(labels, rows, strict=True)],
        "statuses": [{"name": STATUS_TITLES[s], "color": STATUS_COLORS[s],
                      "share": [round(100 * r["peluang"][s], 1) for r in rows]} for s in names],
    }


def _robustness_table(region: Region, selection: results.Selection,
                      rows: list[dict[str, Any]]) -> downloads.Table:
    """The villages as the page lists them (fragile first), every page of them."""
    names = selection.family.statuses
    columns = (
        downloads.Column(N_("Village code"), width=14), downloads.Column(N_("Village"), width=22),
        downloads.Column(N_("Kecamatan"), width=18),
        downloads.Column(N_("Official status"), width=16),
        downloads.Column(N_("Fragile"), "flag", 9),
        downloads.Column(N_("Share of draws"), "percent", 10),
        *(downloads.Column(STATUS_TITLES.get(s, s.title()), "percent", 11) for s in names),
        downloads.Column(N_("Best rank"), "int", 10),
        downloads.Column(N_("Worst rank"), "int", 10),
    )
    table_rows = [(r["kode_desa"], r["nama_desa"], r["kecamatan"], r["status"].title(),
                   r["rapuh"], r["peluang_status"], *(r["peluang"][s] for s in names),
                   r["peringkat"][0], r["peringkat"][1]) for r in rows]
    index = selection.family
    return downloads.Table(
        name=N_("Robustness"),
        slug=f"ketahanan-{index.key.replace('_', '-')}-{selection.data.year}",
        columns=columns, rows=table_rows, region=region.name,
        filters=[(N_("Index"), index.label), (N_("Year"), selection.data.year)],
        demo=selection.data.demo)


@router.get("/wilayah/{kode}/analisis/ketahanan")
@cached_page
def region_robustness_page(
    kode: str, request: Request, db: SessionDep, user: CurrentUser,
    tahun: Annotated[str | None, Query(max_length=10)] = None,
    halaman: Annotated[str | None, Query(max_length=10)] = None,
    indeks: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    started = _start(db, kode, request, tahun, "ketahanan", indeks)
    if isinstance(started, Response):
        return started
    context, selection = started
    if selection is not None:
        found = results.robustness(selection, results.DRAWS, lambda c: can_see_village(user, c))
        rows = found["peluang"]
        fmt = downloads.wanted_format(request)
        if fmt:
            return downloads.download(
                request, _robustness_table(context["region"], selection, rows), fmt)
        shown, page, pages = _paged(rows, halaman)
        # the chart: the fragile villages, or the least certain ones when few are fragile
        fragile = sum(1 for r in rows if r["rapuh"])
        charted = rows[: max(fragile, min(10, len(rows)))][:30]
        context.update(
            found=found, rows=shown, total=len(rows), page=page, pages=pages,
            only_fragile=fragile >= len(charted),
            status_names=selection.family.statuses, charted=len(charted),
            chart_data={"probabilities": _probability_chart(charted,
                                                            selection.family.statuses)},
        )
    return render(request, "analysis/robustness.html", context)

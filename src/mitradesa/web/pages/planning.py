"""A region's budget plan: a form (objective, budgets, unit costs, time), the optimal plan
beside the greedy one, and the same plan as Excel. For DPMD staff whose scope holds the
whole region (permissions.PLANNERS); nothing is saved."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from mitradesa.analysis import planning as pl
from mitradesa.analysis.data import available_years
from mitradesa.analysis.families import IndexFamily
from mitradesa.analysis.planning_data import (
    PlanningError,
    PlanRequest,
    plan_as_dict,
    plan_for_region,
    spending_by_funder,
)
from mitradesa.formatting import number
from mitradesa.idm_records import queries as idm_queries
from mitradesa.partnerships.vocab import SECTORS, STAGES
from mitradesa.regions import queries
from mitradesa.regions.models import VILLAGE_KINDS, Region
from mitradesa.web import table_downloads as downloads
from mitradesa.web.i18n import page_locale
from mitradesa.web.page_cache import cached_page
from mitradesa.web.pages.analysis import family_choices, family_param, value_text
from mitradesa.web.pages.partnerships import Form, blank, submitted
from mitradesa.web.security import SessionDep
from mitradesa.web.templating import N_, render
from mitradesa.words import labels

router = APIRouter()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_SECONDS = 60  # the page waits for the solver: a short limit (the CLI allows more)
DEFAULT_SECONDS = 10
OBJECTIVES = {
    "status_up": N_("Most villages moving up a status"),
    "bottom20": N_("Largest rise of the bottom 20%% (their mean IDM)"),
    "total_gain": N_("Largest total IDM gain"),
}
MODES = {
    "to_five": N_("Each activity raises an indicator to 5"),
    "stacked_steps": N_("Step by step: an indicator may be raised part of the way"),
}
ID_MODES = {
    "next_level": N_("Each activity raises an item to its next allowed level"),
    "to_five": N_("Each activity raises an item to 5"),
}
COSTS = {"IKS": N_("Cost per step, IKS (Rp)"), "IKE": N_("Cost per step, IKE (Rp)"),
         "IKL": N_("Cost per step, IKL (Rp)")}
ID_COSTS = {
    "LAYANAN_DASAR": N_("Cost per point, Layanan Dasar (Rp)"),
    "SOSIAL": N_("Cost per point, Sosial (Rp)"),
    "EKONOMI": N_("Cost per point, Ekonomi (Rp)"),
    "LINGKUNGAN": N_("Cost per point, Lingkungan (Rp)"),
    "AKSESIBILITAS": N_("Cost per point, Aksesibilitas (Rp)"),
    "TATA_KELOLA": N_("Cost per point, Tata Kelola Pemerintahan Desa (Rp)"),
}
# What the form offers per index family: the activity modes, the unit costs and their
# assumed defaults.
# The solver's state in plain words; HiGHS's own words stay in the tooltip.
SOLVER_WORDS = {
    "Optimal": N_("proven best"),
    "Time limit reached": N_("stopped at the time limit"),
    "greedy": N_("benefit per rupiah order"),
}
CHOICES: dict[str, tuple[dict[str, str], dict[str, str], dict[str, int]]] = {
    "idm": (MODES, COSTS, pl.DEFAULT_STEP_COSTS),
    "indeks_desa": (ID_MODES, ID_COSTS, pl.ID_DEFAULT_STEP_COSTS),
}
FIELDS = ("indeks", "tujuan", "tahun", "apbd", "dana_desa", "biaya_iks", "biaya_ike",
          "biaya_ikl", *(f"biaya_{k.lower()}" for k in ID_COSTS), "mode", "mitra", "katalog",
          "batas_waktu")


def _region(db: SessionDep, kode: str) -> Region:
    region = queries.get_region(db, kode)
    if region.kind in VILLAGE_KINDS:
        raise PlanningError(f"{region.name} ({region.code}) adalah desa; rencana anggaran "
                            "dibuat untuk kabupaten, kecamatan atau provinsi.")
    return region


def _defaults(years: list[int], index: IndexFamily) -> Form:
    modes, _costs, defaults = CHOICES[index.key]
    return blank(indeks=index.key, tujuan="status_up", tahun=years[-1] if years else None,
                 mode=next(iter(modes)), mitra="1", batas_waktu=DEFAULT_SECONDS,
                 **{f"biaya_{k.lower()}": number(v) for k, v in defaults.items()})


def _family(db: SessionDep, region: Region, form: Form | None) -> IndexFamily:
    """The form's index family; the newest year's when it names none."""
    return family_param(db, region.code, form.v("indeks") if form else None)


def _request(region: Region, form: Form, index: IndexFamily) -> PlanRequest | None:
    """The plan the form asks for; None when something is wrong (then in `form.errors`)."""
    modes, costs_asked, _defaults = CHOICES[index.key]
    objective, mode = form.v("tujuan"), form.v("mode")
    if objective not in OBJECTIVES:
        form.errors.append(form.tr(N_("Choose the objective of the plan.")))
    if mode not in modes:
        form.errors.append(form.tr(N_("Choose how activities raise the indicators.")))
    year = form.whole("tahun", N_("Year"), low=2015, high=2100)
    # An empty budget field is a question left open, not a zero: it is named and refused.
    apbd = form.amount("apbd", N_("APBD kabupaten (Rp)"), required=True) or 0
    dana_desa = form.amount("dana_desa", N_("Dana Desa per village (Rp)"), required=True) or 0
    costs = {}
    for code, label in costs_asked.items():
        cost = form.amount(f"biaya_{code.lower()}", label, required=True)
        if cost == 0:
            form.errors.append(form.tr(N_("%(field)s must be more than zero."),
                                       field=form.tr(label)))
        costs[code] = cost
    seconds = form.whole("batas_waktu", N_("Time limit (seconds)"), low=1, high=MAX_SECONDS)
    if form.errors:
        return None
    try:
        with pl.family_scale(index.key):
            step_costs = pl.StepCosts.build(base=costs)
        return PlanRequest(
            region=region.code, objective=objective, year=year, apbd=apbd, dana_desa=dana_desa,
            step_costs=step_costs, mode=mode, index=index.key,
            catalogue_actors=form.v("katalog") == "1", partners=form.v("mitra") == "1",
            time_limit=float(seconds or DEFAULT_SECONDS))
    except pl.PlanningInputError as exc:
        form.errors.append(f"Biaya per langkah tidak dapat dipakai: {exc}.")
    except PlanningError as exc:
        form.errors.append(exc.message)
    return None


def _less_gain(result: dict[str, Any] | None) -> bool:
    """The best plan for an objective other than the total gain shows less total gain than
    the simple plan: the page says why, so it does not read as a worse plan."""
    if not result or result["tujuan"] == "total_gain":
        return False
    return result["optimal"]["kenaikan_idm"] < result["greedy"]["kenaikan_idm"] - 1e-9


def _page(request: Request, db: SessionDep, region: Region, form: Form | None = None,
          result: dict[str, Any] | None = None, status_code: int = 200) -> Response:
    """The form (its defaults when `form` is None) and the plan under it, if any."""
    index = _family(db, region, form)
    years = available_years(db, region.code, index)
    form = form or _defaults(years, index)
    modes, costs, _defaults_of = CHOICES[index.key]
    query = urlencode([(k, v) for k in FIELDS for v in form.values.get(k, [])])
    locale = page_locale(request)
    context = {
        "region": region, "trail": queries.ancestors(db, region), "family": index,
        "families": family_choices(db, region.code), "dv": value_text(index, locale),
        "years": years, "form": form, "objectives": OBJECTIVES,
        "modes": modes, "costs": costs, "max_seconds": MAX_SECONDS, "result": result,
        "spending": spending_by_funder(result) if result else [],
        "kinds": pl.KIND_TITLES, "solver_words": SOLVER_WORDS,
        "stage_names": labels(STAGES, locale), "sector_names": labels(SECTORS, locale),
        "less_gain": _less_gain(result),
        "has_demo": idm_queries.has_demo(db, region.code),
        "xlsx_link": f"/wilayah/{region.code}/rencana.xlsx?{query}",
        "csv_link": f"/wilayah/{region.code}/rencana.csv?{query}",
    }
    return render(request, "planning/region.html", context, status_code=status_code)


@router.get("/wilayah/{kode}/rencana")
@cached_page
def region_plan_page(kode: str, request: Request, db: SessionDep) -> Response:
    """The form; `?indeks=idm|indeks_desa` chooses the index (default: the newest year's)."""
    region = _region(db, kode)
    asked = request.query_params.get("indeks")
    form = _defaults(available_years(db, region.code, family_param(db, region.code, asked)),
                     family_param(db, region.code, asked)) if asked else None
    return _page(request, db, region, form)


@router.post("/wilayah/{kode}/rencana")
async def region_plan_run(kode: str, request: Request, db: SessionDep) -> Response:
    """Read-only: solve the plan and show it under the form."""
    region = _region(db, kode)
    form = submitted(request, await request.form())
    wanted = _request(region, form, _family(db, region, form))
    if wanted is None:
        return _page(request, db, region, form, status_code=400)
    try:
        result = plan_for_region(db, wanted)
    except PlanningError as exc:
        form.errors.append(exc.message)
        return _page(request, db, region, form, status_code=400)
    return _page(request, db, region, form, plan_as_dict(result))


def _plan_of_link(request: Request, db: SessionDep, kode: str) -> tuple[Region, Any, Any]:
    """The region, the request and the plan of the form's values in the download's link."""
    region = _region(db, kode)
    form = submitted(request, request.query_params)
    wanted = _request(region, form, _family(db, region, form))
    if wanted is None:
        raise PlanningError("Rencana tidak dapat dibuat: " + " ".join(form.errors))
    return region, wanted, plan_for_region(db, wanted)


@router.get("/wilayah/{kode}/rencana.xlsx")
def region_plan_xlsx(kode: str, request: Request, db: SessionDep) -> Response:
    """The plan of the form's values (the page's download link) as an Excel workbook."""
    region, wanted, result = _plan_of_link(request, db, kode)
    with tempfile.TemporaryDirectory() as folder:
        content = pl.write_plan_xlsx(result.plan, Path(folder) / "rencana.xlsx").read_bytes()
    name = f"rencana-{region.code}-{result.inputs.year}-{wanted.objective}.xlsx"
    return Response(content, media_type=XLSX,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


PLAN_COLUMNS = (
    downloads.Column(N_("Village code"), width=14), downloads.Column(N_("Kecamatan"), width=18),
    downloads.Column(N_("Indicator"), width=12), downloads.Column(N_("Score before"), "int", 10),
    downloads.Column(N_("Score after"), "int", 10), downloads.Column(N_("Cost (Rp)"), "rupiah"),
    downloads.Column(N_("Index gain"), "d4", 10), downloads.Column(N_("Paid by (Rp)"), width=40),
)


@router.get("/wilayah/{kode}/rencana.csv")
def region_plan_csv(kode: str, request: Request, db: SessionDep) -> Response:
    """The chosen activities of the plan of the form's values (the page's link) as CSV."""
    region, wanted, result = _plan_of_link(request, db, kode)
    rows = [(a.code, a.kecamatan, a.label, a.score_from, a.score_to, a.cost, a.idm_gain,
             "; ".join(f"{funder}: {amount}" for funder, amount in a.payments))
            for a in result.plan.optimal.activities()]
    table = downloads.Table(
        name=N_("Budget plan"), slug=f"rencana-{result.inputs.year}-{wanted.objective}",
        columns=PLAN_COLUMNS, rows=rows, region=region.name)
    return downloads.download(request, table, "csv")

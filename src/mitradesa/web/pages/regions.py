"""Regency overview, region pages, the village page and search."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from mitradesa.accounts.scope import can_see_region, can_see_village
from mitradesa.analysis.results import headline
from mitradesa.errors import MitradesaError
from mitradesa.idm_records import queries as idm_queries
from mitradesa.indeks_desa_records import queries as indeks_desa_queries
from mitradesa.indeks_desa_records import summaries as indeks_desa_summaries
from mitradesa.partnerships.queries import visible_agreements
from mitradesa.partnerships.vocab import STAGES
from mitradesa.regions import persiapan, queries
from mitradesa.regions.codes import plain_code
from mitradesa.regions.models import VILLAGE_KINDS, Region, RegionAlias, RegionCodeChange
from mitradesa.regions.search import search_regions
from mitradesa.settings import get_settings
from mitradesa.web.pages.indeks_desa import status_line
from mitradesa.web.security import CurrentUser, SessionDep
from mitradesa.web.template_helpers import region_href
from mitradesa.web.templating import render
from mitradesa.words import labels

router = APIRouter()


@router.get("/")
def home(request: Request, db: SessionDep, user: CurrentUser) -> Response:
    """Land on the region the user works in: the regency for DPMD staff, the village for an
    operator; several assignments are listed."""
    scopes = user.scope_codes
    if not scopes:
        if user.role in ("admin", "viewer"):
            return RedirectResponse(f"/wilayah/{get_settings().home_region}", status_code=303)
        return render(request, "regions/home.html", {"regions": []})
    if len(scopes) == 1:
        region = queries.get_region(db, scopes[0])
        return RedirectResponse(region_href(region), status_code=303)
    regions = [queries.get_region(db, code) for code in scopes]
    return render(request, "regions/home.html", {"regions": regions})


@router.get("/wilayah/{kode}")
def region_page(kode: str, request: Request, db: SessionDep, user: CurrentUser) -> Response:
    region = queries.get_region(db, kode)
    if region.kind in VILLAGE_KINDS:
        return RedirectResponse(f"/desa/{region.code}", status_code=303)
    children = [c for c in queries.children(db, region.code) if can_see_region(user, c.code)]
    villages_by_parent: dict[str, list[Region]] = {}
    if region.kind in ("kabupaten", "kota", "kecamatan"):
        for village in queries.descendants(db, region.code, kinds=VILLAGE_KINDS):
            if can_see_village(user, village.code):
                parent = village.parent_code or ""
                if village.kind == "desa_persiapan":
                    parent = parent.rsplit(".", 1)[0]
                villages_by_parent.setdefault(parent, []).append(village)
    context = {
        "region": region,
        "trail": queries.ancestors(db, region),
        "children": children,
        "villages_by_parent": villages_by_parent,
        "counts": queries.count_by_kind(db, region.code),
        "idm_years": idm_queries.region_years(db, region.code),
        "indeks_desa": indeks_desa_summaries.newest_counts(db, region.code),
        "analysis": headline(db, region.code, index=None),  # the newest year's family
    }
    if context["indeks_desa"]:
        context["indeks_desa_demo"] = indeks_desa_summaries.has_demo(db, region.code)
    return render(request, "regions/region.html", context)


@router.get("/desa/{kode}")
def village_page(kode: str, request: Request, db: SessionDep, user: CurrentUser) -> Response:
    region = queries.get_region(db, kode)
    if region.kind not in VILLAGE_KINDS:
        return RedirectResponse(f"/wilayah/{region.code}", status_code=303)
    history = list(
        db.scalars(select(RegionCodeChange).where(RegionCodeChange.new_code == region.code))
    )
    aliases = list(db.scalars(select(RegionAlias).where(RegionAlias.code == region.code)))
    idm_years = idm_queries.years_of(db, region.code)
    indeks_desa_years = indeks_desa_queries.years_of(db, region.code)
    context = {
        "region": region,
        "plain_code": plain_code(region.code),
        "trail": queries.ancestors(db, region),
        "history": history,
        "aliases": aliases,
        "persiapan": [
            r for r in queries.descendants(db, region.code) if r.kind == "desa_persiapan"
        ],
        "can_add_persiapan": user.role == "admin" and region.kind == "desa",
        "idm_years": idm_years,
        "indeks_desa_years": indeks_desa_years,
        "status_line": status_line(indeks_desa_years, idm_years),
        "agreements": visible_agreements(db, user, village_code=region.code),
        "agreement_stages": labels(STAGES, getattr(request.state, "locale", "id")),
    }
    return render(request, "regions/village.html", context)


@router.get("/cari")
def search_page(
    request: Request,
    db: SessionDep,
    user: CurrentUser,
    q: Annotated[str, Query(max_length=100)] = "",
    within: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    hits = []
    if q.strip():
        for hit in search_regions(
            db, q, within=within or None, prefer=get_settings().home_region, limit=60
        ):
            region = db.get(Region, hit.code)
            if (
                region is not None
                and can_see_region(user, region.code)
                and (region.kind not in VILLAGE_KINDS or can_see_village(user, region.code))
            ):
                hits.append((hit, region, queries.ancestors(db, region)))
    context = {"q": q, "within": within or "", "hits": hits[:20]}
    template = (
        "regions/_search_results.html"
        if request.headers.get("hx-request")
        else ("regions/search.html")
    )
    return render(request, template, context)


@router.get("/desa/{kode}/persiapan")
def persiapan_form(kode: str, request: Request, db: SessionDep) -> Response:
    parent = queries.get_region(db, kode)
    return render(request, "regions/persiapan_form.html", {"parent": parent, "name": ""})


@router.post("/desa/{kode}/persiapan")
def persiapan_submit(
    kode: str,
    request: Request,
    db: SessionDep,
    user: CurrentUser,
    name: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    parent = queries.get_region(db, kode)
    try:
        region = persiapan.add_desa_persiapan(db, kode, name, actor=user)
    except MitradesaError as exc:
        context = {"parent": parent, "name": name, "error": exc.message}
        return render(request, "regions/persiapan_form.html", context, status_code=exc.status)
    db.commit()
    return RedirectResponse(f"/desa/{region.code}", status_code=303)

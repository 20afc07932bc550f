"""Regency overview, region pages and the village page."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from mitradesa.accounts.scope import can_see_region, can_see_village
from mitradesa.analysis.results import headline
from mitradesa.errors import MitradesaError
from mitradesa.homes.village_people import village_people
from mitradesa.homes.villages import village_table
from mitradesa.idm_records import queries as idm_queries
from mitradesa.indeks_desa_records import queries as indeks_desa_queries
from mitradesa.indeks_desa_records import summaries as indeks_desa_summaries
from mitradesa.partnerships.queries import visible_agreements
from mitradesa.partnerships.vocab import STAGES
from mitradesa.regions import persiapan, queries
from mitradesa.regions.codes import plain_code
from mitradesa.regions.models import VILLAGE_KINDS, Region, RegionAlias, RegionCodeChange
from mitradesa.web.i18n import page_locale
from mitradesa.web.page_cache import cached_page
from mitradesa.web.pages.homes import TREND_WORDS
from mitradesa.web.pages.indeks_desa import status_line
from mitradesa.web.security import CurrentUser, SessionDep
from mitradesa.web.shared_figures import remember
from mitradesa.web.templating import render
from mitradesa.words import labels

router = APIRouter()


def _newest_counts(request: Request, db: Session, code: str) -> dict[str, Any] | None:
    return remember(request, db, ("indeks_desa_counts", code),
                    lambda: indeks_desa_summaries.newest_counts(db, code))


@router.get("/wilayah/{kode}")
@cached_page
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
        "indeks_desa": _newest_counts(request, db, region.code),
        "analysis": remember(request, db, ("headline", region.code),  # the newest family's
                             lambda: headline(db, region.code, index=None)),
    }
    if region.kind == "provinsi":  # its kabupaten and kota with their villages' statuses
        context["child_counts"] = {c.code: _newest_counts(request, db, c.code)
                                   for c in children}
    if region.kind == "kecamatan":  # its villages with their status, not a list of names
        context["village_table"] = village_table(db, villages_by_parent.get(region.code, []))
        context["trend_words"] = TREND_WORDS
    if context["indeks_desa"]:
        context["indeks_desa_demo"] = indeks_desa_summaries.has_demo(db, region.code)
    return render(request, "regions/region.html", context)


@router.get("/desa/{kode}")
@cached_page
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
        "agreement_stages": labels(STAGES, page_locale(request)),
        "people": village_people(db, user, region.code),
    }
    return render(request, "regions/village.html", context)


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

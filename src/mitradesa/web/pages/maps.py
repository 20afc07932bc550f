"""The map of a region's villages: coloured by status or by a part of an index, with its
legend and the table that says the same in words (for screen readers and print)."""

from __future__ import annotations

import json
from typing import Annotated, Any

from babel.numbers import format_decimal
from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup
from starlette.datastructures import URL

from mitradesa.analysis.data import newest_family
from mitradesa.analysis.families import KEYS, IndexFamily, family
from mitradesa.maps import STATUS, LegendClass, RegionMap, VillageOnMap, build_map
from mitradesa.maps.measures import NO_FIGURES, SCALE
from mitradesa.regions import queries
from mitradesa.regions.models import VILLAGE_KINDS
from mitradesa.web.security import CurrentUser, SessionDep
from mitradesa.web.template_helpers import d4, fixed
from mitradesa.web.templating import render

router = APIRouter()


def _number(value: float | None, the_map: RegionMap, locale: str, *, headline: bool) -> str:
    """A figure as the index pages write it: IDM 0,6543; nilai 65,43; points 112."""
    if value is None:
        return "—"
    if the_map.family.key == "idm":
        return str(d4(value, locale))
    if headline:
        return format_decimal(value, format="0.00", locale=locale)
    return format_decimal(round(value), locale=locale)


def _bound(value: float, the_map: RegionMap, locale: str) -> str:
    if the_map.measure.decimals:
        return fixed(value, 2, locale=locale)
    return format_decimal(value, locale=locale)


def legend(the_map: RegionMap, locale: str) -> list[LegendClass]:
    villages = the_map.villages
    if the_map.measure.key == STATUS:
        found = [LegendClass(status.title(), f"status-{status.lower().replace(' ', '-')}",
                             sum(v.status == status for v in villages))
                 for status in the_map.family.statuses]
    else:
        bounds = the_map.bounds
        found = [LegendClass(f"{_bound(bounds[i], the_map, locale)} – "
                             f"{_bound(bounds[i + 1], the_map, locale)}",
                             f"scale-{position}", sum(v.klass == i for v in villages),
                             bounds[i], bounds[i + 1])
                 for i, position in enumerate(the_map.scale)]
    if the_map.without_figures:
        found.append(LegendClass("", "scale-none", the_map.without_figures))
    return found


def swatch_class(village: VillageOnMap, the_map: RegionMap) -> str:
    if village.colour == NO_FIGURES:
        return "scale-none"
    if the_map.measure.key == STATUS:
        return f"status-{(village.status or '').lower().replace(' ', '-')}"
    return f"scale-{SCALE.index(village.colour)}"


def map_json(the_map: RegionMap, locale: str) -> Markup:
    """The features the map script draws, as JSON safe inside a `<script>` element."""
    features: list[dict[str, Any]] = []
    headline = the_map.measure.position is None
    for village in the_map.villages:
        geometry = village.geometry or (
            {"type": "Point", "coordinates": [village.point[1], village.point[0]]}
            if village.point else None)
        if geometry is None:
            continue
        features.append({"type": "Feature", "geometry": geometry, "properties": {
            "kode": village.code, "nama": village.name, "warna": village.colour,
            "nilai": None if village.value is None
            else _number(village.value, the_map, locale, headline=headline),
            "status": village.status.title() if village.status else None,
            "tautan": f"/desa/{village.code}"}})
    data = {"type": "FeatureCollection", "features": features}
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def _family(db: SessionDep, code: str, key: str | None) -> IndexFamily:
    return family(key) if key in KEYS else newest_family(db, code)


@router.get("/wilayah/{kode}/peta")
def region_map_page(
    kode: str,
    request: Request,
    db: SessionDep,
    user: CurrentUser,
    indeks: Annotated[str | None, Query(max_length=20)] = None,
    tahun: Annotated[int | None, Query(ge=1900, le=2200)] = None,
    ukuran: Annotated[str, Query(max_length=30)] = STATUS,
) -> Response:
    region = queries.get_region(db, kode)
    if region.kind in VILLAGE_KINDS and region.parent_code:
        target = URL(f"/wilayah/{region.parent_code}/peta").include_query_params(
            **dict(request.query_params))
        return RedirectResponse(str(target), status_code=303)
    locale = getattr(request.state, "locale", "id")
    the_map = build_map(db, user, region, _family(db, region.code, indeks), tahun, ukuran)
    context = {
        "region": region, "trail": queries.ancestors(db, region), "map": the_map,
        "legend": legend(the_map, locale), "families": KEYS,
        "value_of": lambda v, headline=False: _number(
            v, the_map, locale, headline=headline or the_map.measure.position is None),
        "swatch_class": lambda v: swatch_class(v, the_map),
        "show_kecamatan": region.kind != "kecamatan",
    }
    context["map_json"] = map_json(the_map, locale)
    return render(request, "regions/map.html", context)

"""The map of a region's villages: coloured by status or by a part of an index, with its
legend and the table that says the same in words (for screen readers and print)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Annotated, Any

from babel.numbers import format_decimal
from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup
from sqlalchemy.orm import Session
from starlette.datastructures import URL

from mitradesa.accounts.models import User
from mitradesa.analysis.data import newest_family
from mitradesa.analysis.families import KEYS, IndexFamily, family
from mitradesa.maps import STATUS, LegendClass, RegionMap, VillageOnMap, build_map
from mitradesa.maps.measures import NO_FIGURES, SCALE
from mitradesa.regions import geo, queries
from mitradesa.regions.errors import RegionInputError
from mitradesa.regions.models import VILLAGE_KINDS, Region
from mitradesa.web.i18n import page_locale, translations
from mitradesa.web.page_cache import cached_page
from mitradesa.web.security import CurrentUser, SessionDep
from mitradesa.web.template_helpers import d4, fixed
from mitradesa.web.templating import N_, render

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


def _family(db: Session, code: str, key: str | None) -> IndexFamily:
    return family(key) if key in KEYS else newest_family(db, code)


@router.get("/wilayah/{kode}/peta")
@cached_page
def region_map_page(
    kode: str,
    request: Request,
    db: SessionDep,
    user: CurrentUser,
    indeks: Annotated[str | None, Query(max_length=20)] = None,
    tahun: Annotated[int | None, Query(ge=1900, le=2200)] = None,
    ukuran: Annotated[str, Query(max_length=30)] = STATUS,
    batas: Annotated[int | None, Query(ge=0)] = None,  # after an import: how many stored
    titik: Annotated[int | None, Query(ge=0)] = None,
) -> Response:
    region = queries.get_region(db, kode)
    if region.kind in VILLAGE_KINDS and region.parent_code:
        target = URL(f"/wilayah/{region.parent_code}/peta").include_query_params(
            **dict(request.query_params))
        return RedirectResponse(str(target), status_code=303)
    context = map_context(request, db, user, region, indeks, tahun, ukuran)
    if batas is not None or titik is not None:
        context["imported"] = (batas or 0, titik or 0)
    return render(request, "regions/map.html", context)


def map_context(request: Request, db: Session, user: User, region: Region,
                indeks: str | None, tahun: int | None, ukuran: str) -> dict[str, Any]:
    locale = page_locale(request)
    the_map = build_map(db, user, region, _family(db, region.code, indeks), tahun, ukuran)
    return {
        "region": region, "trail": queries.ancestors(db, region), "map": the_map,
        "legend": legend(the_map, locale), "families": KEYS,
        "value_of": lambda v, headline=False: _number(
            v, the_map, locale, headline=headline or the_map.measure.position is None),
        "swatch_class": lambda v: swatch_class(v, the_map),
        "show_kecamatan": region.kind != "kecamatan",
        "map_json": map_json(the_map, locale),
        "can_import": user.role == "admin",
    }


@router.post("/wilayah/{kode}/peta/batas")
def region_map_import(
    kode: str,
    request: Request,
    db: SessionDep,
    user: CurrentUser,
    berkas: Annotated[UploadFile | None, File()] = None,
    properti_kode: Annotated[str, Form(max_length=60)] = "",
    sumber: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """An admin imports boundaries (or village points) from a GeoJSON file, all or nothing,
    as `mitradesa regions import-geojson` does."""
    region = queries.get_region(db, kode)
    gettext = translations(page_locale(request)).gettext

    def tr(message: str, **params: Any) -> str:
        return gettext(message) % params if params else gettext(message)

    # Whole: the app's body limit (MITRADESA_MAX_BODY_MB) bounds it.
    content = berkas.file.read() if berkas is not None else b""
    errors: list[str] = []
    if not content:
        errors.append(tr(N_("Choose a GeoJSON file to import.")))
    else:
        name = Path(berkas.filename or "batas.geojson").name if berkas else "batas.geojson"
        with tempfile.TemporaryDirectory(prefix="mitradesa-geo-") as folder:
            path = Path(folder) / name
            path.write_bytes(content)
            try:
                report = geo.import_geojson(db, path, code_property=properti_kode.strip() or None,
                                            source=sumber.strip(), actor=user)
            except RegionInputError as exc:
                errors.append(exc.message)
            else:
                errors.extend(report.errors[:30])
                if len(report.errors) > 30:
                    errors.append(tr(N_("… and %(count)s more problems."),
                                     count=len(report.errors) - 30))
    if errors:
        db.rollback()
        context = map_context(request, db, user, region, None, None, STATUS)
        context |= {"import_errors": errors, "import_form": {"properti_kode": properti_kode,
                                                              "sumber": sumber}}
        return render(request, "regions/map.html", context, status_code=400)
    db.commit()
    return RedirectResponse(f"/wilayah/{region.code}/peta?batas={report.boundaries}"
                            f"&titik={report.points}#impor", status_code=303)

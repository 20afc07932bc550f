"""Import of boundary polygons and centre points from a user's GeoJSON, for offline maps."""

from __future__ import annotations

import itertools
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from mitradesa import audit
from mitradesa.regions.codes import RegionCodeError, normalize_code
from mitradesa.regions.errors import RegionInputError
from mitradesa.regions.models import Region, RegionBoundary

CODE_PROPERTIES = ("kode", "kode_desa", "kd_desa", "kode_wilayah", "code", "kdepum", "id_desa")
POLYGONS = {"Polygon", "MultiPolygon"}


@dataclass
class GeoImportReport:
    boundaries: int = 0
    points: int = 0
    errors: list[str] = field(default_factory=list)


def _feature_code(properties: dict[str, Any], code_property: str | None) -> str | None:
    names = (code_property,) if code_property else CODE_PROPERTIES
    lowered = {str(k).lower(): v for k, v in properties.items()}
    for name in names:
        value = lowered.get(str(name).lower())
        if value not in (None, ""):
            return str(value)
    return None


def _ring_centroid(ring: list[list[float]]) -> tuple[float, float, float]:
    """Area-weighted centroid (lon, lat) and absolute area of a closed ring."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in itertools.pairwise(ring):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if area == 0:
        xs, ys = zip(*ring, strict=False)
        return sum(xs) / len(xs), sum(ys) / len(ys), 0.0
    return cx / (3 * area), cy / (3 * area), abs(area / 2)


def centroid(geometry: dict[str, Any]) -> tuple[float, float]:
    """(lat, lon) of a Polygon/MultiPolygon: the centroid of its largest outer ring."""
    polygons = (
        geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    )
    best = max((_ring_centroid(p[0]) for p in polygons), key=lambda c: c[2])
    return best[1], best[0]


def _valid_position(point: Any) -> bool:
    """[lon, lat(, …)]: finite numbers within the globe."""
    if not isinstance(point, list) or len(point) < 2:
        return False
    lon, lat = point[0], point[1]
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
                  for v in (lon, lat))
    return numbers and -180 <= lon <= 180 and -90 <= lat <= 90


def _valid_polygon(geometry: dict[str, Any]) -> bool:
    coordinates = geometry.get("coordinates")
    polygons = coordinates if geometry.get("type") == "MultiPolygon" else [coordinates]
    if not isinstance(polygons, list) or not polygons:
        return False
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon or not isinstance(polygon[0], list):
            return False
        if len(polygon[0]) < 4 or not all(_valid_position(p) for p in polygon[0]):
            return False
    return True


def _valid_geometry(geometry: dict[str, Any]) -> bool:
    if geometry.get("type") == "Point":
        return _valid_position(geometry.get("coordinates"))
    return geometry.get("type") in POLYGONS and _valid_polygon(geometry)


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def import_geojson(
    session: Session,
    path: Path,
    *,
    code_property: str | None = None,
    source: str = "",
    actor: Any = None,
) -> GeoImportReport:
    """All features land, or none: any error is reported with its feature number."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RegionInputError(
            f"{path.name}: bukan berkas GeoJSON yang dapat dibaca ({exc})."
        ) from exc
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        raise RegionInputError(f"{path.name}: GeoJSON harus berupa FeatureCollection.")
    report = GeoImportReport()
    pending: list[tuple[Region, dict[str, Any]]] = []
    for number, feature in enumerate(features, start=1):
        geometry = _mapping(_mapping(feature).get("geometry"))
        raw_code = _feature_code(_mapping(_mapping(feature).get("properties")), code_property)
        where = f"{path.name}, fitur {number}"
        if raw_code is None:
            report.errors.append(f"{where}: tidak ada properti kode wilayah.")
            continue
        try:
            region = session.get(Region, normalize_code(raw_code))
        except RegionCodeError as exc:
            report.errors.append(f"{where}: {exc.message}")
            continue
        if region is None:
            report.errors.append(f"{where}: kode {raw_code} tidak ada di registri.")
        elif _valid_geometry(geometry):
            pending.append((region, geometry))
        else:
            report.errors.append(
                f"{where}: geometri harus Point, Polygon atau MultiPolygon yang sah."
            )
    if report.errors:
        return report
    label = source or path.name
    for region, geometry in pending:
        if geometry["type"] == "Point":
            region.longitude, region.latitude = map(float, geometry["coordinates"][:2])
            region.location_source = label
            report.points += 1
            continue
        session.merge(RegionBoundary(code=region.code, geometry=json.dumps(geometry), source=label))
        if region.latitude is None:
            region.latitude, region.longitude = centroid(geometry)
            region.location_source = f"{label} (titik tengah poligon)"
        report.boundaries += 1
    audit.log(
        session,
        "regions.geojson.imported",
        "registry",
        label,
        actor=actor,
        after={"boundaries": report.boundaries, "points": report.points},
    )
    return report

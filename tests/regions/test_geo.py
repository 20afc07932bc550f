"""GeoJSON import of boundaries and centre points: all or nothing, errors named."""

from __future__ import annotations

import json

from mitradesa.regions import queries
from mitradesa.regions.geo import centroid, import_geojson
from mitradesa.regions.models import RegionBoundary
from tests.conftest import SEPATIN

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[117.0, -0.5], [117.2, -0.5], [117.2, -0.3], [117.0, -0.3], [117.0, -0.5]]],
}


def write(tmp_path, features) -> object:
    path = tmp_path / "batas.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def test_centroid_of_a_square_is_its_middle():
    lat, lon = centroid(SQUARE)
    assert abs(lat - (-0.4)) < 1e-9 and abs(lon - 117.1) < 1e-9


def test_boundary_import_stores_polygon_and_sets_centre(db, tmp_path):
    path = write(
        tmp_path,
        [{"type": "Feature", "properties": {"kode_desa": "6402042001"}, "geometry": SQUARE}],
    )
    report = import_geojson(db, path, source="Uji")
    assert report.errors == [] and report.boundaries == 1
    assert db.get(RegionBoundary, SEPATIN) is not None
    region = queries.get_region(db, SEPATIN)
    assert round(region.latitude, 6) == -0.4 and "Uji" in region.location_source


def test_point_features_set_centre_points(db, tmp_path):
    path = write(
        tmp_path,
        [
            {
                "type": "Feature",
                "properties": {"kode": SEPATIN},
                "geometry": {"type": "Point", "coordinates": [117.3, -0.6]},
            }
        ],
    )
    assert import_geojson(db, path).points == 1
    assert queries.get_region(db, SEPATIN).longitude == 117.3


def test_one_bad_feature_saves_nothing_and_names_the_feature(db, tmp_path):
    path = write(
        tmp_path,
        [
            {"type": "Feature", "properties": {"kode": SEPATIN}, "geometry": SQUARE},
            {"type": "Feature", "properties": {"kode": "64.02.99.2999"}, "geometry": SQUARE},
        ],
    )
    report = import_geojson(db, path)
    assert report.boundaries == 0
    assert report.errors == ["batas.geojson, fitur 2: kode 64.02.99.2999 tidak ada di registri."]
    assert db.get(RegionBoundary, SEPATIN) is None

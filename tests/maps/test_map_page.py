"""The map of a region's villages: legend and table with the right classes, boundaries or
else points or else a plain word, only the villages the user may see."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import select

from mitradesa.indeks_desa_records.models import IndeksDesaResult
from mitradesa.regions.models import Region, RegionBoundary
from tests.conftest import SEPATIN, SUNGAI_MERIAM, csrf_of, login
from tests.web.indeks_desa_seed import seed

ANGGANA = "64.02.04"
MUARA_PANTUAN = "64.02.04.2002"
TANI_BARU = "64.02.04.2003"
# total → status: 314 Sangat Tertinggal, 340 Tertinggal, 400 Berkembang, 470 Maju, 560 Mandiri
TOTALS = {SEPATIN: 560, MUARA_PANTUAN: 470, TANI_BARU: 400, SUNGAI_MERIAM: 340}
STATUS_OF = {560: "Mandiri", 470: "Maju", 400: "Berkembang", 340: "Tertinggal"}


def square(x: float, y: float) -> str:
    ring = [[x, y], [x + 0.04, y], [x + 0.04, y + 0.04], [x, y + 0.04], [x, y]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


@pytest.fixture
def figures(db):
    seed(db, [(code, 2025, total) for code, total in TOTALS.items()])
    db.commit()


@pytest.fixture
def boundaries(db):
    for i, code in enumerate(TOTALS):
        db.add(RegionBoundary(code=code, geometry=square(117.2 + 0.05 * i, -0.6),
                              source="Uji: kotak"))
    db.commit()


@pytest.fixture
def admin(client, make_user):
    make_user("dpmd", "admin")
    login(client, "dpmd")
    client.cookies.set("mitradesa_lang", "en")
    return client


def table_rows(page: str) -> dict[str, str]:
    body = page.split('id="map-table"', 1)[1].split("</table>", 1)[0]
    return {m.group(1): m.group(2) for m in re.finditer(
        r'<tr data-kode="([^"]+)">(.*?)</tr>', body, re.S)}


def legend_entries(page: str) -> list[tuple[str, int]]:
    body = page.split('id="map-legend"', 1)[1].split("</ul>", 1)[0]
    return [(label.strip(), int(count)) for label, count in re.findall(
        r'<span class="legend-label">(.*?)</span> <span class="count">(\d+)</span>', body, re.S)]


def map_data(page: str) -> dict:
    return json.loads(page.split('id="map-data">', 1)[1].split("</script>", 1)[0])


def test_status_map_has_the_legend_with_counts_and_the_table_with_each_status(admin, figures,
                                                                            boundaries):
    page = admin.get(f"/wilayah/{ANGGANA}/peta?indeks=indeks_desa").text
    legend = dict(legend_entries(page))
    assert legend["Mandiri"] == 1 and legend["Maju"] == 1 and legend["Berkembang"] == 1
    assert legend["Tertinggal"] == 1 and legend["Sangat Tertinggal"] == 0
    assert legend["No figures"] == 4  # the other four villages of Anggana
    rows = table_rows(page)
    for code, total in TOTALS.items():
        assert f">{STATUS_OF[total]}</span>" in rows[code], code
    assert "No figures" in rows["64.02.04.2004"]
    features = {f["properties"]["kode"]: f["properties"] for f in map_data(page)["features"]}
    assert set(features) == set(TOTALS)  # only the villages with a boundary are drawn
    assert features[SEPATIN]["warna"] == "#1347ac"  # the Mandiri badge colour
    assert features[SEPATIN]["tautan"] == f"/desa/{SEPATIN}"
    assert "Village boundaries: Uji: kotak." in page


def test_a_dimension_is_coloured_in_five_classes_each_row_in_the_class_holding_its_value(
        admin, db, figures, boundaries):
    page = admin.get(f"/wilayah/{ANGGANA}/peta?indeks=indeks_desa&ukuran=ekonomi").text
    points = dict(db.execute(select(IndeksDesaResult.village_code, IndeksDesaResult.ekonomi)
                             .where(IndeksDesaResult.year == 2025)).all())
    classes = [label for label, _count in legend_entries(page) if label != "No figures"]
    assert 1 <= len(classes) <= 5
    bounds = [tuple(int(n) for n in label.split(" – ")) for label in classes]
    assert all(low < high for low, high in bounds)
    rows = table_rows(page)
    for code, value in points.items():
        label = re.search(r'class="map-class">.*?</span> (.*?)</td>', rows[code], re.S).group(1)
        low, high = (int(n) for n in label.strip().split(" – "))
        assert low <= value <= high, (code, value, label)
        assert f">{value}</td>" in rows[code]
    lowest = min(points, key=points.get)
    highest = max(points, key=points.get)
    assert classes[0] in rows[lowest] and classes[-1] in rows[highest]
    assert "Ekonomi" in page and "points (maximum 160)" in page


def test_idm_parts_are_offered_for_the_idm_and_the_six_dimensions_for_the_indeks_desa(
        admin, figures, boundaries):
    idm = admin.get(f"/wilayah/{ANGGANA}/peta?indeks=idm").text
    for key in ("iks", "ike", "ikl"):
        assert f'<option value="{key}"' in idm
    indeks_desa = admin.get(f"/wilayah/{ANGGANA}/peta?indeks=indeks_desa").text
    for key in ("layanan_dasar", "sosial", "ekonomi", "lingkungan", "aksesibilitas",
                "tata_kelola"):
        assert f'<option value="{key}"' in indeks_desa
    assert "No IDM figures for the villages of this region yet." in idm


def test_without_boundaries_the_villages_are_drawn_as_points(admin, db, figures):
    for code, (lat, lon) in {SEPATIN: (-0.55, 117.3), TANI_BARU: (-0.6, 117.35)}.items():
        region = db.get(Region, code)
        region.latitude, region.longitude = lat, lon
    db.commit()
    page = admin.get(f"/wilayah/{ANGGANA}/peta?indeks=indeks_desa").text
    features = map_data(page)["features"]
    assert {f["geometry"]["type"] for f in features} == {"Point"}
    assert {f["properties"]["kode"] for f in features} == {SEPATIN, TANI_BARU}
    assert features[0]["geometry"]["coordinates"] == [117.3, -0.55]
    assert "each is shown as a point" in page
    assert "6 villages have neither a boundary nor a location" in page
    assert "(not on the map)" in table_rows(page)[MUARA_PANTUAN]


def test_without_boundaries_or_points_the_page_says_so_and_still_lists_the_villages(admin,
                                                                                    figures):
    page = admin.get(f"/wilayah/{ANGGANA}/peta").text
    assert "No map yet" in page
    assert "Neither boundaries nor locations have been imported" in page
    assert 'id="region-map"' not in page and "leaflet.js" not in page
    assert len(table_rows(page)) == 8


def test_an_operator_sees_only_its_village_on_the_kecamatan_map(client, make_user, figures,
                                                                  boundaries):
    make_user("op.sepatin", "operator_desa", [SEPATIN])
    login(client, "op.sepatin")
    page = client.get(f"/wilayah/{ANGGANA}/peta?indeks=indeks_desa").text
    assert set(table_rows(page)) == {SEPATIN}
    assert [f["properties"]["kode"] for f in map_data(page)["features"]] == [SEPATIN]
    assert "Sungai Meriam" not in page


def test_a_pendamping_of_another_kecamatan_is_refused(client, make_user, figures):
    make_user("pd.loakulu", "pendamping", ["64.02.02"])
    login(client, "pd.loakulu")
    assert client.get(f"/wilayah/{ANGGANA}/peta").status_code == 403
    assert client.get("/wilayah/64.02.02/peta").status_code == 200


def test_a_mitra_is_refused_the_map(client, make_user):
    make_user("mitra.a", "mitra", organisation="PT Contoh")
    login(client, "mitra.a")
    assert client.get(f"/wilayah/{ANGGANA}/peta").status_code == 403


def test_a_village_leads_to_its_kecamatan_map(admin):
    answer = admin.get(f"/wilayah/{SEPATIN}/peta?indeks=idm", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/wilayah/{ANGGANA}/peta?indeks=idm"


def test_the_region_and_index_pages_link_to_the_map(admin, figures):
    assert f'href="/wilayah/{ANGGANA}/peta"' in admin.get(f"/wilayah/{ANGGANA}").text
    page = admin.get(f"/wilayah/{ANGGANA}/indeks-desa").text
    assert f'href="/wilayah/{ANGGANA}/peta?indeks=indeks_desa&amp;tahun=2025"' in page


def test_figures_are_written_the_indonesian_way(client, make_user, figures, boundaries):
    make_user("dpmd", "admin")
    login(client, "dpmd")
    page = client.get(f"/wilayah/{ANGGANA}/peta?indeks=indeks_desa").text
    nilai = table_rows(page)[SEPATIN]
    assert re.search(r">\d+,\d\d</td>", nilai), nilai  # 88,19 not 88.19
    assert re.search(r'"nilai":"\d+,\d\d"', page)


def test_the_map_json_cannot_close_its_script_element(admin, db, boundaries):
    db.get(Region, SEPATIN).name = "Sepatin</script><b>x"
    db.commit()
    page = admin.get(f"/wilayah/{ANGGANA}/peta").text
    assert "</script><b>x" not in page.split('id="map-data">', 1)[1].split("</script>", 1)[0]
    assert map_data(page)["features"][0]["properties"]["nama"] == "Sepatin</script><b>x"


# ------------------------------------------------------------------ import in the browser


def geojson(codes: list[str], *, code_property: str = "KDEPUM") -> bytes:
    features = [{"type": "Feature", "properties": {code_property: code},
                 "geometry": json.loads(square(117.2 + 0.05 * i, -0.6))}
                for i, code in enumerate(codes)]
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def post_import(client, content: bytes, **fields):
    return client.post(f"/wilayah/{ANGGANA}/peta/batas",
                       data={"csrf_token": csrf_of(client), **fields},
                       files={"berkas": ("batas.geojson", content, "application/geo+json")},
                       follow_redirects=False)


def test_an_admin_imports_boundaries_in_the_browser_and_the_map_draws_them(admin, db, figures):
    answer = post_import(admin, geojson([SEPATIN, MUARA_PANTUAN]), sumber="BIG, uji")
    assert answer.status_code == 303
    page = admin.get(answer.headers["location"]).text
    assert "2 boundaries and 0 village locations imported." in page
    assert {f["properties"]["kode"] for f in map_data(page)["features"]} == {SEPATIN,
                                                                            MUARA_PANTUAN}
    assert "Village boundaries: BIG, uji." in page
    assert db.get(RegionBoundary, SEPATIN) is not None


def test_a_file_with_an_unknown_code_imports_nothing_and_says_which(admin, db):
    answer = post_import(admin, geojson([SEPATIN, "64.02.04.2999"]))
    assert answer.status_code == 400
    assert "Nothing was imported" in answer.text and "64.02.04.2999" in answer.text
    assert db.get(RegionBoundary, SEPATIN) is None


def test_not_a_geojson_is_refused_plainly(admin, db):
    answer = post_import(admin, b"bukan json")
    assert answer.status_code == 400 and "GeoJSON" in answer.text


def test_only_an_admin_imports_and_only_with_the_csrf_token(client, make_user, db):
    make_user("pd.anggana", "pendamping", [ANGGANA])
    login(client, "pd.anggana")
    assert post_import(client, geojson([SEPATIN])).status_code == 403
    assert "Import village boundaries" not in client.get(f"/wilayah/{ANGGANA}/peta").text
    client.cookies.clear()
    make_user("dpmd", "admin")
    login(client, "dpmd")
    answer = client.post(f"/wilayah/{ANGGANA}/peta/batas",
                         files={"berkas": ("b.geojson", geojson([SEPATIN]), "application/json")},
                         follow_redirects=False)
    assert answer.status_code == 403
    assert db.get(RegionBoundary, SEPATIN) is None

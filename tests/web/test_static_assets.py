"""Static files: pages name them by content-hashed URLs, which browsers keep for a year; an
unversioned or stale URL is revalidated (304); text files travel gzip-compressed; pages are
never stored; plotly is loaded by the chart pages only.

Static files do not touch the database, so these tests run on SQLite only (the pages here
need a database for the login, not for what is checked)."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from starlette.applications import Starlette
from starlette.routing import Mount

from mitradesa.web.static_assets import (
    IMMUTABLE,
    STATIC_DIR,
    AssetCatalog,
    StaticAssets,
    static_url,
)
from tests.conftest import SEPATIN, login
from tests.idm_records.fixtures import SUNGAI_MERIAM as PLAIN_SUNGAI_MERIAM
from tests.idm_records.fixtures import write_scores_csv

TEMPLATES = STATIC_DIR.parent / "templates"
GZIP = {"Accept-Encoding": "gzip"}
IDENTITY = {"Accept-Encoding": "identity"}


@pytest.fixture
def backend() -> str:
    return "sqlite"


def versioned(page: str, name: str) -> str:
    """The URL a page gives for the static file `name`."""
    found = re.search(rf'(?:href|src)="(/static/{re.escape(name)}\?v=[0-9a-f]+)"', page)
    assert found, f"{name} not linked with a version"
    return found.group(1)


def raw(client: TestClient, url: str, headers: dict[str, str]) -> tuple[dict, bytes]:
    """Headers and body bytes as sent (TestClient would otherwise decompress them)."""
    with client.stream("GET", url, headers=headers) as answer:
        assert answer.status_code == 200, url
        return dict(answer.headers), b"".join(answer.iter_raw())


def test_a_page_names_its_css_and_scripts_by_hashed_urls_kept_for_a_year(client):
    page = client.get("/masuk").text
    assert "/static/app.css\"" not in page and "/static/nav.js\"" not in page
    for name in ("app.css", "nav.js", "vendor/htmx.min.js", "favicon.svg"):
        url = versioned(page, name)
        answer = client.get(url)
        assert answer.status_code == 200
        assert answer.headers["cache-control"] == IMMUTABLE
        assert answer.content == (STATIC_DIR / name).read_bytes()


def test_the_version_is_the_hash_of_the_files_bytes(client):
    url = static_url("app.css")
    assert url.startswith("/static/app.css?v=")
    assert static_url("app.css") == url  # the same for every page
    assert static_url("nav.js").split("?v=")[1] != url.split("?v=")[1]


def test_without_or_with_a_stale_version_the_browser_revalidates_and_gets_304(client):
    for url in ("/static/app.css", "/static/app.css?v=0123456789ab"):
        first = client.get(url)
        assert first.status_code == 200
        assert first.headers["cache-control"] == "no-cache"
        assert first.headers["etag"] and first.headers["last-modified"]
        again = client.get(url, headers={"If-None-Match": first.headers["etag"]})
        assert again.status_code == 304 and again.content == b""
        assert again.headers["etag"] == first.headers["etag"]
        since = client.get(url, headers={"If-Modified-Since": first.headers["last-modified"]})
        assert since.status_code == 304
    changed = client.get("/static/app.css", headers={"If-None-Match": '"0123456789ab"'})
    assert changed.status_code == 200 and changed.content == (STATIC_DIR / "app.css").read_bytes()


def test_text_files_travel_gzipped_and_decompress_to_the_file(client):
    for name in ("app.css", "vendor/plotly.min.js", "vendor/swagger-ui/swagger-ui.css"):
        headers, body = raw(client, static_url(name), GZIP)
        original = (STATIC_DIR / name).read_bytes()
        assert headers["content-encoding"] == "gzip"
        assert headers["vary"] == "Accept-Encoding"
        assert int(headers["content-length"]) == len(body) < len(original)
        assert gzip.decompress(body) == original
        assert headers["cache-control"] == IMMUTABLE
    headers, body = raw(client, static_url("app.css"), IDENTITY)
    assert "content-encoding" not in headers
    assert body == (STATIC_DIR / "app.css").read_bytes()
    assert int(headers["content-length"]) == len(body)
    assert headers["content-type"] == "text/css; charset=utf-8"


def test_a_client_refusing_gzip_gets_the_plain_file(client):
    headers, body = raw(client, static_url("nav.js"), {"Accept-Encoding": "gzip;q=0, br"})
    assert "content-encoding" not in headers and body == (STATIC_DIR / "nav.js").read_bytes()


def test_images_are_sent_as_they_are(client):
    name = "vendor/leaflet/images/marker-icon.png"
    headers, body = raw(client, static_url(name), GZIP)
    assert "content-encoding" not in headers
    assert body == (STATIC_DIR / name).read_bytes()
    assert headers["content-type"] == "image/png"
    assert headers["cache-control"] == IMMUTABLE


def test_leaflets_css_images_load_by_their_relative_urls(client):
    css = client.get(static_url("vendor/leaflet/leaflet.css")).text
    for image in re.findall(r"url\((images/[^)]+)\)", css):
        answer = client.get(f"/static/vendor/leaflet/{image}")
        assert answer.status_code == 200 and answer.headers["cache-control"] == "no-cache"


def test_the_gzipped_answer_revalidates_by_its_own_tag(client):
    url = static_url("app.css")
    zipped = client.get(url, headers=GZIP)
    plain = client.get(url, headers=IDENTITY)
    assert zipped.headers["etag"] != plain.headers["etag"]
    again = client.get(url, headers={**GZIP, "If-None-Match": zipped.headers["etag"]})
    assert again.status_code == 304


def test_a_head_request_gets_the_headers_only(client):
    answer = client.head(static_url("app.css"), headers=IDENTITY)
    assert answer.status_code == 200 and answer.content == b""
    assert int(answer.headers["content-length"]) == (STATIC_DIR / "app.css").stat().st_size


def test_a_missing_file_is_404_and_not_kept(client):
    for url in ("/static/nothing-here.css", "/static/vendor", "/static/%2e%2e/app.py"):
        answer = client.get(url)
        assert answer.status_code == 404, url
        assert answer.headers["cache-control"] == "no-store"
    assert client.post("/static/app.css").status_code == 405


def test_static_files_set_no_cookie(client):
    answer = client.get(static_url("app.css"))
    assert "set-cookie" not in answer.headers
    assert answer.headers["x-content-type-options"] == "nosniff"


def test_pages_and_api_answers_are_still_not_stored(client, make_user):
    make_user("admin.dpmd", "admin")
    login(client, "admin.dpmd")
    for path in ("/", "/masuk", "/kerja-sama", "/api/v1/me", "/api/v1/docs"):
        answer = client.get(path, headers=GZIP)
        assert answer.status_code == 200, path
        assert answer.headers["cache-control"] == "no-store", path
        assert "content-encoding" not in answer.headers, path  # nginx compresses pages


def test_the_api_docs_name_their_files_by_hashed_urls(client):
    page = client.get("/api/v1/docs").text
    references = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert len(references) == 4
    for reference in references:
        assert re.fullmatch(r"/static/[\w/.-]+\?v=[0-9a-f]{12}", reference), reference
        assert client.get(reference).headers["cache-control"] == IMMUTABLE


def test_every_template_names_static_files_through_static_url():
    bare, names = [], []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        bare += [f"{path.name}: {m}" for m in re.findall(r'(?:src|href)="/static/[^"]*"', text)]
        names += re.findall(r"static_url\('([^']+)'\)", text)
    assert bare == []
    assert names and all((STATIC_DIR / name).is_file() for name in names), names


def test_a_file_changed_while_running_is_served_new_and_not_as_immutable(tmp_path):
    (tmp_path / "site.css").write_text("body { color: black; }")
    catalog = AssetCatalog(tmp_path)
    app = Starlette(routes=[Mount("/static", StaticAssets(catalog))])
    with TestClient(app) as client:
        old = catalog.url("site.css")
        assert client.get(old).headers["cache-control"] == IMMUTABLE
        (tmp_path / "site.css").write_text("body { color: navy; margin: 0; }")
        answer = client.get(old)
        assert answer.text == "body { color: navy; margin: 0; }"
        assert answer.headers["cache-control"] == "no-cache"
        new = catalog.url("site.css", check_changes=True)
        assert new != old and client.get(new).headers["cache-control"] == IMMUTABLE
    with pytest.raises(FileNotFoundError):
        catalog.url("missing.css")


# Plotly (4.5 MB) is loaded by the pages that draw charts only.

@pytest.fixture
def kukar_idm(db, tmp_path):
    from mitradesa.idm_records.importing import import_idm_files

    rows = [(PLAIN_SUNGAI_MERIAM, 2023, [3] * 50), ("6402042001", 2023, [4] * 50)]
    path = write_scores_csv(tmp_path / "skor.csv", rows)
    import_idm_files(db, [path], store_dir=tmp_path / "disimpan")
    db.commit()


def test_plotly_only_on_the_pages_that_draw_charts(client, make_user, kukar_idm):
    make_user("staf", "viewer", [])
    login(client, "staf")
    for chart_page in ("/wilayah/64.02/idm", f"/desa/{SEPATIN}/idm"):
        page = client.get(chart_page)
        assert page.status_code == 200, chart_page
        url = versioned(page.text, "vendor/plotly.min.js")
        assert client.get(url).status_code == 200
    plain_pages = ("/", "/wilayah/64.02", f"/desa/{SEPATIN}", "/kerja-sama", "/wilayah/64.02/peta")
    for plain_page in plain_pages:
        page = client.get(plain_page)
        assert page.status_code == 200, plain_page
        assert "plotly.min.js" not in page.text, plain_page


def test_only_chart_templates_name_plotly():
    naming = sorted(str(path.relative_to(TEMPLATES)) for path in TEMPLATES.rglob("*.html")
                    if "plotly.min.js" in path.read_text(encoding="utf-8"))
    assert naming and all(Path(name).parts[0] in {"idm", "indeks_desa", "analysis"}
                          for name in naming), naming
    base = (TEMPLATES / "base.html").read_text(encoding="utf-8")
    assert "plotly.min.js" not in base

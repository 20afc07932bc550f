"""Security headers: a Content-Security-Policy on every answer (scripts from the app only, no
inline script or style attribute in any template), `Cache-Control: no-store` on pages, API
answers, downloads and exports, HSTS over HTTPS only, and API docs that load nothing from
another host."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from mitradesa.partnerships import services
from mitradesa.web.api import partnerships as partnerships_api
from tests.conftest import login
from tests.partnerships.fixtures import PDF, agreement, partner

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "mitradesa" / "web" / "templates"


def csp(answer) -> dict[str, str]:
    policy = answer.headers["content-security-policy"]
    return {part.split()[0]: part for part in (p.strip() for p in policy.split(";")) if part}


def test_pages_and_api_answers_have_a_strict_csp_and_are_not_stored(client, make_user):
    make_user("admin.dpmd", "admin")
    login(client, "admin.dpmd")
    for path in ("/", "/kerja-sama", "/pendampingan", "/api/v1/agreements", "/masuk"):
        answer = client.get(path)
        assert answer.status_code == 200, path
        policy = csp(answer)
        assert policy["script-src"] == "script-src 'self'", path
        assert policy["default-src"] == "default-src 'self'"
        assert "'unsafe-inline'" not in answer.headers["content-security-policy"]
        assert policy["frame-ancestors"] == "frame-ancestors 'none'"
        assert answer.headers["cache-control"] == "no-store", path
    static = client.get("/static/app.css")
    assert static.status_code == 200 and "no-store" not in static.headers.get("cache-control", "")


def test_the_style_nonce_is_fresh_per_answer_and_on_the_pages_style(client):
    first, second = client.get("/masuk"), client.get("/masuk")
    nonce = re.search(r"'nonce-([^']+)'", first.headers["content-security-policy"]).group(1)
    assert f'nonce="{nonce}"' in first.text
    assert nonce not in second.headers["content-security-policy"]


def test_downloads_and_exports_are_not_stored(client, make_user, db, tmp_path, monkeypatch):
    monkeypatch.setattr(partnerships_api, "documents_dir", lambda: tmp_path)
    mine = partner(db)
    deal = agreement(db, [mine])
    document = services.add_document(db, None, deal, kind="kak", filename="kak.pdf",
                                     content=PDF, store_dir=tmp_path)
    db.commit()
    make_user("admin.dpmd", "admin")
    login(client, "admin.dpmd")
    download = client.get(f"/api/v1/agreements/{deal.id}/documents/{document.id}")
    assert download.status_code == 200 and download.headers["cache-control"] == "no-store"
    assert "content-security-policy" not in download.headers  # the browser's PDF viewer
    export = client.get(f"/mitra/{mine.id}/laporan.xlsx")
    assert export.status_code == 200 and export.headers["cache-control"] == "no-store"


def test_hsts_only_over_https(app):
    with TestClient(app, base_url="https://mitradesa.test") as secure:
        assert secure.get("/masuk").headers["strict-transport-security"] == "max-age=31536000"
    with TestClient(app) as plain:
        assert "strict-transport-security" not in plain.get("/masuk").headers


def test_the_api_docs_load_nothing_from_another_host(client):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    references = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert references and all(r.startswith("/static/") for r in references), references
    assert "http" not in page.text and "<script>" not in page.text
    for reference in references:
        assert client.get(reference).status_code == 200, reference
    assert (Path(__file__).resolve().parents[2] / "src" / "mitradesa" / "web" / "static"
            / "vendor" / "swagger-ui" / "LICENSE").is_file()


def test_no_template_has_an_inline_script_handler_or_style_attribute():
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>")
    problems = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        for pattern in (inline_script, re.compile(r"\sstyle=\""), re.compile(r"\son[a-z]+=\""),
                        re.compile(r"javascript:"), re.compile(r"\shx-on")):
            problems += [f"{path.relative_to(TEMPLATES)}: {m.group()}"
                         for m in pattern.finditer(text)]
    assert problems == []

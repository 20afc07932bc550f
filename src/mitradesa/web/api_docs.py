"""The API docs page: Swagger UI from the app's own static files (vendored from the npm
package swagger-ui-dist, licence beside it), so it works offline and loads nothing from
another host; started by static/api-docs.js (the CSP allows no inline script)."""

from __future__ import annotations

from html import escape

from fastapi import FastAPI
from fastapi.responses import HTMLResponse

from mitradesa.web.static_assets import static_url

VENDOR = "vendor/swagger-ui"


def docs_page(title: str, openapi_url: str) -> str:
    return f"""<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{escape(title)} · docs</title>
  <link rel="stylesheet" href="{static_url(f'{VENDOR}/swagger-ui.css')}">
  <link rel="icon" type="image/png" href="{static_url(f'{VENDOR}/favicon-32x32.png')}">
</head>
<body>
  <div id="swagger-ui" data-openapi-url="{escape(openapi_url)}"></div>
  <script src="{static_url(f'{VENDOR}/swagger-ui-bundle.js')}"></script>
  <script src="{static_url('api-docs.js')}"></script>
</body>
</html>
"""


def install_docs(app: FastAPI, docs_url: str) -> None:
    page = docs_page(app.title, app.openapi_url or "")

    @app.get(docs_url, include_in_schema=False, name="swagger_ui_html")
    def swagger_ui_html() -> HTMLResponse:
        return HTMLResponse(page)

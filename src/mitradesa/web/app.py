"""The FastAPI application factory."""

from __future__ import annotations

from fastapi import Depends, FastAPI
from sqlalchemy import Connection, Engine
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from mitradesa import __version__
from mitradesa.db.session import get_engine
from mitradesa.settings import get_settings
from mitradesa.web.api import router as api_router
from mitradesa.web.api_docs import install_docs
from mitradesa.web.body_limit import MB, BodyLimitMiddleware
from mitradesa.web.errors import install_error_handlers
from mitradesa.web.middleware import RequestBasicsMiddleware
from mitradesa.web.openapi_spec import install_openapi
from mitradesa.web.page_cache import new_cache
from mitradesa.web.pages import router as pages_router
from mitradesa.web.security import enforce_access
from mitradesa.web.shared_figures import new_shared_figures
from mitradesa.web.static_assets import StaticAssets


def create_app(
    engine: Engine | Connection | None = None, *, trusted_proxies: str | None = None
) -> FastAPI:
    """The app on `engine` (default: the configured database). `trusted_proxies` (default
    MITRADESA_TRUSTED_PROXIES): the peers whose X-Forwarded-For/-Proto are believed."""
    app = FastAPI(
        title="mitradesa API",
        version=__version__,
        description="Registri desa, IDM, kerja sama dan pendampingan ekonomi (DPMD).",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,  # install_docs: Swagger UI from the app's own files
        redoc_url=None,
        dependencies=[Depends(enforce_access)],
    )
    app.state.engine = engine or get_engine()
    app.state.page_cache = new_cache()  # rendered pages kept under the data version
    app.state.shared_figures = new_shared_figures()  # a region's figures, for every user
    # Added last = runs first: the basics (headers, CSRF cookie) wrap the body limit's 413.
    app.add_middleware(BodyLimitMiddleware, max_bytes=get_settings().max_body_mb * MB)
    app.add_middleware(RequestBasicsMiddleware)
    install_error_handlers(app)
    app.mount("/static", StaticAssets(), name="static")  # hashed URLs, cache headers, gzip
    app.include_router(api_router)
    app.include_router(pages_router)
    install_openapi(app)
    install_docs(app, "/api/v1/docs")
    trust_proxies(app, get_settings().trusted_proxies if trusted_proxies is None
                  else trusted_proxies)
    return app


def trust_proxies(app: FastAPI, trusted: str) -> None:
    """Believe X-Forwarded-For/-Proto from the `trusted` peers only (comma-separated
    addresses or networks; empty: nobody). Outermost, so every later part of the app (the
    secure-cookie choice, the login throttle, the audit) sees the resolved client."""
    hosts = [host.strip() for host in trusted.split(",") if host.strip()]
    if hosts:
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=hosts)

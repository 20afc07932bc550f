"""The Jinja2 environment and `render`, which adds user, CSRF token and translations."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import FileSystemLoader

from mitradesa import formatting
from mitradesa.settings import get_settings
from mitradesa.web.i18n import page_locale, translations
from mitradesa.web.security import may_open
from mitradesa.web.static_assets import static_url
from mitradesa.web.template_helpers import (
    PageEnvironment,
    d4,
    fixed,
    indicator_options,
    region_href,
    status_badge,
)


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark a string for the catalogue; it is translated where it is shown."""
    return message


CHANGE_LABELS = {
    "renamed": N_("renamed"),
    "moved": N_("moved to another kecamatan"),
    "moved_renamed": N_("moved to another kecamatan and renamed"),
    "promoted": N_("definitive code given to a desa persiapan"),
}

KIND_LABELS = {
    "provinsi": "Provinsi",
    "kabupaten": "Kabupaten",
    "kota": "Kota",
    "kecamatan": "Kecamatan",
    "desa": "Desa",
    "kelurahan": "Kelurahan",
    "desa_persiapan": "Desa persiapan",
}


TEMPLATE_DIR = Path(__file__).parent / "templates"


def moment(value: datetime | date | None, *, locale: str) -> str:
    """A date, or a date and time, as people read it: `6 Des 2026 23.54` (en: 23:54)."""
    return formatting.moment(value, locale)


SYSTEM_ACTOR = "system"  # what the records say when no person made the change


def actor_name(name: str | None, *, gettext: Any) -> str:
    """Who made a change, in words: a username, or for the system (an import, the demo data,
    a scheduled job) a phrase instead of the stored code."""
    if not name or name == SYSTEM_ACTOR:
        return gettext(N_("automatically (by the system)"))
    return name


@lru_cache(maxsize=4)
def templates(locale: str) -> Jinja2Templates:
    """One environment per locale, so concurrent requests never share translations."""
    env = PageEnvironment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=True,  # as Starlette did: every template, whatever its extension
        auto_reload=get_settings().environment == "development",
    )
    env_templates = Jinja2Templates(env=env)
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_translations(translations(locale), newstyle=True)  # type: ignore[attr-defined]
    # Every figure through `mitradesa.formatting`, in the page's language.
    env.filters["number"] = partial(formatting.number, locale=locale)
    # Indeks Desa nilai with its two decimals as the ministry prints it (id: 95,59).
    env.filters["nilai"] = partial(formatting.nilai, locale=locale)
    env.filters["percent"] = lambda share, digits=1: formatting.percent(share, locale, digits)
    env.filters["long_date"] = partial(formatting.long_date, locale=locale)
    env.globals["rupiah"] = partial(formatting.rupiah, locale=locale)
    env.globals["actor_name"] = partial(actor_name, gettext=translations(locale).gettext)
    env.filters["fixed"] = partial(fixed, locale=locale)  # value|fixed(4), |fixed(4, True)
    env.globals["moment"] = partial(moment, locale=locale)
    env.globals["KIND_LABELS"] = KIND_LABELS
    env.globals["CHANGE_LABELS"] = CHANGE_LABELS
    env.globals["may_open"] = may_open  # may_open(user, "route_name", region.code)
    env.globals["d4"] = partial(d4, locale=locale)
    env.globals["region_href"] = region_href
    env.globals["status_badge"] = status_badge
    env.globals["indicator_options"] = indicator_options
    # /static/app.css?v=<hash>: kept a year by browsers; re-read on change in development
    env.globals["static_url"] = partial(static_url, check_changes=get_settings().environment
                                        == "development")
    from mitradesa.web.navigation import ROLE_DESCRIPTIONS, ROLE_LABELS, menus  # uses N_

    env.globals["nav_menus"] = menus  # the top bar's sections: nav_menus(request, user)
    env.globals["ROLE_LABELS"] = ROLE_LABELS
    env.globals["ROLE_DESCRIPTIONS"] = ROLE_DESCRIPTIONS
    return env_templates


def render(
    request: Request, template: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> HTMLResponse:
    locale = page_locale(request)
    data = {
        "request": request,
        "user": getattr(request.state, "user", None),
        "csrf_token": getattr(request.state, "csrf_token", ""),
        "locale": locale,
        **(context or {}),
    }
    return templates(locale).TemplateResponse(request, template, data, status_code=status_code)

"""`/`: each role lands on the page made for it.

- admin and viewer: the regency page (or the region they are limited to);
- mitra: its partner's portfolio;
- operator_desa: its village's tasks;
- pendamping: its villages with status, trend and open tasks.

What the pages show is gathered by `mitradesa.homes`; every list there holds only what the
user may see (partnerships, mentoring and region scope rules).
"""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from mitradesa.accounts.models import User
from mitradesa.homes.portfolio import portfolio
from mitradesa.homes.village_tasks import village_tasks
from mitradesa.homes.villages import pendamping_table, villages_in
from mitradesa.partnerships.vocab import DOCUMENT_KINDS
from mitradesa.regions import queries
from mitradesa.settings import get_settings
from mitradesa.web.page_cache import cached_page
from mitradesa.web.pages.partnerships import show
from mitradesa.web.security import CurrentUser, SessionDep
from mitradesa.web.template_helpers import region_href
from mitradesa.web.templating import N_, render

router = APIRouter()
TREND_WORDS = {"naik": N_("Up"), "turun": N_("Down"), "tetap": N_("Same")}


@router.get("/")
@cached_page
def home(request: Request, db: SessionDep, user: CurrentUser) -> Response:
    """Land on the page made for the user's role."""
    today = date.today()
    if user.role == "mitra":
        return show(request, "homes/mitra.html", {"home": portfolio(db, user, today),
                                                  "trend_words": TREND_WORDS, "today_date": today})
    if user.role == "operator_desa":
        return _operator_home(request, db, user, today)
    if user.role == "pendamping":
        return show(request, "homes/pendamping.html", {
            "table": pendamping_table(db, user, today), "trend_words": TREND_WORDS,
            "today_date": today,
            "scopes": [queries.get_region(db, c) for c in user.scope_codes],
        })
    return _staff_home(request, db, user)


def _staff_home(request: Request, db: SessionDep, user: User) -> Response:
    """DPMD staff land on the regency page; a limited account on its region, or a list."""
    scopes = user.scope_codes
    if not scopes:
        return RedirectResponse(f"/wilayah/{get_settings().home_region}", status_code=303)
    if len(scopes) == 1:
        return RedirectResponse(region_href(queries.get_region(db, scopes[0])), status_code=303)
    regions = [queries.get_region(db, code) for code in scopes]
    return render(request, "regions/home.html", {"regions": regions})


def _operator_home(request: Request, db: SessionDep, user: User, today: date) -> Response:
    """An operator account holds exactly one village (accounts.services)."""
    villages = villages_in(db, user, user.scope_codes)
    chosen = villages[0] if villages else None
    context = {"village": chosen, "tasks": None, "trend_words": TREND_WORDS,
               "DOCUMENT_KINDS": DOCUMENT_KINDS, "today_date": today}
    if chosen is not None:
        context["tasks"] = village_tasks(db, user, chosen.code, today)
    return show(request, "homes/operator.html", context)

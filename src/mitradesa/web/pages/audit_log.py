"""The audit log viewer `/audit` (admin): who changed what and when, filtered by person, kind
of record, village and dates, a page at a time; each entry's fields before and after."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from mitradesa.audit import queries
from mitradesa.partnerships.queries import village_names
from mitradesa.web.audit_words import (
    OBJECT_LABELS,
    action_label,
    actor_label,
    changes,
    object_label,
    region_codes,
)
from mitradesa.web.i18n import page_locale, translations
from mitradesa.web.page_cache import cached_page
from mitradesa.web.security import SessionDep
from mitradesa.web.templating import N_, render

router = APIRouter()
# Where a kind of record is shown, by its id.
RECORD_PAGES = {"agreement": "/kerja-sama/{}", "partner": "/mitra/{}", "mou": "/kerja-sama/mou/{}",
                "program": "/pendampingan/program/{}", "umkm": "/pendampingan/umkm/{}",
                "household": "/pendampingan/rumah-tangga/{}", "group": "/pendampingan/kelompok/{}",
                "region": "/desa/{}"}
Text = Annotated[str, Query(max_length=100)]


def _day(raw: str, label: str, problems: list[str], tr: Callable[[str], str]) -> date | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        problems.append(tr(N_("%(field)s is not a date: “%(value)s”.")) %
                        {"field": tr(label), "value": raw})
        return None


@router.get("/audit")
@cached_page
def audit_log_page(
    request: Request, db: SessionDep,
    orang: Text = "", jenis: Text = "", desa: Text = "", dari: Text = "", sampai: Text = "",
    halaman: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> Response:
    locale = page_locale(request)
    tr = translations(locale).gettext
    problems: list[str] = []
    wanted = queries.AuditFilter(
        actor=orang.strip(), object_type=jenis.strip(), village=desa,
        date_from=_day(dari, N_("From"), problems, tr),
        date_to=_day(sampai, N_("Until"), problems, tr))
    found = queries.audit_page(db, wanted, halaman)
    names = village_names(db, sorted({c for e in found.entries
                                      for c in region_codes([e.before, e.after])}))
    rows = [{
        "entry": e,
        "actor": actor_label(e.actor_name, tr),
        "action": action_label(e.action, tr),
        "object": object_label(e.object_type, tr),
        "fields": changes(e.before, e.after, tr, locale, names),
        "has_before": bool(e.before), "has_after": bool(e.after),
        "href": RECORD_PAGES[e.object_type].format(e.object_id)
        if e.object_type in RECORD_PAGES else "",
    } for e in found.entries]
    kept = {k: v for k, v in {"orang": orang, "jenis": jenis, "desa": desa, "dari": dari,
                              "sampai": sampai}.items() if v}
    return render(request, "audit/log.html", {
        "rows": rows, "found": found, "problems": problems,
        "filters": {"orang": orang, "jenis": jenis, "desa": desa, "dari": dari,
                    "sampai": sampai},
        "actors": [(name, actor_label(name, tr)) for name in queries.actor_names(db)],
        "kinds": sorted(((t, object_label(t, tr)) for t in
                         {*queries.object_types(db), *OBJECT_LABELS}), key=lambda p: p[1]),
        "page_href": lambda n: "/audit?" + urlencode({**kept, "halaman": n}),
    })

"""The search page behind the header's search box: everything the user may see, by kind."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from mitradesa.search import search
from mitradesa.web.page_cache import cached_page
from mitradesa.web.security import CurrentUser, SessionDep
from mitradesa.web.templating import N_, render

router = APIRouter()

# kind → (the badge on each hit, the heading of its group)
KIND_WORDS = {
    "region": (N_("Region"), N_("Villages and regions")),
    "partner": (N_("Partner"), N_("Partners")),
    "mou": (N_("MoU"), N_("Memoranda of understanding (MoU)")),
    "agreement": (N_("Agreement"), N_("Cooperation agreements")),
    "umkm": (N_("UMKM"), N_("UMKM")),
    "household": (N_("Household"), N_("Households")),
    "group": (N_("Business group"), N_("Business groups")),
}
# The kinds whose own list takes the same words (`?q=`), to see every hit.
LISTS = {"umkm": "/pendampingan/umkm", "household": "/pendampingan/rumah-tangga",
         "group": "/pendampingan/kelompok"}


@router.get("/cari")
@cached_page
def search_page(
    request: Request,
    db: SessionDep,
    user: CurrentUser,
    q: Annotated[str, Query(max_length=100)] = "",
    within: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    results = search(db, user, q, within=within)
    context = {"q": q, "within": within or "", "results": results, "KIND_WORDS": KIND_WORDS,
               "LISTS": LISTS}
    template = "search/_results.html" if request.headers.get("hx-request") else "search/page.html"
    return render(request, template, context)

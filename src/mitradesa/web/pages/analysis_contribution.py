"""“Did it work?”: villages with interventions against matched villages without
(analysis.interventions → analysis.contribution), for a region."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from mitradesa.accounts.scope import can_see_village
from mitradesa.analysis.contribution import CALIPER, Estimate
from mitradesa.analysis.families import family
from mitradesa.analysis.interventions import KINDS, OUTCOMES, Details, contribution_for_region
from mitradesa.regions import queries
from mitradesa.regions.models import VILLAGE_KINDS
from mitradesa.web.page_cache import cached_page
from mitradesa.web.pages.analysis import analysis_nav, family_choices
from mitradesa.web.security import CurrentUser, SessionDep
from mitradesa.web.templating import N_, render

router = APIRouter()
KIND_CHOICES = {"all": N_("All interventions"), "kemitraan": N_("Partnerships"),
                "pendampingan": N_("Mentoring programs")}
INTERVENTION_LABELS = {"kemitraan": N_("Partnership"), "pendampingan": N_("Mentoring program")}
# Why there is no estimate (analysis.interventions sets the reason; the page says it).
REASONS = {
    "no_idm": N_("No IDM data has been stored for the villages of this region yet."),
    "no_interventions": N_(
        "No intervention is recorded in the villages of this region yet (a partnership that "
        "reached implementation, or a mentoring program with a start date)."),
    "none_in_window": N_(
        "The earliest intervention starts in %(first)s, after the last IDM year (%(last)s): "
        "there is no year after a start to compare yet."),
    "too_few": N_(
        "Only %(matched)s of %(treated)s villages with an intervention have a comparison "
        "village and years before and after the start; an estimate needs at least 2."),
    "not_identified": N_(
        "These data cannot separate the intervention from the years (nothing changes "
        "between before and after to compare)."),
}
UNMATCHED_LABELS = {
    "no_idm": N_("no IDM data for this village"),
    "no_baseline": N_("no IDM data in the year before the start"),
    "no_match": N_("no village without an intervention has a baseline IDM within 0.05"),
}


def _reading(estimate: Estimate | None) -> str | None:
    """Which plain sentence describes the interval: above, below or around zero."""
    if estimate is None:
        return None
    if estimate.ci_low > 0:
        return "higher"
    if estimate.ci_high < 0:
        return "lower"
    return "unclear"


def _chart(details: Details) -> dict[str, Any]:
    return {"outcome": details.outcome.upper(), "cohorts": [
        {"start": s.start_year, "years": s.years, "treated": s.treated,
         "comparison": s.comparison, "n_treated": s.treated_villages,
         "n_comparison": s.comparison_villages}
        for s in details.series
    ]}


def _choice(value: str | None, allowed: tuple[str, ...], default: str) -> tuple[str, str | None]:
    """(the value to use, the unknown text given)."""
    wanted = (value or "").strip().lower()
    if not wanted:
        return default, None
    return (wanted, None) if wanted in allowed else (default, value)


@router.get("/wilayah/{kode}/analisis/kontribusi")
@cached_page
def region_contribution_page(
    kode: str,
    request: Request,
    db: SessionDep,
    user: CurrentUser,
    ukuran: Annotated[str | None, Query(max_length=20)] = None,
    jenis: Annotated[str | None, Query(max_length=30)] = None,
    indeks: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    region = queries.get_region(db, kode)
    if region.kind in VILLAGE_KINDS:  # one village has no comparison of its own
        return RedirectResponse(f"/wilayah/{region.parent_code}/analisis/kontribusi",
                                status_code=303)
    outcome, unknown_outcome = _choice(ukuran, OUTCOMES, "idm")
    kind, unknown_kind = _choice(jenis, KINDS, "all")
    asked = indeks if indeks in ("idm", "indeks_desa") else None
    result, details = contribution_for_region(db, region.code, outcome, kind, asked)
    used = family(details.family)
    shown = [t for t in details.treated if can_see_village(user, t.code)]
    later = [t for t in details.later if can_see_village(user, t.code)]
    estimates = {e.cohort: e for e in result.cohorts}
    context = {
        "region": region,
        "trail": queries.ancestors(db, region),
        "nav": analysis_nav(request, region),  # the analysis pages' sub-navigation
        "result": result,
        "details": details,
        "outcome": outcome,
        "kind": kind,
        "unknown_outcome": unknown_outcome,
        "unknown_kind": unknown_kind,
        "outcomes": OUTCOMES,
        "kind_choices": KIND_CHOICES,
        "intervention_labels": INTERVENTION_LABELS,
        "reason": REASONS.get(details.reason or ""),
        "unmatched_labels": UNMATCHED_LABELS,
        "reading": _reading(result.overall),
        "cohorts": [(s, estimates.get(s.start_year)) for s in details.series],
        "matched": [t for t in shown if t.comparison],
        "unmatched": [t for t in shown if not t.comparison],
        "later": later,
        "hidden": len(details.treated) + len(details.later) - len(shown) - len(later),
        "caliper": CALIPER * used.scale,
        "families": family_choices(db, region.code), "asked_family": asked or used.key,
        "chart_data": _chart(details),
    }
    return render(request, "analysis/contribution.html", context)

"""Server-rendered pages (Jinja2 + htmx)."""

from fastapi import APIRouter

from mitradesa.web.pages import (
    accounts,
    admin_users,
    analysis,
    analysis_contribution,
    audit_log,
    auth,
    homes,
    idm,
    idm_quality,
    imports,
    indeks_desa,
    mentoring,
    mentoring_enrolment,
    mentoring_markets,
    mentoring_people,
    partnerships,
    partnerships_agreements,
    partnerships_entries,
    partnerships_partners,
    patterns,
    planning,
    regions,
    reports,
)
from mitradesa.web.pages import maps as map_pages
from mitradesa.web.pages import search as search_pages

router = APIRouter(include_in_schema=False)
router.include_router(auth.router)
router.include_router(accounts.router)
router.include_router(admin_users.router)
router.include_router(idm.router)
router.include_router(idm_quality.router)
router.include_router(indeks_desa.router)
router.include_router(planning.router)
router.include_router(analysis.router)
router.include_router(regions.router)
router.include_router(patterns.router)
router.include_router(reports.router)
router.include_router(mentoring.router)
router.include_router(mentoring_enrolment.router)
router.include_router(mentoring_people.router)
router.include_router(mentoring_markets.router)
# partners first: /kerja-sama/mou… must match before /kerja-sama/{agreement_id}
router.include_router(partnerships_partners.router)
router.include_router(partnerships.router)
router.include_router(partnerships_agreements.router)
router.include_router(partnerships_entries.router)
router.include_router(analysis_contribution.router)
router.include_router(imports.router)
router.include_router(search_pages.router)
router.include_router(map_pages.router)
router.include_router(homes.router)
router.include_router(audit_log.router)

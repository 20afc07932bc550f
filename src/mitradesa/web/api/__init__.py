"""JSON API under /api/v1."""

from fastapi import APIRouter

from mitradesa.web.api import (
    accounts,
    analysis,
    analysis_contribution,
    health,
    idm,
    indeks_desa,
    mentoring,
    mentoring_markets,
    partnerships,
    planning,
    regions,
    users,
)
from mitradesa.web.api import search as search_api

router = APIRouter()
router.include_router(health.router)
router.include_router(accounts.router, prefix="/api/v1")
router.include_router(users.router, prefix="/api/v1")
router.include_router(regions.router, prefix="/api/v1")
router.include_router(idm.router, prefix="/api/v1")
router.include_router(indeks_desa.router, prefix="/api/v1")
router.include_router(analysis.router, prefix="/api/v1")
router.include_router(partnerships.router, prefix="/api/v1")
router.include_router(planning.router, prefix="/api/v1")
router.include_router(mentoring.router, prefix="/api/v1")
router.include_router(mentoring_markets.router, prefix="/api/v1")
router.include_router(analysis_contribution.router, prefix="/api/v1")
router.include_router(search_api.router, prefix="/api/v1")

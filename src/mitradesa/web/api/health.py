"""Liveness and readiness: `/healthz`."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import text

from mitradesa import __version__
from mitradesa.db.migrate import current_revision, head_revision
from mitradesa.web.security import SessionDep

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz(db: SessionDep) -> dict[str, str]:
    """Answers 200 when the database is reachable; reports the schema revision."""
    db.execute(text("SELECT 1"))
    return {
        "status": "ok",
        "version": __version__,
        "schema": str(current_revision(db.connection())),
        "schema_head": str(head_revision()),
    }

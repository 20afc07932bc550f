"""Import every model so that Alembic and `Base.metadata` see all tables."""

from mitradesa.accounts.models import ApiToken, LoginAttempt, User, UserScope, UserSession
from mitradesa.audit.models import AuditEntry
from mitradesa.db.base import Base
from mitradesa.idm_records.models import IdmImport, IdmResult
from mitradesa.regions.models import Region, RegionAlias, RegionBoundary, RegionCodeChange

__all__ = [
    "ApiToken",
    "AuditEntry",
    "Base",
    "IdmImport",
    "IdmResult",
    "LoginAttempt",
    "Region",
    "RegionAlias",
    "RegionBoundary",
    "RegionCodeChange",
    "User",
    "UserScope",
    "UserSession",
]

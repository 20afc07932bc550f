"""Import every model so that Alembic and `Base.metadata` see all tables."""

from mitradesa.accounts.models import ApiToken, LoginAttempt, User, UserScope, UserSession
from mitradesa.audit.models import AuditEntry
from mitradesa.db.base import Base
from mitradesa.idm_records.models import IdmImport, IdmResult
from mitradesa.partnerships.models import (
    Agreement,
    AgreementDocument,
    AgreementPartner,
    AgreementVillage,
    Commitment,
    Evaluation,
    Mou,
    MouPartner,
    Partner,
    PartnerArea,
    PartnerMember,
    ProgressReport,
    StageEvent,
)
from mitradesa.regions.models import Region, RegionAlias, RegionBoundary, RegionCodeChange

__all__ = [
    "Agreement",
    "AgreementDocument",
    "AgreementPartner",
    "AgreementVillage",
    "ApiToken",
    "AuditEntry",
    "Base",
    "Commitment",
    "Evaluation",
    "IdmImport",
    "IdmResult",
    "LoginAttempt",
    "Mou",
    "MouPartner",
    "Partner",
    "PartnerArea",
    "PartnerMember",
    "ProgressReport",
    "Region",
    "RegionAlias",
    "RegionBoundary",
    "RegionCodeChange",
    "StageEvent",
    "User",
    "UserScope",
    "UserSession",
]

"""Audit log in one call: `log(session, "regions.desa_persiapan.created", ...)`. Values are
masked on the way in and again on the way out (`masked`), so that an entry written before a
rule was tightened never shows more than the rule allows now."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from mitradesa.audit.models import AuditEntry
from mitradesa.masking import mask_record

SECRET_KEYS = {"password", "password_hash", "token", "token_hash", "secret"}


def masked(values: dict[str, Any] | None) -> dict[str, Any] | None:
    """Secrets hidden whole; NIK and KK numbers masked by the one policy (`masking`)."""
    if values is None:
        return None
    masked = mask_record(values)
    return {key: "***" if key.lower() in SECRET_KEYS and value else value
            for key, value in masked.items()}


def log(
    session: Session,
    action: str,
    object_type: str,
    object_id: str | int,
    *,
    actor: Any = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Record one create/update/delete in the caller's transaction; secrets are masked."""
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        actor_name=getattr(actor, "username", None) or "system",
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        before=masked(before),
        after=masked(after),
    )
    session.add(entry)
    return entry

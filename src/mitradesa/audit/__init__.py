"""Audit log in one call: `log(session, "regions.desa_persiapan.created", ...)`."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from mitradesa.audit.models import AuditEntry

SECRET_KEYS = {"password", "password_hash", "token", "token_hash", "nik", "secret"}


def _mask(values: dict[str, Any] | None) -> dict[str, Any] | None:
    if values is None:
        return None
    masked: dict[str, Any] = {}
    for key, value in values.items():
        if key.lower() in SECRET_KEYS and value:
            text = str(value)
            masked[key] = "***" if key.lower() != "nik" else f"{text[:4]}********{text[-4:]}"
        else:
            masked[key] = value
    return masked


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
        before=_mask(before),
        after=_mask(after),
    )
    session.add(entry)
    return entry

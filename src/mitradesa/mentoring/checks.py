"""Checks the mentoring use cases share: who may record for a village, what a village code,
a NIK or an amount must be, and finding a record by its number."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy.orm import Session

from mitradesa.accounts.models import User
from mitradesa.accounts.scope import can_see_village
from mitradesa.errors import NotFoundError, PermissionDeniedError
from mitradesa.mentoring.errors import MentoringError
from mitradesa.regions.models import VILLAGE_KINDS
from mitradesa.regions.queries import get_region

EDITORS = frozenset({"admin", "pendamping", "operator_desa"})
_SIXTEEN_DIGITS = re.compile(r"^\d{16}$")


def may_edit_village(actor: User | None, village_code: str) -> None:
    if actor is None:
        return
    if actor.role not in EDITORS or not can_see_village(actor, village_code):
        raise PermissionDeniedError("Anda tidak berwenang mencatat data untuk desa ini.")


def village(session: Session, code: str) -> str:
    region = get_region(session, code)
    if region.kind not in VILLAGE_KINDS:
        raise MentoringError(f"{region.code} ({region.name}) bukan desa atau kelurahan.")
    return region.code


def digits16(value: str, what: str, *, required: bool) -> str:
    clean = re.sub(r"\s+", "", value or "")
    if not clean and not required:
        return ""
    if not _SIXTEEN_DIGITS.match(clean):
        raise MentoringError(f"{what} harus 16 angka; yang diisi: “{value}”.")
    return clean


def not_negative(value: int | None, what: str) -> int | None:
    if value is not None and value < 0:
        raise MentoringError(f"{what} tidak boleh negatif.")
    return value


def get_or_404(session: Session, model: type, key: int, what: str) -> Any:
    found = session.get(model, key)
    if found is None:
        raise NotFoundError(f"{what} nomor {key} tidak ditemukan.")
    return found


def actor_name(actor: User | None) -> str:
    return getattr(actor, "username", None) or "system"

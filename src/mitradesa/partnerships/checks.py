"""Checks shared by the partnership use cases: permission, vocabularies, villages, money,
dates and IDM indicator keys."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy.orm import Session

from mitradesa.errors import PermissionDeniedError
from mitradesa.idm.catalogue import find_indicator
from mitradesa.partnerships.errors import PartnershipError
from mitradesa.partnerships.vocab import SECTORS
from mitradesa.regions.models import VILLAGE_KINDS
from mitradesa.regions.queries import get_region

_INDICATOR = re.compile(r"^\s*(IKS|IKE|IKL)\s*(\d{1,2})\s*$", re.IGNORECASE)


def require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDeniedError(message)


def clean_sectors(values: list[str], what: str) -> list[str]:
    clean = [v.strip().lower() for v in values if v and v.strip()]
    unknown = [v for v in clean if v not in SECTORS]
    if unknown:
        raise PartnershipError(
            f"{what} tidak dikenal: {', '.join(unknown)}. Pilih dari: {', '.join(SECTORS)}."
        )
    return sorted(set(clean), key=list(SECTORS).index)


def clean_villages(session: Session, codes: list[str]) -> list[str]:
    result: list[str] = []
    for raw in codes:
        region = get_region(session, raw)
        if region.kind not in VILLAGE_KINDS:
            raise PartnershipError(f"{region.code} ({region.name}) bukan desa atau kelurahan.")
        if region.code not in result:
            result.append(region.code)
    return result


def indicator_keys(values: list[str]) -> list[str]:
    """["ike 7", "IKS 30"] → ["IKE 7", "IKS 30"], each checked against the catalogue."""
    keys: list[str] = []
    for value in values:
        match = _INDICATOR.match(value or "")
        if not match or find_indicator(match[1].upper(), int(match[2])) is None:
            raise PartnershipError(f"Indikator IDM “{value}” tidak dikenal; tulis seperti “IKE 7”.")
        key = f"{match[1].upper()} {int(match[2])}"
        if key not in keys:
            keys.append(key)
    return keys


def non_negative(value: int | None, what: str) -> int | None:
    if value is not None and value < 0:
        raise PartnershipError(f"{what} tidak boleh negatif.")
    return value


def check_dates(start: date | None, end: date | None) -> None:
    if start and end and end < start:
        raise PartnershipError("Tanggal selesai tidak boleh sebelum tanggal mulai.")

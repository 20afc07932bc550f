"""Checks shared by the partnership use cases: permission, vocabularies, villages, money,
dates and IDM indicator keys."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import TypeVar

from sqlalchemy.orm import Session

from mitradesa.accounts.models import User
from mitradesa.accounts.scope import can_see_village
from mitradesa.errors import PermissionDeniedError
from mitradesa.idm.catalogue import find_indicator
from mitradesa.partnerships.errors import PartnershipError, VersionRequiredError
from mitradesa.partnerships.vocab import SECTORS
from mitradesa.regions.errors import RegionNotFoundError
from mitradesa.regions.models import VILLAGE_KINDS
from mitradesa.regions.queries import get_region
from mitradesa.reports.formatting import long_date

T = TypeVar("T")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")
_INDICATOR = re.compile(r"^\s*(IKS|IKE|IKL)\s*(\d{1,2})\s*$", re.IGNORECASE)


class Problems:
    """Every problem of one write, so that the user sees them all at once rather than one
    per attempt. What the user may not see (not found) is not collected: it stops at once."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def add(self, message: str) -> None:
        if message not in self.messages:
            self.messages.append(message)

    def attempt(self, check: Callable[[], T]) -> T | None:
        try:
            return check()
        except PartnershipError as error:
            for message in error.details.get("problems") or [error.message]:
                self.add(message)
            return None

    def raise_if_any(self) -> None:
        if self.messages:
            raise PartnershipError(" ".join(self.messages), problems=list(self.messages))


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


def within_scope(actor: User | None, codes: list[str]) -> None:
    """Refuse a write that touches a village outside the acting user's scope, with the same
    answer as for a village that does not exist (a write must not reveal what it may not
    see). A `mitra` user's reach is its partner, checked where it writes."""
    if actor is None or actor.role == "mitra":
        return
    for code in codes:
        if not can_see_village(actor, code):
            raise RegionNotFoundError(f"Wilayah dengan kode {code} tidak ditemukan.", code=code)


def require_version(actor: User | None, expected_version: int | None, what: str) -> None:
    """A change by a user must say which version it was based on, or it could silently
    overwrite someone else's edit (the command line and imports, actor None, are trusted)."""
    if actor is not None and expected_version is None:
        raise VersionRequiredError(
            f"Perubahan {what} harus menyertakan versi data yang Anda ubah (`versi`, dari "
            "data yang Anda baca terakhir); tanpa itu perubahan orang lain bisa tertimpa."
        )


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


def date_problems(start: date | None, end: date | None, signed_on: date | None = None, *,
                  today: date | None = None) -> list[str]:
    """Dates that cannot be, each named: an end before the start, a signing after the end or
    in the future."""
    today = today or date.today()
    problems = []
    if start and end and end < start:
        problems.append(f"Tanggal selesai {long_date(end)} jatuh sebelum tanggal mulai "
                        f"{long_date(start)}.")
    if signed_on and signed_on > today:
        problems.append(f"Tanggal penandatanganan {long_date(signed_on)} belum terjadi "
                        f"(hari ini {long_date(today)}).")
    if signed_on and end and signed_on > end:
        problems.append(f"Tanggal penandatanganan {long_date(signed_on)} jatuh sesudah "
                        f"tanggal selesai {long_date(end)}.")
    return problems


def clean_email(value: str) -> str:
    """An e-mail address or nothing; anything else is refused with the value named."""
    value = (value or "").strip()
    if value and (len(value) > 200 or not _EMAIL.match(value)):
        raise PartnershipError(f"Alamat e-mail “{value[:80]}” tidak sah; tulis seperti "
                               "nama@contoh.co.id.")
    return value

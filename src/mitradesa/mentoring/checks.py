"""Checks the mentoring use cases share: who may record for a village, what a village code,
a NIK or an amount must be, and finding a record by its number."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from mitradesa.accounts.models import User
from mitradesa.accounts.scope import UNSCOPED_WHEN_EMPTY, can_see_village
from mitradesa.errors import NotFoundError, PermissionDeniedError
from mitradesa.mentoring.errors import MentoringError
from mitradesa.regions.errors import RegionNotFoundError
from mitradesa.regions.models import VILLAGE_KINDS
from mitradesa.regions.queries import get_region
from mitradesa.reports.formatting import long_date

EDITORS = frozenset({"admin", "pendamping", "operator_desa"})
_SIXTEEN_DIGITS = re.compile(r"^\d{16}$")


def may_edit_village(actor: User | None, village_code: str) -> None:
    if actor is None:
        return
    if actor.role not in EDITORS or not can_see_village(actor, village_code):
        raise PermissionDeniedError("Anda tidak berwenang mencatat data untuk desa ini.")


def village(session: Session, code: str, actor: User | None = None) -> str:
    """The dotted code of a desa or kelurahan; outside the actor's scope (when given) it
    answers as a code that does not exist."""
    region = get_region(session, code)
    if actor is not None and not can_see_village(actor, region.code):
        raise RegionNotFoundError(f"Wilayah dengan kode {code} tidak ditemukan.", code=code)
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


def in_scope(session: Session, actor: User | None, model: type, key: int, what: str) -> Any:
    """A household, UMKM or group a write refers to. Outside the actor's scope it answers as
    if it did not exist (404), so that a write cannot reveal or reach another village."""
    found = session.get(model, key)
    if found is None or (actor is not None and not can_see_village(actor, found.village_code)):
        raise NotFoundError(f"{what} nomor {key} tidak ditemukan.")
    return found


def unscoped(actor: User | None) -> bool:
    """The command line, and DPMD staff whose empty scope means the whole regency."""
    return actor is None or (actor.role in UNSCOPED_WHEN_EMPTY and not actor.scope_codes)


# ------------------------------------------------------------------ dates that cannot be

FAR_FUTURE_DAYS = 30


def latest_today() -> date:
    """The latest date that is still "today" for a user: the server may run on UTC while the
    day in Kalimantan (WITA, UTC+8) has already begun."""
    return date.today() + timedelta(days=1)


def not_future(on: date, what: str) -> None:
    if on > latest_today():
        raise MentoringError(f"{what} {long_date(on)} belum terjadi; tanggal tidak boleh setelah "
                             f"hari ini.")


def not_before(on: date, earliest: date | None, what: str, since: str) -> None:
    """Refuse `on` before `earliest`, naming both dates (e.g. since="tanggal terdaftar")."""
    if earliest is not None and on < earliest:
        raise MentoringError(f"{what} {long_date(on)} sebelum {since} ({long_date(earliest)}).")


class Problems:
    """Every problem of one input, so that the user sees them all at once."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def add(self, message: str) -> None:
        self.messages.append(message)

    @contextmanager
    def checking(self) -> Iterator[None]:
        """Run a check that raises; keep its message instead of stopping."""
        try:
            yield
        except MentoringError as error:
            self.messages.extend(error.details.get("problems") or [error.message])

    def raise_any(self) -> None:
        if self.messages:
            raise MentoringError(" ".join(self.messages), problems=list(self.messages))


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")


def checked_contact(value: str, what: str) -> str:
    """A phone number or a name as typed; anything written as an e-mail address must be one."""
    clean = value.strip()
    for word in clean.replace(",", " ").replace(";", " ").split():
        if "@" in word and not _EMAIL.match(word.strip("<>()")):
            raise MentoringError(f"{what}: “{word}” bukan alamat e-mail yang sah (contoh: "
                                 "nama@contoh.co.id).")
    return clean

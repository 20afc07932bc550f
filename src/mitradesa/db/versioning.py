"""Refusing a save made from a stale form or request, with a message that says what to do."""

from __future__ import annotations

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from mitradesa.db.base import Versioned, utcnow
from mitradesa.errors import MitradesaError


class EditConflictError(MitradesaError):
    status = 409
    reason = "edit_conflict"


def _refusal(what: str) -> EditConflictError:
    return EditConflictError(
        f"{what} sudah diubah orang lain sejak Anda membukanya, jadi isian Anda belum "
        "disimpan. Periksa versi terbaru (buka di tab lain); bila isian Anda masih benar, "
        "simpan lagi.")


def form_version(value: str) -> int | None:
    """The version a form was rendered with (its hidden `versi` field); None if absent."""
    value = value.strip()
    return int(value) if value.isdigit() else None


def check_version(record: Versioned, expected: int | None, what: str) -> None:
    """`expected` is the version the user's form or request was based on (None: not sent)."""
    if expected is not None and expected != record.version:
        raise _refusal(what)


def save_edit(session: Session, record: Versioned, what: str) -> None:
    """Write the edit and raise the version even when only related rows changed; a save that
    loses a race with another one in flight is refused the same way."""
    record.updated_at = utcnow()  # type: ignore[attr-defined]
    try:
        session.flush()
    except StaleDataError as error:
        raise _refusal(what) from error

"""Serialising the writes of one enrolment (graduation, leaving, stage moves, assessments,
outcomes): each takes the enrolment's row lock first and then re-reads it, so that its checks
see what the write before it committed.

PostgreSQL: `SELECT … FOR UPDATE`. SQLite has no row locks; a write to the row takes the
database's write lock instead (BEGIN IMMEDIATE semantics), which the next writer waits for.
When this transaction already read an older snapshot, SQLite cannot let it write at all: that
is answered as a conflict to retry, never as a server error.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from mitradesa.errors import ConflictError
from mitradesa.mentoring.models import Enrolment

BUSY = ("Data peserta ini baru saja diubah oleh orang lain, jadi isian Anda belum disimpan. "
        "Muat ulang halaman, periksa datanya, lalu coba lagi.")


def lock_enrolment(session: Session, enrolment: Enrolment) -> Enrolment:
    """Take the enrolment's lock for the rest of the transaction and re-read it with its
    outcomes, stages and assessments."""
    if session.get_bind().dialect.name == "sqlite":
        try:
            session.execute(update(Enrolment).where(Enrolment.id == enrolment.id)
                            .values(stage=Enrolment.stage)
                            .execution_options(synchronize_session=False))
        except OperationalError as error:
            if "locked" not in str(error.orig):
                raise
            raise ConflictError(BUSY, reason="busy") from None
        session.refresh(enrolment)
    else:
        session.refresh(enrolment, with_for_update=True)
    return enrolment

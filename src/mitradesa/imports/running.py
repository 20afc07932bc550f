"""Run an import of a staged upload for a user, through the command line's use cases.

`preview` runs it in a transaction that is always rolled back (a dry run: the counts, the
rows that would change and every problem); `apply` runs it again on the database as it is
now and commits only when there is no problem (all or nothing). Villages outside the user's
scope, and rows of another year than the one chosen, are problems of their row.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Connection, Engine, select
from sqlalchemy.orm import Session

from mitradesa.accounts.models import User
from mitradesa.accounts.scope import can_see_village
from mitradesa.audit import log
from mitradesa.db.session import session_scope
from mitradesa.errors import MitradesaError
from mitradesa.idm_records.importing import ImportReport as IdmReport
from mitradesa.idm_records.importing import import_idm_files
from mitradesa.imports.kinds import N_
from mitradesa.imports.outcome import SHOWN_CHANGES, Change, Outcome, Problem
from mitradesa.imports.staging import Staged
from mitradesa.indeks_desa_records.importing import ImportReport as IndeksDesaReport
from mitradesa.indeks_desa_records.importing import import_indeks_desa_files
from mitradesa.io.errors import ImportRejectedError, RowProblem
from mitradesa.mentoring.beneficiaries import beneficiary_of, who_of
from mitradesa.mentoring.models import Enrolment
from mitradesa.mentoring.queries import visible_programs
from mitradesa.mentoring.spreadsheets import import_beneficiaries
from mitradesa.partnerships.models import Agreement, Partner
from mitradesa.partnerships.spreadsheets import import_agreements, import_partners
from mitradesa.regions.models import Region
from mitradesa.settings import get_settings

Progress = Callable[[int, int, str], None]
Bind = Engine | Connection
VillageReport = IdmReport | IndeksDesaReport


def _noop(done: int, total: int, stage: str) -> None:
    return None


def preview(bind: Bind, staged: Staged) -> Outcome:
    """What importing the staged file would do now; nothing is kept."""
    with session_scope(bind) as session, tempfile.TemporaryDirectory() as scratch:
        user = _user(session, staged)
        try:
            return run_import(session, user, staged, store_dir=Path(scratch))
        finally:
            session.rollback()


def apply(bind: Bind, staged: Staged, progress: Progress = _noop) -> Outcome:
    """Import the staged file: checked again, then written in one transaction, or nothing."""
    with session_scope(bind) as session:
        user = _user(session, staged)
        outcome = run_import(session, user, staged,
                             store_dir=get_settings().data_dir / "imports", progress=progress)
        if outcome.problems:
            session.rollback()
        else:
            session.commit()
        return outcome


def _user(session: Session, staged: Staged) -> User:
    user = session.get(User, staged.user_id)
    if user is None or not user.active:
        raise MitradesaError("Akun pengunggah tidak aktif lagi.")
    return user


def run_import(session: Session, user: User, staged: Staged, *, store_dir: Path,
               progress: Progress = _noop) -> Outcome:
    """The use case of the staged kind, in `session`; on any problem the outcome lists them
    and the caller must roll back."""
    runner = RUNNERS[staged.kind]
    try:
        return runner(session, user, staged, store_dir, progress)
    except ImportRejectedError as exc:
        return Outcome(problems=[Problem.of(p) for p in exc.problems])
    except MitradesaError as exc:
        return Outcome(problems=[Problem(staged.filename, None, exc.message.rstrip("."))])


# ------------------------------------------------------------------ village indices


def _row_check(session: Session, user: User, year: int | None) -> Callable[[str, int], str | None]:
    def check(code: str, row_year: int) -> str | None:
        if year is not None and row_year != year:
            return f"tahun {row_year}, bukan tahun {year} yang dipilih"
        if not can_see_village(user, code):
            region = session.get(Region, code)
            name = f"{region.name} ({code})" if region else code
            return f"desa {name} di luar wilayah kerja Anda"
        return None

    return check


def _village_changes(session: Session, changes: list[tuple[str, int, str]], page: str
                     ) -> list[Change]:
    shown = changes[:SHOWN_CHANGES]
    codes = {code for code, _, _ in shown}
    query = select(Region.code, Region.name).where(Region.code.in_(sorted(codes)))
    names = {code: name for code, name in session.execute(query)} if codes else {}
    return [Change(state, f"{names.get(code, code)}, {year}", code, f"/desa/{code}/{page}")
            for code, year, state in shown]


def _regency(code: str) -> str:
    return ".".join(code.split(".")[:2])


def _village_outcome(session: Session, report: VillageReport, page: str) -> Outcome:
    changes, files = report.changes, report.files
    outcome = Outcome(created=report.created,
                      updated=report.updated,
                      unchanged=report.unchanged,
                      changes=_village_changes(session, changes, page))
    outcome.already_imported = bool(files) and all(f.state == "unchanged" for f in files)
    relocated, found = report.relocated, report.discrepancies
    if relocated:
        outcome.notes.append([N_("%(n)s rows use an old village code and were moved to today's "
                              "code."), {"n": len(relocated)}])
    if found:
        outcome.notes.append([N_("%(n)s village-years: the published figures differ from the "
                              "recomputed ones; the published figures are kept as the "
                              "official ones."), {"n": len(found)}])
    first = changes[0][0] if changes else ""
    if first:
        outcome.link, outcome.link_label = f"/wilayah/{_regency(first)}/{page}", "region"
    return outcome


def _audit(session: Session, user: User, action: str, kind: str, report: VillageReport) -> None:
    for done in report.files:
        if done.state == "imported":
            log(session, action, kind, done.sha256[:16], actor=user, after={
                "berkas": done.name, "baris": done.records,
                "baru": report.created, "berubah": report.updated,
                "tetap": report.unchanged})


def _idm(session: Session, user: User, staged: Staged, store_dir: Path,
         progress: Progress) -> Outcome:
    report = import_idm_files(session, [staged.path], store_dir=store_dir, user_id=user.id,
                              progress=progress, check=_row_check(session, user, staged.year))
    _audit(session, user, "idm.file_imported", "idm_import", report)
    return _village_outcome(session, report, "idm")


def _indeks_desa(session: Session, user: User, staged: Staged, store_dir: Path,
                 progress: Progress) -> Outcome:
    report = import_indeks_desa_files(session, [staged.path], store_dir=store_dir,
                                      user_id=user.id, progress=progress,
                                      check=_row_check(session, user, staged.year))
    _audit(session, user, "indeks_desa.file_imported", "indeks_desa_import", report)
    return _village_outcome(session, report, "indeks-desa")


# ------------------------------------------------------------------ tables


def _partners(session: Session, user: User, staged: Staged, store_dir: Path,
              progress: Progress) -> Outcome:
    report = import_partners(session, staged.path, actor=user, progress=progress)
    return _record_outcome(session, Partner, "name", "/mitra", report.created, report.updated,
                           report.unchanged)


def _agreements(session: Session, user: User, staged: Staged, store_dir: Path,
                progress: Progress) -> Outcome:
    report = import_agreements(session, staged.path, actor=user, progress=progress)
    return _record_outcome(session, Agreement, "title", "/kerja-sama", report.created,
                           report.updated, report.unchanged)


def _record_outcome(session: Session, model: type[Partner] | type[Agreement], attribute: str,
                    base: str, created: list[int], updated: list[int], unchanged: int
                    ) -> Outcome:
    outcome = Outcome(created=len(created), updated=len(updated), unchanged=unchanged,
                      link=base, link_label="list")
    touched = [("created", i) for i in created] + [("updated", i) for i in updated]
    for state, number in touched[:SHOWN_CHANGES]:
        record = session.get(model, number)
        label = getattr(record, attribute) if record is not None else str(number)
        outcome.changes.append(Change(state, label, str(number), f"{base}/{number}"))
    return outcome


def _beneficiaries(session: Session, user: User, staged: Staged, store_dir: Path,
                   progress: Progress) -> Outcome:
    program = next((p for p in visible_programs(session, user) if p.id == staged.program_id),
                   None)
    if program is None:
        raise ImportRejectedError([RowProblem(staged.filename, None,
                                              "program pendampingan tidak ditemukan")])
    report = import_beneficiaries(session, program, staged.path, actor=user, progress=progress)
    link = f"/pendampingan/program/{program.id}"
    outcome = Outcome(created=len(report.enrolled), link=link, link_label="program")
    for number in report.enrolled[:SHOWN_CHANGES]:
        enrolment = session.get(Enrolment, number)
        label = who_of(beneficiary_of(enrolment)) if enrolment is not None else str(number)
        outcome.changes.append(Change("created", label, str(number), link))
    outcome.notes.append([N_("%(new)s newly registered, %(known)s already on record (their "
                          "recorded data is kept)."),
                          {"new": report.registered, "known": report.existing}])
    return outcome


Runner = Callable[[Session, User, Staged, Path, Progress], Outcome]
RUNNERS: dict[str, Runner] = {
    "idm": _idm, "indeks-desa": _indeks_desa, "mitra": _partners, "perjanjian": _agreements,
    "peserta": _beneficiaries,
}

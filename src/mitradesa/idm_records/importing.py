"""Import the ministry's IDM files into the database: all or nothing, idempotent.

A file already imported (same SHA-256) is skipped. Codes are resolved through the registry's
code history. Rows with an unknown code, a wrong number of indicators or a score outside 0–5
reject the whole import (nothing is written) unless the caller asks to skip them. Published
figures that disagree with the recomputation are kept as the official ones and reported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import select, update
from sqlalchemy.orm import Session

import mitradesa.db.models  # noqa: F401  (every table known before the first flush)
from mitradesa.db.base import utcnow
from mitradesa.db.bulk import insert_rows
from mitradesa.idm import compute_many, load_scheme
from mitradesa.idm_records.discrepancy import Discrepancy, compare_published
from mitradesa.idm_records.models import IdmImport, IdmResult
from mitradesa.io.errors import ImportRejectedError, RowProblem
from mitradesa.io.idm_files import IdmRecord, ParsedFile, expand_paths, parse_file
from mitradesa.io.raw_files import FileOutcome, keep_raw, sha256_of
from mitradesa.regions.codes import RegionCodeError, normalize_code
from mitradesa.regions.errors import RegionInputError
from mitradesa.regions.models import VILLAGE_KINDS
from mitradesa.regions.names import normalize_name
from mitradesa.regions.queries import code_facts, resolve_codes

Progress = Callable[[int, int, str], None]
# (village code today, year) → why the row may not be imported here, or None: lets a caller
# refuse rows (e.g. villages outside a user's scope) as problems of their row.
RowCheck = Callable[[str, int], str | None]
FIRST_YEAR = 2015  # the IDM was first published for 2015/2016
LAST_YEAR = 2100
SCHEME = "idm2016"
_SCHEME = load_scheme(SCHEME)
_INDICATORS = _SCHEME.indicator_count
FIGURES = ("iks", "ike", "ikl", "idm", "status", "target_status", "skor_minimal", "penambahan")


@dataclass
class ImportReport:
    files: list[FileOutcome] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    relocated: list[str] = field(default_factory=list)
    discrepancies: list[Discrepancy] = field(default_factory=list)
    skipped: list[RowProblem] = field(default_factory=list)
    # (village code, year, "created" | "updated") of every row written, in file order
    changes: list[tuple[str, int, str]] = field(default_factory=list)

    @property
    def written(self) -> int:
        return self.created + self.updated


@dataclass
class _Row:
    record: IdmRecord
    file_index: int
    village_code: str
    given_code: str


def _noop(done: int, total: int, stage: str) -> None:
    return None


def import_idm_files(
    session: Session,
    paths: list[Path],
    *,
    store_dir: Path,
    user_id: int | None = None,
    skip_invalid: bool = False,
    progress: Progress = _noop,
    check: RowCheck | None = None,
) -> ImportReport:
    """Parse, check and write every village-year of `paths` in the caller's transaction.

    Raises ImportRejectedError (before writing anything) when a row is invalid and
    `skip_invalid` is false; the caller rolls back. `check` refuses further rows (a reason
    per village-year), e.g. those outside the importing user's scope.
    """
    report = ImportReport()
    files = expand_paths(paths)
    if not files:
        raise RegionInputError("Tidak ada berkas IDM (.json, .csv, .xlsx) yang ditemukan.")
    parsed: list[ParsedFile] = []
    hashes: list[str] = []
    problems: list[RowProblem] = []
    for number, path in enumerate(files, start=1):
        progress(number - 1, len(files), "membaca berkas")
        if not path.is_file():
            problems.append(RowProblem(str(path), None, "berkas tidak ditemukan"))
            continue
        sha = sha256_of(path)
        if sha in hashes or session.scalar(select(IdmImport.id).where(IdmImport.sha256 == sha)):
            report.files.append(FileOutcome(path.name, sha, path.suffix.lower(), 0, "unchanged"))
            continue
        try:
            result = parse_file(path)
        except ImportRejectedError as exc:
            problems.extend(exc.problems)
            continue
        problems.extend(result.problems)
        parsed.append(result)
        hashes.append(sha)
    progress(len(files), len(files), "membaca berkas")
    report.skipped.extend(problems)

    resolved = _resolve(session, parsed, report)
    if check is not None:
        resolved = _allowed(resolved, check, report)
    rows = _drop_duplicates(resolved, report)
    if report.skipped and not skip_invalid:
        raise ImportRejectedError(report.skipped)
    # Counted before duplicates are dropped: a file whose rows another file also holds was
    # still read whole.
    imports = _record_files(session, parsed, hashes, resolved, store_dir, user_id, report)
    _write_results(session, rows, imports, report, progress)
    return report


def _resolve(session: Session, parsed: list[ParsedFile], report: ImportReport) -> list[_Row]:
    """Check each record and find its village today, through the code history.

    Most codes are current and named as in the registry: those are settled with one light
    query; only the rest go through the code history.
    """
    pending: list[tuple[IdmRecord, int, str]] = []
    dotted: dict[str, str | None] = {}
    for file_index, result in enumerate(parsed):
        for record in result.records:
            problem = _check(record)
            if problem:
                report.skipped.append(problem)
                continue
            if record.code not in dotted:
                try:
                    dotted[record.code] = normalize_code(record.code)
                except (RegionInputError, RegionCodeError):
                    dotted[record.code] = None
            code = dotted[record.code]
            if code is None:
                report.skipped.append(
                    RowProblem(record.file, record.row, f"kode desa tidak sah: {record.code!r}")
                )
                continue
            pending.append((record, file_index, code))
    facts = code_facts(session, [code for _, _, code in pending])
    names = _NameCache()
    settled: list[_Row] = []
    unsettled: list[tuple[IdmRecord, int, str]] = []
    for record, file_index, code in pending:
        fact = facts.get(code)
        if (
            fact is not None and fact.active and fact.kind in VILLAGE_KINDS
            and (record.name is None or names.norm(record.name) == fact.name_norm)
        ):
            settled.append(_Row(record, file_index, code, code))
        else:
            unsettled.append((record, file_index, code))
    resolved = resolve_codes(session, [(code, record.name) for record, _, code in unsettled])
    for record, file_index, code in unsettled:
        found = resolved[(code, record.name)]
        if found is None or found.region.kind not in VILLAGE_KINDS:
            report.skipped.append(
                RowProblem(record.file, record.row, f"kode desa {code} tidak dikenal di registri "
                                                    "maupun riwayat kodenya")
            )
            continue
        if found.via_history:
            report.relocated.append(f"{_where(record)}: {found.message}")
        settled.append(_Row(record, file_index, found.region.code, code))
    return settled


def _allowed(rows: list[_Row], check: RowCheck, report: ImportReport) -> list[_Row]:
    kept: list[_Row] = []
    for row in rows:
        reason = check(row.village_code, row.record.year)
        if reason:
            report.skipped.append(RowProblem(row.record.file, row.record.row, reason))
        else:
            kept.append(row)
    return kept


class _NameCache:
    def __init__(self) -> None:
        self._seen: dict[str, str] = {}

    def norm(self, name: str) -> str:
        if name not in self._seen:
            self._seen[name] = normalize_name(name)
        return self._seen[name]


def _where(record: IdmRecord) -> str:
    return f"{record.file}, baris {record.row}" if record.row is not None else record.file


def _check(record: IdmRecord) -> RowProblem | None:
    scheme = _SCHEME
    if len(record.scores) != _INDICATORS:
        return RowProblem(
            record.file, record.row, f"{len(record.scores)} indikator, seharusnya {_INDICATORS}",
        )
    if min(record.scores) < 0 or max(record.scores) > scheme.max_score:
        bad = [
            (position, score) for position, score in enumerate(record.scores)
            if not 0 <= score <= scheme.max_score
        ]
        from mitradesa.idm.catalogue import indicator_label

        position, score = bad[0]
        return RowProblem(
            record.file, record.row,
            f"skor {indicator_label(position)} = {score}, di luar 0–{scheme.max_score}",
        )
    if not FIRST_YEAR <= record.year <= LAST_YEAR:
        return RowProblem(record.file, record.row, f"tahun {record.year} tidak masuk akal")
    return None


def _drop_duplicates(rows: list[_Row], report: ImportReport) -> list[_Row]:
    """One row per village-year; the same row twice is harmless, two different ones are not."""
    seen: dict[tuple[str, int], _Row] = {}
    for row in rows:
        key = (row.village_code, row.record.year)
        earlier = seen.get(key)
        if earlier is None:
            seen[key] = row
        elif earlier.record.scores != row.record.scores:
            report.skipped.append(
                RowProblem(
                    row.record.file, row.record.row,
                    f"desa {row.village_code} tahun {row.record.year} sudah ada di "
                    f"{_where(earlier.record)} dengan skor lain",
                )
            )
    return list(seen.values())


def _record_files(
    session: Session, parsed: list[ParsedFile], hashes: list[str], rows: list[_Row],
    store_dir: Path, user_id: int | None, report: ImportReport,
) -> list[IdmImport]:
    """Keep each raw file unchanged (content-addressed) and note it in the database."""
    counts = [0] * len(parsed)
    for row in rows:
        counts[row.file_index] += 1
    imports: list[IdmImport] = []
    for result, sha, count in zip(parsed, hashes, counts, strict=True):
        target = keep_raw(result.path, sha, store_dir)
        entry = IdmImport(
            filename=result.path.name[:300], sha256=sha, size=result.path.stat().st_size,
            file_format=result.file_format, stored_path=str(target), rows=count,
            report={}, created_by=user_id,
        )
        session.add(entry)
        imports.append(entry)
        report.files.append(FileOutcome(result.path.name, sha, result.file_format, count,
                                        "imported"))
    session.flush()
    return imports


def _write_results(
    session: Session, rows: list[_Row], imports: list[IdmImport], report: ImportReport,
    progress: Progress,
) -> None:
    if not rows:
        return
    scheme = load_scheme(SCHEME)
    scores = np.array([row.record.scores for row in rows], dtype=np.int8)
    figures = compute_many(scores, SCHEME)
    computed = {
        "iks": figures.iks.tolist(), "ike": figures.ike.tolist(), "ikl": figures.ikl.tolist(),
        "idm": figures.idm.tolist(), "status": figures.status_names(),
        "target_status": figures.target_names(), "skor_minimal": figures.skor_minimal(),
        "penambahan": figures.penambahan.tolist(),
    }
    digits = (scores + ord("0")).astype(np.uint8).tobytes().decode("ascii")
    width = scheme.indicator_count
    existing = _existing(session, rows)
    now = utcnow()
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    per_file: dict[int, list[Discrepancy]] = {}
    for position, row in enumerate(rows):
        if position % 5000 == 0:
            progress(position, len(rows), "menghitung dan menyimpan")
        mine = {key: computed[key][position] for key in FIGURES}
        official, source, finding = compare_published(row.record, mine, scheme)
        if finding is not None:
            report.discrepancies.append(finding)
            per_file.setdefault(row.file_index, []).append(finding)
        values = {
            "village_code": row.village_code, "year": row.record.year, "scheme": SCHEME,
            "given_code": row.given_code,
            "scores": digits[position * width : (position + 1) * width],
            **official, "figures_source": source,
            "discrepancy": finding.as_json() if finding else None,
            "import_id": imports[row.file_index].id, "updated_at": now,
        }
        before = existing.get((row.village_code, row.record.year))
        if before is None:
            inserts.append(values)
            report.changes.append((row.village_code, row.record.year, "created"))
        elif _same(before, values):
            report.unchanged += 1
        else:
            updates.append({"id": before["id"], **values})
            report.changes.append((row.village_code, row.record.year, "updated"))
    if inserts:
        insert_rows(session, IdmResult.__table__, inserts)
    if updates:
        session.execute(update(IdmResult), updates)
    report.created, report.updated = len(inserts), len(updates)
    for file_index, entry in enumerate(imports):
        found = per_file.get(file_index, [])
        entry.report = {
            "discrepancies": len(found),
            "first_discrepancies": [d.as_json() for d in found[:20]],
        }
    progress(len(rows), len(rows), "menghitung dan menyimpan")


def _existing(session: Session, rows: list[_Row]) -> dict[tuple[str, int], dict[str, Any]]:
    years = sorted({row.record.year for row in rows})
    codes = {row.village_code for row in rows}
    columns = [IdmResult.id, IdmResult.village_code, IdmResult.year, IdmResult.given_code,
               IdmResult.scores, *(getattr(IdmResult, key) for key in FIGURES),
               IdmResult.figures_source]
    query = select(*columns).where(IdmResult.year.in_(years), IdmResult.scheme == SCHEME)
    found: dict[tuple[str, int], dict[str, Any]] = {}
    for mapping in session.execute(query).mappings():
        if mapping["village_code"] in codes:
            found[(mapping["village_code"], mapping["year"])] = dict(mapping)
    return found


def _same(before: dict[str, Any], values: dict[str, Any]) -> bool:
    keys = ("given_code", "scores", *FIGURES, "figures_source")
    return all(before[key] == values[key] for key in keys)

"""Import the ministry's Indeks Desa exports into the database: all or nothing, idempotent.

The same guarantees as the IDM import: a file already imported (same SHA-256) is skipped and
kept unchanged on disk; codes are resolved through the registry's code history (old codes are
reported); a row with an unknown code, a kelurahan, a wrong year or a score outside its
item's levels, and a file with a missing or unknown item column, reject the whole import
(nothing is written) unless the caller asks to skip them. A published status is the official
one: it is stored as published even where the scores say otherwise, and each disagreement is
reported with the village code, both statuses and the difference in points.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

import mitradesa.db.models  # noqa: F401  (every table known before the first flush)
from mitradesa.db.base import utcnow
from mitradesa.db.bulk import insert_rows
from mitradesa.idm.indeks_desa import compute_many, scores_from_strings
from mitradesa.indeks_desa_records.checking import (
    Row,
    check_item_levels,
    drop_duplicates,
    resolve,
)
from mitradesa.indeks_desa_records.discrepancy import Finding, official_figures, read_published
from mitradesa.indeks_desa_records.models import (
    DIMENSION_COLUMNS,
    IndeksDesaImport,
    IndeksDesaResult,
)
from mitradesa.io.errors import ImportRejectedError, RowProblem
from mitradesa.io.indeks_desa_files import ParsedFile, expand_paths, parse_file
from mitradesa.io.raw_files import FileOutcome, keep_raw, sha256_of
from mitradesa.regions.errors import RegionInputError

Progress = Callable[[int, int, str], None]
# (village code today, year) → why the row may not be imported here, or None
RowCheck = Callable[[str, int], str | None]
DIMENSION_KEYS = DIMENSION_COLUMNS
COMPARED = ("given_code", "scores", "total", "nilai", "status", "target_status",
            "poin_dibutuhkan", *DIMENSION_KEYS, "figures_source", "published")


@dataclass
class ImportReport:
    files: list[FileOutcome] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    relocated: list[str] = field(default_factory=list)
    discrepancies: list[Finding] = field(default_factory=list)
    skipped: list[RowProblem] = field(default_factory=list)
    # (village code, year, "created" | "updated") of every row written, in file order
    changes: list[tuple[str, int, str]] = field(default_factory=list)

    @property
    def written(self) -> int:
        return self.created + self.updated


def _noop(done: int, total: int, stage: str) -> None:
    return None


def import_indeks_desa_files(
    session: Session,
    paths: list[Path],
    *,
    store_dir: Path,
    user_id: int | None = None,
    skip_invalid: bool = False,
    progress: Progress = _noop,
    check: RowCheck | None = None,
) -> ImportReport:
    """Parse, check and write every desa-year of `paths` in the caller's transaction.

    Raises ImportRejectedError (before writing anything) when a row or a file is invalid and
    `skip_invalid` is false; the caller rolls back. `check` refuses further rows (a reason
    per desa-year), e.g. those outside the importing user's scope.
    """
    report = ImportReport()
    files = expand_paths(paths)
    if not files:
        raise RegionInputError("Tidak ada berkas Indeks Desa (.csv, .xlsx) yang ditemukan.")
    parsed: list[ParsedFile] = []
    hashes: list[str] = []
    for number, path in enumerate(files, start=1):
        progress(number - 1, len(files), "membaca berkas")
        if not path.is_file():
            report.skipped.append(RowProblem(str(path), None, "berkas tidak ditemukan"))
            continue
        sha = sha256_of(path)
        if sha in hashes or session.scalar(
            select(IndeksDesaImport.id).where(IndeksDesaImport.sha256 == sha)
        ):
            report.files.append(FileOutcome(path.name, sha, path.suffix.lower().lstrip("."), 0,
                                            "unchanged"))
            continue
        result = parse_file(path)
        report.skipped.extend(result.problems)
        parsed.append(result)
        hashes.append(sha)
    progress(len(files), len(files), "membaca berkas")

    resolved = resolve(session, parsed, report.skipped, report.relocated)
    if check is not None:
        resolved = _allowed(resolved, check, report.skipped)
    rows = drop_duplicates(check_item_levels(resolved, report.skipped), report.skipped)
    if report.skipped and not skip_invalid:
        raise ImportRejectedError(report.skipped)
    imports = _record_files(session, parsed, hashes, rows, store_dir, user_id, report)
    _write_results(session, rows, imports, report, progress)
    return report


def _allowed(rows: list[Row], check: RowCheck, skipped: list[RowProblem]) -> list[Row]:
    kept: list[Row] = []
    for row in rows:
        reason = check(row.village_code, row.record.year)
        if reason:
            skipped.append(RowProblem(row.record.file, row.record.row, reason))
        else:
            kept.append(row)
    return kept


def _record_files(
    session: Session, parsed: list[ParsedFile], hashes: list[str], rows: list[Row],
    store_dir: Path, user_id: int | None, report: ImportReport,
) -> list[IndeksDesaImport]:
    """Keep each raw file unchanged (content-addressed) and note it in the database."""
    counts = [0] * len(parsed)
    for row in rows:
        counts[row.file_index] += 1
    imports: list[IndeksDesaImport] = []
    for result, sha, count in zip(parsed, hashes, counts, strict=True):
        target = keep_raw(result.path, sha, store_dir)
        entry = IndeksDesaImport(
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
    session: Session, rows: list[Row], imports: list[IndeksDesaImport], report: ImportReport,
    progress: Progress,
) -> None:
    if not rows:
        return
    progress(0, len(rows), "menghitung dan menyimpan")
    bulk = compute_many(scores_from_strings([row.record.scores for row in rows]))
    totals, statuses, target_names = bulk.total.tolist(), bulk.status_names(), bulk.target_names()
    needed, dimensions = bulk.poin_dibutuhkan.tolist(), bulk.dimensions.tolist()
    existing = _existing(session, rows)
    now = utcnow()
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    per_file: dict[int, list[Finding]] = {}
    for position, row in enumerate(rows):
        record = row.record
        computed = {"total": totals[position], "status": statuses[position],
                    "target_status": target_names[position],
                    "poin_dibutuhkan": needed[position]}
        published = read_published(record.published)
        official, finding = official_figures(record, row.village_code, computed, published)
        if finding is not None:
            report.discrepancies.append(finding)
            per_file.setdefault(row.file_index, []).append(finding)
        values = {
            "village_code": row.village_code, "year": record.year, "given_code": row.given_code,
            "scores": record.scores, **official,
            **dict(zip(DIMENSION_KEYS, dimensions[position], strict=True)),
            "figures_source": "published" if published else "computed",
            "published": record.published,
            "discrepancy": finding.as_json() if finding else None,
            "import_id": imports[row.file_index].id, "updated_at": now,
        }
        before = existing.get((row.village_code, record.year))
        if before is None:
            inserts.append(values)
            report.changes.append((row.village_code, record.year, "created"))
        elif _same(before, values):
            report.unchanged += 1
        else:
            updates.append({"id": before["id"], **values})
            report.changes.append((row.village_code, record.year, "updated"))
    if inserts:
        insert_rows(session, IndeksDesaResult.__table__, inserts)
    if updates:
        session.execute(update(IndeksDesaResult), updates)
    report.created, report.updated = len(inserts), len(updates)
    for file_index, entry in enumerate(imports):
        found = per_file.get(file_index, [])
        entry.report = {"discrepancies": len(found),
                        "status_discrepancies": [f.as_json() for f in found]}
    progress(len(rows), len(rows), "menghitung dan menyimpan")


def _existing(session: Session, rows: list[Row]) -> dict[tuple[str, int], dict[str, Any]]:
    years = sorted({row.record.year for row in rows})
    codes = {row.village_code for row in rows}
    table = IndeksDesaResult
    columns = [table.id, table.village_code, table.year, table.discrepancy,
               *(getattr(table, key) for key in COMPARED)]
    found: dict[tuple[str, int], dict[str, Any]] = {}
    for mapping in session.execute(select(*columns).where(table.year.in_(years))).mappings():
        if mapping["village_code"] in codes:
            found[(mapping["village_code"], mapping["year"])] = dict(mapping)
    return found


def _finding_core(value: dict[str, Any] | None) -> dict[str, Any] | None:
    """A stored finding without where it was read (the same finding from another file)."""
    if value is None:
        return None
    return {k: v for k, v in value.items() if k not in ("file", "row")}


def _same(before: dict[str, Any], values: dict[str, Any]) -> bool:
    if _finding_core(before["discrepancy"]) != _finding_core(values["discrepancy"]):
        return False
    return all(before[key] == values[key] for key in COMPARED)

"""Indeks Desa files out: one row per desa (CSV or XLSX), and an import's report.

Everything goes through the one export writer (`mitradesa.io.exports`).
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from mitradesa.indeks_desa_records.importing import ImportReport
from mitradesa.io.errors import RowProblem
from mitradesa.io.exports import csv_writer, write_csv, write_xlsx

REPORT_COLUMNS = ("berkas", "baris", "jenis", "kode_desa", "status_terbitan",
                  "status_hitung_ulang", "selisih_poin", "keterangan")


def write_table(fmt: str, headers: Sequence[str], rows: list[tuple[Any, ...]],
                target: Path | None, sheet: str) -> None:
    """Write `rows` as CSV or XLSX to `target`, or to standard output when None."""
    if target is not None:
        if fmt == "csv":
            write_csv(target, headers, rows)
        else:
            write_xlsx(target, headers, rows, sheet=sheet)
        return
    if fmt == "csv":
        stream: IO[str] = sys.stdout
        writer = csv_writer(stream)
        writer.writerow(headers)
        writer.writerows(rows)
        stream.flush()
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.xlsx"
        write_xlsx(path, headers, rows, sheet=sheet)
        sys.stdout.flush()
        with path.open("rb") as handle:
            shutil.copyfileobj(handle, sys.stdout.buffer)
        sys.stdout.buffer.flush()


def report_rows(report: ImportReport) -> list[tuple[Any, ...]]:
    """Every finding of an import, one row each: skipped rows, published statuses that
    disagree with the scores, old codes moved to today's."""
    rows: list[tuple[Any, ...]] = [_problem_row(p, "dilewati") for p in report.skipped]
    rows += [
        (d.file, d.row, "selisih", d.kode_desa, d.status_terbitan or "", d.status_hitung_ulang,
         d.selisih_poin, str(d)) for d in report.discrepancies
    ]
    rows += [("", "", "kode lama", "", "", "", "", line) for line in report.relocated]
    return rows


def _problem_row(problem: RowProblem, kind: str) -> tuple[Any, ...]:
    return (problem.file, problem.row, kind, "", "", "", "", problem.reason)


def report_json(report: ImportReport | None, rejected: list[RowProblem] | None = None,
                ) -> dict[str, Any]:
    """The whole report as one object (`--report FILE.json`)."""
    if report is None:
        return {"diimpor": False, "masalah": [_problem(p) for p in rejected or []]}
    return {
        "diimpor": True,
        "berkas": [{"nama": f.name, "sha256": f.sha256, "format": f.file_format,
                    "desa": f.records, "keadaan": f.state} for f in report.files],
        "baru": report.created, "diperbarui": report.updated, "tetap": report.unchanged,
        "kode_lama": report.relocated,
        "selisih_status": [d.as_json() for d in report.discrepancies],
        "dilewati": [_problem(p) for p in report.skipped],
    }


def _problem(problem: RowProblem) -> dict[str, Any]:
    return {"berkas": problem.file, "baris": problem.row, "alasan": problem.reason}


def write_report(path: Path, report: ImportReport | None,
                 rejected: list[RowProblem] | None = None) -> None:
    """The report as JSON (a .json path) or CSV (any other)."""
    if path.suffix.lower() == ".json":
        path.write_text(json.dumps(report_json(report, rejected), ensure_ascii=False,
                                   indent=2), encoding="utf-8")
        return
    rows = report_rows(report) if report is not None else [
        _problem_row(p, "ditolak") for p in rejected or []]
    write_csv(path, REPORT_COLUMNS, rows)

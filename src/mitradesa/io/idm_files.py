"""Parse IDM files into village-year records: the ministry's `rumusan` JSON and score tables.

Each record keeps its file and row so every problem can be named precisely.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Any

from mitradesa.idm.rumusan import RumusanError, parse_rumusan
from mitradesa.io.errors import RowProblem
from mitradesa.io.tables import MAX_CELL, read_rows

SUPPORTED = (".json", ".csv", ".txt", ".xlsx", ".xls", ".ods", ".xlsm")
SCORE_COLUMNS = (
    [f"iks_{i}" for i in range(1, 36)]
    + [f"ike_{i}" for i in range(1, 13)]
    + [f"ikl_{i}" for i in range(1, 4)]
)
CODE_HEADERS = ("kode_desa", "kode", "kode_wilayah", "id_desa", "kd_desa")
YEAR_HEADERS = ("tahun", "year")
NAME_HEADERS = ("nama_desa", "desa", "nama")
PUBLISHED = ("iks", "ike", "ikl", "idm", "status", "target_status", "skor_minimal", "penambahan")
# The ministry's tables label figure columns with the year ("IKS 2023", "STATUS IDM 2023") or
# as "NILAI IDM"; these all name the same published figures.
_PUBLISHED_HEADER = re.compile(
    r"^(?:nilai_)?(iks|ike|ikl|idm|status_idm|status|target_status|skor_minimal|penambahan)"
    r"(?:_(?:\d{4}))?$"
)


def published_columns(headers: list[str]) -> dict[str, int]:
    """Published figure → column position, found by label (year suffix and case ignored)."""
    found: dict[str, int] = {}
    for position, header in enumerate(headers):
        match = _PUBLISHED_HEADER.match(header)
        if match:
            key = "status" if match.group(1) == "status_idm" else match.group(1)
            found.setdefault(key, position)
    return found


@dataclass
class IdmRecord:
    file: str
    row: int | None
    code: str
    year: int
    scores: list[int]
    name: str | None = None
    published: dict[str, Any] | None = None


@dataclass
class ParsedFile:
    path: Path
    file_format: str
    records: list[IdmRecord] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)


def expand_paths(paths: list[Path]) -> list[Path]:
    """Files as given, and the supported files inside given directories (sorted)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix.lower() in SUPPORTED))
        else:
            found.append(path)
    return found


def parse_file(path: Path) -> ParsedFile:
    if path.suffix.lower() == ".json":
        return _parse_json(path)
    return _parse_table(path)


def _parse_json(path: Path) -> ParsedFile:
    parsed = ParsedFile(path, "rumusan-json")
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        parsed.problems.append(RowProblem(path.name, None, f"JSON tidak dapat dibaca ({exc})"))
        return parsed
    try:
        record = parse_rumusan(data)
    except RumusanError as exc:
        parsed.problems.append(RowProblem(path.name, None, str(exc)))
        return parsed
    parsed.records.append(
        IdmRecord(
            file=path.name, row=None, code=record.kode_desa, year=record.tahun,
            scores=list(record.scores), name=record.nama_desa, published=record.published,
        )
    )
    return parsed


def _first(headers: list[str], names: tuple[str, ...]) -> int | None:
    for name in names:
        if name in headers:
            return headers.index(name)
    return None


def _parse_table(path: Path) -> ParsedFile:
    parsed = ParsedFile(path, path.suffix.lower().lstrip("."))
    headers, rows = read_rows(path)
    code_at, year_at = _first(headers, CODE_HEADERS), _first(headers, YEAR_HEADERS)
    missing = [c for c in SCORE_COLUMNS if c not in headers]
    if code_at is None or year_at is None or missing:
        what = []
        if code_at is None:
            what.append("kolom kode_desa")
        if year_at is None:
            what.append("kolom tahun")
        if missing:
            what.append(f"{len(missing)} kolom skor (mis. {', '.join(missing[:3])})")
        parsed.problems.append(RowProblem(path.name, 1, "tidak ada " + ", ".join(what)))
        return parsed
    score_at = [headers.index(c) for c in SCORE_COLUMNS]
    pick = itemgetter(*score_at)
    name_at = _first(headers, NAME_HEADERS)
    published_at = published_columns(headers)
    for number, cells in rows:
        record = _table_record(path.name, number, cells, code_at, year_at, score_at, pick,
                               name_at, published_at, parsed.problems)
        if record is not None:
            parsed.records.append(record)
    return parsed


def _cell(cells: list[str], at: int | None) -> str:
    return cells[at].strip()[:MAX_CELL] if at is not None and at < len(cells) else ""


def _table_record(
    file: str, number: int, cells: list[str], code_at: int, year_at: int, score_at: list[int],
    pick: Callable[[list[str]], tuple[str, ...]], name_at: int | None,
    published_at: dict[str, int], problems: list[RowProblem],
) -> IdmRecord | None:
    code, year_text = _cell(cells, code_at), _cell(cells, year_at)
    if not year_text.isdigit():
        problems.append(RowProblem(file, number, f"tahun tidak sah: {year_text!r}"))
        return None
    try:
        scores = list(map(int, pick(cells)))
    except (ValueError, IndexError):
        for column, at in zip(SCORE_COLUMNS, score_at, strict=True):
            text = _cell(cells, at)
            if not text.lstrip("-").isdigit():
                problems.append(RowProblem(
                    file, number, f"skor {column.upper()} bukan bilangan bulat: {text[:20]!r}"
                ))
                return None
        raise
    published = {key: _cell(cells, at) for key, at in published_at.items() if _cell(cells, at)}
    return IdmRecord(file, number, code, int(year_text), scores, _cell(cells, name_at) or None,
                     published or None)


def iter_records(files: list[ParsedFile]) -> Iterator[IdmRecord]:
    for parsed in files:
        yield from parsed.records

"""Parse the ministry's Indeks Desa export (CSV, or the first sheet of an XLSX) into records.

The identity columns and the 127 item columns are found by their label (either official
wording of an item: the structure's or the export's questionnaire wording; case, spaces
around "/" and a trailing "?" ignored), never by their position alone. A column that sits
among the item columns but names no item is an unknown item column. Optional published
columns (`Status ID`, `STATUS ID 25`, `Nilai ID`, a total) are kept as given.

Each record keeps its file and row so every problem can be named precisely.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path

from mitradesa.idm.indeks_desa import ITEM_COUNT, Item, item_by_no, items, match_header
from mitradesa.io.errors import ImportRejectedError, RowProblem
from mitradesa.io.tables import MAX_CELL, normalize_header, read_table

SUPPORTED = (".csv", ".xlsx", ".xlsm", ".xls", ".ods")  # found in folders (.txt: named only)
CODE_HEADERS = ("kode_wilayah_administrasi_desa", "kode_desa", "kode_wilayah", "kode", "id_desa",
                "kd_desa")
YEAR_HEADERS = ("tahun_data", "tahun", "year")
NAME_HEADERS = ("desa", "nama_desa")
IDENTITY_HEADERS = ("provinsi", "kabupaten/_kota", "kabupaten/kota", "kabupaten", "kecamatan",
                    *CODE_HEADERS, *YEAR_HEADERS, *NAME_HEADERS)
# "Status ID", "STATUS ID 25", "Status Indeks Desa 2025", "Nilai ID", "Total Skor ID" …
_YEAR = r"(?:_(?:\d{2}|\d{4}))?"
_PUBLISHED = {
    "status": re.compile(rf"^status(?:_id|_indeks_desa)?{_YEAR}$"),
    "nilai": re.compile(rf"^(?:nilai|skor)_(?:id|indeks_desa){_YEAR}$|^nilai{_YEAR}$"),
    "total": re.compile(rf"^(?:total|jumlah)(?:_skor)?(?:_id|_indeks_desa)?{_YEAR}$"
                        rf"|^skor_total(?:_id)?{_YEAR}$"),
}


@dataclass
class IndeksDesaRecord:
    file: str
    row: int | None
    code: str
    year: int
    scores: str  # 127 digits in catalogue order
    name: str | None = None
    published: dict[str, str] | None = None  # status / nilai / total as written


@dataclass
class ParsedFile:
    path: Path
    file_format: str
    records: list[IndeksDesaRecord] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)


@dataclass(frozen=True)
class Columns:
    """Where each thing is in a file's header row."""

    code: int
    year: int
    name: int | None
    items: list[int]  # position of item 1 … 127
    published: dict[str, int]


def expand_paths(paths: list[Path]) -> list[Path]:
    """Files as given, and the supported files inside given directories (sorted)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix.lower() in SUPPORTED))
        else:
            found.append(path)
    return found


def published_columns(headers: list[str]) -> dict[str, int]:
    """Published figure (status, nilai, total) → column position, found by label."""
    found: dict[str, int] = {}
    for position, header in enumerate(headers):
        norm = normalize_header(header)
        for key, pattern in _PUBLISHED.items():
            if pattern.match(norm):
                found.setdefault(key, position)
    return found


def _first(normalized: list[str], names: tuple[str, ...]) -> int | None:
    for name in names:
        if name in normalized:
            return normalized.index(name)
    return None


def find_columns(file: str, headers: list[str]) -> tuple[Columns | None, list[RowProblem]]:
    """The columns of a header row, or the problems that make the file unreadable."""
    normalized = [normalize_header(h) for h in headers]
    code_at, year_at = _first(normalized, CODE_HEADERS), _first(normalized, YEAR_HEADERS)
    published = published_columns(headers)
    taken = {code_at, year_at, *published.values()}
    matched: dict[int, int] = {}  # item no → column
    problems: list[RowProblem] = []
    unknown: list[int] = []
    for position, header in enumerate(headers):
        if position in taken or normalized[position] in IDENTITY_HEADERS:
            continue
        item: Item | None = match_header(header)
        if item is None:
            unknown.append(position)
        elif item.no in matched:
            problems.append(RowProblem(file, 1, (
                f"kolom {_column(position)} “{_short(header)}” mengulang item {item.no} "
                f"(sudah di kolom {_column(matched[item.no])})")))
        else:
            matched[item.no] = position
    if matched:
        first, last = min(matched.values()), max(matched.values())
        for position in unknown:
            if first < position < last:
                problems.append(RowProblem(file, 1, (
                    f"kolom item tidak dikenal: {_column(position)} “{_short(headers[position])}” "
                    "(tidak sama dengan rumusan item mana pun)")))
    missing = [item for item in items() if item.no not in matched]
    if missing:
        shown = "; ".join(f"item {item.no} “{item.export_label}”" for item in missing[:5])
        more = f" dan {len(missing) - 5} lainnya" if len(missing) > 5 else ""
        problems.append(RowProblem(file, 1, (
            f"{len(missing)} kolom item tidak ada: {shown}{more}")))
    if code_at is None:
        problems.append(RowProblem(file, 1, "tidak ada kolom kode desa "
                                            "(“Kode Wilayah Administrasi Desa”)"))
    if year_at is None:
        problems.append(RowProblem(file, 1, "tidak ada kolom tahun (“TAHUN DATA”)"))
    if problems or code_at is None or year_at is None:
        return None, problems
    name_at = _first(normalized, NAME_HEADERS)
    order = [matched[no] for no in range(1, ITEM_COUNT + 1)]
    return Columns(code_at, year_at, name_at, order, published), []


def _column(position: int) -> str:
    """The spreadsheet letter of a column: 0 → A, 26 → AA."""
    letters = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _short(text: str, width: int = 60) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def parse_file(path: Path) -> ParsedFile:
    parsed = ParsedFile(path, path.suffix.lower().lstrip("."))
    try:
        headers, rows = read_table(path)
    except ImportRejectedError as exc:
        parsed.problems.extend(exc.problems)
        return parsed
    columns, problems = find_columns(path.name, headers)
    if columns is None:
        parsed.problems.extend(problems)
        return parsed
    pick = itemgetter(*columns.items)
    try:
        for number, cells in rows:
            record = _record(path.name, number, cells, columns, pick, parsed.problems)
            if record is not None:
                parsed.records.append(record)
    except ImportRejectedError as exc:
        parsed.problems.extend(exc.problems)
    return parsed


def _cell(cells: list[str], at: int | None) -> str:
    return cells[at].strip()[:MAX_CELL] if at is not None and at < len(cells) else ""


def _record(
    file: str, number: int, cells: list[str], columns: Columns,
    pick: Callable[[list[str]], tuple[str, ...]], problems: list[RowProblem],
) -> IndeksDesaRecord | None:
    year_text = _cell(cells, columns.year)
    if not year_text.isdigit():
        problems.append(RowProblem(file, number, f"tahun tidak sah: {year_text!r}"))
        return None
    try:
        digits = "".join(pick(cells))
    except IndexError:
        digits = ""
    if len(digits) != ITEM_COUNT or not digits.isdigit():  # not one plain digit per cell
        digits = _slow_digits(file, number, cells, columns, problems)
        if digits is None:
            return None
    published = {key: _cell(cells, at) for key, at in columns.published.items()
                 if _cell(cells, at)}
    return IndeksDesaRecord(file, number, _cell(cells, columns.code), int(year_text), digits,
                            _cell(cells, columns.name) or None, published or None)


def _slow_digits(file: str, number: int, cells: list[str], columns: Columns,
                 problems: list[RowProblem]) -> str | None:
    """Cell by cell: "5", " 5 ", "5.0" are 5; anything else names its item."""
    digits = []
    for no, at in enumerate(columns.items, start=1):
        text = _cell(cells, at)
        try:
            value = float(text.replace(",", "."))
        except ValueError:
            value = float("nan")
        if not value.is_integer():
            reason = "kosong" if not text else f"bukan bilangan bulat: {text[:20]!r}"
            problems.append(RowProblem(file, number, f"item {no} {reason}"))
            return None
        if not 0 <= value <= 9:
            problems.append(RowProblem(file, number, outside_levels(no, int(value))))
            return None
        digits.append(str(int(value)))
    return "".join(digits)


def outside_levels(no: int, score: int) -> str:
    """The reason for a score that item `no` cannot take."""
    item = item_by_no(no)
    levels = ", ".join(map(str, item.levels))
    return (f"skor item {no} “{_short(item.export_label)}” = {score}, bukan salah satu "
            f"tingkat item ini ({levels})")

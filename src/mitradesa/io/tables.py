"""Read spreadsheet tables (CSV, XLSX) into rows of header → cell text.

Headers are matched trimmed and case-insensitively; cells come back as stripped strings.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

from mitradesa.io.errors import ImportRejectedError, RowProblem

MAX_CELL = 10_000
_THOUSANDS = re.compile(r"^\d{1,3}([.,]\d{3})+$")


def normalize_header(text: object) -> str:
    return " ".join(str(text or "").strip().lower().replace("-", "_").split()).replace(" ", "_")


def rupiah_digits(text: str) -> str:
    """An amount of rupiah without spaces, an "Rp" prefix and thousands separators:
    "Rp 25.000.000" and "25,000,000" → "25000000" (other text comes back unchanged)."""
    clean = re.sub(r"^[Rr][Pp]\.?", "", str(text).replace(" ", ""))
    if _THOUSANDS.match(clean):
        clean = re.sub(r"[.,]", "", clean)
    return clean


def rupiah_amount(text: str) -> int | None:
    """Whole rupiah written as 25000000, 25.000.000, 25,000,000 or Rp 25.000.000; None when
    empty; ValueError when it is not a whole non-negative amount."""
    clean = rupiah_digits(text)
    if not clean:
        return None
    if not clean.isdigit():
        raise ValueError(f"“{text}” bukan jumlah rupiah bulat")
    return int(clean)


def _decode(raw: bytes, name: str) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportRejectedError([RowProblem(name, None, "pengodean teks tidak dikenali")])


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _dialect(text: str) -> type[csv.Dialect] | str:
    """Comma, semicolon (Excel in Indonesian locale) or tab; plain CSV when it cannot tell."""
    if not text.strip():
        return "excel"
    try:
        return csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        return "excel"


def _csv_rows(text: str, name: str) -> Iterator[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), _dialect(text))
    try:
        yield from reader
    except csv.Error as exc:  # a stray quote or line break, a cell beyond csv's size limit
        problem = RowProblem(name, reader.line_num, f"CSV tidak dapat dibaca ({exc})")
        raise ImportRejectedError([problem]) from exc


def read_rows(path: Path) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """(headers, iterator of (row number, cells)) for .csv/.xlsx/.xls/.ods; headers
    normalised (`normalize_header`)."""
    headers, rows = read_table(path)
    return [normalize_header(h) for h in headers], rows


def read_table(path: Path) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """(headers as written, iterator of (row number, cells)) for .csv/.xlsx/.xls/.ods: the
    first sheet of a workbook."""
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        text = _decode(path.read_bytes(), path.name)
        rows: Iterator[list[str]] = _csv_rows(text, path.name)
    elif suffix in (".xlsx", ".xls", ".ods", ".xlsm"):
        from python_calamine import CalamineWorkbook

        try:
            sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
            rows = ([_cell(v) for v in row] for row in sheet.to_python(skip_empty_area=False))
        except Exception as exc:  # calamine raises its own types for broken workbooks
            problem = RowProblem(path.name, None, f"berkas Excel rusak ({exc})")
            raise ImportRejectedError([problem]) from exc
    else:
        problem = RowProblem(path.name, None, f"jenis berkas {suffix} tidak didukung")
        raise ImportRejectedError([problem])
    try:
        headers = [str(h) for h in next(rows)]
    except StopIteration:
        raise ImportRejectedError([RowProblem(path.name, None, "berkas kosong")]) from None

    def body() -> Iterator[tuple[int, list[str]]]:
        # Cells are not stripped here (int() ignores spaces); readers strip what they keep.
        for number, cells in enumerate(rows, start=2):
            if "\x00" in "".join(cells):  # PostgreSQL cannot store it; never meant
                problem = RowProblem(path.name, number, "sel memuat karakter NUL (berkas "
                                     "biner atau rusak?)")
                raise ImportRejectedError([problem])
            if cells and (cells[0].strip() or any(c.strip() for c in cells)):
                yield number, cells

    return headers, body()

"""Write rows to CSV or XLSX, escaping spreadsheet formula injection."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def write_csv(path: Path, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    count = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        for row in rows:
            writer.writerow([safe_cell(v) for v in row])
            count += 1
    return count


def write_xlsx(
    path: Path, headers: Sequence[str], rows: Iterable[Sequence[Any]], *, sheet: str = "data",
    note: str | None = None,
) -> int:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False,
                                                "strings_to_urls": False})
    worksheet = workbook.add_worksheet(sheet[:31])
    bold = workbook.add_format({"bold": True, "bg_color": "#E7F3EC"})
    first = 0
    if note:
        worksheet.write_string(0, 0, note)
        first = 2
    worksheet.write_row(first, 0, list(headers), bold)
    count = 0
    for count, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            if isinstance(value, str):
                worksheet.write_string(first + count, column, safe_cell(value))
            elif value is None:
                worksheet.write_blank(first + count, column, None)
            else:
                worksheet.write(first + count, column, value)
    worksheet.freeze_panes(first + 1, 0)
    worksheet.set_column(0, len(headers) - 1, 14)
    workbook.close()
    return count

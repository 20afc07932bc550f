"""The one way the system writes spreadsheets (XLSX and CSV): text that a spreadsheet would
run as a formula is neutralised, numbers and dates stay numbers and dates.

Every export goes through `open_workbook`, `csv_writer`, `write_xlsx` or `write_csv`; a test
fails when a module writes a workbook or a CSV file any other way.

Neutral form: a text cell whose first character (or first character after leading white
space) is = + - @ TAB or CR gets a leading apostrophe, e.g. `=HYPERLINK("http://x","y")`
becomes `'=HYPERLINK("http://x","y")`. A number is never text: -5 stays the number -5, while
the text "-1+2" becomes "'-1+2". `restore_cell` undoes the apostrophe when the file is
imported again.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NEUTRAL_PREFIX = "'"
_LEADING_SPACE = " \n\u00a0"
DATE_FORMAT = "yyyy-mm-dd"


def is_formula_like(text: str) -> bool:
    """Would a spreadsheet treat this text as a formula (or a DDE/macro trigger)?"""
    return text.startswith(FORMULA_START) or text.lstrip(_LEADING_SPACE).startswith(
        FORMULA_START)


def safe_cell(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe; anything
    that is not text (numbers, dates, None) is returned as it is."""
    if isinstance(value, str) and is_formula_like(value):
        return NEUTRAL_PREFIX + value
    return value


def restore_cell(text: str) -> str:
    """The text an export neutralised, as it was (an import reads back what was exported)."""
    if text.startswith(NEUTRAL_PREFIX) and is_formula_like(text[1:]):
        return text[1:]
    return text


class NeutralWorksheet(Worksheet):
    """A worksheet whose every text cell passes through `safe_cell`, whichever `write*`
    method put it there; formulas and links cannot be written at all."""

    def _write_string(self, row: int, col: int, string: str, cell_format: Any = None) -> int:
        return super()._write_string(row, col, safe_cell(string), cell_format)

    def _write_formula(self, *args: Any, **kwargs: Any) -> int:
        raise TypeError("exports write values, never formulas")

    def _write_array_formula(self, *args: Any, **kwargs: Any) -> int:
        raise TypeError("exports write values, never formulas")

    def _write_url(self, *args: Any, **kwargs: Any) -> int:
        raise TypeError("exports write values, never links")


class NeutralWorkbook(xlsxwriter.Workbook):
    """An XlsxWriter workbook that never turns text into formulas, numbers or links, and
    whose sheets are `NeutralWorksheet`s."""

    def __init__(self, path: str | Path) -> None:
        super().__init__(str(path), {"strings_to_formulas": False, "strings_to_numbers": False,
                                     "strings_to_urls": False})
        self._date = self.add_format({"num_format": DATE_FORMAT})

    def add_worksheet(self, name: str | None = None, worksheet_class: Any = None) -> Worksheet:
        return super().add_worksheet(name, worksheet_class=NeutralWorksheet)

    @property
    def date_format(self) -> Any:
        return self._date


def open_workbook(path: str | Path) -> NeutralWorkbook:
    """A workbook for an export; close it to write the file."""
    return NeutralWorkbook(path)


class NeutralCsvWriter:
    """`csv.writer` whose rows pass through `safe_cell`."""

    def __init__(self, handle: IO[str]) -> None:
        self._writer = csv.writer(handle)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([_csv_value(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def _csv_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return safe_cell(value)


def csv_writer(handle: IO[str]) -> NeutralCsvWriter:
    return NeutralCsvWriter(handle)


def write_csv(path: Path, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    count = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv_writer(handle)
        writer.writerow(headers)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def write_cell(worksheet: Worksheet, row: int, column: int, value: Any,
               workbook: NeutralWorkbook, cell_format: Any = None) -> None:
    """One value in its own type: text, number, date (as a date) or empty."""
    if value is None:
        worksheet.write_blank(row, column, None, cell_format)
    elif isinstance(value, datetime | date):
        worksheet.write_datetime(row, column, value, cell_format or workbook.date_format)
    elif isinstance(value, bool):
        worksheet.write_boolean(row, column, value, cell_format)
    elif isinstance(value, int | float | Decimal):
        worksheet.write_number(row, column, value, cell_format)
    else:
        worksheet.write_string(row, column, str(value), cell_format)


def write_xlsx(
    path: Path, headers: Sequence[str], rows: Iterable[Sequence[Any]], *, sheet: str = "data",
    note: str | None = None,
) -> int:
    workbook = open_workbook(path)
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
            write_cell(worksheet, first + count, column, value, workbook)
    worksheet.freeze_panes(first + 1, 0)
    worksheet.set_column(0, len(headers) - 1, 14)
    workbook.close()
    return count

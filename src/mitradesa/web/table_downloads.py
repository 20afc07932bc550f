"""A table on a page as a download: `?format=xlsx` or `?format=csv` on the page's own route
gives the rows the page lists (all of them, not one page of them), through the one writer,
`mitradesa.io.exports` (formula-looking text neutralised).

The workbook's first sheet is the table (numbers as numbers, shown with an Indonesian-style
format by Excel, dates as dates); its second sheet, "Keterangan" (About this table), states
the table, region, filters applied, when it was made, and "Data contoh (fiktif)" when the
data is demo. A CSV is the bare table (UTF-8 with a byte-order mark so Excel reads the
accents); the file name names the table, region and date.
"""

from __future__ import annotations

import io
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import Response

from mitradesa.io.exports import csv_writer, open_workbook, write_cell
from mitradesa.web.i18n import page_locale, translations

FORMATS = ("xlsx", "csv")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
LOCAL_TIME = ZoneInfo("Asia/Jakarta")
DEMO_NOTE = "Data contoh (fiktif)"
Kind = Literal["text", "int", "d2", "d4", "rupiah", "percent", "date", "flag"]  # flag: yes/—
# Excel number formats (the file stores them locale-free; Excel in Indonesian shows 0,8102
# and 1.250.000); [$-421] writes month names in Bahasa Indonesia.
NUMBER_FORMATS: dict[str, str] = {
    "int": "#,##0",
    "d2": "#,##0.00",
    "d4": "0.0000",
    "rupiah": '"Rp"#,##0',
    "percent": "0.0%",
    "date": "[$-421]d mmmm yyyy",
}
DIGITS = {"d2": 2, "d4": 4}


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    return message


@dataclass(frozen=True)
class Column:
    """A column: its heading (an English msgid, translated for the user) and kind."""

    title: str
    kind: Kind = "text"
    width: int = 16


@dataclass
class Table:
    """What a page's table is, ready to be written as a file."""

    name: str  # an English msgid: "IDM ranking"
    slug: str  # the file name's start: "peringkat-idm"
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]]
    region: str = ""  # the region's name (or code), named in the file name and the notes
    filters: Sequence[tuple[str, Any]] = field(default_factory=list)  # (label msgid, value)
    demo: bool = False


def wanted_format(request: Request) -> str | None:
    """`xlsx` or `csv` when the request asks for a download, else None (the page)."""
    asked = request.query_params.get("format", "").strip().lower()
    return asked if asked in FORMATS else None


def _slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:60]


def file_name(table: Table, fmt: str, today: date) -> str:
    parts = [table.slug, _slug(table.region), today.isoformat()]
    return "-".join(p for p in parts if p) + f".{fmt}"


def _plain(value: Any, kind: str, gettext: Callable[[str], str]) -> Any:
    """The value as written: figures rounded as the page shows them, aware times local,
    a flag as "yes" or empty."""
    if kind == "flag":
        return gettext(N_("yes")) if value else ""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(LOCAL_TIME).replace(tzinfo=None)
    if isinstance(value, Decimal):
        value = float(value)
    if kind in DIGITS and isinstance(value, float):
        return round(value, DIGITS[kind])
    return value


def _notes(table: Table, gettext: Callable[[str], str], made: datetime,
           count: int) -> list[tuple[str, Any]]:
    lines: list[tuple[str, Any]] = [(gettext(N_("Table")), gettext(table.name))]
    if table.region:
        lines.append((gettext(N_("Region")), table.region))
    shown = [(gettext(label), gettext(value) if isinstance(value, str) else value)
             for label, value in table.filters if value not in (None, "")]
    lines += shown or [(gettext(N_("Filters")), gettext(N_("none")))]
    lines += [(gettext(N_("Rows")), count), (gettext(N_("Made on")), made)]
    if table.demo:
        lines.append((gettext(N_("Note")), DEMO_NOTE))
    return lines


def xlsx_bytes(table: Table, gettext: Callable[[str], str], made: datetime) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "table.xlsx"
        book = open_workbook(path)
        head = book.add_format({"bold": True, "bg_color": "#E7F3EC", "text_wrap": True,
                                "valign": "top"})
        formats = {kind: book.add_format({"num_format": code})
                   for kind, code in NUMBER_FORMATS.items()}
        when = book.add_format({"num_format": "[$-421]d mmmm yyyy hh:mm"})
        sheet = book.add_worksheet(gettext(N_("Data"))[:31])
        for column, spec in enumerate(table.columns):
            sheet.write_string(0, column, gettext(spec.title), head)
            sheet.set_column(column, column, spec.width)
        count = 0
        for count, row in enumerate(table.rows, start=1):
            for column, (spec, value) in enumerate(zip(table.columns, row, strict=True)):
                cell_format = formats.get(spec.kind) if not isinstance(value, str) else None
                write_cell(sheet, count, column, _plain(value, spec.kind, gettext), book,
                           cell_format)
        sheet.freeze_panes(1, 0)
        if count:
            sheet.autofilter(0, 0, count, len(table.columns) - 1)
        notes = book.add_worksheet(gettext(N_("About this table"))[:31])
        notes.set_column(0, 0, 22)
        notes.set_column(1, 1, 60)
        for line, (label, value) in enumerate(_notes(table, gettext, made, count)):
            notes.write_string(line, 0, label, head)
            write_cell(notes, line, 1, value, book, when if isinstance(value, datetime) else None)
        book.close()
        return path.read_bytes()


def csv_bytes(table: Table, gettext: Callable[[str], str]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv_writer(buffer)
    writer.writerow([gettext(c.title) for c in table.columns])
    for row in table.rows:
        writer.writerow([_plain(v, c.kind, gettext)
                         for c, v in zip(table.columns, row, strict=True)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def gettext_for(request: Request) -> Callable[[str], str]:
    """Translate into the user's language (cells that are labels: "active", "Hotel")."""
    return translations(page_locale(request)).gettext


def download(request: Request, table: Table, fmt: str) -> Response:
    """The table as an XLSX or CSV attachment, headings in the user's language."""
    gettext = gettext_for(request)
    made = datetime.now(LOCAL_TIME).replace(tzinfo=None, microsecond=0)
    if fmt == "xlsx":
        content, media_type = xlsx_bytes(table, gettext, made), XLSX_TYPE
    else:
        content, media_type = csv_bytes(table, gettext), CSV_TYPE
    name = file_name(table, fmt, made.date())
    return Response(content, media_type=media_type,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})

"""Numbers the Indonesian way for reports, workbooks and the command line: Rp1.250.000,
0,7123, 14 Agustus 2025, 25,3 MB. The formatting itself lives in `mitradesa.formatting`
(one path for pages, PDFs and workbooks); these are its Indonesian forms."""

from __future__ import annotations

from datetime import date

from mitradesa import formatting

LOCALE = "id_ID"


def rupiah(value: int | None) -> str:
    return formatting.rupiah(value, "id")


def index4(value: float | None) -> str:
    return formatting.index4(value, "id")


def format_nilai(value: float | None) -> str:
    """The Indeks Desa's nilai with two decimals: 95,59."""
    return formatting.nilai(value, "id")


def figure(value: float | None, decimals: int) -> str:
    """An index value with the decimals its family prints (IDM 4: 0,7123; nilai 2: 95,59)."""
    return formatting.figure(value, decimals, "id")


def percent(value: float | None) -> str:
    return formatting.percent(value, "id")


def long_date(value: date | None) -> str:
    return formatting.long_date(value, "id")


def file_size(size_bytes: int) -> str:
    """A file's size in MB (1 MB = 1.048.576 bytes) with one decimal: 25,3 MB."""
    return formatting.file_size(size_bytes, "id")

"""Numbers the Indonesian way: Rp1.250.000, 0,7123, 14 Agustus 2025, 25,3 MB."""

from __future__ import annotations

from datetime import date

from babel.dates import format_date
from babel.numbers import format_decimal

LOCALE = "id_ID"


def rupiah(value: int | None) -> str:
    return "—" if value is None else "Rp" + format_decimal(value, locale=LOCALE)


def index4(value: float | None) -> str:
    return "—" if value is None else format_decimal(round(value, 4), format="0.0000",
                                                    locale=LOCALE)


def format_nilai(value: float | None) -> str:
    """The Indeks Desa's nilai with two decimals: 95,59."""
    return figure(value, 2)


def figure(value: float | None, decimals: int) -> str:
    """An index value with the decimals its family prints (IDM 4: 0,7123; nilai 2: 95,59)."""
    if value is None:
        return "—"
    return format_decimal(round(value, decimals), format="0." + "0" * decimals,
                          locale=LOCALE)


def percent(value: float | None) -> str:
    return "—" if value is None else format_decimal(value * 100, format="0.#", locale=LOCALE) + "%"


def long_date(value: date | None) -> str:
    return "—" if value is None else format_date(value, format="d MMMM y", locale=LOCALE)


def file_size(size_bytes: int) -> str:
    """A file's size in MB (1 MB = 1.048.576 bytes) with one decimal: 25,3 MB."""
    return format_decimal(size_bytes / 1_048_576, format="#,##0.0", locale=LOCALE) + " MB"

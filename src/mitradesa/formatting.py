"""The one way figures, money and dates are written for people, in their language (Babel).

Indonesian (`id`, the default: the command line, PDF reports, workbooks and the Indonesian
pages): 0,8102 · 86,93 · Rp1.250.000.000 · 14 Agustus 2025 · 12,5%. English (`en`):
0.8102 · 86.93 · Rp1,250,000,000 · 14 August 2025 · 12.5%.
Templates reach these through web/template_helpers.py and web/templating.py; Python code
that builds sentences for people (reasons, warnings, CLI lines) calls them directly.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache

from babel.dates import format_date, format_time
from babel.numbers import format_decimal, get_decimal_symbol

DEFAULT = "id"
BABEL_LOCALES = {"id": "id_ID", "en": "en"}
NONE = "—"


def babel_locale(locale: str = DEFAULT) -> str:
    """Babel's name of an interface language (id → id_ID); other names pass through."""
    return BABEL_LOCALES.get(locale, locale)


@cache
def decimal_symbol(locale: str = DEFAULT) -> str:
    return get_decimal_symbol(babel_locale(locale))


def number(value: float | int | None, locale: str = DEFAULT) -> str:
    """A count or amount with the language's grouping: 10.969 (en: 10,969)."""
    return NONE if value is None else format_decimal(value, locale=babel_locale(locale))


def fixed(value: float | int | None, digits: int = 4, signed: bool = False,
          locale: str = DEFAULT) -> str:
    """A number with a fixed count of decimals: 0,8102, +0,0123 (en: 0.8102, +0.0123)."""
    if value is None:
        return NONE
    body = "#,##0." + "0" * digits if digits else "#,##0"
    pattern = f"+{body};-{body}" if signed else body
    return format_decimal(value, format=pattern, locale=babel_locale(locale))


def index4(value: float | None, locale: str = DEFAULT) -> str:
    """An IDM figure as the ministry prints it: 0,8102."""
    return fixed(value, 4, locale=locale)


def nilai(value: float | None, locale: str = DEFAULT) -> str:
    """The Indeks Desa's nilai with two decimals: 86,93."""
    return fixed(value, 2, locale=locale)


def figure(value: float | None, decimals: int, locale: str = DEFAULT) -> str:
    """An index value with the decimals its family prints (IDM 4: 0,7123; nilai 2: 95,59)."""
    return fixed(value, decimals, locale=locale)


def percent(share: float | None, locale: str = DEFAULT, digits: int = 1) -> str:
    """A share (0.125) as a percentage with at most `digits` decimals: 12,5% (en: 12.5%)."""
    if share is None:
        return NONE
    pattern = "#,##0." + "#" * digits if digits else "#,##0"
    return format_decimal(share * 100, format=pattern, locale=babel_locale(locale)) + "%"


def rupiah(value: float | int | None, locale: str = DEFAULT) -> str:
    """Money in whole rupiah: Rp1.250.000.000 (en: Rp1,250,000,000)."""
    if value is None:
        return NONE
    sign = "-" if value < 0 else ""
    return sign + "Rp" + format_decimal(abs(round(value)), locale=babel_locale(locale))


def long_date(value: date | None, locale: str = DEFAULT) -> str:
    """14 Agustus 2025 (en: 14 August 2025)."""
    return NONE if value is None else format_date(value, format="d MMMM y",
                                                  locale=babel_locale(locale))


def short_date(value: date | None, locale: str = DEFAULT) -> str:
    """6 Des 2026 (en: 6 Dec 2026), for tables."""
    return NONE if value is None else format_date(value, format="d MMM y",
                                                  locale=babel_locale(locale))


def moment(value: datetime | date | None, locale: str = DEFAULT) -> str:
    """A date, or a date and time, as people read it: `6 Des 2026 23.54` (en: 23:54)."""
    if value is None:
        return NONE
    day = short_date(value, locale)
    if not isinstance(value, datetime):
        return day
    return f"{day} {format_time(value, format='short', locale=babel_locale(locale))}"


def file_size(size_bytes: int, locale: str = DEFAULT) -> str:
    """A file's size in MB (1 MB = 1.048.576 bytes) with one decimal: 25,3 MB."""
    return format_decimal(size_bytes / 1_048_576, format="#,##0.0",
                          locale=babel_locale(locale)) + " MB"


def seconds(value: float | None, locale: str = DEFAULT) -> str:
    """A duration in seconds with two decimals: 1,25 s (en: 1.25 s)."""
    return fixed(value, 2, locale=locale) + " s" if value is not None else NONE

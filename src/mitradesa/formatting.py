"""The one way figures, money and dates are written for people, in their language (Babel).

Indonesian (`id`, the default: the command line, PDF reports, workbooks and the Indonesian
pages): 0,8102 · 86,93 · Rp1.250.000.000 · 14 Agustus 2025 · 12,5%. English (`en`):
0.8102 · 86.93 · Rp1,250,000,000 · 14 August 2025 · 12.5%.
Templates reach these through web/template_helpers.py and web/templating.py; Python code
that builds sentences for people (reasons, warnings, CLI lines) calls them directly.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from functools import cache
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time
from babel.numbers import format_decimal, get_decimal_symbol, get_group_symbol

DEFAULT = "id"
BABEL_LOCALES = {"id": "id_ID", "en": "en"}
NONE = "—"
# Indonesia's zones by their everyday names; another zone is named by its UTC offset.
ZONE_NAMES = {"Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "Asia/Makassar": "WITA",
              "Asia/Jayapura": "WIT"}


def babel_locale(locale: str = DEFAULT) -> str:
    """Babel's name of an interface language (id → id_ID); other names pass through."""
    return BABEL_LOCALES.get(locale, locale)


@cache
def decimal_symbol(locale: str = DEFAULT) -> str:
    return get_decimal_symbol(babel_locale(locale))


@cache
def group_symbol(locale: str = DEFAULT) -> str:
    return get_group_symbol(babel_locale(locale))


def number(value: float | int | None, locale: str = DEFAULT) -> str:
    """A count or amount with the language's grouping: 10.969 (en: 10,969)."""
    if value is None:
        return NONE
    if type(value) is int:  # the common case, on every row: Babel's digits without its cost
        return f"{value:,}".replace(",", group_symbol(locale))
    return format_decimal(value, locale=babel_locale(locale))


def fixed(value: float | int | None, digits: int = 4, signed: bool = False,
          locale: str = DEFAULT) -> str:
    """A number with a fixed count of decimals: 0,8102, +0,0123 (en: 0.8102, +0.0123)."""
    if value is None:
        return NONE
    if not signed and type(value) in (float, int) and math.isfinite(value):
        return _fixed_quickly(value, digits, locale)
    body = "#,##0." + "0" * digits if digits else "#,##0"
    pattern = f"+{body};-{body}" if signed else body
    return format_decimal(value, format=pattern, locale=babel_locale(locale))


def _fixed_quickly(value: float | int, digits: int, locale: str) -> str:
    """What Babel writes for the pattern #,##0.00…, at a tenth of its cost (a figure on every
    table row): the same decimal of the value's shortest repr, rounded half to even; a
    property test holds the two together."""
    rounded = Decimal(repr(value)).quantize(Decimal(1).scaleb(-digits), ROUND_HALF_EVEN)
    text = f"{rounded:,.{digits}f}"
    return text.translate(_separators(locale))


@cache
def _separators(locale: str) -> dict[int, str]:
    return str.maketrans({",": group_symbol(locale), ".": decimal_symbol(locale)})


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


def moment(value: datetime | date | None, locale: str = DEFAULT, zone: str | None = None) -> str:
    """A date, or a date and time, as people read it, in the DPMD's time zone (the setting
    `MITRADESA_TIMEZONE`; times are stored in UTC): `6 Des 2026 23.54 WITA` (en: 23:54)."""
    if value is None:
        return NONE
    if not isinstance(value, datetime):
        return short_date(value, locale)
    zone = zone or _settings_zone()
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    local = aware.astimezone(ZoneInfo(zone))
    # a 24-hour clock in both languages (en's own short form is 7:54 AM)
    pattern = "HH:mm" if locale == "en" else "short"
    time = format_time(local, format=pattern, locale=babel_locale(locale))
    return f"{short_date(local, locale)} {time} {zone_name(zone, local)}"


def zone_name(zone: str, moment_in_zone: datetime) -> str:
    """WIB, WITA or WIT; elsewhere the offset (UTC+2)."""
    if zone in ZONE_NAMES:
        return ZONE_NAMES[zone]
    offset = moment_in_zone.utcoffset()
    hours = offset.total_seconds() / 3600 if offset is not None else 0
    return f"UTC{hours:+g}" if hours else "UTC"


def _settings_zone() -> str:
    from mitradesa.settings import get_settings  # settings read lazily: this module is pure

    return get_settings().timezone


def file_size(size_bytes: int, locale: str = DEFAULT) -> str:
    """A file's size in MB (1 MB = 1.048.576 bytes) with one decimal: 25,3 MB."""
    return format_decimal(size_bytes / 1_048_576, format="#,##0.0",
                          locale=babel_locale(locale)) + " MB"


def seconds(value: float | None, locale: str = DEFAULT) -> str:
    """A duration in seconds with two decimals: 1,25 s (en: 1.25 s)."""
    return fixed(value, 2, locale=locale) + " s" if value is not None else NONE

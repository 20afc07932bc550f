"""A day given on the command line (`--today 2026-12-07`); none given: today."""

from __future__ import annotations

from datetime import date

from mitradesa.errors import MitradesaError


def day_or_today(value: str | None) -> date:
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise MitradesaError(f"Tanggal “{value}” tidak sah; tulis YYYY-MM-DD.") from None

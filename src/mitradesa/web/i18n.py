"""gettext catalogues for the UI: Bahasa Indonesia first, English second."""

from __future__ import annotations

import io
from functools import lru_cache
from importlib import resources

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from starlette.requests import Request

LOCALES = ("id", "en")
DEFAULT_LOCALE = "id"


@lru_cache(maxsize=len(LOCALES))
def translations(locale: str) -> NullTranslations:
    """Compile the .po catalogue in memory (no build step, no binary files in the repo)."""
    if locale not in LOCALES:
        locale = DEFAULT_LOCALE
    po_file = resources.files("mitradesa").joinpath("locale", locale, "LC_MESSAGES", "messages.po")
    if not po_file.is_file():
        return NullTranslations()
    with po_file.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer)


def pick_locale(requested: str | None, default: str = DEFAULT_LOCALE) -> str:
    return requested if requested in LOCALES else default


def page_locale(request: Request) -> str:
    """The language the request's page is shown in (set by the locale middleware)."""
    return getattr(request.state, "locale", DEFAULT_LOCALE)

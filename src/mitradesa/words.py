"""Fixed vocabularies as people read them, in the interface's language.

The vocabularies (partnership stages, partner kinds, sectors, …) keep their official
Indonesian names in the domain modules: the command line, the API, PDF reports and workbooks
use those. They are marked with `N_` so the catalogue carries them, and the English
catalogue gives their English names; `labels` turns a vocabulary into the one a page shows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark a string for the catalogue; it is translated where it is shown."""
    return message


def gettext_for(locale: str) -> Callable[[str], str]:
    """The catalogue's gettext for `locale`, for sentences built outside templates."""
    from mitradesa.web.i18n import translations  # the catalogues; no web import otherwise

    return translations(locale).gettext


def labels(vocabulary: Mapping[str, str], locale: str) -> dict[str, str]:
    """The vocabulary's names in `locale` (Indonesian: as they are), in the same order."""
    if locale == "id":
        return dict(vocabulary)
    from mitradesa.web.i18n import translations  # the catalogues; no web import otherwise

    gettext = translations(locale).gettext
    return {key: gettext(name) for key, name in vocabulary.items()}


def label(vocabulary: Mapping[str, str], key: str, locale: str) -> str:
    """One name; an unknown key as it is."""
    name = vocabulary.get(key)
    return key if name is None else labels({key: name}, locale)[key]

"""Small formatting helpers the templates call on every row, written in Python: as Jinja
macros they were a good part of the time a page of 50 indicators took to render."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from jinja2 import Environment
from jinja2.filters import do_title
from markupsafe import Markup, escape

from mitradesa import formatting
from mitradesa.regions.models import VILLAGE_KINDS


def d4(value: object, locale: str = "id") -> Markup:
    """A figure with four decimals as the ministry prints it, in the page's language
    (id: 0,8102; en: 0.8102); text as it is; '—' if none."""
    if value is None:
        return Markup("—")
    try:
        number = float(value)  # type: ignore[arg-type]  # also the ministry's "0.8156"
    except ValueError:
        return escape(value)
    if abs(number) >= 1000:  # grouping digits: Babel's own path
        return Markup(formatting.fixed(number, 4, locale=locale))
    text = "%.4f" % number  # noqa: UP031 - '%' rounds as Jinja's format filter did
    return Markup(text.replace(".", formatting.decimal_symbol(locale)))


def fixed(value: object, digits: int = 4, signed: bool = False, locale: str = "id") -> str:
    """A number with a fixed count of decimals in the page's language (id: 0,50; +0,0123);
    '—' if none."""
    return formatting.fixed(value, digits, signed, locale)  # type: ignore[arg-type]


def region_href(region: Any) -> str:
    """A region's page: /desa/{kode} for a village, /wilayah/{kode} above it."""
    return ("/desa/" if region.kind in VILLAGE_KINDS else "/wilayah/") + region.code


def status_badge(status: object, size: str = "") -> Markup:
    """An IDM status as a coloured badge ("Sangat Tertinggal" … "Mandiri")."""
    return _badge(str(status), size)


@lru_cache(maxsize=256)  # a handful of statuses, on every row of the long tables
def _badge(text: str, size: str) -> Markup:
    variant = f" status-{size}" if size else ""
    return Markup('<span class="status status-{}{}">{}</span>').format(
        text.lower().replace(" ", "-"), variant, do_title(text))


def indicator_options(groups: Iterable[tuple[str, Sequence[tuple[str, str, int]]]],
                      selected: str, score_words: Sequence[str]) -> Markup:
    """The what-if choices: an `<optgroup>` per index of `<option>`s "IKS 1 · Name (score 3)",
    with `selected` chosen. Built here because the form repeats them in every row: once per
    village and language, then only the chosen option is marked."""
    options = _options_html(tuple((index, tuple(choices)) for index, choices in groups),
                            tuple(score_words))
    if selected:
        value = f'value="{escape(selected)}"'
        options = options.replace(value + ">", value + " selected>", 1)
    return Markup(options)


@lru_cache(maxsize=64)
def _options_html(groups: tuple[tuple[str, tuple[tuple[str, str, int], ...]], ...],
                  score_words: tuple[str, ...]) -> str:
    parts: list[str] = []
    for index, choices in groups:
        parts.append(f'<optgroup label="{escape(index)}">')
        for key, name, score in choices:
            label = escape(f"{key} · {name} ({score_words[score]})")
            parts.append(f'<option value="{escape(key)}">{label}</option>')
        parts.append("</optgroup>")
    return "".join(parts)


class PageEnvironment(Environment):
    """`row.name` on a plain dict looks up the key first. Jinja tries the attribute first,
    and on a dict the failed attribute lookup raised and caught an exception for every
    cell of every table row; keys named like dict methods are not used in the pages."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)

"""Small formatting helpers the templates call on every row, written in Python: as Jinja
macros they were a good part of the time a page of 50 indicators took to render."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from jinja2 import Environment
from jinja2.filters import do_title
from markupsafe import Markup, escape

from mitradesa.regions.models import VILLAGE_KINDS


def d4(value: object) -> Markup:
    """A figure with four decimals as the ministry prints it; text as it is; '—' if none."""
    if isinstance(value, str):
        return escape(value)
    if value is None:
        return Markup("—")
    return Markup("%.4f" % value)  # noqa: UP031 - '%' rounds as Jinja's format filter did


def region_href(region: Any) -> str:
    """A region's page: /desa/{kode} for a village, /wilayah/{kode} above it."""
    return ("/desa/" if region.kind in VILLAGE_KINDS else "/wilayah/") + region.code


def status_badge(status: object, size: str = "") -> Markup:
    """An IDM status as a coloured badge ("Sangat Tertinggal" … "Mandiri")."""
    text = str(status)
    variant = f" status-{size}" if size else ""
    return Markup('<span class="status status-{}{}">{}</span>').format(
        text.lower().replace(" ", "-"), variant, do_title(text))


def indicator_options(groups: Iterable[tuple[str, Sequence[tuple[str, str, int]]]],
                      selected: str, score_words: Sequence[str]) -> Markup:
    """The what-if choices: an `<optgroup>` per index of `<option>`s "IKS 1 · Name (score 3)",
    with `selected` chosen. Built here because the form repeats them in every row."""
    parts: list[str] = []
    for index, choices in groups:
        parts.append(f'<optgroup label="{escape(index)}">')
        for key, name, score in choices:
            mark = " selected" if key == selected else ""
            label = escape(f"{key} · {name} ({score_words[score]})")
            parts.append(f'<option value="{escape(key)}"{mark}>{label}</option>')
        parts.append("</optgroup>")
    return Markup("".join(parts))


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

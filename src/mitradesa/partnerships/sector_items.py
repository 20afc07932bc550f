"""Which Indeks Desa items each funding sector can raise (data/sector_items.toml). Pure: the
planning engine reads it too."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources

from mitradesa.idm import indeks_desa as idx


@lru_cache(maxsize=1)
def sector_items() -> dict[str, frozenset[int]]:
    """Sector → item numbers (1–127) of the Indeks Desa."""
    text = resources.files("mitradesa.partnerships").joinpath("data", "sector_items.toml")
    table = tomllib.loads(text.read_text(encoding="utf-8"))
    found: dict[str, frozenset[int]] = {}
    for sector, spec in table.items():
        subs = set(spec.get("sub_dimensions", []))
        numbers = {i.no for i in idx.items() if i.sub_dimension_key in subs}
        found[sector] = frozenset(numbers | {int(n) for n in spec.get("items", [])})
    return found

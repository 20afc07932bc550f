"""Scores from raw village facts (distances, counts, ratios) by the bands in rules.toml.

Each derivation returns the score and the rule used, in words, so a user can check it.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from mitradesa.idm.catalogue import find_indicator
from mitradesa.idm.errors import IdmInputError


@dataclass(frozen=True)
class Rule:
    index: str
    no: int
    fact: str
    unit: str
    basis: str
    bands: tuple[tuple[float, int], ...]  # (inclusive upper bound, score)


@dataclass(frozen=True)
class Derived:
    fact: str
    value: float
    score: int
    rule_text: str
    basis: str
    indicator: str


@lru_cache(maxsize=1)
def rules() -> dict[str, Rule]:
    text = resources.files("mitradesa.idm").joinpath("catalogue", "idm2016", "rules.toml")
    data = tomllib.loads(text.read_text(encoding="utf-8"))
    return {
        r["fact"]: Rule(
            r["index"],
            int(r["no"]),
            r["fact"],
            r["unit"],
            r["basis"],
            tuple((float(b["max"]), int(b["score"])) for b in r["bands"]),
        )
        for r in data["rules"]
    }


def _band_text(rule: Rule, position: int) -> str:
    upper, _ = rule.bands[position]
    lower = rule.bands[position - 1][0] if position else None
    if math.isinf(upper):
        return f"> {lower:g} {rule.unit}"
    if lower is None:
        return f"≤ {upper:g} {rule.unit}"
    return f"> {lower:g} s.d. ≤ {upper:g} {rule.unit}"


def derive_score(fact: str, value: float) -> Derived:
    rule = rules().get(fact)
    if rule is None:
        known = ", ".join(sorted(rules()))
        raise IdmInputError(f"tidak ada aturan skor untuk {fact!r}; yang dikenal: {known}")
    if value < 0 or math.isnan(value):
        raise IdmInputError(f"{fact}: nilai tidak boleh negatif ({value})")
    for position, (upper, score) in enumerate(rule.bands):
        if value <= upper:
            indicator = find_indicator(rule.index, rule.no)
            name = indicator.indikator if indicator else f"{rule.index} {rule.no}"
            text = f"{name}: {value:g} {rule.unit} → {_band_text(rule, position)} → skor {score}"
            return Derived(fact, value, score, text, rule.basis, f"{rule.index} {rule.no}")
    # Unreachable: the last band is open-ended.
    raise IdmInputError(f"{fact}: tidak ada rentang yang memuat {value}")

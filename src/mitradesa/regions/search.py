"""Search by name that forgives misspellings, missing diacritics and press spellings."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mitradesa.regions.codes import is_within
from mitradesa.regions.models import Region, RegionAlias
from mitradesa.regions.names import normalize_name
from mitradesa.regions.queries import find_codes_like

FUZZY_CUTOFF = 80
HOME_BONUS = 5.0
_CODE_LIKE = re.compile(r"^[\d.]+$")


@dataclass(frozen=True)
class Hit:
    code: str
    score: float
    matched: str  # the name or alias that matched


@dataclass
class _Index:
    version: tuple[object, ...]
    keys: list[str]  # normalised names and aliases
    codes: list[str]
    labels: list[str]


_lock = threading.Lock()
_indexes: dict[str, _Index] = {}


def _version(session: Session) -> tuple[object, ...]:
    regions = session.execute(
        select(func.count(), func.max(Region.updated_at)).select_from(Region)
    ).one()
    aliases = session.execute(select(func.count()).select_from(RegionAlias)).scalar_one()
    return (*regions, aliases)


def _index(session: Session) -> _Index:
    bind = session.get_bind()
    key = str(getattr(bind, "engine", bind).url)
    version = _version(session)
    with _lock:
        index = _indexes.get(key)
        if index is not None and index.version == version:
            return index
        keys, codes, labels = [], [], []
        for code, name, name_norm in session.execute(
            select(Region.code, Region.name, Region.name_norm).where(Region.active.is_(True))
        ):
            keys.append(name_norm)
            codes.append(code)
            labels.append(name)
        for code, alias, alias_norm in session.execute(
            select(RegionAlias.code, RegionAlias.alias, RegionAlias.alias_norm)
        ):
            keys.append(alias_norm)
            codes.append(code)
            labels.append(alias)
        index = _Index(version, keys, codes, labels)
        _indexes[key] = index
        return index


def _containment_score(query: str, key: str) -> float | None:
    """Exact beats prefix beats word-start beats substring; a closer length scores higher."""
    if key == query:
        return 100.0
    coverage = len(query) / max(len(key), 1)
    if key.startswith(query):
        return 86.0 + 10.0 * coverage
    if f" {query}" in f" {key}":
        return 84.0 + 10.0 * coverage
    if len(query) >= 3 and query in key:
        return 80.0 + 10.0 * coverage
    return None


def search_regions(
    session: Session,
    query: str,
    *,
    within: str | None = None,
    prefer: str | None = None,
    limit: int = 20,
) -> list[Hit]:
    """Best matches first; each region once, with the spelling that matched.

    Hits inside `prefer` (the DPMD's own regency) rank above equally good hits elsewhere.
    """
    text = query.strip()
    if _CODE_LIKE.match(text):
        codes = find_codes_like(session, text)
        return [Hit(code, 100.0, code) for code in codes if not within or is_within(code, within)]
    wanted = normalize_name(text)
    if not wanted:
        return []
    index = _index(session)
    best: dict[str, Hit] = {}

    def consider(i: int, score: float) -> None:
        code = index.codes[i]
        if within and not is_within(code, within):
            return
        if prefer and is_within(code, prefer):
            score += HOME_BONUS
        current = best.get(code)
        if current is None or score > current.score:
            best[code] = Hit(code, score, index.labels[i])

    for i, key in enumerate(index.keys):
        score = _containment_score(wanted, key)
        if score is not None:
            consider(i, score)
    for _, score, i in process.extract(
        wanted, index.keys, scorer=fuzz.ratio, limit=limit * 3, score_cutoff=FUZZY_CUTOFF
    ):
        consider(i, min(float(score), 95.0))
    level = {code: code.count(".") for code in best}
    ranked = sorted(best.values(), key=lambda h: (-h.score, level[h.code], h.code))
    return ranked[:limit]

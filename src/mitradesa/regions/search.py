"""Search by name that forgives misspellings, missing diacritics and press spellings."""

from __future__ import annotations

import math
import re
import threading
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mitradesa.db import data_version
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
    checked_at: int = 0  # the data version at which `version` was last found current
    # every key on one line of one text, and where each line starts: a substring is then
    # found by str.find at C speed instead of a Python loop over 93,000 names
    text: str = field(init=False)
    starts: list[int] = field(init=False)
    # each distinct key once, shortest first, with the positions that carry it: the fuzzy
    # pass compares only the keys of a length that can reach the cutoff
    distinct: list[str] = field(init=False)
    distinct_lengths: list[int] = field(init=False)
    positions: list[list[int]] = field(init=False)

    def __post_init__(self) -> None:
        self.text = "\n".join(self.keys)
        self.starts, at = [], 0
        for key in self.keys:
            self.starts.append(at)
            at += len(key) + 1
        where: dict[str, list[int]] = {}
        for i, key in enumerate(self.keys):
            where.setdefault(key, []).append(i)
        self.distinct = sorted(where, key=len)
        self.distinct_lengths = [len(key) for key in self.distinct]
        self.positions = [where[key] for key in self.distinct]

    def similar(self, wanted: str, limit: int, cutoff: float) -> list[tuple[int, float]]:
        """(position, score) of the keys most like `wanted` by fuzz.ratio ≥ `cutoff`.

        fuzz.ratio is 200·M/(a+b) with M ≤ min(a, b) matching characters, so a key reaches
        the cutoff c only if its length lies within c/(200−c) and (200−c)/c of the query's."""
        size = len(wanted)
        low = bisect_left(self.distinct_lengths, math.ceil(size * cutoff / (200 - cutoff)))
        high = bisect_right(self.distinct_lengths, math.floor(size * (200 - cutoff) / cutoff))
        found = process.extract(wanted, self.distinct[low:high], scorer=fuzz.ratio,
                                limit=limit, score_cutoff=cutoff)
        return [(i, float(score)) for _, score, at in found
                for i in self.positions[low + at]]

    def containing(self, wanted: str) -> list[int]:
        """The positions of the keys that contain `wanted`, in order."""
        found: list[int] = []
        at = self.text.find(wanted)
        while at >= 0:
            i = bisect_right(self.starts, at) - 1
            found.append(i)
            at = self.text.find(wanted, self.starts[i] + len(self.keys[i]) + 1)
        return found


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
    checked_at = data_version.current(session)
    index = _indexes.get(key)
    if index is not None and index.checked_at == checked_at:
        return index  # no write at all since the regions were last found unchanged
    version = _version(session)
    with _lock:
        index = _indexes.get(key)
        if index is not None and index.version == version:
            index.checked_at = checked_at
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
        index = _Index(version, keys, codes, labels, checked_at)
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

    for i in index.containing(wanted):  # every containment score needs the substring
        score = _containment_score(wanted, index.keys[i])
        if score is not None:
            consider(i, score)
    for i, score in index.similar(wanted, limit * 3, FUZZY_CUTOFF):
        consider(i, min(score, 95.0))
    level = {code: code.count(".") for code in best}
    ranked = sorted(best.values(), key=lambda h: (-h.score, level[h.code], h.code))
    return ranked[:limit]

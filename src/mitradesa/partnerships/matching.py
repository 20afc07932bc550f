"""Matching needs and offers: which villages a partner's money would move most, and which
partners are likely to fund a village's gaps, each with the reasons for its rank.

A village's gap counts for a partner when the indicator belongs to one of the partner's
sectors (data/sector_indicators.toml), the village scores below 5 on it, and the ministry's
own text for that score names CSR or "lainnya" among the actors who can act on it. The
expected gain is the sum of those indicators' NILAI: the IDM gain of raising each to 5.

Either index family: `family="idm"` or `"indeks_desa"` (matching_id.py: a partner's kind meets
the items' "lainnya" implementers); by default the family of the newest year of the village
(or of the region searched). A match names its family; its numbers are of that family only.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from mitradesa.db.codes import at_or_under
from mitradesa.formatting import index4
from mitradesa.idm import STATUS_TITLES, indicators, load_scheme
from mitradesa.idm.catalogue import level_text
from mitradesa.idm.compute import classify
from mitradesa.idm_records.models import IdmResult
from mitradesa.indeks_desa_records.models import IndeksDesaResult
from mitradesa.partnerships.models import Partner
from mitradesa.partnerships.vocab import SECTORS
from mitradesa.regions.codes import is_within
from mitradesa.regions.models import Region
from mitradesa.settings import get_settings
from mitradesa.words import labels

SCHEME = "idm2016"
MAX_SCORE = 5
FAMILIES = ("idm", "indeks_desa")


@dataclass(frozen=True)
class IndicatorGap:
    key: str  # "IKE 7"
    name: str
    score: int
    nilai: float
    sectors: tuple[str, ...]
    actors: str  # the ministry's CSR / LAINNYA text for this level; ID: the kinds that met
    to_level: int | None = None  # Indeks Desa: the item's next allowed level


@dataclass
class VillageMatch:
    village_code: str
    village_name: str
    kecamatan: str
    year: int
    idm: float
    status: str
    next_status: str
    gain: float
    idm_after: float
    lifts_status: bool
    in_area: bool
    indicators: list[IndicatorGap] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    family: str = "idm"  # `idm`, `idm_after` and `gain` are nilai (0–100) for indeks_desa


@dataclass
class PartnerMatch:
    partner_id: int
    name: str
    kind: str
    sectors: list[str]
    in_area: bool
    gain: float
    lifts_status: bool
    indicators: list[IndicatorGap] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    family: str = "idm"  # `gain` is IDM, or nilai of the Indeks Desa
    year: int | None = None  # the year of the village's figures


@lru_cache(maxsize=1)
def sector_positions() -> dict[str, tuple[int, ...]]:
    """Sector → positions in the 50-score vector."""
    text = resources.files("mitradesa.partnerships").joinpath("data", "sector_indicators.toml")
    table = tomllib.loads(text.read_text(encoding="utf-8"))
    position = {f"{i.index} {i.no}": i.position for i in indicators(SCHEME)}
    return {sector: tuple(position[key] for key in keys) for sector, keys in table.items()}


@lru_cache(maxsize=1)
def _actor_table() -> tuple[np.ndarray, tuple[tuple[str, ...], ...]]:
    """(can_fund[position, score], actor text[position][score]) from the newest texts."""
    items = indicators(SCHEME)
    can_fund = np.zeros((len(items), MAX_SCORE + 1), dtype=bool)
    texts: list[tuple[str, ...]] = []
    for item in items:
        row: list[str] = []
        for score in range(MAX_SCORE + 1):
            actors = level_text(item.index, item.no, score).actors
            named = [f"{k.upper()}: {actors[k]}" for k in ("csr", "lainnya") if actors[k].strip()]
            can_fund[item.position, score] = bool(named) and score < MAX_SCORE
            row.append("; ".join(named))
        texts.append(tuple(row))
    return can_fund, tuple(texts)


@lru_cache(maxsize=1)
def _nilai_table() -> np.ndarray:
    """NILAI[position, score] = (5 − score) / (5 · n_index) / 3."""
    scheme = load_scheme(SCHEME)
    items = indicators(SCHEME)
    sizes = {index.code: index.size for index in scheme.indices}
    table = np.zeros((len(items), MAX_SCORE + 1))
    for item in items:
        for score in range(MAX_SCORE + 1):
            table[item.position, score] = (MAX_SCORE - score) / (MAX_SCORE * sizes[item.index]) / 3
    return table


def _latest_results(session: Session, scope_codes: list[str] | None) -> list[tuple]:
    """(result, village name, kecamatan name) of each village's newest year, under the codes."""
    if not scope_codes:
        return _latest_results_under(session, [])
    # One query per code: SQLite reads an OR of code ranges by scanning every row.
    found = {row[0].village_code: row for code in dict.fromkeys(scope_codes)
             for row in _latest_results_under(
                 session, [at_or_under(IdmResult.village_code, [code])])}
    return [found[code] for code in sorted(found)]


def _latest_results_under(session: Session, in_scope: list[Any]) -> list[tuple]:
    # The scope inside the grouping too: else every village of the country is grouped.
    newest = (
        select(IdmResult.village_code, func.max(IdmResult.year).label("year"))
        .where(IdmResult.scheme == SCHEME, *in_scope)
        .group_by(IdmResult.village_code).subquery()
    )
    village = aliased(Region)
    kecamatan = aliased(Region)
    query = (
        select(IdmResult, village.name, kecamatan.name)
        .join(newest, (newest.c.village_code == IdmResult.village_code)
              & (newest.c.year == IdmResult.year))
        .join(village, village.code == IdmResult.village_code)
        .outerjoin(kecamatan, kecamatan.code == village.parent_code)
        .where(IdmResult.scheme == SCHEME, *in_scope)
        .order_by(IdmResult.village_code)
    )
    return list(session.execute(query))


def _eligible(scores: np.ndarray, sectors: list[str]) -> np.ndarray:
    """Mask [village, position]: gaps this partner's sectors can fund."""
    positions = sorted({p for s in sectors for p in sector_positions().get(s, ())})
    in_sector = np.zeros(scores.shape[1], dtype=bool)
    in_sector[positions] = True
    can_fund, _texts = _actor_table()
    fundable = can_fund[np.arange(scores.shape[1])[None, :], scores]
    return in_sector[None, :] & fundable


def _gaps(row: np.ndarray, mask: np.ndarray, sectors: list[str]) -> list[IndicatorGap]:
    _can_fund, texts = _actor_table()
    nilai = _nilai_table()
    items = indicators(SCHEME)
    gaps = []
    for position in np.flatnonzero(mask):
        item = items[position]
        score = int(row[position])
        owners = tuple(s for s in sectors if position in sector_positions().get(s, ()))
        gaps.append(IndicatorGap(f"{item.index} {item.no}", item.indikator.removeprefix("Skor "),
                                 score, float(nilai[position, score]), owners,
                                 texts[position][score]))
    return sorted(gaps, key=lambda g: (-g.nilai, g.key))


def _decode(results: list[IdmResult]) -> np.ndarray:
    raw = "".join(r.scores for r in results).encode("ascii")
    return (np.frombuffer(raw, dtype=np.uint8) - ord("0")).reshape(len(results), -1)


def _lift(idm: float, gain: float) -> tuple[float, bool, str]:
    scheme = load_scheme(SCHEME)
    names = scheme.status_names()
    before = classify(idm, scheme)
    after = classify(idm + gain, scheme)
    target = names[min(before + 1, len(names) - 1)]
    return idm + gain, after > before, target


def sector_words(sectors: list[str] | tuple[str, ...], locale: str = "id") -> str:
    names = labels(SECTORS, locale)
    return ", ".join(names.get(s, s) for s in sectors)


def gap_words(gaps: list[IndicatorGap], limit: int = 3) -> str:
    shown = ", ".join(f"{g.key} {g.name} (skor {g.score})" for g in gaps[:limit])
    more = f" dan {len(gaps) - limit} lainnya" if len(gaps) > limit else ""
    return shown + more


def _newest_year(session: Session, model: type, codes: list[str]) -> int | None:
    # One query per code: SQLite reads an OR of code ranges by scanning every row.
    years = []
    for code in dict.fromkeys(codes):
        query = select(func.max(model.year)).where(at_or_under(model.village_code, [code]))
        if model is IdmResult:
            query = query.where(IdmResult.scheme == SCHEME)
        years.append(session.scalar(query))
    return max((y for y in years if y is not None), default=None)


def newest_family(session: Session, codes: list[str]) -> str:
    """The family of the newest year under (or at) the codes; the Indeks Desa on a tie."""
    idm = _newest_year(session, IdmResult, codes)
    indeks_desa = _newest_year(session, IndeksDesaResult, codes)
    if indeks_desa is not None and (idm is None or indeks_desa >= idm):
        return "indeks_desa"
    return "idm"


def _chosen(session: Session, codes: list[str], family: str | None) -> str:
    if family is None:
        return newest_family(session, codes)
    if family not in FAMILIES:
        raise ValueError(f"indeks tidak dikenal: {family!r}; pilih idm atau indeks_desa")
    return family


def villages_for_partner(
    session: Session, partner: Partner, *, year: int | None = None, limit: int = 50,
    family: str | None = None, locale: str = "id",
) -> list[VillageMatch]:
    """Villages ranked by the gain the partner could bring (IDM, or the Indeks Desa's nilai),
    those whose status it would lift first; the partner's own area first when it has one.
    The reasons write their figures the way `locale` does (id: 0,8102; en: 0.8102)."""
    del year  # the newest year of each village is used; kept for a stable signature
    area = partner.area_codes
    scope = area or [get_settings().home_region]
    if _chosen(session, scope, family) == "indeks_desa":
        from mitradesa.partnerships import matching_id

        return matching_id.villages_for_partner(session, partner, scope, limit, locale)
    rows = _latest_results(session, scope)
    if not rows or not partner.sectors:
        return []
    results = [r[0] for r in rows]
    scores = _decode(results)
    mask = _eligible(scores, partner.sectors)
    gains = (_nilai_table()[np.arange(scores.shape[1])[None, :], scores] * mask).sum(axis=1)
    matches: list[VillageMatch] = []
    for i, (result, village_name, kecamatan_name) in enumerate(rows):
        if gains[i] <= 0:
            continue
        idm_after, lifts, target = _lift(result.idm, float(gains[i]))
        gaps = _gaps(scores[i], mask[i], partner.sectors)
        in_area = any(is_within(result.village_code, code) or result.village_code == code
                      for code in area)
        reasons = []
        if in_area:
            reasons.append("di wilayah kerja mitra")
        reasons.append(f"{len(gaps)} indikator lemah sesuai bidang "
                       f"{sector_words(partner.sectors, locale)}: {gap_words(gaps)}")
        status_words = (f"naik ke {STATUS_TITLES[target]}" if lifts
                        else f"belum naik dari {STATUS_TITLES[result.status]}")
        reasons.append(f"IDM {index4(result.idm, locale)} → {index4(idm_after, locale)} bila "
                       f"semuanya menjadi 5: {status_words}")
        matches.append(VillageMatch(
            result.village_code, village_name, kecamatan_name or "", result.year, result.idm,
            result.status, target, float(gains[i]), idm_after, lifts, in_area, gaps, reasons,
        ))
    matches.sort(key=lambda m: (not m.in_area, not m.lifts_status, -m.gain, m.village_code))
    return matches[:limit]


def partners_for_village(
    session: Session, village_code: str, *, year: int | None = None,
    family: str | None = None, locale: str = "id",
) -> list[PartnerMatch]:
    """Active partners ranked by how much of the village's gaps their sectors cover; those
    already working in the village's area first. `family`: idm or indeks_desa (default: the
    family of the village's newest year)."""
    del year
    if _chosen(session, [village_code], family) == "indeks_desa":
        from mitradesa.partnerships import matching_id

        return matching_id.partners_for_village(session, village_code, locale)
    rows = [r for r in _latest_results(session, [village_code])
            if r[0].village_code == village_code]
    if not rows:
        return []
    result = rows[0][0]
    scores = _decode([result])
    matches: list[PartnerMatch] = []
    for partner in session.scalars(select(Partner).where(Partner.active.is_(True))):
        if not partner.sectors:
            continue
        mask = _eligible(scores, partner.sectors)[0]
        gain = float((_nilai_table()[np.arange(scores.shape[1]), scores[0]] * mask).sum())
        if gain <= 0:
            continue
        gaps = _gaps(scores[0], mask, partner.sectors)
        in_area = any(is_within(village_code, code) or village_code == code
                      for code in partner.area_codes)
        _after, lifts, target = _lift(result.idm, gain)
        reasons = []
        if in_area:
            reasons.append("desa ini di wilayah kerja mitra")
        reasons.append(f"bidang {sector_words(partner.sectors, locale)} menjawab {len(gaps)} "
                       f"indikator lemah: {gap_words(gaps)}")
        reasons.append(f"potensi kenaikan IDM {index4(gain, locale)}"
                       + (f", cukup untuk naik ke {STATUS_TITLES[target]}" if lifts else ""))
        matches.append(PartnerMatch(partner.id, partner.name, partner.kind, list(partner.sectors),
                                    in_area, gain, lifts, gaps, reasons, year=result.year))
    matches.sort(key=lambda m: (not m.in_area, -m.gain, m.name))
    return matches

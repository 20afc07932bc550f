"""Matching partners and villages on the Indeks Desa.

An item's gap counts for a partner when
- the item lies in one of the partner's sectors (data/sector_items.toml: sub-dimensions and
  items of the Indeks Desa per sector),
- the village scores below the item's top level, and
- the partner's kind is among the item's "lainnya" implementers (item-structure.csv,
  PELAKSANA KEGIATAN Lainnya): company CSR, BUMN/BUMD CSR and banks are "Swasta", a
  university "Akademisi", a foundation, an NGO or BAZNAS "LSM". Government partners are
  the pusat/provinsi/kabupaten implementers, not "lainnya", and are not matched here.
The expected gain is the points of raising each such item to its next allowed level, shown
as nilai (points / 635 × 100); the reasons name the items and which implementer kind matched
("butir 13: pelaksana lainnya Swasta").
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from mitradesa.db.codes import at_or_under
from mitradesa.formatting import nilai
from mitradesa.idm import STATUS_TITLES
from mitradesa.idm import indeks_desa as idx
from mitradesa.indeks_desa_records.models import IndeksDesaResult
from mitradesa.partnerships.matching import (
    IndicatorGap,
    PartnerMatch,
    VillageMatch,
    gap_words,
    sector_words,
)
from mitradesa.partnerships.models import Partner
from mitradesa.partnerships.sector_items import sector_items
from mitradesa.regions.codes import is_within
from mitradesa.regions.models import Region

FAMILY = "indeks_desa"
KIND_IMPLEMENTERS: dict[str, tuple[str, ...]] = {
    "csr_swasta": ("Swasta",),
    "csr_bumn": ("Swasta",),
    "csr_bumd": ("Swasta",),
    "perbankan": ("Swasta",),
    "perguruan_tinggi": ("Akademisi",),
    "yayasan_lsm": ("LSM",),
    "baznas_filantropi": ("LSM",),
    "pemerintah": (),
    "lainnya": (),
}


def _points(points: int) -> float:
    return points / idx.MAX_TOTAL * 100


def gaps_for(scores: list[int], kind: str, sectors: list[str]) -> list[IndicatorGap]:
    """The village's items this partner can raise, most points first."""
    kinds = KIND_IMPLEMENTERS.get(kind, ())
    wanted = set().union(*(sector_items().get(s, frozenset()) for s in sectors)) \
        if sectors else set()
    gaps = []
    for item, score in zip(idx.items(), scores, strict=True):
        if item.no not in wanted:  # the cheapest test first: most items are not wanted
            continue
        following = item.next_level(score)
        met = tuple(k for k in item.implementers.lainnya_kinds if k in kinds)
        if following is None or not met:
            continue
        owners = tuple(s for s in sectors if item.no in sector_items().get(s, frozenset()))
        gaps.append(IndicatorGap(
            f"butir {item.no}", item.label, score, _points(following - score), owners,
            f"pelaksana lainnya {', '.join(met)}", to_level=following))
    return sorted(gaps, key=lambda g: (-g.nilai, int(g.key.removeprefix("butir "))))


def _lift(result: IndeksDesaResult, gaps: list[IndicatorGap]) -> tuple[float, bool, str]:
    points = sum(g.to_level - g.score for g in gaps if g.to_level is not None)
    total = result.total + points
    before = idx.STATUSES.index(idx.status_of_total(result.total))
    after = idx.STATUSES.index(idx.status_of_total(total))
    target = idx.STATUSES[min(before + 1, len(idx.STATUSES) - 1)]
    return idx.nilai_of_total(min(total, idx.MAX_TOTAL)), after > before, target


def _implementer_words(gaps: list[IndicatorGap], limit: int = 3) -> str:
    shown = "; ".join(f"{g.key}: {g.actors}" for g in gaps[:limit])
    return shown + (f"; dan {len(gaps) - limit} butir lainnya" if len(gaps) > limit else "")


def _latest(session: Session, scope_codes: list[str]) -> list[tuple]:
    """(result, village name, kecamatan name) of each village's newest Indeks Desa year."""
    if not scope_codes:
        return _latest_under(session, [])
    # One query per code: SQLite reads an OR of code ranges by scanning every row.
    found = {row[0].village_code: row for code in dict.fromkeys(scope_codes)
             for row in _latest_under(session, [at_or_under(IndeksDesaResult.village_code,
                                                            [code])])}
    return [found[code] for code in sorted(found)]


def _latest_under(session: Session, in_scope: list[Any]) -> list[tuple]:
    # The scope inside the grouping too: else every village of the country is grouped.
    newest = (select(IndeksDesaResult.village_code,
                     func.max(IndeksDesaResult.year).label("year"))
              .where(*in_scope).group_by(IndeksDesaResult.village_code).subquery())
    village, kecamatan = aliased(Region), aliased(Region)
    query = (
        select(IndeksDesaResult, village.name, kecamatan.name)
        .join(newest, (newest.c.village_code == IndeksDesaResult.village_code)
              & (newest.c.year == IndeksDesaResult.year))
        .join(village, village.code == IndeksDesaResult.village_code)
        .outerjoin(kecamatan, kecamatan.code == village.parent_code)
        .where(*in_scope)
    )
    return list(session.execute(query.order_by(IndeksDesaResult.village_code)))


def villages_for_partner(session: Session, partner: Partner, scope: list[str],
                         limit: int, locale: str = "id") -> list[VillageMatch]:
    """Villages ranked by the Indeks Desa points the partner could help add."""
    if not partner.sectors or not KIND_IMPLEMENTERS.get(partner.kind):
        return []
    matches = []
    for result, village_name, kecamatan_name in _latest(session, scope):
        gaps = gaps_for(idx.scores_from_strings([result.scores])[0].tolist(), partner.kind,
                        list(partner.sectors))
        if not gaps:
            continue
        after, lifts, target = _lift(result, gaps)
        in_area = any(is_within(result.village_code, c) or result.village_code == c
                      for c in partner.area_codes)
        matches.append(VillageMatch(
            result.village_code, village_name, kecamatan_name or "", result.year, result.nilai,
            result.status, target, sum(g.nilai for g in gaps), after, lifts, in_area, gaps,
            family=FAMILY))
    matches.sort(key=lambda m: (not m.in_area, not m.lifts_status, -m.gain, m.village_code))
    for match in matches[:limit]:  # the words only for the villages shown
        match.reasons = _reasons(match, partner, locale)
    return matches[:limit]


def _reasons(match: VillageMatch, partner: Partner, locale: str) -> list[str]:
    gaps = match.indicators
    reasons = ["di wilayah kerja mitra"] if match.in_area else []
    reasons.append(f"{len(gaps)} butir Indeks Desa sesuai bidang "
                   f"{sector_words(partner.sectors, locale)}: {gap_words(gaps)}")
    reasons.append(_implementer_words(gaps))
    status_words = (f"naik ke {STATUS_TITLES[match.next_status]}" if match.lifts_status
                    else f"belum naik dari {STATUS_TITLES[match.status]}")
    reasons.append(f"Indeks Desa {nilai(match.idm, locale)} → {nilai(match.idm_after, locale)} "
                   f"bila tiap butir naik satu tingkat: {status_words}")
    return reasons


def partners_for_village(session: Session, village_code: str,
                         locale: str = "id") -> list[PartnerMatch]:
    """Active partners whose kind is a "lainnya" implementer of the village's items below
    their top, in the partner's sectors; those working in the village's area first."""
    rows = [r for r in _latest(session, [village_code]) if r[0].village_code == village_code]
    if not rows:
        return []
    result = rows[0][0]
    scores = idx.scores_from_strings([result.scores])[0].tolist()
    matches = []
    for partner in session.scalars(select(Partner).where(Partner.active.is_(True))):
        gaps = gaps_for(scores, partner.kind, list(partner.sectors or []))
        if not gaps:
            continue
        after, lifts, target = _lift(result, gaps)
        in_area = any(is_within(village_code, c) or village_code == c
                      for c in partner.area_codes)
        reasons = ["desa ini di wilayah kerja mitra"] if in_area else []
        reasons.append(f"bidang {sector_words(partner.sectors, locale)} menjawab {len(gaps)} butir "
                       f"Indeks Desa {result.year}: {gap_words(gaps)}")
        reasons.append(_implementer_words(gaps))
        gain = sum(g.nilai for g in gaps)
        reasons.append(f"potensi kenaikan nilai Indeks Desa {nilai(gain, locale)} "
                       f"({nilai(result.nilai, locale)} → {nilai(after, locale)})"
                       + (f", cukup untuk naik ke {STATUS_TITLES[target]}" if lifts else ""))
        matches.append(PartnerMatch(partner.id, partner.name, partner.kind,
                                    list(partner.sectors), in_area, gain, lifts,
                                    gaps, reasons, family=FAMILY, year=result.year))
    matches.sort(key=lambda m: (not m.in_area, -m.gain, m.name))
    return matches

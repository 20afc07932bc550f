"""Loading stored index results into arrays for the numeric analysis modules.

This is the one analysis module that reads the database; the numeric ones stay pure. Either
family loads into the same `YearData`: `indices` holds the family's parts and then its
headline value (IDM: IKS, IKE, IKL, IDM; Indeks Desa: the six dimension sums, then nilai).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased

from mitradesa.analysis.families import IDM, INDEKS_DESA, KEYS, IndexFamily, family
from mitradesa.db.codes import under
from mitradesa.idm import indeks_desa as idx
from mitradesa.idm.bulk import scores_from_strings
from mitradesa.idm_records.models import IdmResult
from mitradesa.indeks_desa_records.models import IndeksDesaResult
from mitradesa.regions.models import Region


@dataclass(frozen=True)
class Source:
    """Where a family's figures are stored."""

    model: Any
    value: InstrumentedAttribute[Any]
    components: tuple[InstrumentedAttribute[Any], ...]
    where: tuple[ColumnElement[bool], ...]
    decode: Any  # list of score strings → (N, items) int8


SOURCES: dict[str, Source] = {
    IDM: Source(IdmResult, IdmResult.idm, (IdmResult.iks, IdmResult.ike, IdmResult.ikl),
                (IdmResult.scheme == "idm2016",), scores_from_strings),
    INDEKS_DESA: Source(
        IndeksDesaResult, IndeksDesaResult.nilai,
        tuple(getattr(IndeksDesaResult, d.key) for d in idx.DIMENSIONS), (),
        idx.scores_from_strings),
}


@dataclass(frozen=True)
class YearData:
    year: int
    codes: list[str]
    names: list[str]
    kecamatan: list[str]
    kecamatan_names: list[str]
    indices: np.ndarray  # (N, parts + 1): the parts, then the headline value (official)
    status: list[str]
    scores: np.ndarray  # (N, items); 0 columns when not loaded
    demo: bool
    family: IndexFamily = field(default_factory=lambda: family(IDM))

    @property
    def value(self) -> np.ndarray:
        """The headline value: IDM (0–1) or nilai (0–100)."""
        return self.indices[:, -1]

    @property
    def components(self) -> np.ndarray:
        return self.indices[:, :-1]


def _family(key: str | IndexFamily) -> IndexFamily:
    return key if isinstance(key, IndexFamily) else family(key)


def available_years(session: Session, region_code: str | None,
                    index: str | IndexFamily = IDM) -> list[int]:
    source = SOURCES[_family(index).key]
    query = select(source.model.year).distinct().order_by(source.model.year)
    if source.where:
        query = query.where(*source.where)
    if region_code:
        query = query.where(under(source.model.village_code, region_code))
    return list(session.scalars(query))


def years_by_family(session: Session, region_code: str | None) -> dict[str, list[int]]:
    return {key: available_years(session, region_code, key) for key in KEYS}


def newest_family(session: Session, region_code: str | None) -> IndexFamily:
    """The family of the newest year with data under the region; the Indeks Desa on a tie
    (it is the current index) and the IDM when there is none."""
    years = years_by_family(session, region_code)
    found = [(max(ys), i, key) for i, (key, ys) in enumerate(years.items()) if ys]
    return family(max(found)[2] if found else IDM)


def family_for_year(session: Session, region_code: str | None,
                    year: int) -> IndexFamily | None:
    """The family with data in `year` under the region, the Indeks Desa first (the current
    index); None when neither has it."""
    for key in reversed(KEYS):
        if year in available_years(session, region_code, key):
            return family(key)
    return None


def year_data(session: Session, year: int, region_code: str | None = None,
              index: str | IndexFamily = IDM) -> YearData:
    chosen = _family(index)
    source = SOURCES[chosen.key]
    model = source.model
    village = aliased(Region)
    kecamatan = aliased(Region)
    # Plain columns, not whole result objects: a region's year is read on every region page.
    query = (
        select(model.village_code, village.name, kecamatan.code, kecamatan.name,
               *source.components, source.value, model.status, model.scores,
               model.figures_source)
        .join(village, village.code == model.village_code)
        .outerjoin(kecamatan, kecamatan.code == village.parent_code)
        .where(model.year == year, *source.where)
        .order_by(model.village_code)
    )
    if region_code:
        query = query.where(under(model.village_code, region_code))
    rows = session.execute(query).all()
    width = len(source.components) + 1
    return YearData(
        year=year, codes=[r[0] for r in rows], names=[r[1] for r in rows],
        kecamatan=[r[2] or "" for r in rows], kecamatan_names=[r[3] or "" for r in rows],
        indices=np.array([r[4:4 + width] for r in rows], dtype=float).reshape(len(rows), width),
        status=[r[4 + width] for r in rows],
        scores=source.decode([r[5 + width] for r in rows]) if rows
        else np.zeros((0, chosen.item_count), dtype=np.int8),
        demo=any(r[6 + width] == "demo" for r in rows), family=chosen,
    )


def plain_years(session: Session, years: list[int], region_code: str,
                index: str | IndexFamily = IDM) -> dict[int, YearData]:
    """Several years' villages with their official figures from one query of plain columns
    (a province has 8,000 villages a year); `scores` has 0 columns."""
    chosen = _family(index)
    source = SOURCES[chosen.key]
    model = source.model
    village, kecamatan = aliased(Region), aliased(Region)
    query = (
        select(model.year, model.village_code, village.name, kecamatan.code, kecamatan.name,
               *source.components, source.value, model.status, model.figures_source)
        .join(village, village.code == model.village_code)
        .outerjoin(kecamatan, kecamatan.code == village.parent_code)
        .where(*source.where, model.year.in_(years),
               under(model.village_code, region_code))
        .order_by(model.year, model.village_code)
    )
    width = len(source.components) + 1
    rows_by_year: dict[int, list[Any]] = {}
    for row in session.execute(query):
        rows_by_year.setdefault(row[0], []).append(row)
    return {year: YearData(
        year=year, codes=[r[1] for r in rows], names=[r[2] for r in rows],
        kecamatan=[r[3] or "" for r in rows], kecamatan_names=[r[4] or "" for r in rows],
        indices=np.array([r[5:5 + width] for r in rows], dtype=float).reshape(len(rows), width),
        status=[r[5 + width] for r in rows], scores=np.zeros((len(rows), 0), dtype=np.int8),
        demo=any(r[6 + width] == "demo" for r in rows), family=chosen,
    ) for year, rows in rows_by_year.items()}

"""Loading stored IDM results into arrays for the numeric analysis modules.

This is the one analysis module that reads the database; the numeric ones stay pure.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from mitradesa.db.codes import under
from mitradesa.idm.bulk import scores_from_strings
from mitradesa.idm_records.models import IdmResult
from mitradesa.regions.models import Region


@dataclass(frozen=True)
class YearData:
    year: int
    codes: list[str]
    names: list[str]
    kecamatan: list[str]
    kecamatan_names: list[str]
    indices: np.ndarray  # (N, 4): IKS, IKE, IKL, IDM (official figures)
    status: list[str]
    scores: np.ndarray  # (N, 50)
    demo: bool


def available_years(session: Session, region_code: str | None) -> list[int]:
    query = select(IdmResult.year).distinct().order_by(IdmResult.year)
    if region_code:
        query = query.where(under(IdmResult.village_code, region_code))
    return list(session.scalars(query))


def year_data(session: Session, year: int, region_code: str | None = None) -> YearData:
    village = aliased(Region)
    kecamatan = aliased(Region)
    query = (
        select(IdmResult, village.name, kecamatan.code, kecamatan.name)
        .join(village, village.code == IdmResult.village_code)
        .outerjoin(kecamatan, kecamatan.code == village.parent_code)
        .where(IdmResult.year == year, IdmResult.scheme == "idm2016")
        .order_by(IdmResult.village_code)
    )
    if region_code:
        query = query.where(under(IdmResult.village_code, region_code))
    rows = session.execute(query).all()
    results = [r[0] for r in rows]
    indices = np.array([[r.iks, r.ike, r.ikl, r.idm] for r in results], dtype=float).reshape(
        len(results), 4)
    return YearData(
        year=year, codes=[r.village_code for r in results], names=[r[1] for r in rows],
        kecamatan=[r[2] or "" for r in rows], kecamatan_names=[r[3] or "" for r in rows],
        indices=indices, status=[r.status for r in results],
        scores=scores_from_strings([r.scores for r in results]) if results
        else np.zeros((0, 50), dtype=np.int8),
        demo=any(r.figures_source == "demo" for r in results),
    )

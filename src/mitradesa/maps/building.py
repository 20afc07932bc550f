"""A region's map from the database: its villages the user may see, each with its figure for
the chosen index, year and measure, its class and colour, and where it is drawn."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mitradesa.accounts.models import User
from mitradesa.accounts.scope import can_see_village
from mitradesa.analysis.data import YearData, available_years, plain_years
from mitradesa.analysis.families import IndexFamily
from mitradesa.db.codes import under
from mitradesa.maps.measures import (
    NO_FIGURES,
    SCALE,
    STATUS,
    Measure,
    class_bounds,
    class_of,
    measures_of,
    scale_positions,
    status_colour,
)
from mitradesa.regions.models import VILLAGE_KINDS, Region, RegionBoundary

COORDINATE_DECIMALS = 5  # about a metre: enough for a village map, a third of the bytes


@dataclass
class VillageOnMap:
    code: str
    name: str
    kecamatan: str
    status: str | None = None
    headline: float | None = None  # the index value (IDM 0–1, Indeks Desa nilai 0–100)
    value: float | None = None  # the measure's value (the headline for the status)
    klass: int | None = None  # position in RegionMap.bounds' classes
    colour: str = NO_FIGURES
    geometry: dict[str, Any] | None = None  # the imported boundary
    point: tuple[float, float] | None = None  # (lat, lon) when there is no boundary


@dataclass
class RegionMap:
    region: Region
    family: IndexFamily
    years: list[int]
    year: int | None
    measure: Measure
    measures: list[Measure]
    villages: list[VillageOnMap]
    bounds: list[float] = field(default_factory=list)  # class bounds of a part's scale
    scale: list[int] = field(default_factory=list)  # each class's position on SCALE
    sources: list[str] = field(default_factory=list)  # where the boundaries came from

    @cached_property  # asked once per table row
    def with_boundary(self) -> int:
        return sum(v.geometry is not None for v in self.villages)

    @cached_property  # asked once per table row
    def with_point(self) -> int:
        return sum(v.geometry is None and v.point is not None for v in self.villages)

    @cached_property  # asked once per table row
    def drawn(self) -> int:
        return self.with_boundary + self.with_point

    @cached_property  # asked once per table row
    def without_figures(self) -> int:
        return sum(v.colour == NO_FIGURES for v in self.villages)


def _rounded(coordinates: Any) -> Any:
    if isinstance(coordinates, list):
        if coordinates and isinstance(coordinates[0], int | float):
            return [round(c, COORDINATE_DECIMALS) for c in coordinates]
        return [_rounded(c) for c in coordinates]
    return coordinates


def _villages(session: Session, user: User, region: Region) -> list[VillageOnMap]:
    if region.kind in VILLAGE_KINDS:
        rows = [region]
    else:
        rows = list(session.scalars(select(Region).where(
            under(Region.code, region.code), Region.kind.in_(VILLAGE_KINDS),
            Region.active.is_(True)).order_by(Region.code)))
    kecamatan = dict(session.execute(select(Region.code, Region.name).where(
        Region.code.in_({r.parent_code for r in rows if r.parent_code}))).all())
    return [VillageOnMap(code=r.code, name=r.name, kecamatan=kecamatan.get(r.parent_code or "", ""),
                         point=(r.latitude, r.longitude)
                         if r.latitude is not None and r.longitude is not None else None)
            for r in rows if can_see_village(user, r.code)]


def _boundaries(session: Session, villages: list[VillageOnMap]) -> list[str]:
    by_code = {v.code: v for v in villages}
    sources: list[str] = []
    codes = list(by_code)
    for start in range(0, len(codes), 500):
        for boundary in session.scalars(select(RegionBoundary).where(
                RegionBoundary.code.in_(codes[start:start + 500]))):
            geometry = json.loads(boundary.geometry)
            geometry["coordinates"] = _rounded(geometry.get("coordinates"))
            by_code[boundary.code].geometry = geometry
            if boundary.source not in sources:
                sources.append(boundary.source)
    return sources


def _figures(villages: list[VillageOnMap], data: YearData | None, measure: Measure) -> None:
    if data is None:
        return
    rows = {code: i for i, code in enumerate(data.codes)}
    for village in villages:
        i = rows.get(village.code)
        if i is None:
            continue
        village.status = data.status[i]
        village.headline = float(data.value[i])
        village.value = (village.headline if measure.position is None
                         else float(data.components[i, measure.position]))


def _colour(the_map: RegionMap) -> None:
    if the_map.measure.key == STATUS:
        for village in the_map.villages:
            village.colour = status_colour(village.status)
        return
    values = [v.value for v in the_map.villages if v.value is not None]
    the_map.bounds = class_bounds(values, the_map.measure.decimals)
    the_map.scale = scale_positions(len(the_map.bounds) - 1) if the_map.bounds else []
    for village in the_map.villages:
        if village.value is not None:
            village.klass = class_of(village.value, the_map.bounds)
            village.colour = SCALE[the_map.scale[village.klass]]


def build_map(session: Session, user: User, region: Region, family: IndexFamily,
              year: int | None = None, measure_key: str = STATUS) -> RegionMap:
    """The villages under `region` that `user` may see, coloured by `measure_key` of
    `family` in `year` (the newest year with figures when None or unknown)."""
    years = available_years(session, region.code, family)
    if year not in years:
        year = years[-1] if years else None
    measures = measures_of(family)
    measure = next((m for m in measures if m.key == measure_key), measures[0])
    villages = _villages(session, user, region)
    data = (plain_years(session, [year], region.code, family).get(year)
            if year is not None and region.kind not in VILLAGE_KINDS else None)
    _figures(villages, data, measure)
    the_map = RegionMap(region=region, family=family, years=years, year=year, measure=measure,
                        measures=measures, villages=villages)
    the_map.sources = _boundaries(session, villages)
    _colour(the_map)
    return the_map

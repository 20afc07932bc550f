"""What a map can colour the villages by, and the classes of the colour scale.

The status uses the five status colours of the badges (app.css); a part of an index (IDM:
IKS, IKE, IKL; Indeks Desa: the six dimensions) a sequential scale in five equal classes
over the values shown, light to dark, that readers with a colour vision deficiency also
tell apart (ColorBrewer YlGnBu)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from mitradesa.analysis.families import IndexFamily
from mitradesa.web.pages.idm import INDEX_LABELS, STATUS_COLORS

STATUS = "status"
SCALE = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")
NO_FIGURES = "#d9d9d9"
CLASS_COUNT = len(SCALE)


@dataclass(frozen=True)
class Measure:
    key: str  # "status" or a part's key: iks, ike, ikl, layanan_dasar, …
    label: str  # "Status", "IKS", "Layanan Dasar"
    title: str  # the long name: "Indeks Ketahanan Sosial"
    position: int | None = None  # the part's column in YearData.indices
    maximum: float | None = None  # the part's maximum (Indeks Desa: points)
    decimals: int = 0


@dataclass(frozen=True)
class LegendClass:
    label: str  # a status name, or "from – to" already formatted
    colour: str
    count: int
    lower: float | None = None
    upper: float | None = None


def measures_of(family: IndexFamily) -> list[Measure]:
    """The status, then each part of the family."""
    found = [Measure(STATUS, "Status", "Status")]
    for i, (key, name) in enumerate(zip(family.component_keys, family.components, strict=True)):
        if family.key == "idm":
            found.append(Measure(key, name, INDEX_LABELS.get(name, name), i, 1.0, 4))
        else:
            found.append(Measure(key, name, name, i, family.component_maxima[i], 0))
    return found


def status_colour(status: str | None) -> str:
    return STATUS_COLORS.get((status or "").upper(), NO_FIGURES)


def class_bounds(values: list[float], decimals: int) -> list[float]:
    """Equal classes from the lowest to the highest value, their bounds rounded to the
    precision shown (IDM parts: 0,01; points: 1): five classes, fewer when the values lie
    too close together to need five. The bounds ascend."""
    if not values:
        return []
    unit = 10 ** -(2 if decimals >= 2 else decimals)
    low = math.floor(min(values) / unit + 1e-9) * unit
    high = math.ceil(max(values) / unit - 1e-9) * unit
    if high <= low:
        return [round(low, 6), round(low + unit, 6)]
    step = (high - low) / CLASS_COUNT
    bounds = [round(round((low + i * step) / unit) * unit, 6) for i in range(CLASS_COUNT)]
    return [*sorted(b for b in set(bounds) if b < round(high, 6)), round(high, 6)]


def class_of(value: float, bounds: list[float]) -> int:
    """The class (0-based) a value falls in; the last class includes its upper bound."""
    for i in range(len(bounds) - 2):
        if value < bounds[i + 1]:
            return i
    return len(bounds) - 2


def scale_positions(count: int) -> list[int]:
    """For `count` classes, their colours' positions on the scale, light to dark."""
    if count >= CLASS_COUNT:
        return list(range(CLASS_COUNT))
    if count == 1:
        return [CLASS_COUNT // 2]
    return [round(i * (CLASS_COUNT - 1) / (count - 1)) for i in range(count)]

"""The indicator catalogue as data: names, (sub-)dimensions, and per score level the
description (KETERANGAN), recommended activity (KEGIATAN) and actors, per year observed."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

ACTORS = ("pusat", "prov", "kab", "desa", "csr", "lainnya")


@dataclass(frozen=True)
class Indicator:
    position: int  # 0-based in the flat score vector
    index: str  # IKS, IKE, IKL
    no: int  # 1-based within its index
    indikator: str
    dimensi: str
    sub_dimensi: str


@dataclass(frozen=True)
class LevelText:
    keterangan: str
    kegiatan: str
    actors: dict[str, str]
    basis: str  # observed | unobserved
    year: int | None  # the year whose text this is
    count: int


def _read(scheme: str, name: str) -> list[dict[str, str]]:
    text = (
        resources.files("mitradesa.idm")
        .joinpath("catalogue", scheme, name)
        .read_text(encoding="utf-8")
    )
    return list(csv.DictReader(text.splitlines()))


@lru_cache(maxsize=2)
def indicators(scheme: str = "idm2016") -> tuple[Indicator, ...]:
    return tuple(
        Indicator(i, r["index"], int(r["no"]), r["indikator"], r["dimensi"], r["sub_dimensi"])
        for i, r in enumerate(_read(scheme, "indicators.csv"))
    )


def indicator_label(position: int, scheme: str = "idm2016") -> str:
    items = indicators(scheme)
    if 0 <= position < len(items):
        item = items[position]
        return f"{item.index} {item.no} ({item.indikator})"
    return f"indicator {position + 1}"


@lru_cache(maxsize=2)
def _levels(scheme: str) -> dict[tuple[str, int, int], dict[int, LevelText]]:
    table: dict[tuple[str, int, int], dict[int, LevelText]] = {}
    for r in _read(scheme, "levels.csv"):
        key = (r["index"], int(r["no"]), int(r["skor"]))
        table.setdefault(key, {})[int(r["tahun"])] = LevelText(
            r["keterangan"],
            r["kegiatan"],
            {a: r[a] for a in ACTORS},
            r["basis"],
            int(r["tahun"]),
            int(r["count"]),
        )
    return table


def level_text(
    index: str, no: int, skor: int, year: int | None = None, scheme: str = "idm2016"
) -> LevelText:
    """The row text for a score level: that year's if observed, else the nearest year's."""
    by_year = _levels(scheme).get((index, no, skor))
    if not by_year:
        return LevelText("", "", dict.fromkeys(ACTORS, ""), "unobserved", None, 0)
    if year in by_year:
        return by_year[year]
    nearest = min(by_year, key=lambda y: (abs(y - (year or max(by_year))), -y))
    return by_year[nearest]


def find_indicator(index: str, no: int, scheme: str = "idm2016") -> Indicator | None:
    for item in indicators(scheme):
        if item.index == index.upper() and item.no == no:
            return item
    return None

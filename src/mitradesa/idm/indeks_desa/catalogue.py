"""The 127 items of the Indeks Desa as data: structure, wordings, levels, texts, implementers."""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from mitradesa.idm.errors import IdmInputError

ITEM_COUNT = 127
MAX_LEVEL = 5


class IndeksDesaInputError(IdmInputError):
    """Scores, an item or a what-if that the Indeks Desa cannot take; the message says why."""


@dataclass(frozen=True)
class Implementers:
    pusat: str
    provinsi: str
    kabupaten: str
    desa: str
    lainnya: str
    lainnya_kinds: tuple[str, ...]  # Swasta, Akademisi, LSM, BUMDesa, … (third parties)

    def as_dict(self) -> dict[str, str]:
        return {"pusat": self.pusat, "provinsi": self.provinsi, "kabupaten": self.kabupaten,
                "desa": self.desa, "lainnya": self.lainnya}


@dataclass(frozen=True)
class SubDimension:
    key: str
    name: str
    dimension_key: str
    item_count: int

    @property
    def maximum(self) -> int:
        return self.item_count * MAX_LEVEL


@dataclass(frozen=True)
class Dimension:
    key: str
    name: str
    sub_dimensions: tuple[SubDimension, ...]

    @property
    def item_count(self) -> int:
        return sum(s.item_count for s in self.sub_dimensions)

    @property
    def maximum(self) -> int:
        return self.item_count * MAX_LEVEL


@dataclass(frozen=True)
class Item:
    no: int  # 1 … 127, the order of the ministry's structure and export
    dimension_key: str
    dimension: str
    sub_dimension_key: str
    sub_dimension: str
    indicator: str
    label: str  # the structure's wording
    export_label: str  # the questionnaire wording, the export's column header
    levels: tuple[int, ...]  # the scores this item takes (2025 data)
    recommendations: dict[int, str | None]
    implementers: Implementers

    @property
    def position(self) -> int:
        return self.no - 1

    @property
    def top(self) -> int:
        return self.levels[-1]

    def next_level(self, score: int) -> int | None:
        return _next_level(self.levels, score)

    def recommendation(self, score: int) -> str | None:
        return self.recommendations.get(score)


def _text(name: str) -> str:
    return (resources.files("mitradesa.idm")
            .joinpath("catalogue", "indeks_desa_2024", name).read_text(encoding="utf-8"))


@cache
def scheme_data() -> dict[str, Any]:
    return tomllib.loads(_text("scheme.toml"))


@cache
def dimensions() -> tuple[Dimension, ...]:
    return tuple(
        Dimension(d["key"], d["name"], tuple(
            SubDimension(s["key"], s["name"], d["key"], int(s["items"]))
            for s in d["sub_dimensions"]))
        for d in scheme_data()["dimensions"]
    )


def sub_dimensions() -> tuple[SubDimension, ...]:
    return tuple(s for d in dimensions() for s in d.sub_dimensions)


@cache
def items() -> tuple[Item, ...]:
    raw = json.loads(_text("items.json"))["items"]
    places = [(d, s) for d in dimensions() for s in d.sub_dimensions for _ in range(s.item_count)]
    if len(raw) != ITEM_COUNT or len(places) != ITEM_COUNT:
        raise RuntimeError("the Indeks Desa catalogue must hold 127 items")
    result = []
    for entry, (dimension, sub) in zip(raw, places, strict=True):
        implementers = entry["implementers"]
        result.append(Item(
            no=int(entry["no"]), dimension_key=dimension.key, dimension=dimension.name,
            sub_dimension_key=sub.key, sub_dimension=sub.name, indicator=entry["indicator"],
            label=entry["label"], export_label=entry["export_label"],
            levels=tuple(int(v) for v in entry["levels"]),
            recommendations={int(k): v for k, v in entry["recommendations"].items()},
            implementers=Implementers(
                implementers["pusat"], implementers["provinsi"], implementers["kabupaten"],
                implementers["desa"], implementers["lainnya"],
                tuple(implementers["lainnya_kinds"])),
        ))
    return tuple(result)


def item_by_no(no: int) -> Item:
    if not 1 <= no <= ITEM_COUNT:
        raise IndeksDesaInputError(f"butir {no} tidak ada: Indeks Desa punya butir 1–127")
    return items()[no - 1]


def normalize_label(text: str) -> str:
    """A label as compared: case, spacing (also around "/"), a trailing "?"/":"/";" ignored."""
    text = text.strip().strip('"').strip()
    text = re.sub(r"\s*/\s*", "/", text)
    text = re.sub(r"\s+", " ", text)
    return text.rstrip("?:; ").casefold()


@cache
def _labels() -> dict[str, Item]:
    found: dict[str, Item] = {}
    for item in items():
        for label in (item.label, item.export_label):
            found.setdefault(normalize_label(label), item)
    return found


def match_header(text: str) -> Item | None:
    """The item whose official wording (either one) this column header is."""
    return _labels().get(normalize_label(text))


def find_item(text: str | int) -> Item:
    """An item by its number (1–127) or either official wording."""
    if isinstance(text, int) or str(text).strip().isdigit():
        return item_by_no(int(text))
    found = match_header(str(text))
    if found is None:
        raise IndeksDesaInputError(f"butir {str(text)!r} tidak dikenal: tulis nomornya (1–127) "
                                   "atau salah satu rumusan resminya")
    return found


@cache  # a handful of level sets and scores, asked for every item of a village
def _next_level(levels: tuple[int, ...], score: int) -> int | None:
    return next((level for level in levels if level > score), None)

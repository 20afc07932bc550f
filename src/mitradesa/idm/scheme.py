"""An index scheme as data: its sub-indices, score range and status thresholds."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

STATUS_TITLES = {
    "SANGAT TERTINGGAL": "Sangat Tertinggal",
    "TERTINGGAL": "Tertinggal",
    "BERKEMBANG": "Berkembang",
    "MAJU": "Maju",
    "MANDIRI": "Mandiri",
}


@dataclass(frozen=True)
class SubIndex:
    code: str
    label: str
    size: int


@dataclass(frozen=True)
class Status:
    name: str
    upper: float
    skor_minimal: str


@dataclass(frozen=True)
class Scheme:
    name: str
    label: str
    provisional: bool
    max_score: int
    significant_digits: int
    indices: tuple[SubIndex, ...]
    statuses: tuple[Status, ...]

    @property
    def indicator_count(self) -> int:
        return sum(i.size for i in self.indices)

    def slices(self) -> dict[str, slice]:
        """Where each sub-index's scores sit in the flat score vector."""
        result, start = {}, 0
        for index in self.indices:
            result[index.code] = slice(start, start + index.size)
            start += index.size
        return result

    def status_names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.statuses)


@lru_cache(maxsize=4)
def load_scheme(name: str = "idm2016") -> Scheme:
    text = (
        resources.files("mitradesa.idm")
        .joinpath("catalogue", name, "scheme.toml")
        .read_text(encoding="utf-8")
    )
    data = tomllib.loads(text)
    return Scheme(
        name=data["name"],
        label=data["label"],
        provisional=bool(data.get("provisional", False)),
        max_score=int(data["max_score"]),
        significant_digits=int(data["significant_digits"]),
        indices=tuple(SubIndex(i["code"], i["label"], int(i["size"])) for i in data["indices"]),
        statuses=tuple(
            Status(s["name"], float(s["upper"]), s["skor_minimal"]) for s in data["statuses"]
        ),
    )

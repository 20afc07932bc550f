"""Test files shaped like the ministry's Indeks Desa export, with made-up scores."""

from __future__ import annotations

import csv
from pathlib import Path

from mitradesa.idm.indeks_desa import items

IDENTITY = ["Provinsi", "Kabupaten/ Kota", "Kecamatan", "Kode Wilayah Administrasi Desa", "Desa",
            "TAHUN DATA"]
# Desa of the 2025 registry; the scores below are invented for tests.
SEPATIN = "6402042001"
SUNGAI_MERIAM = "6402042006"
OLD_SUGIE = ("2102012005", "SUGIE")  # a 2019-edition code: 21.02.14.2001 today


def headers() -> list[str]:
    """The export's header row: identity columns and the 127 questionnaire wordings."""
    return [*IDENTITY, *(item.export_label for item in items())]


def scores_for(seed: int) -> list[int]:
    """127 scores, each one of its item's levels."""
    return [item.levels[(seed + item.no) % len(item.levels)] for item in items()]


def write_export(path: Path, rows: list[tuple[str, int, list[int]]], *,
                 names: list[str] | None = None, extra: dict[str, list[str]] | None = None,
                 columns: list[str] | None = None) -> Path:
    """A CSV export; `extra` adds columns (header → one value per row) at the end."""
    head = columns or headers()
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([*head, *(extra or {})])
        for number, (code, year, scores) in enumerate(rows):
            name = names[number] if names else "DESA UJI"
            writer.writerow(["PROV", "KAB", "KEC", code, name, year, *scores,
                             *(values[number] for values in (extra or {}).values())])
    return path

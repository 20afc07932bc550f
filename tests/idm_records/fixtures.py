"""Test fixtures: IDM files shaped like the ministry's, with made-up scores (test data only)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from mitradesa.idm import compute, indicators
from mitradesa.io.idm_files import SCORE_COLUMNS

# Kukar villages of the 2025 registry; the scores below are invented for tests.
SEPATIN = "6402042001"
SUNGAI_MERIAM = "6402042006"
OLD_KUKAR_CODE = "6402082001"  # a 2019-edition code that is 64.02.19.2001 today


def scores_for(seed: int) -> list[int]:
    return [(seed * 7 + position * 3) % 6 for position in range(50)]


def rumusan(
    code: str, year: int, scores: list[int], *, envelope: bool = True,
    label: str = "{index} {year}", name: str = "DESA UJI", published: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A `rumusan` API response: indicator rows, IKS/IKE/IKL/IDM rows, SUMMARIES, IDENTITAS."""
    figures = compute(scores)
    values = {"IKS": figures.iks, "IKE": figures.ike, "IKL": figures.ikl, "IDM": figures.idm}
    values.update({k.upper(): v for k, v in (published or {}).items()})
    rows: list[dict[str, Any]] = []
    items = indicators()
    for index in ("IKS", "IKE", "IKL"):
        for item in items:
            if item.index == index:
                rows.append({"NO": item.no, "INDIKATOR": item.indikator,
                             "SKOR": scores[item.position], "KETERANGAN": "", "KEGIATAN": ""})
        rows.append({"NO": None, "INDIKATOR": label.format(index=index, year=year),
                     "SKOR": values[index]})
    rows.append({"NO": None, "INDIKATOR": label.format(index="IDM", year=year),
                 "SKOR": values["IDM"]})
    rows.append({"NO": None, "INDIKATOR": f"STATUS IDM {year}", "SKOR": figures.status.title()})
    body = {
        "SUMMARIES": {
            "SKOR_SAAT_INI": values["IDM"], "STATUS": figures.status,
            "TARGET_STATUS": figures.target_status, "SKOR_MINIMAL": figures.skor_minimal,
            "PENAMBAHAN": figures.penambahan, "TAHUN": year,
        },
        "ROW": rows,
        "IDENTITAS": [{"id_desa": code, "nama_desa": name}],
    }
    return {"status": 200, "error": False, "mapData": body} if envelope else body


def write_json(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def write_scores_csv(path: Path, rows: list[tuple[str, int, list[int]]],
                     extra: dict[str, list[str]] | None = None) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["kode_desa", "tahun", *SCORE_COLUMNS, *(extra or {})])
        for number, (code, year, scores) in enumerate(rows):
            writer.writerow([code, year, *scores, *(v[number] for v in (extra or {}).values())])
    return path

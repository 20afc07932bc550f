"""Parse the ministry's `rumusan` API JSON (one village-year), with or without its envelope.

Rows are found by label, not position: indicator rows carry a NO; the IKS/IKE/IKL/IDM rows are
labelled like "IKS 2021" (trailing spaces and case tolerated).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from mitradesa.idm.scheme import load_scheme

_SUMMARY_ROW = re.compile(r"^(IKS|IKE|IKL|IDM|STATUS IDM)\s+(\d{4})$")


class RumusanError(ValueError):
    """The JSON is not a usable rumusan response; the message says what is missing."""


@dataclass(frozen=True)
class RumusanRecord:
    kode_desa: str
    tahun: int
    scores: tuple[int, ...]
    nama_desa: str | None
    published: dict[str, Any]
    identity: dict[str, Any]


def _label(row: dict[str, Any]) -> str:
    return " ".join(str(row.get("INDIKATOR") or "").split()).upper()


def parse_rumusan(data: Any) -> RumusanRecord:
    if isinstance(data, dict) and "mapData" in data:
        if data.get("error"):
            raise RumusanError(f"API menjawab dengan galat: {data.get('message', data)}")
        data = data["mapData"]
    if not isinstance(data, dict) or not isinstance(data.get("ROW"), list):
        raise RumusanError("bukan jawaban rumusan: tidak ada daftar ROW")
    summaries = data.get("SUMMARIES") or {}
    identity = (data.get("IDENTITAS") or [{}])[0] or {}
    scheme = load_scheme()
    groups: dict[str, list[int]] = {i.code: [] for i in scheme.indices}
    current = scheme.indices[0].code
    summary_rows: dict[str, Any] = {}
    year: int | None = None
    for row in data["ROW"]:
        if not isinstance(row, dict):
            raise RumusanError("ada entri ROW yang bukan objek")
        match = _SUMMARY_ROW.match(_label(row))
        if match:
            summary_rows[match.group(1)] = row.get("SKOR")
            year = int(match.group(2))
            if match.group(1) in groups:
                later = [i.code for i in scheme.indices]
                position = later.index(match.group(1))
                current = later[min(position + 1, len(later) - 1)]
            continue
        if row.get("NO") is None:
            continue
        score = row.get("SKOR")
        if isinstance(score, float) and score.is_integer():
            score = int(score)
        if isinstance(score, str) and score.strip().lstrip("-").isdigit():
            score = int(score)
        if not isinstance(score, int) or isinstance(score, bool):
            raise RumusanError(f"{_label(row)}: SKOR bukan bilangan bulat ({score!r})")
        groups[current].append(score)
    for index in scheme.indices:
        if len(groups[index.code]) != index.size:
            raise RumusanError(
                f"{index.code} punya {len(groups[index.code])} baris indikator, "
                f"seharusnya {index.size}"
            )
    kode = str(identity.get("id_desa") or "").strip()
    if not kode:
        raise RumusanError("tidak ada kode desa (IDENTITAS.id_desa)")
    tahun = summaries.get("TAHUN") or year
    if tahun is None:
        raise RumusanError("tidak ada tahun (SUMMARIES.TAHUN atau baris 'IDM yyyy')")
    published = {
        "iks": summary_rows.get("IKS"),
        "ike": summary_rows.get("IKE"),
        "ikl": summary_rows.get("IKL"),
        "idm": summaries.get("SKOR_SAAT_INI", summary_rows.get("IDM")),
        "status": summaries.get("STATUS"),
        "target_status": summaries.get("TARGET_STATUS"),
        "skor_minimal": summaries.get("SKOR_MINIMAL"),
        "penambahan": summaries.get("PENAMBAHAN"),
    }
    return RumusanRecord(
        kode_desa=kode,
        tahun=int(tahun),
        scores=tuple(s for i in scheme.indices for s in groups[i.code]),
        nama_desa=identity.get("nama_desa"),
        published={k: v for k, v in published.items() if v is not None},
        identity=identity,
    )

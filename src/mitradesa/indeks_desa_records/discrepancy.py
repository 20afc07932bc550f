"""Published Indeks Desa figures against the recomputation from the 127 scores.

The published figures are the decreed ones, so they are stored as the official figures (the
status, and the total and nilai where the file gives them) even where the scores give
others; each disagreement is a finding with the village code, both statuses and the
difference in points. The dimension sums always come from the scores.

`selisih_poin` is the published total minus the recomputed one where the file gives a total
(or a nilai, from which the total follows: T = nilai × 6.35); without either, it is the
number of points the recomputed total lies below (+) or above (−) the published status's
range.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mitradesa.idm.indeks_desa import (
    MAX_TOTAL,
    MIN_TOTAL,
    STATUSES,
    nilai_of_total,
    status_of_total,
)
from mitradesa.io.indeks_desa_files import IndeksDesaRecord

CAUSE = ("angka terbitan tidak sama dengan hitungan ulang dari skornya; status terbitan "
         "dipakai sebagai status resmi")


@dataclass(frozen=True)
class Finding:
    file: str
    row: int | None
    kode_desa: str
    tahun: int
    status_terbitan: str | None
    status_hitung_ulang: str
    total_hitung_ulang: int
    selisih_poin: int
    fields: dict[str, tuple[Any, Any]]  # name → (published, recomputed)

    @property
    def status_differs(self) -> bool:
        return self.status_terbitan is not None and self.status_terbitan != \
            self.status_hitung_ulang

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file, "row": self.row, "kode_desa": self.kode_desa,
            "tahun": self.tahun, "status_terbitan": self.status_terbitan,
            "status_hitung_ulang": self.status_hitung_ulang,
            "total_hitung_ulang": self.total_hitung_ulang, "selisih_poin": self.selisih_poin,
            "fields": {k: {"published": p, "computed": c} for k, (p, c) in self.fields.items()},
            "cause": CAUSE,
        }

    def __str__(self) -> str:
        where = f"{self.file}, baris {self.row}" if self.row is not None else self.file
        diffs = ", ".join(f"{k} {p} ≠ {c}" for k, (p, c) in self.fields.items())
        return f"{where}: {self.kode_desa} {self.tahun}: {diffs} (selisih {self.selisih_poin:+d} " \
               "poin)"


def _number(text: str) -> float | None:
    try:
        value = float(str(text).strip().replace(",", "."))
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None


def read_published(given: dict[str, str] | None) -> dict[str, Any]:
    """The published figures a row gives, cleaned: status upper-case, nilai and total
    numbers. A value that is not one of these is dropped (and then not compared)."""
    clean: dict[str, Any] = {}
    for key, text in (given or {}).items():
        if key == "status":
            status = " ".join(str(text).replace("_", " ").split()).upper()
            if status in STATUSES:
                clean["status"] = status
        elif key in ("nilai", "total"):
            value = _number(text)
            top = 100 if key == "nilai" else MAX_TOTAL
            if value is not None and 0 <= value <= top:
                clean[key] = value
    return clean


def unknown_status(given: dict[str, str] | None) -> str | None:
    """The published status as written when it names no status, else None."""
    text = (given or {}).get("status")
    if text and "status" not in read_published({"status": text}):
        return text
    return None


def band_distance(total: int, status: str) -> int:
    """Points `total` is below (+) or above (−) the range of `status`; 0 inside it."""
    position = STATUSES.index(status)
    low = MIN_TOTAL[status]
    high = MIN_TOTAL[STATUSES[position + 1]] - 1 if position + 1 < len(STATUSES) else MAX_TOTAL
    if total < low:
        return low - total
    if total > high:
        return high - total
    return 0


def official_figures(
    record: IndeksDesaRecord, kode_desa: str, computed: dict[str, Any],
    published: dict[str, Any],
) -> tuple[dict[str, Any], Finding | None]:
    """(the figures to store, the finding if the published ones differ) for one desa-year.

    `computed` holds total, status, target_status and poin_dibutuhkan from the scores. The
    published figures a file gives are the official ones: its total (or the total its nilai
    stands for), its nilai and its status; what it does not give comes from the scores.
    """
    total = int(computed["total"])
    nilai = nilai_of_total(total)
    differs: dict[str, tuple[Any, Any]] = {}
    if "status" in published and published["status"] != computed["status"]:
        differs["status"] = (published["status"], computed["status"])
    if "nilai" in published and abs(published["nilai"] - nilai) > 0.005 + 1e-9:
        differs["nilai"] = (published["nilai"], nilai)
    if "total" in published and published["total"] != total:
        differs["total"] = (published["total"], total)
    if "total" in published:
        official_total = round(published["total"])
    elif "nilai" in published:
        official_total = round(published["nilai"] * MAX_TOTAL / 100)
    else:
        official_total = total
    official_status = published.get("status") or (
        computed["status"] if official_total == total else status_of_total(official_total))
    official = {"total": official_total,
                "nilai": published.get("nilai", nilai_of_total(official_total)),
                **_target(official_status, official_total)}
    if not differs:
        return official, None
    points = official_total - total
    if "total" not in published and "nilai" not in published:
        points = band_distance(total, published["status"])
    finding = Finding(
        file=record.file, row=record.row, kode_desa=kode_desa.replace(".", ""),
        tahun=record.year, status_terbitan=published.get("status"),
        status_hitung_ulang=computed["status"], total_hitung_ulang=total,
        selisih_poin=points, fields=differs,
    )
    return official, finding


def _target(status: str, total: int) -> dict[str, Any]:
    """Status, target and points still needed, starting from the official status."""
    position = STATUSES.index(status)
    target = STATUSES[min(position + 1, len(STATUSES) - 1)]
    needed = 0 if target == status else max(MIN_TOTAL[target] - total, 0)
    return {"status": status, "target_status": target, "poin_dibutuhkan": needed}
